import { SEVERITIES, type Finding, type Severity } from '../findings/finding.js'
import { describeException, type ExceptionUse } from '../policy/exceptions.js'
import { truncateText } from '../report/html-escape.js'
import { escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import type { FindingCounts } from '../findings/counts.js'
import type { OwnChecksReview } from './own-checks.js'
import type { PolicySources } from '../policy-source/resolve.js'
import { inSourceSection, ownChecksSection, policyLine } from './render-own-checks.js'
import { newCounted, type BrokenInput, type EvaluatedFinding, type GateVerdict } from './verdict.js'

const ICON: Record<Severity, string> = { critical: '🟥', high: '🟧', medium: '🟨', low: '🟦', info: '⬜' }

/** A report names its scanner itself: one long name in every row would push the findings out of the PR comment. */
const SCANNER_CHARS = 80
const scannerCell = (scanner: string) => escapeMarkdown(truncateText(scanner, SCANNER_CHARS))

/**
 * One sentence for the verdict. The reasons name scanners and categories from the policy and the
 * reports, so they pass through `escape` (markdown by default; the HTML page escapes on its own).
 */
export function verdictHeadline(v: GateVerdict, escape: (text: string) => string = escapeMarkdown): string {
  const reasons = escape(v.reasons.join('; '))
  if (v.outcome === 'fail-broken-input')
    return `⛔ **Failed: ${v.brokenInputs.length} scanner report${v.brokenInputs.length === 1 ? ' is missing, broken or reports' : 's are missing, broken or report'} a scanner error.** The findings below are incomplete.`
  if (v.outcome === 'fail-findings') return `❌ **Failed: findings exceed the policy** (${reasons}).`
  if (v.reasons.length > 0)
    return `⚠️ **Passed in warn-only mode**, but findings exceed the policy (${reasons}).`
  return '✅ **Passed**: no finding exceeds the policy.'
}

/** Reports the failure line names with their reason; the summary lists every one. */
const NAMED_BROKEN_INPUTS = 3

/**
 * The step's one failure line for broken inputs: each report with the first thing wrong with it, so the
 * log's error says why without opening the collapsed group or the summary.
 */
export function brokenInputsLine(broken: readonly BrokenInput[]): string {
  const firstReason = new Map<string, string>()
  for (const b of broken) if (!firstReason.has(b.source)) firstReason.set(b.source, b.message)
  const named = [...firstReason]
    .slice(0, NAMED_BROKEN_INPUTS)
    .map(([source, message]) => `${source}: ${truncateText(message.replace(/\s+/g, ' '), 200)}`)
  const more = firstReason.size - named.length
  return (
    `gate: ${firstReason.size} report(s) missing or broken (${named.join('; ')}` +
    `${more > 0 ? `; ${more} more in the job summary` : ''}); a broken report is never read as 0 findings: ` +
    'fix the step that writes it, then run the gate again.'
  )
}

export function whereOf(f: Finding): string {
  if (f.location) return `${f.location.path}${f.location.startLine ? `:${f.location.startLine}` : ''}`
  const pkg = f.package
    ? `${f.package.purl ?? f.package.name}${f.package.purl?.includes('@') ? '' : f.package.installedVersion ? `@${f.package.installedVersion}` : ''}`
    : ''
  return [pkg, f.image].filter(Boolean).join(' in ') || '—'
}

function fixOf(f: Finding): string {
  if (!f.package) return ''
  return f.package.fixedVersions.length > 0 ? f.package.fixedVersions.slice(0, 3).join(', ') : 'no fix'
}

export function countsTable(all: FindingCounts, counted: FindingCounts): string {
  const scanners = Object.keys(all.byScanner).sort()
  const cell = (c: number, a: number) => (c === a ? String(a) : `${c} (${a})`)
  const rows = scanners.map(s => [
    scannerCell(s),
    ...SEVERITIES.map(sev => cell(counted.byScanner[s]?.[sev] ?? 0, all.byScanner[s]?.[sev] ?? 0)),
    cell(
      SEVERITIES.reduce((n, sev) => n + (counted.byScanner[s]?.[sev] ?? 0), 0),
      SEVERITIES.reduce((n, sev) => n + (all.byScanner[s]?.[sev] ?? 0), 0)
    )
  ])
  rows.push([
    '**all**',
    ...SEVERITIES.map(sev => `**${cell(counted.bySeverity[sev], all.bySeverity[sev])}**`),
    `**${cell(counted.total, all.total)}**`
  ])
  return markdownTable(['scanner', ...SEVERITIES.map(s => `${ICON[s]} ${s}`), 'total'], rows, [
    'l',
    'r',
    'r',
    'r',
    'r',
    'r',
    'r'
  ])
}

function statusOf(e: EvaluatedFinding, v: Pick<GateVerdict, 'hasBaseline' | 'inSourceSuppressions'>): string {
  if (e.suppression?.by === 'exception') return `excepted (#${e.suppression.use.index + 1})`
  if (e.suppression?.by === 'sarif') return `suppressed (${e.suppression.kind})`
  const age = v.hasBaseline ? (e.isNew ? '**new**' : 'known') : ''
  const inSource = !e.inSource
    ? ''
    : e.inSourceByChange
      ? 'suppressed in source by this change, counted'
      : v.inSourceSuppressions === 'report'
        ? 'suppressed in source, counted'
        : ''
  return [e.blocking ? '**blocks**' : '', age, inSource].filter(Boolean).join(', ') || 'reported'
}

export function findingsTable(
  items: EvaluatedFinding[],
  v: Pick<GateVerdict, 'hasBaseline' | 'inSourceSuppressions'>,
  limit: number
): string {
  const rows = items
    .slice(0, limit)
    .map(e => [
      `${ICON[e.finding.severity]} ${e.finding.severity}`,
      statusOf(e, v),
      tableCodeSpan(truncateText(e.finding.ruleId, 80)),
      scannerCell(e.finding.scanner),
      escapeMarkdown(truncateText(whereOf(e.finding), 120)),
      escapeMarkdown(truncateText(fixOf(e.finding), 120)),
      escapeMarkdown(truncateText(e.finding.message, 160))
    ])
  return markdownTable(['severity', 'status', 'rule', 'scanner', 'where', 'fix', 'message'], rows)
}

function exceptionRows(uses: ExceptionUse[], what: (u: ExceptionUse) => string): string {
  return markdownTable(
    ['#', 'exception', 'owner', 'expires', 'reason', what === matchedCount ? 'matched' : 'note'],
    uses.map(u => [
      String(u.index + 1),
      escapeMarkdown(describeException(u.entry)),
      escapeMarkdown(u.entry.owner),
      u.entry.expires,
      escapeMarkdown(truncateText(u.entry.reason, 120)),
      what(u)
    ])
  )
}
const matchedCount = (u: ExceptionUse) => String(u.matched)

export interface RenderOptions {
  /** Rows of the findings table. */
  topFindings: number
  /** Extra sections (upload notes, overflow notes) appended in order. */
  notes: string[]
  title?: string
  /** Which policy decided; one line under the headline. */
  policy?: Pick<PolicySources, 'decidedBy' | 'deciding'>
  /** On a change event: what the pull request changes about its own checks. */
  ownChecks?: OwnChecksReview
  /** On a change event: whether the pull request changed a file. */
  changed?: (file: string) => boolean
}

/** Rows shown of a report's warnings: a hostile report must not fill the summary. */
const MAX_WARNING_ROWS = 20

function scannerWarningsSection(v: GateVerdict): string | undefined {
  const warnings = v.scannerWarnings
  if (warnings.length === 0) return undefined
  const rows = warnings
    .slice(0, MAX_WARNING_ROWS)
    .map(w => [escapeMarkdown(truncateText(w.source, 120)), escapeMarkdown(truncateText(w.message, 300))])
  const more = warnings.length - rows.length
  return `### Scanner warnings (${warnings.length})\n\nThe reports were read and counted, but their scanners say they left something out: findings there are unknown, not absent.\n\n${markdownTable(['report', 'warning'], rows)}${more > 0 ? `\n\n${more} more in the reports and the evidence file.` : ''}`
}

/**
 * Capped like the warnings: one section too big for the summary is dropped with every section after it,
 * and the findings would go with it. The verdict already fails; the evidence lists every report.
 */
function brokenInputsSection(v: GateVerdict): string | undefined {
  if (v.brokenInputs.length === 0) return undefined
  const rows = v.brokenInputs
    .slice(0, MAX_WARNING_ROWS)
    .map(b => [escapeMarkdown(truncateText(b.source, 120)), escapeMarkdown(truncateText(b.message, 300))])
  const more = v.brokenInputs.length - rows.length
  return `### Broken inputs\n\n${markdownTable(['report', 'problem'], rows)}${more > 0 ? `\n\n${more} more in the log and the evidence file.` : ''}`
}

/** The gate's report as markdown sections: the job summary and the PR comment share them. */
export function renderGateSections(v: GateVerdict, options: RenderOptions): string[] {
  const sections: string[] = [`## ${options.title ?? 'secure-pipeline gate'}`, verdictHeadline(v)]
  const mode: string[] = options.policy ? [policyLine(options.policy)] : []
  if (v.hasBaseline)
    mode.push(
      `Compared with the baseline: only **new** findings count (${newCounted(v)} new, ${v.fixed.length} fixed).`
    )
  if (v.warnOnly) mode.push('Warn-only mode: findings over the policy do not fail the run.')
  if (mode.length > 0) sections.push(mode.join(' '))
  const broken = brokenInputsSection(v)
  if (broken) sections.push(broken)
  const warnings = scannerWarningsSection(v)
  if (warnings) sections.push(warnings)
  const ownChecks = ownChecksSection(options.ownChecks, v)
  if (ownChecks) sections.push(ownChecks)
  sections.push(
    `### Findings by scanner\n\nCounted toward the verdict (all reported, when different).\n\n${countsTable(v.counts.all, v.counts.counted)}`
  )
  if (v.findings.length > 0) {
    const shown = Math.min(options.topFindings, v.findings.length)
    sections.push(
      `### Top findings (${shown} of ${v.findings.length}, new first)\n\n${findingsTable(v.findings, v, options.topFindings)}`
    )
  }
  if (v.fixed.length > 0) {
    const rows = v.fixed
      .slice(0, 20)
      .map(f => [
        `${ICON[f.severity]} ${f.severity}`,
        tableCodeSpan(truncateText(f.ruleId, 80)),
        scannerCell(f.scanner),
        escapeMarkdown(truncateText(whereOf(f), 120))
      ])
    sections.push(
      `### Fixed since the baseline (${v.fixed.length})\n\n${markdownTable(['severity', 'rule', 'scanner', 'where'], rows)}`
    )
  }
  const { used, expired, stale } = v.exceptions
  if (used.length > 0)
    sections.push(`### Exceptions used (${used.length})\n\n${exceptionRows(used, matchedCount)}`)
  if (expired.length > 0)
    sections.push(
      `### Expired exceptions (${expired.length}): no longer suppress anything\n\n${exceptionRows(expired, u => `matched ${u.matched}`)}`
    )
  if (stale.length > 0)
    sections.push(
      `### Stale exceptions (${stale.length}): matched nothing, remove them\n\n${exceptionRows(stale, () => 'stale')}`
    )
  const inSource = inSourceSection(v, options.changed)
  if (inSource) sections.push(inSource)
  const external = v.findings.filter(
    f => f.suppression?.by === 'sarif' && f.suppression.kind === 'external'
  ).length
  if (external > 0)
    sections.push(
      `${external} finding(s) were suppressed outside the code (SARIF \`external\` suppressions, e.g. a triage system); they are listed above as suppressed.`
    )
  sections.push(...options.notes)
  return sections
}
