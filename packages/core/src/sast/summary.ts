import { SEVERITIES } from '../findings/finding.js'
import { truncateText } from '../report/html-escape.js'
import { cappedList, codeSpan, escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import { countBySeverity } from '../findings/counts.js'
import type { SastScanResult } from './scan.js'
import type { FullScanCoverage } from './coverage.js'
import { leftOutReasons, type TargetPlan } from './targets.js'

const TOP_FINDINGS = 50

/**
 * A pull request writes these lists (ignore patterns, rule file paths) and every item in them: a long list
 * or a long item must not push the counts out of the 1 MiB summary.
 */
const listed = (items: readonly string[]) =>
  cappedList(items, { max: 20, itemChars: 200, render: escapeMarkdown })

/** Job summary section: full vs diff scan, what was compared, counts by severity, top findings, problems. */
function ignoreNote(result: SastScanResult): string {
  const { ignore } = result
  const lines = [`Skipped paths: ${ignore.patterns.length} pattern(s) from ${escapeMarkdown(ignore.origin)}.`]
  const proposed = ignore.proposed
  if (proposed) {
    const change = proposed.unreadable
      ? `it cannot be read (${escapeMarkdown(proposed.unreadable)})`
      : [
          proposed.added.length > 0 ? `adds ${listed(proposed.added)}` : '',
          proposed.removed.length > 0 ? `drops ${listed(proposed.removed)}` : ''
        ]
          .filter(Boolean)
          .join('; ') || 'it reorders or reformats the patterns'
    lines.push(
      `> [!NOTE]\n> This change proposes its own \`.semgrepignore\`: ${change}. It is not applied until it is reviewed and merged.`
    )
  }
  const edited = result.editedRules ?? []
  if (edited.length > 0)
    lines.push(
      `> [!NOTE]\n> This change edits or removes ${edited.length} of the repository's own rule file(s) (${listed(edited)}). Their base branch versions ran as well: a change can add rules, but drops or weakens one only once it is reviewed and merged.`
    )
  return lines.join('\n\n')
}

/**
 * How many changed files were scanned and why the others were not: on a diff scan the files a change's
 * own ignore file (with `policy-source: head`), an `exclude` or a link leaves out are otherwise unseen.
 */
function diffScope(plan: TargetPlan | undefined, skipped: boolean): string {
  const scanned = skipped
    ? 'no changed file was left to scan, so nothing was scanned'
    : `${plan?.targets.length ?? 0} changed file(s) scanned`
  return withReasons(scanned, plan)
}

/**
 * A full scan with no result: how many files it could read, since SARIF does not say and "0 findings"
 * over 0 files is no clean result. Scans with results are not counted (the count costs a git call).
 */
function fullScope(coverage: FullScanCoverage | undefined): string {
  if (!coverage) return ''
  if (!coverage.known) return `: the number of files scanned is unknown (${escapeMarkdown(coverage.reason)})`
  const count = coverage.plan.targets.length
  return `: ${withReasons(count === 0 ? '0 files scanned' : `${count} file(s) scanned`, coverage.plan)}`
}

function withReasons(scanned: string, plan: TargetPlan | undefined): string {
  const reasons = plan ? leftOutReasons(plan) : []
  return reasons.length > 0 ? `${scanned}; ${reasons.join(', ')}` : scanned
}

export function renderSastSummary(result: SastScanResult, sarifFile: string): string {
  const counts = countBySeverity(result.findings, f => f.suppressions.length === 0)
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0)
  const parts: string[] = [`## SAST: ${result.engine.name} ${result.engine.version}`]
  if (result.mode === 'diff') {
    const scanned = diffScope(result.plan, result.skipped)
    const old =
      result.preExisting > 0
        ? ` ${result.preExisting} finding(s) already in the merge-base version of these files are not repeated.`
        : ''
    parts.push(
      `**Diff scan** (${escapeMarkdown(result.modeReason)}): ${scanned}. Only findings that are **new** since the merge-base are reported: a finding counts as old when the same rule matches the same code in the file's merge-base version (renames followed).${old} Cross-file analysis is limited to the changed files.`
    )
  } else {
    parts.push(
      `**Full scan** of the repository (${escapeMarkdown(result.modeReason)})${fullScope(result.coverage)}.`
    )
    if (result.nothingScanned) parts.push(`> [!WARNING]\n> ${escapeMarkdown(result.nothingScanned)}`)
  }
  parts.push(ignoreNote(result))
  const suppressed = result.findings.length - total
  if (suppressed > 0)
    parts.push(
      `${suppressed} finding(s) carry an in-source suppression (\`nosemgrep\`); they are in the SARIF, marked as suppressed, and not counted here. The gate decides whether they count.`
    )
  const errors = result.problems.filter(p => p.level === 'error')
  if (errors.length > 0) {
    parts.push(
      `> [!CAUTION]\n> The scan is incomplete: ${errors.length} engine error(s). The counts below are not a clean result.\n\n${errors
        .slice(0, 30)
        .map(p => `- ${escapeMarkdown(truncateText(p.message, 500))}`)
        .join('\n')}`
    )
  }
  parts.push(
    markdownTable(
      [...SEVERITIES, 'total'],
      [[...SEVERITIES.map(s => counts[s]), total]],
      SEVERITIES.map(() => 'r' as const).concat('r')
    )
  )
  const shown = result.findings.filter(f => f.suppressions.length === 0).slice(0, TOP_FINDINGS)
  if (shown.length > 0) {
    const rows = shown.map(f => [
      f.severity,
      // A rule file in the pull request names its rules: cut as the gate cuts, so the table stays in the summary.
      tableCodeSpan(truncateText(f.ruleId, 80)),
      escapeMarkdown(
        truncateText(
          `${f.location?.path ?? ''}${f.location?.startLine ? `:${f.location.startLine}` : ''}`,
          120
        )
      ),
      escapeMarkdown(truncateText(f.title ?? f.message, 200))
    ])
    parts.push(markdownTable(['severity', 'rule', 'location', 'finding'], rows))
    if (total > shown.length) parts.push(`${total - shown.length} more finding(s) in ${codeSpan(sarifFile)}.`)
  }
  const warnings = result.problems.filter(p => p.level === 'warning')
  if (warnings.length > 0) {
    parts.push(
      `<details><summary>${warnings.length} engine warning(s)</summary>\n\n${warnings
        .slice(0, 30)
        .map(p => `- ${escapeMarkdown(truncateText(p.message, 500))}`)
        .join('\n')}\n\n</details>`
    )
  }
  parts.push(`SARIF: ${codeSpan(sarifFile)}`)
  return parts.join('\n\n')
}
