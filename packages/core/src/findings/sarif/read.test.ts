import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../../test/support/shared-fixtures.js'
import { BrokenInputError } from '../../runtime/errors.js'
import { parseSarif } from './read.js'
import { readSuppressions } from './read-helpers.js'
import { buildSarifLog } from './write.js'

const text = readFileSync(
  path.join(REPO_ROOT, 'test', 'unit', 'fixtures', 'reports', 'extensions.sarif'),
  'utf8'
)

describe('parseSarif', () => {
  const report = parseSarif(text, 'extensions.sarif')
  const [xss, sqli, sqli2, undescribed] = report.findings

  it('reads every run, tool and category', () => {
    expect(report.format).toBe('sarif')
    expect(report.tools).toEqual([{ name: 'CodeQL', version: '2.20.0' }, { name: 'Trivy' }])
    expect(report.findings).toHaveLength(4)
    expect(xss!.category).toBe('/language:javascript')
  })

  it('finds rules in tool.extensions by toolComponent index and by id', () => {
    expect(xss).toMatchObject({ ruleId: 'js/xss', title: 'XSS', severity: 'medium', securitySeverity: 6.1 })
    expect(xss!.cwe).toEqual(['CWE-79'])
    expect(sqli2).toMatchObject({ ruleId: 'js/sqli', title: 'SQL injection', severity: 'critical' })
  })

  it('applies the severity precedence: result score > rule score > tag word > level', () => {
    expect(sqli).toMatchObject({ severity: 'critical', securitySeverity: 9.5 })
    expect(undescribed).toMatchObject({ severity: 'info', kind: 'code', scanner: 'codeql' })
  })

  it('decodes uris and keeps suppressions', () => {
    expect(xss!.location).toEqual({ path: 'src/a b.js', startLine: 4 })
    expect(undescribed!.suppressions).toEqual([{ kind: 'external', status: 'accepted', justification: 'fp' }])
  })

  it('turns a failed execution and warnings into problems, ignoring notes', () => {
    expect(report.problems).toEqual([
      { level: 'error', message: 'CodeQL: the tool reported executionSuccessful: false' },
      { level: 'warning', message: 'Trivy: db is stale' }
    ])
  })

  it('reads an executionSuccessful that is not the boolean true, and an exit signal, as a failed run', () => {
    const run = (invocation: Record<string, unknown>) =>
      parseSarif(
        {
          version: '2.1.0',
          runs: [{ tool: { driver: { name: 'semgrep' } }, results: [], invocations: [invocation] }]
        },
        'r.sarif'
      ).problems
    expect(run({ executionSuccessful: 'false' })).toEqual([
      { level: 'error', message: 'semgrep: the tool reported executionSuccessful: "false"' }
    ])
    expect(run({ executionSuccessful: true, exitSignalName: 'SIGSEGV' })).toEqual([
      { level: 'error', message: 'semgrep: the tool was killed by SIGSEGV' }
    ])
    expect(run({ executionSuccessful: true })).toEqual([])
    expect(run({})).toEqual([])
  })

  it('sets a stable fingerprint on every finding', () => {
    const again = parseSarif(text, 'again')
    expect(report.findings.map(f => f.fingerprint)).toEqual(again.findings.map(f => f.fingerprint))
    expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(4)
  })

  it('round-trips through our writer exactly', () => {
    const written = buildSarifLog(
      report.tools.map((tool, index) => ({
        tool,
        category: index === 0 ? '/language:javascript' : undefined,
        findings: report.findings.filter(() => index === 0)
      }))
    )
    const reread = parseSarif(JSON.stringify(written), 'written')
    expect(reread.findings).toEqual(report.findings)
  })

  it('does not modify an object it was given', () => {
    const log = JSON.parse(text)
    parseSarif(log, 'object')
    expect(log).toEqual(JSON.parse(text))
  })

  it('makes absolute file uris under the workspace or SRCROOT repository-relative', () => {
    const log = (uri: string, base?: string) =>
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'osv-scanner' } },
            ...(base ? { originalUriBaseIds: { SRCROOT: { uri: base } } } : {}),
            results: [
              {
                ruleId: 'r',
                message: { text: 'm' },
                locations: [{ physicalLocation: { artifactLocation: { uri } } }]
              }
            ]
          }
        ]
      })
    const path = (text: string, workspace?: string) =>
      parseSarif(text, 's', { workspace }).findings[0]!.location!.path
    expect(path(log('file:///work/repo/web/package-lock.json'), '/work/repo/')).toBe('web/package-lock.json')
    expect(path(log('file:///work/repo/go.mod'), '/work/repo')).toBe('go.mod')
    // Not a file of the repository: the finding keeps no location rather than one that points outside.
    const outside = parseSarif(log('file:///elsewhere/go.mod'), 's', { workspace: '/work/repo' })
    expect(outside.findings[0]!.location).toBeUndefined()
    expect(path(log('file:///src/a.js', 'file:///src/'))).toBe('a.js')
  })

  it('writes the category with exactly one trailing slash', () => {
    const written = buildSarifLog([{ tool: { name: 't' }, category: 'image/', findings: [] }])
    expect(written.runs[0]!.automationDetails).toEqual({ id: 'image/' })
  })

  it('reads a run without results as a failed run, not as 0 findings', () => {
    const report = parseSarif('{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}}}]}', 's')
    expect(report.findings).toEqual([])
    expect(report.problems).toEqual([
      { level: 'error', message: 'x: the run has no results (the tool did not finish)' }
    ])
  })

  it.each([
    ['[]', /must be a JSON object/],
    ['{"version":"2.0.0","runs":[]}', /unsupported SARIF version "2.0.0"/],
    ['{"version":"2.1.0"}', /no "runs" array/],
    ['{"version":"2.1.0","runs":[]}', /SARIF has no runs: no tool reported/],
    ['{"version":"2.1.0","runs":[{"tool":{}}]}', /runs\[0\] has no tool.driver.name/],
    ['{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":{}}]}', /results is not an array/],
    [
      '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x"}},"results":[1]}]}',
      /results\[0\] is not an object/
    ]
  ])('refuses %s', (input, message) => {
    expect(() => parseSarif(input, 's')).toThrow(BrokenInputError)
    expect(() => parseSarif(input, 's')).toThrow(message)
  })
})

describe('parseSarif on a log handed over by its caller', () => {
  it('reads the same findings as from a log it must leave intact, and releases each result', () => {
    const kept = JSON.parse(text) as { runs: { results: unknown[] }[] }
    const handed = JSON.parse(text) as { runs: { results: unknown[] }[] }
    const fromKept = parseSarif(kept, 'kept.sarif')
    const fromHanded = parseSarif(handed, 'handed.sarif', {}, true)
    expect(JSON.stringify(fromHanded.findings)).toBe(JSON.stringify(fromKept.findings))
    expect(fromHanded.findings).toEqual(parseSarif(text, 'x').findings)
    expect(kept).toEqual(JSON.parse(text))
    for (const run of handed.runs) expect(run.results.every(r => r === undefined)).toBe(true)
  })

  it('builds plain objects whose fields are all own, defined properties', () => {
    for (const finding of parseSarif(text, 'x').findings) {
      expect(Object.getPrototypeOf(finding)).toBe(Object.prototype)
      expect(finding.constructor).toBe(Object)
      expect(Object.values(finding)).not.toContain(undefined)
      expect(Object.values(finding.location ?? {})).not.toContain(undefined)
    }
  })

  it('shares one aliases array among the results of a rule', () => {
    const log = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Trivy',
              rules: [{ id: 'CVE-2024-0001', properties: { tags: ['GHSA-2345-6789-cfgh'] } }]
            }
          },
          results: [0, 1].map(i => ({ ruleId: 'CVE-2024-0001', ruleIndex: 0, message: { text: `m${i}` } }))
        }
      ]
    }
    const [a, b] = parseSarif(log, 'x').findings
    expect(a!.aliases).toEqual(['GHSA-2345-6789-cfgh'])
    expect(b!.aliases).toBe(a!.aliases)
  })
})

describe('readSuppressions', () => {
  it('reads only a well-formed external suppression as external, and an undefined status as not accepted', () => {
    expect(
      readSuppressions([
        { kind: 'external' },
        { kind: 'inSource', status: 'accepted' },
        // Misspelt or missing kinds follow the in-source mode rather than always applying.
        { kind: 'InSource' },
        { kind: 'External' },
        {},
        { kind: 'inSource', status: 'Rejected' },
        { kind: 'external', status: 'Accepted' }
      ])
    ).toEqual([
      { kind: 'external' },
      { kind: 'inSource', status: 'accepted' },
      { kind: 'inSource' },
      { kind: 'inSource' },
      { kind: 'inSource' },
      { kind: 'inSource', status: 'rejected' },
      { kind: 'external', status: 'rejected' }
    ])
  })
})

describe('parseSarif on reports that must not lose or lower a finding', () => {
  const log = (results: unknown[], run: Record<string, unknown> = {}, rules: unknown[] = []) => ({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Tool', rules } }, results, ...run }]
  })
  const severities = (value: unknown) => parseSarif(value, 'x.sarif').findings.map(f => f.severity)

  it('rates results of kind review, open or an undefined kind by their level; pass, notApplicable and informational are info', () => {
    const kinds = ['review', 'open', 'FAIL', null, 'fail', 'pass', 'notApplicable', 'informational']
    const results = kinds.map(kind => ({ ruleId: 'r', kind, level: 'error', message: { text: 'm' } }))
    expect(severities(log(results))).toEqual(['high', 'high', 'high', 'high', 'high', 'info', 'info', 'info'])
  })

  it('reads a level written in another case as that level, on the result or as its rule default', () => {
    const results = [
      { ruleId: 'r', level: 'ERROR', message: { text: 'm' } },
      { ruleId: 'r', level: 'Note', message: { text: 'm' } },
      { ruleId: 'd', message: { text: 'm' } }
    ]
    const rules = [{ id: 'd', defaultConfiguration: { level: 'Error' } }]
    expect(severities(log(results, {}, rules))).toEqual(['high', 'low', 'high'])
  })

  it('reads a security-severity given as a word, on the result or its rule, before the level', () => {
    const results = [
      { ruleId: 'r', level: 'note', message: { text: 'm' }, properties: { 'security-severity': 'High ' } },
      { ruleId: 'r', level: 'note', message: { text: 'm' } },
      // The result's own word outranks the rule's score, as its own score would.
      { ruleId: 's', level: 'note', message: { text: 'm' }, properties: { 'security-severity': 'medium' } }
    ]
    const rules = [
      { id: 'r', properties: { 'security-severity': 'Critical' } },
      { id: 's', properties: { 'security-severity': '9.8' } }
    ]
    const findings = parseSarif(log(results, {}, rules), 'x.sarif').findings
    expect(findings.map(f => [f.severity, f.securitySeverity])).toEqual([
      ['high', undefined],
      ['critical', undefined],
      ['medium', undefined]
    ])
  })

  it('refuses invocations or notification lists that are not arrays instead of skipping a failed run', () => {
    for (const run of [
      { invocations: { executionSuccessful: false } },
      { invocations: [{ executionSuccessful: true, toolExecutionNotifications: { level: 'error' } }] },
      { invocations: [{ executionSuccessful: true, toolConfigurationNotifications: 'error' }] }
    ]) {
      expect(() => parseSarif(log([], run), 'x.sarif')).toThrow(BrokenInputError)
    }
  })

  it('reads a notification level SARIF does not define as an error, and levels in any case', () => {
    const notes = [
      { level: 'ERROR', message: { text: 'crashed' } },
      { level: 'fatal', message: { text: 'died' } },
      { level: 'Note', message: { text: 'fyi' } }
    ]
    const run = { invocations: [{ executionSuccessful: true, toolExecutionNotifications: notes }] }
    expect(parseSarif(log([], run), 'x.sarif').problems).toEqual([
      { level: 'error', message: 'Tool: crashed' },
      { level: 'error', message: 'Tool: died' }
    ])
  })
})

describe('parseSarif on a report whose shared texts would be copied into every finding', () => {
  // A rule id, title or tool name is written once in the report but again on every finding's row (evidence,
  // combined SARIF): 150 KB × 100,000 results would be 15 GB of output from a 150 KB report.
  const huge = (tail: string) => `${'x'.repeat(150_000)}${tail}`
  const results = (n: number, ruleIndex: number) =>
    Array.from({ length: n }, () => ({ ruleIndex, message: { text: 'm' } }))
  const report = parseSarif(
    {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: huge('-tool'),
              rules: [
                { id: huge('a'), shortDescription: { text: huge('title') }, helpUri: huge('uri') },
                { id: huge('b') }
              ]
            }
          },
          automationDetails: { id: `${huge('cat')}/run` },
          results: [...results(50, 0), ...results(50, 1), { ruleId: huge('a'), message: { text: 'm' } }]
        }
      ]
    },
    'x.sarif'
  )

  it('keeps every finding, with ids, titles, scanner and category cut to a bounded size marked as cut', () => {
    expect(report.findings).toHaveLength(101)
    for (const finding of report.findings) {
      const shared = [finding.ruleId, finding.title ?? '', finding.scanner, finding.category ?? '']
      for (const text of shared) expect(text.length).toBeLessThanOrEqual(1024)
      expect(finding.ruleId).toMatch(/…\[cut: 150001 characters, sha256 [0-9a-f]{16}\]$/)
      expect(finding.message.length).toBeLessThanOrEqual(1024)
      expect(finding.helpUri).toBeUndefined()
    }
    expect(report.tools[0]!.name.length).toBeLessThanOrEqual(1024)
  })

  it('keeps ids that differ only past the cut apart, and a result naming the rule by its id on that rule', () => {
    const ids = new Set(report.findings.map(f => f.ruleId))
    expect(ids.size).toBe(2)
    expect(new Set(report.findings.map(f => f.fingerprint)).size).toBe(2)
    expect(report.findings[100]!.ruleId).toBe(report.findings[0]!.ruleId)
    expect(report.findings[100]!.title).toBe(report.findings[0]!.title)
  })
})
