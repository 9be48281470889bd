import { severityRank, type Finding, type Severity, type Suppression } from '../findings/finding.js'
import { appliedSuppressions } from '../findings/suppression.js'
import { applyExceptions, type ExceptionOutcome, type ExceptionUse } from '../policy/exceptions.js'
import { thresholdsFor, type GatePolicy } from '../policy/policy.js'
import { compareWithBaseline } from './baseline.js'
import { addToCounts, emptyCounts, type FindingCounts } from '../findings/counts.js'
import type { InSourceSuppressions } from './ports.js'

/** Never confused: a broken input is not a pass and not a policy failure. */
export type GateOutcome = 'pass' | 'fail-findings' | 'fail-broken-input'

export interface BrokenInput {
  source: string
  message: string
  /** The pull request itself added or changed the file in git. */
  providedByChange?: boolean
}

/** A report's warning-level notification: read and counted, but the scanner says what it left out. */
export interface ScannerWarning {
  source: string
  message: string
}

export type SuppressionReason =
  { by: 'exception'; use: ExceptionUse } | { by: 'sarif'; kind: string; justification?: string }

export interface EvaluatedFinding {
  finding: Finding
  isNew: boolean
  suppression?: SuppressionReason
  /** The scanner's own accepted in-source suppression (`nosemgrep`), whatever the gate made of it. */
  inSource?: Suppression
  /** The in-source suppression is the change's own (not in the base): `reviewed` does not honour it. */
  inSourceByChange?: true
  /** Counts toward the verdict: not suppressed and, with a baseline, new. */
  counted: boolean
  blocking: boolean
}

export interface GateVerdict {
  outcome: GateOutcome
  /** The policy said warn-only, so findings over the policy did not fail the run. */
  warnOnly: boolean
  findings: EvaluatedFinding[]
  fixed: Finding[]
  brokenInputs: BrokenInput[]
  /** Shown, never deciding: a scan that left something out says so beside the verdict. */
  scannerWarnings: ScannerWarning[]
  exceptions: Pick<ExceptionOutcome, 'used' | 'expired' | 'stale'>
  counts: { all: FindingCounts; counted: FindingCounts; blocking: FindingCounts }
  /** Human-readable reasons the findings fail the policy (empty on pass). */
  reasons: string[]
  hasBaseline: boolean
  /**
   * What in-source suppressions did: suppress (honour), suppress those the base already had (reviewed),
   * or nothing while listed (report, ignore).
   */
  inSourceSuppressions: InSourceSuppressions
  /** With `reviewed` on a change event: how many suppressions were the change's own; else undefined. */
  inSourceByChange?: number
}

export interface GateInputs {
  findings: Finding[]
  brokenInputs: BrokenInput[]
  scannerWarnings?: ScannerWarning[]
  baseline?: Finding[]
  policy: GatePolicy
  today: string
  /** Default reviewed. */
  inSourceSuppressions?: InSourceSuppressions
  /**
   * Findings whose in-source suppression the change under check adds (pull_request, merge_group), worked
   * out at the edge from git and the workspace. Undefined: not a change event, every suppression is
   * merged code. Only `reviewed` reads it.
   */
  inSourceByChange?: ReadonlySet<Finding>
}

/** An external suppression (SARIF `external`, e.g. a triage system) always applies; an in-source one only when honoured. */
function sarifSuppression(finding: Finding, honourInSource: boolean): SuppressionReason | undefined {
  if (finding.suppressions.length === 0) return undefined
  const s = appliedSuppressions(finding).find(x => honourInSource || x.kind !== 'inSource')
  return s ? { by: 'sarif', kind: s.kind, justification: s.justification } : undefined
}

function inSourceSuppression(finding: Finding): Suppression | undefined {
  if (finding.suppressions.length === 0) return undefined
  return appliedSuppressions(finding).find(x => x.kind === 'inSource')
}

function hasFix(finding: Finding): boolean {
  return (finding.package?.fixedVersions.length ?? 0) > 0
}

/** New first, then what blocks, then unsuppressed, then most severe: 40 buckets, smaller is earlier. */
function reportRank(e: EvaluatedFinding): number {
  return (
    (e.isNew ? 0 : 20) + (e.blocking ? 0 : 10) + (e.suppression ? 5 : 0) + severityRank(e.finding.severity)
  )
}

/**
 * Orders findings for the report by bucket, keeping report order inside a bucket. A counting sort:
 * a comparison sort over 100,000 findings was the gate's slowest step, and only the top rows are shown.
 */
export function orderForReport(items: EvaluatedFinding[]): EvaluatedFinding[] {
  const ranks = new Uint8Array(items.length)
  const next = new Array<number>(41).fill(0)
  for (let i = 0; i < items.length; i++) next[(ranks[i] = reportRank(items[i]!)) + 1]!++
  for (let rank = 1; rank <= 40; rank++) next[rank]! += next[rank - 1]!
  // next[rank] is where the next item of that rank goes: filled in report order, so the sort is stable.
  const ordered = new Array<EvaluatedFinding>(items.length)
  for (let i = 0; i < items.length; i++) ordered[next[ranks[i]!]!++] = items[i]!
  return ordered
}

export function evaluateGate(input: GateInputs): GateVerdict {
  const { findings, policy } = input
  const inSourceMode = input.inSourceSuppressions ?? 'reviewed'
  const byChange = inSourceMode === 'reviewed' ? input.inSourceByChange : undefined
  const honourAllInSource = inSourceMode === 'honour' || (inSourceMode === 'reviewed' && !byChange)
  let inSourceByChange = 0
  // Without exceptions or a baseline there is nothing to look up per finding.
  const hasExceptions = policy.exceptions.length > 0
  const hasBaseline = input.baseline !== undefined
  const exceptions: ExceptionOutcome = hasExceptions
    ? applyExceptions(findings, policy.exceptions, input.today)
    : { suppressedBy: [], used: [], expired: [], stale: [] }
  const baseline = hasBaseline
    ? compareWithBaseline(findings, input.baseline)
    : { isNew: [] as boolean[], fixed: [] as Finding[] }

  // One lookup per scanner/category pair, not per finding: reports can hold 100,000 findings.
  // Findings of one report come in runs of the same pair: the last answer is checked first.
  const thresholdCache = new Map<string, ReturnType<typeof thresholdsFor>>()
  let last: { scanner: string; category: string | undefined; t: ReturnType<typeof thresholdsFor> } | undefined
  const thresholds = (scanner: string, category: string | undefined) => {
    if (last && last.scanner === scanner && last.category === category) return last.t
    const key = `${scanner}\u0000${category ?? ''}`
    let t = thresholdCache.get(key)
    if (!t) thresholdCache.set(key, (t = thresholdsFor(policy, scanner, category)))
    last = { scanner, category, t }
    return t
  }
  // One pass: evaluation and the three counts (reports can hold 100,000 findings).
  const allCounts = emptyCounts()
  const countedCounts = emptyCounts()
  const blockingCounts = emptyCounts()
  const evaluated: EvaluatedFinding[] = []
  for (let i = 0; i < findings.length; i++) {
    const finding = findings[i]!
    const use = hasExceptions ? exceptions.suppressedBy[i] : undefined
    const inSource = inSourceSuppression(finding)
    // Only a finding with an in-source suppression can be in the change's set: one lookup, no more.
    const addedByChange = inSource !== undefined && byChange !== undefined && byChange.has(finding)
    const honourInSource = honourAllInSource || (byChange !== undefined && !addedByChange)
    const suppression: SuppressionReason | undefined = use
      ? { by: 'exception', use }
      : sarifSuppression(finding, honourInSource)
    if (addedByChange) inSourceByChange++
    const isNew = hasBaseline ? (baseline.isNew[i] ?? true) : true
    const counted = !suppression && isNew
    const t = thresholds(finding.scanner, finding.category)
    const fixGate = !t.fixAvailableOnly || finding.package === undefined || hasFix(finding)
    const blocking = counted && fixGate && t.failOn.includes(finding.severity)
    evaluated.push(
      addedByChange
        ? { finding, isNew, suppression, inSource, inSourceByChange: true, counted, blocking }
        : { finding, isNew, suppression, inSource, counted, blocking }
    )
    addToCounts(allCounts, finding)
    if (counted) addToCounts(countedCounts, finding)
    if (blocking) addToCounts(blockingCounts, finding)
  }
  const reasons: string[] = []
  for (const [severity, n] of Object.entries(blockingCounts.bySeverity) as [Severity, number][]) {
    if (n > 0)
      reasons.push(
        `${n} ${severity} finding${n === 1 ? '' : 's'}${input.baseline ? ' new' : ''} at a fail-on severity`
      )
  }
  for (const [severity, max] of Object.entries(policy.defaults.max) as [Severity, number][]) {
    const n = countedCounts.bySeverity[severity]
    if (n > max) reasons.push(`${n} ${severity} findings, more than the maximum of ${max}`)
  }
  const scannerLabel = (name: string) => name
  const categoryLabel = (name: string) => `category ${name}`
  reasons.push(...namedMaxReasons(policy.scanners, evaluated, f => f.scanner, scannerLabel))
  reasons.push(...namedMaxReasons(policy.categories, evaluated, f => f.category, categoryLabel))

  const outcome: GateOutcome =
    input.brokenInputs.length > 0
      ? 'fail-broken-input'
      : reasons.length > 0 && !policy.warnOnly
        ? 'fail-findings'
        : 'pass'

  return {
    outcome,
    warnOnly: policy.warnOnly,
    findings: orderForReport(evaluated),
    fixed: baseline.fixed,
    brokenInputs: input.brokenInputs,
    scannerWarnings: input.scannerWarnings ?? [],
    exceptions: { used: exceptions.used, expired: exceptions.expired, stale: exceptions.stale },
    counts: { all: allCounts, counted: countedCounts, blocking: blockingCounts },
    reasons,
    hasBaseline,
    inSourceSuppressions: inSourceMode,
    inSourceByChange: byChange ? inSourceByChange : undefined
  }
}

/**
 * The `new` the outputs, the summary, the HTML page and the evidence all give: new findings that count.
 * A new finding an exception or the scanner suppresses does not count, so it is not among them.
 */
export function newCounted(v: Pick<GateVerdict, 'counts'>): number {
  return v.counts.counted.total
}

/**
 * Per-scanner and per-category maximums, counted only when the policy sets one. Policy names are lower
 * case and their thresholds apply in any case, so a report's `Trivy` counts toward `trivy`'s maximum.
 */
function namedMaxReasons(
  limits: GatePolicy['scanners'],
  evaluated: EvaluatedFinding[],
  nameOf: (finding: Finding) => string | undefined,
  label: (name: string) => string
): string[] {
  const limited = Object.entries(limits).filter(([, t]) => t.max && Object.keys(t.max).length > 0)
  if (limited.length === 0) return []
  const counts = new Map<string, Partial<Record<Severity, number>>>()
  for (const e of evaluated) {
    const name = e.counted ? nameOf(e.finding)?.toLowerCase() : undefined
    if (!name) continue
    const c = counts.get(name) ?? {}
    c[e.finding.severity] = (c[e.finding.severity] ?? 0) + 1
    counts.set(name, c)
  }
  const reasons: string[] = []
  for (const [name, t] of limited) {
    for (const [severity, max] of Object.entries(t.max!) as [Severity, number][]) {
      const n = counts.get(name)?.[severity] ?? 0
      if (n > max) reasons.push(`${label(name)}: ${n} ${severity} findings, more than the maximum of ${max}`)
    }
  }
  return reasons
}
