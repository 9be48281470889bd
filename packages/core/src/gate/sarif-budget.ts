import { createHash } from 'node:crypto'
import { gzipSync } from 'node:zlib'
import { SEVERITIES, type Severity } from '../findings/finding.js'
import { emptySeverityCounts, nonZeroCounts } from '../findings/counts.js'
import {
  FINGERPRINT_KEY,
  SARIF_SCHEMA_URI,
  SARIF_VERSION,
  type SarifLog,
  type SarifReportingDescriptor,
  type SarifResult,
  type SarifRun
} from '../findings/sarif/types.js'

/** What code scanning accepts in one upload (GitHub docs, "SARIF support for code scanning"). */
export const CODE_SCANNING_LIMITS = {
  runs: 20,
  resultsPerRun: 25_000,
  rulesPerRun: 25_000,
  locationsPerResult: 1_000,
  gzipBytes: 10 * 1000 * 1000
}
export type UploadLimits = typeof CODE_SCANNING_LIMITS

export type ResultSeverity = (run: SarifRun, result: SarifResult) => Severity

export interface DroppedResults {
  category: string
  reason: 'results-per-run' | 'runs-per-file' | 'gzip-size'
  bySeverity: Partial<Record<Severity, number>>
}

export interface BudgetReport {
  runsIn: number
  runsOut: number
  resultsIn: number
  resultsOut: number
  duplicatesRemoved: number
  locationsTrimmed: number
  fingerprintsAdded: number
  renamedCategories: string[]
  dropped: DroppedResults[]
  gzipBytes: number
}

interface RunEntry {
  category: string
  run: SarifRun
  ranked: { result: SarifResult; rank: number }[]
}

export function categoryOf(run: SarifRun): string {
  const id = run.automationDetails?.id
  // automationDetails.id is "<category>/<run id>"; the category is everything before the last slash.
  if (id) return id.includes('/') ? id.slice(0, id.lastIndexOf('/')) || run.tool.driver.name : id
  return run.tool.driver.name
}

function ruleIdOf(run: SarifRun, result: SarifResult): string {
  return result.ruleId ?? result.rule?.id ?? run.tool.driver.rules?.[result.ruleIndex ?? -1]?.id ?? 'unknown'
}

function primaryUri(result: SarifResult): string {
  return result.locations?.[0]?.physicalLocation?.artifactLocation?.uri ?? ''
}

function identity(run: SarifRun, result: SarifResult): string {
  const fp = result.partialFingerprints ?? result.fingerprints
  const fpText = fp
    ? Object.entries(fp)
        .sort()
        .map(([k, v]) => `${k}=${v}`)
        .join(';')
    : ''
  const region = result.locations?.[0]?.physicalLocation?.region
  return [
    ruleIdOf(run, result),
    primaryUri(result),
    region?.startLine ?? '',
    region?.startColumn ?? '',
    fpText,
    fp ? '' : (result.message.text ?? '')
  ].join('\u0000')
}

function fallbackFingerprint(run: SarifRun, result: SarifResult): string {
  const logical = result.locations?.[0]?.logicalLocations?.[0]?.fullyQualifiedName ?? ''
  return createHash('sha256')
    .update(
      [categoryOf(run), ruleIdOf(run, result), primaryUri(result) || logical, result.message.text ?? ''].join(
        '\u0000'
      )
    )
    .digest('hex')
    .slice(0, 32)
}

/** Same tool + same category in several files becomes one run; rules are re-indexed. */
function mergeRuns(runs: SarifRun[]): SarifRun {
  const [first] = runs
  const rules = new Map<string, SarifReportingDescriptor>()
  const results: SarifResult[] = []
  for (const run of runs) {
    for (const rule of run.tool.driver.rules ?? []) if (!rules.has(rule.id)) rules.set(rule.id, rule)
    for (const result of run.results ?? []) {
      const { ruleIndex: _drop, ...rest } = result
      results.push({ ...rest, ruleId: ruleIdOf(run, result) })
    }
  }
  const ruleList = [...rules.values()]
  const index = new Map(ruleList.map((rule, i) => [rule.id, i]))
  return {
    ...first!,
    tool: { ...first!.tool, driver: { ...first!.tool.driver, rules: ruleList } },
    invocations: runs.flatMap(r => r.invocations ?? []),
    results: results.map(r => (index.has(r.ruleId!) ? { ...r, ruleIndex: index.get(r.ruleId!) } : r))
  }
}

function countBySeverity(items: { rank: number }[]): Partial<Record<Severity, number>> {
  const counts = emptySeverityCounts()
  for (const { rank } of items) counts[SEVERITIES[rank]!]++
  return nonZeroCounts(counts)
}

/**
 * Turns every SARIF we were given into one upload that code scanning will accept: one run per
 * category, deduplicated, capped to the documented limits keeping the most severe results, with a
 * fingerprint on every result, and an exact account of what was left out.
 */
export function fitSarifToBudget(
  logs: SarifLog[],
  severityOf: ResultSeverity,
  limits: UploadLimits = CODE_SCANNING_LIMITS
): { log: SarifLog; report: BudgetReport } {
  const report: BudgetReport = {
    runsIn: 0,
    runsOut: 0,
    resultsIn: 0,
    resultsOut: 0,
    duplicatesRemoved: 0,
    locationsTrimmed: 0,
    fingerprintsAdded: 0,
    renamedCategories: [],
    dropped: [],
    gzipBytes: 0
  }
  const groups = new Map<string, SarifRun[]>()
  for (const run of logs.flatMap(l => l.runs)) {
    report.runsIn++
    report.resultsIn += run.results?.length ?? 0
    const key = `${categoryOf(run)}\u0000${run.tool.driver.name}`
    groups.set(key, [...(groups.get(key) ?? []), run])
  }

  const toolsPerCategory = new Map<string, number>()
  for (const key of groups.keys()) {
    const category = key.split('\u0000')[0]!
    toolsPerCategory.set(category, (toolsPerCategory.get(category) ?? 0) + 1)
  }

  const entries: RunEntry[] = []
  for (const [key, runs] of groups) {
    const [category, tool] = key.split('\u0000') as [string, string]
    const run = runs.length > 1 ? mergeRuns(runs) : runs[0]!
    // Two tools under one category would be refused; give each its own.
    const finalCategory =
      (toolsPerCategory.get(category) ?? 0) > 1
        ? `${category}-${tool.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`
        : category
    if (finalCategory !== category) report.renamedCategories.push(`${category} → ${finalCategory}`)
    const seen = new Set<string>()
    const ranked: RunEntry['ranked'] = []
    for (const result of run.results ?? []) {
      const id = identity(run, result)
      if (seen.has(id)) {
        report.duplicatesRemoved++
        continue
      }
      seen.add(id)
      let fixed = result
      if (!result.partialFingerprints || Object.keys(result.partialFingerprints).length === 0) {
        fixed = { ...fixed, partialFingerprints: { [FINGERPRINT_KEY]: fallbackFingerprint(run, result) } }
        report.fingerprintsAdded++
      }
      if ((fixed.locations?.length ?? 0) > limits.locationsPerResult) {
        report.locationsTrimmed += fixed.locations!.length - limits.locationsPerResult
        fixed = { ...fixed, locations: fixed.locations!.slice(0, limits.locationsPerResult) }
      }
      ranked.push({ result: fixed, rank: SEVERITIES.indexOf(severityOf(run, result)) })
    }
    ranked.sort((a, b) => a.rank - b.rank)
    if (ranked.length > limits.resultsPerRun) {
      const cut = ranked.splice(limits.resultsPerRun)
      report.dropped.push({
        category: finalCategory,
        reason: 'results-per-run',
        bySeverity: countBySeverity(cut)
      })
    }
    entries.push({
      category: finalCategory,
      run: { ...run, automationDetails: { id: `${finalCategory}/` } },
      ranked
    })
  }

  // Over the run limit: keep the runs whose worst result is most severe, then the larger ones.
  entries.sort(
    (a, b) =>
      (a.ranked[0]?.rank ?? 9) - (b.ranked[0]?.rank ?? 9) ||
      b.ranked.length - a.ranked.length ||
      a.category.localeCompare(b.category)
  )
  for (const left of entries.splice(limits.runs)) {
    report.dropped.push({
      category: left.category,
      reason: 'runs-per-file',
      bySeverity: countBySeverity(left.ranked)
    })
  }

  let log = assemble(entries)
  let gz = gzipSync(JSON.stringify(log)).length
  // Over the size limit: shed the least severe results first, a tenth of what remains each round.
  while (gz > limits.gzipBytes) {
    const all = entries.flatMap(e => e.ranked.map(r => ({ entry: e, item: r })))
    if (all.length === 0) break
    const worstRank = Math.max(...all.map(x => x.item.rank))
    const victims = all.filter(x => x.item.rank === worstRank)
    const n = Math.max(1, Math.ceil(Math.min(victims.length, all.length / 10)))
    const cutByCategory = new Map<RunEntry, { rank: number }[]>()
    for (const { entry, item } of victims.slice(-n)) {
      entry.ranked.splice(entry.ranked.lastIndexOf(item), 1)
      cutByCategory.set(entry, [...(cutByCategory.get(entry) ?? []), item])
    }
    for (const [entry, cut] of cutByCategory)
      report.dropped.push({ category: entry.category, reason: 'gzip-size', bySeverity: countBySeverity(cut) })
    log = assemble(entries)
    gz = gzipSync(JSON.stringify(log)).length
  }
  report.runsOut = log.runs.length
  report.resultsOut = log.runs.reduce((n, r) => n + (r.results?.length ?? 0), 0)
  report.gzipBytes = gz
  return { log, report }
}

function assemble(entries: RunEntry[]): SarifLog {
  return {
    $schema: SARIF_SCHEMA_URI,
    version: SARIF_VERSION,
    runs: entries.map(e => ({ ...e.run, results: e.ranked.map(r => r.result) }))
  }
}

export function droppedTotal(report: BudgetReport): number {
  return report.dropped.reduce((n, d) => n + Object.values(d.bySeverity).reduce((a, b) => a + (b ?? 0), 0), 0)
}
