import { emptySeverityCounts, nonZeroCounts } from '../findings/counts.js'
import { occurrenceKey } from '../findings/fingerprint.js'
import {
  SEVERITIES,
  severityRank,
  type Finding,
  type ScanReport,
  type Severity,
  type ToolInfo,
  type ToolProblem
} from '../findings/finding.js'
import type { SarifLog, SarifReportingDescriptor } from '../findings/sarif/types.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import { truncateText } from '../report/html-escape.js'
import { ConfigurationError } from '../runtime/errors.js'

/*
 * The combined SARIF the gate writes and uploads, built from the findings it already read: never by
 * reading and parsing the reports a second time. Each run keeps its category and its own rule help.
 */

/**
 * What code scanning keeps of one upload (GitHub docs, "About code scanning limits on SARIF results"): it
 * accepts 20 runs, 25,000 results per run and 10 MB gzipped, but stores only the top 5,000 results of a
 * run. The gate keeps those 5,000 itself, most severe first, so it can say exactly which were left out
 * instead of leaving the choice to the server.
 */
export const CODE_SCANNING_LIMITS = {
  runs: 20,
  resultsPerRun: 5_000,
  gzipBytes: 10 * 1000 * 1000
}
export type UploadLimits = typeof CODE_SCANNING_LIMITS

/** What a SARIF run says about itself, kept while its results are read into findings. */
export interface RunShell {
  toolName: string
  /** GitHub's category: `automationDetails.id` up to its last `/`. */
  category?: string
  rules: SarifReportingDescriptor[]
  /** How many results the run had: its findings are the next this many of the report's. */
  resultCount: number
}

type Json = Record<string, unknown>
const isJson = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** The shells of a SARIF document's runs, before the reader takes their results apart; undefined for other formats. */
/**
 * A scanner's rule descriptor is copied into the upload as it is; one nested thousands deep (rule
 * metadata a pull request can write) would overflow the stack when the upload is serialised. Such a
 * rule is described by ours instead.
 */
const MAX_RULE_DEPTH = 32

function nestedWithin(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true
  if (depth === 0) return false
  const children = Array.isArray(value) ? value : Object.values(value)
  return children.every(child => nestedWithin(child, depth - 1))
}

export function sarifRunShells(document: unknown): RunShell[] | undefined {
  if (!isJson(document) || !Array.isArray(document.runs)) return undefined
  return document.runs.map(raw => {
    const run = isJson(raw) ? raw : {}
    const driver = isJson(run.tool) && isJson(run.tool.driver) ? run.tool.driver : {}
    const id = isJson(run.automationDetails) ? run.automationDetails.id : undefined
    const slash = typeof id === 'string' ? id.lastIndexOf('/') : -1
    const category = typeof id !== 'string' || slash === 0 ? undefined : slash > 0 ? id.slice(0, slash) : id
    const rules = Array.isArray(driver.rules)
      ? driver.rules.filter(
          (r): r is SarifReportingDescriptor =>
            isJson(r) && typeof r.id === 'string' && nestedWithin(r, MAX_RULE_DEPTH)
        )
      : []
    return {
      toolName: typeof driver.name === 'string' ? driver.name : 'unknown',
      category,
      rules,
      resultCount: Array.isArray(run.results) ? run.results.length : 0
    }
  })
}

/** One run of the upload before it is fitted: a tool, a category, its findings. */
export interface UploadSource {
  tool: ToolInfo
  category: string
  findings: Finding[]
  /** The scanner's own rule descriptors (help text), used for the rules that have findings. */
  rules: SarifReportingDescriptor[]
  problems: ToolProblem[]
}

/**
 * The runs one report's findings came from. The SARIF reader turns results into findings in order, run
 * by run, so the shells' result counts cut the findings back into their runs; any other report is one run.
 */
export function uploadSources(report: ScanReport, shells: RunShell[] | undefined): UploadSource[] {
  const counted = shells?.reduce((n, s) => n + s.resultCount, 0)
  if (!shells || shells.length === 0 || counted !== report.findings.length) {
    const tool = report.tools[0] ?? { name: report.format }
    return [{ tool, category: tool.name, findings: report.findings, rules: [], problems: report.problems }]
  }
  let offset = 0
  return shells.map((shell, index) => {
    const findings = report.findings.slice(offset, (offset += shell.resultCount))
    return {
      tool: report.tools[index] ?? { name: shell.toolName },
      category: shell.category ?? shell.toolName,
      findings,
      rules: shell.rules,
      problems: index === 0 ? report.problems : []
    }
  })
}

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
  renamedCategories: string[]
  dropped: DroppedResults[]
  /** Bytes of the JSON text; gzip-compressed bytes when they were measured (`gzipped`). */
  bytes: number
  gzipped: boolean
}

interface FittedRun extends UploadSource {
  /** Most severe first, report order within a severity. */
  kept: Finding[]
}

function bySeverity(findings: readonly Finding[]): Partial<Record<Severity, number>> {
  const counts = emptySeverityCounts()
  for (const f of findings) counts[f.severity]++
  return nonZeroCounts(counts)
}

/**
 * The run's most severe findings, in report order within a severity, up to `limit` without duplicates;
 * `cut` counts the rest by severity. Severities are counted first, then read in order, one pass for each
 * severity while places remain: with 100,000 findings a comparison sort, a copy of the list per step, or even
 * sorting every finding into buckets costs more than the 5,000 kept. Two findings
 * are the same when their fingerprints and places are (two copies of a line are two); duplicates are looked
 * for among the findings that would be kept, where they would take a place, and the others are cut.
 */
function keepMostSevere(
  findings: readonly Finding[],
  limit: number
): { kept: Finding[]; cut: Partial<Record<Severity, number>>; duplicates: number } {
  const total = emptySeverityCounts()
  for (const f of findings) total[f.severity]++
  const kept: Finding[] = []
  const cut = emptySeverityCounts()
  const seen = new Set<string>()
  let duplicates = 0
  for (const severity of SEVERITIES) {
    if (total[severity] === 0) continue
    if (kept.length >= limit) {
      cut[severity] += total[severity]
      continue
    }
    for (const f of findings) {
      if (f.severity !== severity) continue
      if (kept.length >= limit) cut[severity]++
      else if (seen.has(occurrenceKey(f))) duplicates++
      else {
        seen.add(occurrenceKey(f))
        kept.push(f)
      }
    }
  }
  return { kept, cut: nonZeroCounts(cut), duplicates }
}

function merge(sources: UploadSource[]): UploadSource[] {
  const groups = new Map<string, UploadSource>()
  for (const source of sources) {
    const key = `${source.category}\u0000${source.tool.name}`
    const group = groups.get(key)
    if (!group) groups.set(key, { ...source, rules: [...source.rules], problems: [...source.problems] })
    else {
      group.findings = group.findings.concat(source.findings)
      group.rules.push(...source.rules)
      group.problems.push(...source.problems)
    }
  }
  return [...groups.values()]
}

/** Two tools under one category would be refused: each gets its own. */
function uniqueCategories(runs: UploadSource[], report: BudgetReport): void {
  const tools = new Map<string, number>()
  for (const run of runs) tools.set(run.category, (tools.get(run.category) ?? 0) + 1)
  for (const run of runs) {
    if ((tools.get(run.category) ?? 0) < 2) continue
    const renamed = `${run.category}-${run.tool.name.toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`
    report.renamedCategories.push(`${run.category} → ${renamed}`)
    run.category = renamed
  }
}

/**
 * A result without a message of its own gets its rule's title from the reader, so one long title is on
 * every result of the rule: 5,000 results of a 150,000-character title were an upload longer than a
 * string can be. Code scanning shows the message as the alert's title; this much is plenty.
 */
const MAX_MESSAGE_CHARS = 2000

function withShortMessage(f: Finding): Finding {
  if (f.message.length <= MAX_MESSAGE_CHARS && (f.title?.length ?? 0) <= MAX_MESSAGE_CHARS) return f
  const title = f.title === undefined ? {} : { title: truncateText(f.title, MAX_MESSAGE_CHARS) }
  return { ...f, message: truncateText(f.message, MAX_MESSAGE_CHARS), ...title }
}

/** Other text a report can repeat on every result (a rule id given by index) is refused, never a crash. */
function serialize(log: SarifLog): string {
  try {
    return JSON.stringify(log)
  } catch (error) {
    if (!(error instanceof RangeError)) throw error
    throw new ConfigurationError(
      "The combined SARIF would be longer than a string can be: a report repeats very long text (a rule id, say) on each of its results. Fix the step that writes it, or set 'upload: false' to write no combined SARIF."
    )
  }
}

function assemble(runs: FittedRun[]): SarifLog {
  const log = buildSarifLog(
    // Our property bag is for our own reader; code scanning reads none of it, and it was a third of
    // every result. The fingerprint stays in partialFingerprints, so the file still works as a baseline.
    runs.map(run => ({
      tool: run.tool,
      category: run.category,
      findings: run.kept.map(withShortMessage),
      problems: run.problems,
      ourProperties: false
    }))
  )
  // The rules written for the findings keep their order (results point at them by index); where the
  // scanner described a rule itself, its own descriptor, with its help text, takes the place of ours.
  log.runs.forEach((out, i) => {
    const own = new Map(runs[i]!.rules.map(rule => [rule.id, rule]))
    if (own.size > 0 && out.tool.driver.rules)
      out.tool.driver.rules = out.tool.driver.rules.map(rule => own.get(rule.id) ?? rule)
  })
  return log
}

export interface BudgetOptions {
  limits?: UploadLimits
  /**
   * Measure the gzip-compressed size and shed results until it fits (default true). Only an upload
   * needs it: without one, compressing tens of megabytes would be most of the gate's time for nothing.
   */
  measureCompressed?: boolean
}

/** Over the run limit: keep the runs whose worst result is most severe, then the larger ones, in report order. */
function keepMostSevereRuns(runs: FittedRun[], limit: number, report: BudgetReport): FittedRun[] {
  if (runs.length <= limit) return runs
  const worst = (run: FittedRun) => (run.kept[0] ? severityRank(run.kept[0].severity) : SEVERITIES.length)
  const ranked = [...runs].sort(
    (a, b) => worst(a) - worst(b) || b.kept.length - a.kept.length || a.category.localeCompare(b.category)
  )
  for (const left of ranked.splice(limit))
    report.dropped.push({
      category: left.category,
      reason: 'runs-per-file',
      bySeverity: bySeverity(left.kept)
    })
  const kept = new Set(ranked)
  return runs.filter(run => kept.has(run))
}

/** Sheds the least severe results, a tenth of what remains each round, until the gzipped log fits. */
function shedUntilItFits(
  runs: FittedRun[],
  limits: UploadLimits,
  report: BudgetReport,
  first: { log: SarifLog; text: string }
): { log: SarifLog; text: string } {
  let { log, text } = first
  // Loaded only for a log near the limit: zlib brings Node's streams, 5 ms of every gate's start.
  const { gzipSync } = process.getBuiltinModule('node:zlib')
  report.gzipped = true
  report.bytes = gzipSync(text).length
  while (report.bytes > limits.gzipBytes) {
    const total = runs.reduce((n, r) => n + r.kept.length, 0)
    if (total === 0) break
    const least = Math.max(
      ...runs.filter(r => r.kept.length > 0).map(r => severityRank(r.kept.at(-1)!.severity))
    )
    let shed = Math.max(1, Math.ceil(total / 10))
    for (const run of [...runs].reverse()) {
      const cut: Finding[] = []
      while (shed > 0 && run.kept.length > 0 && severityRank(run.kept.at(-1)!.severity) === least) {
        cut.push(run.kept.pop()!)
        shed--
      }
      if (cut.length > 0)
        report.dropped.push({ category: run.category, reason: 'gzip-size', bySeverity: bySeverity(cut) })
    }
    log = assemble(runs)
    text = serialize(log)
    report.bytes = gzipSync(text).length
  }
  return { log, text }
}

/**
 * Fits the runs into one upload code scanning accepts: one run per category and tool, duplicates
 * removed, at most the documented number of runs and of stored results per run (the most severe kept),
 * under the size limit, with an exact account of what was left out. Every result carries a fingerprint.
 */
export function fitToBudget(
  sources: UploadSource[],
  options: BudgetOptions = {}
): { log: SarifLog; text: string; report: BudgetReport } {
  const limits = options.limits ?? CODE_SCANNING_LIMITS
  const report: BudgetReport = {
    runsIn: sources.length,
    runsOut: 0,
    resultsIn: sources.reduce((n, s) => n + s.findings.length, 0),
    resultsOut: 0,
    duplicatesRemoved: 0,
    renamedCategories: [],
    dropped: [],
    bytes: 0,
    gzipped: false
  }
  const merged = merge(sources)
  uniqueCategories(merged, report)
  const fitted: FittedRun[] = merged.map(run => {
    const { kept, cut, duplicates } = keepMostSevere(run.findings, limits.resultsPerRun)
    report.duplicatesRemoved += duplicates
    if (Object.keys(cut).length > 0)
      report.dropped.push({ category: run.category, reason: 'results-per-run', bySeverity: cut })
    return { ...run, kept }
  })
  const runs = keepMostSevereRuns(fitted, limits.runs, report)
  const log = assemble(runs)
  let written = { log, text: serialize(log) }
  report.bytes = Buffer.byteLength(written.text)
  // gzip never makes a log much larger, so a text already under the limit needs no compression to know it fits.
  if (report.bytes > limits.gzipBytes * 0.99 && options.measureCompressed !== false)
    written = shedUntilItFits(runs, limits, report, written)
  report.runsOut = runs.length
  report.resultsOut = runs.reduce((n, r) => n + r.kept.length, 0)
  return { ...written, report }
}

export function droppedTotal(report: BudgetReport): number {
  return report.dropped.reduce((n, d) => n + Object.values(d.bySeverity).reduce((a, b) => a + (b ?? 0), 0), 0)
}
