import type { Finding } from '../../findings/finding.js'
import { whereOf } from '../render.js'
import type { EvaluatedFinding, GateVerdict } from '../verdict.js'
import { describeException, type ExceptionUse } from '../../policy/exceptions.js'
import { escapeBreakable, escapeHtml, linkOrText, truncateText } from '../../report/html-escape.js'

const badge = (kind: string, label: string) => `<span class="badge st-${kind}">${escapeHtml(label)}</span>`

/** A report names its scanner itself, and the name is on every row: a long one made the page too long to build. */
const scannerCell = (f: Finding) => `<td>${escapeHtml(truncateText(f.scanner, 80))}</td>`

const severityCell = (f: Finding) => `<td><span class="badge sev-${f.severity}">${f.severity}</span></td>`

function statusBadges(e: EvaluatedFinding, hasBaseline: boolean): string {
  if (e.suppression?.by === 'exception') return badge('excepted', `excepted #${e.suppression.use.index + 1}`)
  if (e.suppression?.by === 'sarif') return badge('suppressed', `suppressed (${e.suppression.kind})`)
  const badges: string[] = []
  if (e.blocking) badges.push(badge('blocking', 'blocking'))
  if (hasBaseline) badges.push(e.isNew ? badge('new', 'new') : badge('known', 'known'))
  if (e.inSourceByChange) badges.push(badge('new', 'suppressed in source by this change, counted'))
  return badges.join(' ') || badge('reported', 'reported')
}

/** Fixed versions in full (the markdown table trims to three); empty for findings without a package. */
function fixText(f: Finding): string {
  if (!f.package) return ''
  return f.package.fixedVersions.length > 0 ? f.package.fixedVersions.join(', ') : 'no fix known'
}

function ruleCell(f: Finding): string {
  const aliases =
    f.aliases.length > 0
      ? `<br><span class="muted">${escapeHtml(truncateText(f.aliases.join(', '), 200))}</span>`
      : ''
  return `<td class="mono">${linkOrText(truncateText(f.ruleId, 200), f.helpUri)}${aliases}</td>`
}

function findingRow(e: EvaluatedFinding, hasBaseline: boolean): string {
  const f = e.finding
  return `<tr>${severityCell(f)}<td>${statusBadges(e, hasBaseline)}</td>${ruleCell(f)}${scannerCell(f)}<td class="mono">${escapeBreakable(truncateText(whereOf(f), 300))}</td><td>${escapeHtml(truncateText(fixText(f), 200))}</td><td>${escapeHtml(truncateText(f.message, 1000))}</td></tr>`
}

const FINDING_COLUMNS = ['severity', 'status', 'rule', 'scanner', 'where', 'fix', 'message']

export function findingsHtml(v: GateVerdict, maxRows: number): string {
  if (v.findings.length === 0) return '<h2 id="findings">Findings</h2>\n<p>No scanner reported a finding.</p>'
  const shown = v.findings.slice(0, maxRows)
  const leftOut = v.findings.length - shown.length
  const cols = FINDING_COLUMNS.map(c => `<col class="c-${c === 'severity' ? 'sev' : c}">`).join('')
  const head = FINDING_COLUMNS.map(c => `<th scope="col">${c}</th>`).join('')
  const note =
    leftOut > 0
      ? `<p class="note"><strong>${leftOut} more finding${leftOut === 1 ? ' is' : 's are'} not shown</strong> (this page lists the first ${shown.length} of ${v.findings.length}); the SARIF and JSON reports hold all of them.</p>`
      : ''
  return `<h2 id="findings">Findings (${shown.length} of ${v.findings.length}, new and blocking first)</h2>
${note}<details open><summary>Show or hide the findings table</summary>
<table class="findings"><colgroup>${cols}</colgroup><thead><tr>${head}</tr></thead>
<tbody>
${shown.map(e => findingRow(e, v.hasBaseline)).join('\n')}
</tbody></table></details>${leftOut > 0 ? `\n${note}` : ''}`
}

export function fixedHtml(v: GateVerdict, maxRows: number): string {
  if (!v.hasBaseline) return ''
  if (v.fixed.length === 0)
    return '<h2 id="fixed">Fixed since the baseline</h2>\n<p>Nothing in the baseline was fixed.</p>'
  const shown = v.fixed.slice(0, maxRows)
  const rows = shown
    .map(
      f =>
        `<tr>${severityCell(f)}${ruleCell(f)}${scannerCell(f)}<td class="mono">${escapeBreakable(truncateText(whereOf(f), 300))}</td></tr>`
    )
    .join('\n')
  const more =
    v.fixed.length > shown.length
      ? `<p class="note">${v.fixed.length - shown.length} more not shown.</p>`
      : ''
  return `<h2 id="fixed">Fixed since the baseline (${v.fixed.length})</h2>
<table><thead><tr><th scope="col">severity</th><th scope="col">rule</th><th scope="col">scanner</th><th scope="col">where</th></tr></thead>
<tbody>${rows}</tbody></table>${more}`
}

function exceptionTable(uses: ExceptionUse[], lastColumn: string, last: (u: ExceptionUse) => string): string {
  const rows = uses
    .map(
      u =>
        `<tr><td class="num">${u.index + 1}</td><td class="mono">${escapeHtml(truncateText(describeException(u.entry), 300))}</td><td>${escapeHtml(truncateText(u.entry.owner, 120))}</td><td>${escapeHtml(u.entry.expires)}</td><td>${escapeHtml(truncateText(u.entry.reason, 600))}</td><td>${escapeHtml(last(u))}</td></tr>`
    )
    .join('\n')
  const head = ['#', 'exception', 'owner', 'expires', 'reason', lastColumn]
    .map(c => `<th scope="col">${c}</th>`)
    .join('')
  return `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`
}

export function exceptionsHtml(v: GateVerdict): string {
  const { used, expired, stale } = v.exceptions
  const parts: string[] = []
  if (used.length > 0)
    parts.push(
      `<h2 id="exceptions-used">Exceptions used (${used.length})</h2>\n${exceptionTable(used, 'matched', u => String(u.matched))}`
    )
  if (expired.length > 0)
    parts.push(
      `<h2 id="exceptions-expired">Expired exceptions (${expired.length}): no longer suppress anything</h2>\n${exceptionTable(expired, 'still matches', u => String(u.matched))}`
    )
  if (stale.length > 0)
    parts.push(
      `<h2 id="exceptions-stale">Stale exceptions (${stale.length}): matched nothing, remove them</h2>\n${exceptionTable(stale, 'note', () => 'stale')}`
    )
  return parts.join('\n')
}
