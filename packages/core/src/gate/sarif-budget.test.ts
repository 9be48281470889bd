import { describe, expect, it } from '@jest/globals'
import type { SarifLog, SarifResult, SarifRun } from '../findings/sarif/types.js'
import { fitSarifToBudget, CODE_SCANNING_LIMITS, droppedTotal } from './sarif-budget.js'
import { rawResultSeverity } from './upload-severity.js'
import { validateSarifSchema } from './sarif-schema.js'

function result(
  ruleId: string,
  level: SarifResult['level'],
  uri = 'src/a.js',
  line = 1,
  extra: Partial<SarifResult> = {}
): SarifResult {
  return {
    ruleId,
    level,
    message: { text: `${ruleId} at ${uri}:${line}` },
    locations: [{ physicalLocation: { artifactLocation: { uri }, region: { startLine: line } } }],
    ...extra
  }
}

function run(tool: string, results: SarifResult[], category?: string): SarifRun {
  return {
    tool: { driver: { name: tool, rules: [] } },
    results,
    ...(category ? { automationDetails: { id: `${category}/` } } : {})
  }
}

const log = (...runs: SarifRun[]): SarifLog => ({ version: '2.1.0', runs })

describe('SARIF budget guard', () => {
  it('merges runs of one tool and category, removes duplicates and adds fingerprints', () => {
    const a = run('Semgrep', [result('r1', 'error'), result('r2', 'warning')], 'sast')
    const b = run('Semgrep', [result('r1', 'error'), result('r3', 'note', 'b.js', 7)], 'sast')
    const { log: out, report } = fitSarifToBudget([log(a), log(b)], rawResultSeverity)
    expect(out.runs).toHaveLength(1)
    expect(out.runs[0]!.results!.map(r => r.ruleId)).toEqual(['r1', 'r2', 'r3'])
    expect(report.duplicatesRemoved).toBe(1)
    expect(report.fingerprintsAdded).toBe(3)
    expect(out.runs[0]!.results!.every(r => Object.keys(r.partialFingerprints ?? {}).length > 0)).toBe(true)
    expect(validateSarifSchema(out)).toEqual([])
  })

  it('gives two tools that share a category a category each', () => {
    const { log: out, report } = fitSarifToBudget(
      [
        log(
          run('Trivy', [result('CVE-1', 'error')], 'image'),
          run('Grype', [result('CVE-1', 'error')], 'image')
        )
      ],
      rawResultSeverity
    )
    expect(out.runs.map(r => r.automationDetails?.id).sort()).toEqual(['image-grype/', 'image-trivy/'])
    expect(report.renamedCategories).toHaveLength(2)
  })

  it('keeps the most severe results per run and reports exactly what it dropped', () => {
    const results = [
      result('low', 'note'),
      result('crit', 'error', 'x', 2, { properties: { 'security-severity': '9.8' } }),
      result('med', 'warning'),
      result('high', 'error', 'y')
    ]
    const limits = { ...CODE_SCANNING_LIMITS, resultsPerRun: 2 }
    const { log: out, report } = fitSarifToBudget([log(run('T', results))], rawResultSeverity, limits)
    expect(out.runs[0]!.results!.map(r => r.ruleId)).toEqual(['crit', 'high'])
    expect(report.dropped).toEqual([
      { category: 'T', reason: 'results-per-run', bySeverity: { medium: 1, low: 1 } }
    ])
    expect(droppedTotal(report)).toBe(2)
  })

  it('keeps at most the run limit, dropping the runs with the least severe worst result', () => {
    const runs = Array.from({ length: 22 }, (_, i) =>
      run(`tool${i}`, [result('r', i < 2 ? 'note' : 'error')])
    )
    const { log: out, report } = fitSarifToBudget([log(...runs)], rawResultSeverity)
    expect(out.runs).toHaveLength(20)
    expect(report.dropped.map(d => d.category).sort()).toEqual(['tool0', 'tool1'])
  })

  it('trims locations past the per-result limit', () => {
    const many = Array.from({ length: 1005 }, (_, i) => ({
      physicalLocation: { artifactLocation: { uri: `f${i}` }, region: { startLine: 1 } }
    }))
    const { log: out, report } = fitSarifToBudget(
      [log(run('T', [result('r', 'error', 'a', 1, { locations: many })]))],
      rawResultSeverity
    )
    expect(out.runs[0]!.results![0]!.locations).toHaveLength(1000)
    expect(report.locationsTrimmed).toBe(5)
  })

  it('sheds the least severe results until the gzipped upload fits', () => {
    const noise = (i: number) =>
      result(`n${i}`, 'note', `f${i}`, i, {
        message: { text: `${i} ${'x'.repeat(50)} ${Math.random().toString(36).repeat(8)}` }
      })
    const results = [result('keep', 'error'), ...Array.from({ length: 4000 }, (_, i) => noise(i))]
    const limits = { ...CODE_SCANNING_LIMITS, gzipBytes: 60_000 }
    const { log: out, report } = fitSarifToBudget([log(run('T', results))], rawResultSeverity, limits)
    expect(report.gzipBytes).toBeLessThanOrEqual(60_000)
    expect(out.runs[0]!.results![0]!.ruleId).toBe('keep')
    expect(droppedTotal(report)).toBe(4001 - out.runs[0]!.results!.length)
    expect(
      report.dropped.every(d => d.reason === 'gzip-size' && Object.keys(d.bySeverity).join() === 'low')
    ).toBe(true)
  })

  it('rejects SARIF that breaks the schema', () => {
    expect(validateSarifSchema({ version: '2.1.0', runs: [{ tool: {} }] }).length).toBeGreaterThan(0)
    expect(validateSarifSchema({ version: '9', runs: [] }).length).toBeGreaterThan(0)
  })
})
