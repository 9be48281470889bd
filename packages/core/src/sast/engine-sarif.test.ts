import { describe, expect, it } from '@jest/globals'
import { BrokenInputError } from '../runtime/errors.js'
import { engineReportFromSarif, withRuleSeverities } from './engine-sarif.js'

// Shaped as Semgrep 1.185 writes it (`--sarif`), trimmed to what the reader looks at.
const semgrepSarif = (overrides: { results?: unknown[]; invocations?: unknown[] } = {}) => ({
  version: '2.1.0',
  runs: [
    {
      tool: {
        driver: {
          name: 'Semgrep OSS',
          semanticVersion: '1.185.0',
          rules: [
            {
              id: 'py-sql-injection',
              defaultConfiguration: { level: 'error' },
              helpUri: 'https://example.test/sqli',
              properties: {
                'security-severity': '8.8',
                tags: [
                  "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')",
                  'HIGH CONFIDENCE',
                  'security'
                ]
              }
            },
            { id: 'user-note', defaultConfiguration: { level: 'note' }, properties: { tags: [] } }
          ]
        }
      },
      invocations: overrides.invocations ?? [{ executionSuccessful: true, toolExecutionNotifications: [] }],
      results: overrides.results ?? [
        {
          ruleId: 'py-sql-injection',
          message: { text: 'SQL built with %' },
          fingerprints: { 'matchBasedId/v1': 'requires login' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'space dir/ünï %41.py', uriBaseId: '%SRCROOT%' },
                region: {
                  startLine: 16,
                  startColumn: 12,
                  endLine: 17,
                  endColumn: 3,
                  snippet: { text: 'rows = q % n' }
                }
              }
            }
          ],
          properties: {}
        },
        {
          ruleId: 'user-note',
          message: { text: 'note' },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: 'file:///tmp/base/a.py' },
                region: { startLine: 2 }
              }
            }
          ],
          suppressions: [{ kind: 'inSource' }]
        }
      ]
    }
  ]
})

describe('engineReportFromSarif', () => {
  it('reads each result as the engine’s JSON spells it', () => {
    const report = engineReportFromSarif(semgrepSarif(), 'engine.sarif')
    expect(report.version).toBe('1.185.0')
    expect(report.errors).toEqual([])
    expect(report.results).toEqual([
      {
        check_id: 'py-sql-injection',
        path: 'space dir/ünï %41.py',
        start: { line: 16, col: 12 },
        end: { line: 17, col: 3 },
        extra: {
          message: 'SQL built with %',
          severity: 'ERROR',
          metadata: {
            'security-severity': '8.8',
            cwe: [
              "CWE-89: Improper Neutralization of Special Elements used in an SQL Command ('SQL Injection')"
            ],
            source: 'https://example.test/sqli'
          },
          fingerprint: 'requires login',
          lines: 'rows = q % n'
        }
      },
      {
        check_id: 'user-note',
        path: '/tmp/base/a.py',
        start: { line: 2, col: undefined },
        end: { line: 2, col: undefined },
        extra: { message: 'note', severity: 'INFO', metadata: {}, is_ignored: true }
      }
    ])
  })

  it('reads tool notifications as errors, and a failed execution with none as one', () => {
    const notified = engineReportFromSarif(
      semgrepSarif({
        invocations: [
          {
            executionSuccessful: true,
            toolExecutionNotifications: [
              {
                descriptor: { id: 'SemgrepError' },
                level: 'error',
                message: { text: 'Invalid rule schema' }
              },
              {
                descriptor: { id: 'Timeout' },
                level: 'warning',
                message: { text: 'timed out' },
                locations: [{ physicalLocation: { artifactLocation: { uri: 'big.py' } } }]
              }
            ]
          }
        ]
      }),
      'engine.sarif'
    )
    expect(notified.errors).toEqual([
      { type: 'SemgrepError', level: 'error', message: 'Invalid rule schema' },
      { type: 'Timeout', level: 'warn', message: 'timed out', path: 'big.py' }
    ])
    const failed = engineReportFromSarif(semgrepSarif({ invocations: [{ executionSuccessful: false }] }), 'e')
    expect(failed.errors).toEqual([
      { type: 'fatal', level: 'error', message: 'the engine reported executionSuccessful: false' }
    ])
  })

  it('refuses what is not the engine’s SARIF', () => {
    for (const text of [{ results: [], errors: [] }, { runs: [] }, { runs: [{ results: {} }] }, null, 3])
      expect(() => engineReportFromSarif(text, 'engine.sarif')).toThrow(BrokenInputError)
    expect(() => engineReportFromSarif(semgrepSarif({ results: [7] }), 'engine.sarif')).toThrow(
      BrokenInputError
    )
  })

  it('takes each rule’s severity from the engine’s JSON when asked, where SARIF says error for CRITICAL', () => {
    const report = engineReportFromSarif(semgrepSarif(), 'engine.sarif')
    const json = {
      results: [
        { check_id: 'py-sql-injection', extra: { severity: 'CRITICAL' } },
        { check_id: 'py-sql-injection', extra: { severity: 'CRITICAL' } }
      ],
      errors: []
    }
    const severities = (
      withRuleSeverities(report, json, 'engine.json').results as { extra: { severity: string } }[]
    ).map(r => r.extra.severity)
    expect(severities).toEqual(['CRITICAL', 'INFO'])
    expect(() => withRuleSeverities(report, { errors: [] }, 'engine.json')).toThrow(BrokenInputError)
  })
})
