import { describe, expect, it } from '@jest/globals'
import type { Finding, ScanReport, Severity } from '../findings/finding.js'
import { parseSarif } from '../findings/sarif/read.js'
import { makeFinding } from '../../../../test/support/findings.js'
import {
  CODE_SCANNING_LIMITS,
  droppedTotal,
  fitToBudget,
  sarifRunShells,
  uploadSources,
  type UploadSource
} from './combined-sarif.js'
import { validateSarifSchema } from './sarif-schema.js'

function source(tool: string, findings: Finding[], category = tool): UploadSource {
  return { tool: { name: tool }, category, findings, rules: [], problems: [] }
}

const at = (ruleId: string, severity: Severity, path = 'src/a.js', line = 1, fingerprint?: string) =>
  makeFinding({
    ruleId,
    severity,
    location: { path, startLine: line },
    ...(fingerprint ? { fingerprint } : {})
  })

describe('the combined SARIF, built from the findings already read', () => {
  it('merges runs of one tool and category and removes duplicates', () => {
    const r1 = at('r1', 'high', 'src/a.js', 1, 'same')
    const { log, report } = fitToBudget([
      source('Semgrep', [r1, at('r2', 'medium')], 'sast'),
      source('Semgrep', [{ ...r1 }, at('r3', 'low', 'b.js', 7)], 'sast')
    ])
    expect(log.runs).toHaveLength(1)
    expect(log.runs[0]!.automationDetails).toEqual({ id: 'sast/' })
    expect(log.runs[0]!.results!.map(r => r.ruleId)).toEqual(['r1', 'r2', 'r3'])
    expect(report.duplicatesRemoved).toBe(1)
    expect(log.runs[0]!.results!.every(r => Object.keys(r.partialFingerprints ?? {}).length > 0)).toBe(true)
    expect(validateSarifSchema(log)).toEqual([])
  })

  it('keeps two copies of a line that share a fingerprint: they are two findings', () => {
    const { log, report } = fitToBudget([
      source(
        'Semgrep',
        [at('js.eval', 'high', 'src/a.js', 3, 'snippet'), at('js.eval', 'high', 'src/a.js', 10, 'snippet')],
        'sast'
      )
    ])
    expect(log.runs[0]!.results!.map(r => r.locations?.[0]?.physicalLocation?.region?.startLine)).toEqual([
      3, 10
    ])
    expect(report.duplicatesRemoved).toBe(0)
  })

  it('gives two tools that share a category a category each', () => {
    const { log, report } = fitToBudget([
      source('Trivy', [at('CVE-1', 'high')], 'image'),
      source('Grype', [at('CVE-1', 'high')], 'image')
    ])
    expect(log.runs.map(r => r.automationDetails?.id)).toEqual(['image-trivy/', 'image-grype/'])
    expect(report.renamedCategories).toEqual(['image → image-trivy', 'image → image-grype'])
  })

  it('keeps the most severe results per run, in report order within a severity, and says what it dropped', () => {
    const findings = [
      at('low', 'low'),
      at('crit', 'critical', 'x', 2),
      at('med', 'medium'),
      at('high', 'high', 'y')
    ]
    const limits = { ...CODE_SCANNING_LIMITS, resultsPerRun: 2 }
    const { log, report } = fitToBudget([source('T', findings)], { limits })
    expect(log.runs[0]!.results!.map(r => r.ruleId)).toEqual(['crit', 'high'])
    expect(report.dropped).toEqual([
      { category: 'T', reason: 'results-per-run', bySeverity: { medium: 1, low: 1 } }
    ])
    expect(droppedTotal(report)).toBe(2)
  })

  it('keeps at most the run limit, dropping the runs with the least severe worst result', () => {
    const runs = Array.from({ length: 22 }, (_, i) => source(`tool${i}`, [at('r', i < 2 ? 'low' : 'high')]))
    const { log, report } = fitToBudget(runs)
    expect(log.runs).toHaveLength(20)
    expect(report.dropped.map(d => d.category).sort()).toEqual(['tool0', 'tool1'])
  })

  it('sheds the least severe results until the gzipped upload fits', () => {
    const noise = Array.from({ length: 4000 }, (_, i) =>
      makeFinding({
        ruleId: `n${i}`,
        severity: 'low',
        message: `${i} ${'x'.repeat(50)} ${(i * 7919).toString(36).repeat(12)}`,
        location: { path: `f${i}`, startLine: i + 1 }
      })
    )
    const limits = { ...CODE_SCANNING_LIMITS, gzipBytes: 60_000 }
    const { log, text, report } = fitToBudget([source('T', [at('keep', 'high'), ...noise])], { limits })
    expect(report.gzipped).toBe(true)
    expect(report.bytes).toBeLessThanOrEqual(60_000)
    expect(text).toBe(JSON.stringify(log))
    const kept = log.runs[0]!.results!
    expect(kept[0]!.ruleId).toBe('keep')
    expect(droppedTotal(report)).toBe(4001 - kept.length)
    expect(
      report.dropped.every(d => d.reason === 'gzip-size' && Object.keys(d.bySeverity).join() === 'low')
    ).toBe(true)
  })

  it('without an upload, compresses nothing and sheds nothing', () => {
    const noise = Array.from({ length: 500 }, (_, i) =>
      makeFinding({ ruleId: `n${i}`, severity: 'low', location: { path: `f${i}`, startLine: 1 } })
    )
    const limits = { ...CODE_SCANNING_LIMITS, gzipBytes: 10_000 }
    const { text, report } = fitToBudget([source('T', noise)], { limits, measureCompressed: false })
    expect(report).toMatchObject({
      gzipped: false,
      bytes: Buffer.byteLength(text),
      resultsOut: 500,
      dropped: []
    })
    expect(report.bytes).toBeGreaterThan(10_000)
  })

  it('writes no property bag code scanning would not read, and keeps the fingerprint', () => {
    const f = at('a', 'high', 'src/a.js', 1, '0123456789abcdef0123456789abcdef')
    const [result] = fitToBudget([source('T', [f])]).log.runs[0]!.results!
    expect(result!.properties).toBeUndefined()
    expect(result!.partialFingerprints).toEqual({ 'securePipeline/v1': '0123456789abcdef0123456789abcdef' })
  })

  it('measures no gzip when the text is already under the limit', () => {
    const { text, report } = fitToBudget([source('T', [at('a', 'high')])])
    expect(report).toMatchObject({
      gzipped: false,
      bytes: Buffer.byteLength(text),
      resultsOut: 1,
      runsOut: 1
    })
  })
})

describe('the runs a SARIF report came from', () => {
  const document = () => ({
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Semgrep OSS',
            rules: [
              {
                id: 'js.sqli',
                shortDescription: { text: 'SQL injection' },
                help: { text: 'Use placeholders.' }
              }
            ]
          }
        },
        automationDetails: { id: 'sast/run-42' },
        results: [
          { ruleId: 'js.sqli', level: 'error', message: { text: 'a' } },
          { ruleId: 'js.sqli', level: 'error', message: { text: 'b' } }
        ]
      },
      // Nothing found this time: the empty run still closes the category's fixed alerts on upload.
      { tool: { driver: { name: 'Trivy' } }, automationDetails: { id: 'image/' }, results: [] },
      { tool: { driver: { name: 'Trivy' } }, results: [{ ruleId: 'CVE-1', message: { text: 'c' } }] }
    ]
  })

  it('keeps each run’s category, its own rule help, and its empty runs', () => {
    const doc = document()
    const shells = sarifRunShells(doc)
    const report: ScanReport = parseSarif(doc, 'r.sarif', {}, true)
    expect(shells?.map(s => [s.toolName, s.category, s.resultCount])).toEqual([
      ['Semgrep OSS', 'sast', 2],
      ['Trivy', 'image', 0],
      ['Trivy', undefined, 1]
    ])
    const sources = uploadSources(report, shells)
    expect(sources.map(s => [s.category, s.findings.map(f => f.message)])).toEqual([
      ['sast', ['a', 'b']],
      ['image', []],
      ['Trivy', ['c']]
    ])
    const { log } = fitToBudget(sources)
    expect(log.runs.map(r => [r.automationDetails?.id, r.results?.length])).toEqual([
      ['sast/', 2],
      ['image/', 0],
      ['Trivy/', 1]
    ])
    const sast = log.runs.find(r => r.automationDetails?.id === 'sast/')!
    expect(sast.tool.driver.rules).toEqual([
      { id: 'js.sqli', shortDescription: { text: 'SQL injection' }, help: { text: 'Use placeholders.' } }
    ])
    expect(sast.results!.every(r => r.ruleIndex === 0)).toBe(true)
    expect(validateSarifSchema(log)).toEqual([])
  })

  it('describes a rule by our own descriptor when the scanner’s is nested deeper than any real one', () => {
    let deep: unknown = 'x'
    for (let i = 0; i < 5000; i++) deep = [deep]
    const doc = {
      version: '2.1.0',
      runs: [
        {
          tool: {
            driver: {
              name: 'Semgrep OSS',
              rules: [
                { id: 'deep', properties: { x: deep } },
                { id: 'shallow', properties: { tags: ['security'], nested: { a: { b: 1 } } } }
              ]
            }
          },
          results: [
            { ruleId: 'deep', level: 'error', message: { text: 'a' } },
            { ruleId: 'shallow', level: 'error', message: { text: 'b' } }
          ]
        }
      ]
    }
    const shells = sarifRunShells(doc)
    expect(shells?.[0]?.rules.map(r => r.id)).toEqual(['shallow'])
    const { log, text } = fitToBudget(uploadSources(parseSarif(doc, 'r.sarif', {}, true), shells))
    expect(JSON.parse(text)).toEqual(log)
    expect(log.runs[0]!.tool.driver.rules!.map(r => r.id).sort()).toEqual(['deep', 'shallow'])
  })

  it('treats a report whose counts do not add up, or that is not SARIF, as one run of its first tool', () => {
    const report: ScanReport = {
      source: 'trivy.json',
      format: 'trivy-json',
      tools: [{ name: 'Trivy', version: '0.60.0' }],
      findings: [makeFinding()],
      problems: []
    }
    expect(sarifRunShells({ SchemaVersion: 2 })).toBeUndefined()
    expect(uploadSources(report, undefined)).toEqual([
      {
        tool: { name: 'Trivy', version: '0.60.0' },
        category: 'Trivy',
        findings: report.findings,
        rules: [],
        problems: []
      }
    ])
    const shells = [{ toolName: 'Trivy', rules: [], resultCount: 5 }]
    expect(uploadSources(report, shells)).toHaveLength(1)
  })
})

describe('text a report repeats on every result', () => {
  it('cuts a long result message: one rule title shared by 5,000 results made the upload too long to write', () => {
    const document = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'semgrep', rules: [{ id: 'r', name: 't'.repeat(150_000) }] } },
          results: Array.from({ length: 5000 }, (_, i) => ({
            ruleId: 'r',
            level: 'error',
            message: {},
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: i + 1 } } }
            ]
          }))
        }
      ]
    }
    const report = parseSarif(document, 'sast.sarif')
    const { log, text } = fitToBudget(uploadSources(report, sarifRunShells(document)), {
      measureCompressed: false
    })
    expect(log.runs[0]!.results).toHaveLength(5000)
    expect(text.length).toBeLessThan(100_000_000)
  })

  it('stops with a clear error when a rule id shared by every result makes the upload too long to write', () => {
    const document = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'semgrep', rules: [{ id: 'r'.repeat(150_000) }] } },
          results: Array.from({ length: 5000 }, (_, i) => ({
            ruleIndex: 0,
            level: 'error',
            message: { text: 'm' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: i + 1 } } }
            ]
          }))
        }
      ]
    }
    const report = parseSarif(document, 'sast.sarif')
    // The reader cuts an id this long; findings given such an id some other way must still stop clearly.
    for (const finding of report.findings) finding.ruleId = document.runs[0]!.tool.driver.rules[0]!.id
    expect(() =>
      fitToBudget(uploadSources(report, sarifRunShells(document)), { measureCompressed: false })
    ).toThrow(/combined SARIF.*longer than.*upload: false/)
  })
})
