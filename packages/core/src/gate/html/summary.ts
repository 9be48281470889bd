import { SEVERITIES } from '../../findings/finding.js'
import type { FindingCounts } from '../../findings/counts.js'
import { verdictHeadline } from '../render.js'
import { newCounted, type GateVerdict } from '../verdict.js'
import { escapeHtml, truncateText } from '../../report/html-escape.js'
import { horizontalBarsSvg } from '../../report/html-charts.js'
import { SEVERITY_SWATCHES } from '../../report/html-style.js'
import type { BannerKind } from './banner-style.js'

const BANNER_WORD: Record<BannerKind, string> = {
  pass: 'Passed',
  'pass-warn-only': 'Passed, warn-only',
  'fail-findings': 'Failed',
  'fail-broken-input': 'Broken input'
}

/** A shape per outcome so the banner does not rely on colour: tick, warning triangle, cross, broken page. */
const BANNER_ICON: Record<BannerKind, string> = {
  pass: '<path d="M10 25l9 9 19-20" fill="none" stroke="currentColor" stroke-width="6"/>',
  'pass-warn-only':
    '<path d="M24 5L45 43H3z" fill="none" stroke="currentColor" stroke-width="4"/><path d="M24 18v13M24 35v4" stroke="currentColor" stroke-width="5"/>',
  'fail-findings': '<path d="M11 11l26 26M37 11L11 37" stroke="currentColor" stroke-width="6"/>',
  'fail-broken-input':
    '<path d="M9 4h22l8 8v14l-6 4 6 4v10H9V30l6-4-6-4z" fill="none" stroke="currentColor" stroke-width="4"/><path d="M17 18h14" stroke="currentColor" stroke-width="4"/>'
}

export function bannerKind(v: GateVerdict): BannerKind {
  return v.outcome === 'pass' && v.reasons.length > 0 ? 'pass-warn-only' : v.outcome
}

/** The markdown headline's words, without its emoji (fonts may lack them) and with bold made HTML. */
function headlineHtml(v: GateVerdict): string {
  const words = verdictHeadline(v, text => text).replace(/^[^\p{L}*]+/u, '')
  return escapeHtml(words).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')
}

export function bannerHtml(v: GateVerdict): string {
  const kind = bannerKind(v)
  return `<section class="banner banner-${kind}" role="status" aria-label="Gate verdict">
<svg width="48" height="48" viewBox="0 0 48 48" aria-hidden="true">${BANNER_ICON[kind]}</svg>
<div><div class="word">${BANNER_WORD[kind]}</div><p>${headlineHtml(v)}</p></div>
</section>`
}

export function modeHtml(v: GateVerdict): string {
  const notes: string[] = []
  if (v.hasBaseline) {
    const fresh = newCounted(v)
    notes.push(
      `Compared with the baseline: only <strong>new</strong> findings count (${fresh} new, ${v.fixed.length} fixed).`
    )
  }
  if (v.warnOnly) notes.push('Warn-only mode: findings over the policy do not fail the run.')
  return notes.length > 0 ? `<p class="note">${notes.join(' ')}</p>` : ''
}

export function brokenInputsHtml(v: GateVerdict): string {
  if (v.brokenInputs.length === 0) return ''
  const rows = v.brokenInputs
    .map(
      b =>
        `<tr><td class="mono">${escapeHtml(truncateText(b.source, 300))}</td><td>${escapeHtml(truncateText(b.message, 2000))}</td></tr>`
    )
    .join('\n')
  return `<h2 id="broken-inputs">Broken inputs (${v.brokenInputs.length})</h2>
<p>These reports are missing, unreadable or record a scanner error, so the findings below are incomplete.</p>
<table><thead><tr><th scope="col">report</th><th scope="col">problem</th></tr></thead>
<tbody>${rows}</tbody></table>`
}

export function scannerWarningsHtml(v: GateVerdict): string {
  if (v.scannerWarnings.length === 0) return ''
  const rows = v.scannerWarnings
    .slice(0, 200)
    .map(
      w =>
        `<tr><td class="mono">${escapeHtml(truncateText(w.source, 300))}</td><td>${escapeHtml(truncateText(w.message, 2000))}</td></tr>`
    )
    .join('\n')
  return `<h2 id="scanner-warnings">Scanner warnings (${v.scannerWarnings.length})</h2>
<p>These reports were read and counted, but their scanners say they left something out: findings there are unknown, not absent.</p>
<table><thead><tr><th scope="col">report</th><th scope="col">warning</th></tr></thead>
<tbody>${rows}</tbody></table>`
}

function countCell(counted: number, all: number): string {
  return counted === all ? String(all) : `${counted} <span class="muted">(${all})</span>`
}

export function countsHtml(all: FindingCounts, counted: FindingCounts): string {
  const sum = (c: FindingCounts, scanner: string) =>
    SEVERITIES.reduce((n, sev) => n + (c.byScanner[scanner]?.[sev] ?? 0), 0)
  const rows = Object.keys(all.byScanner)
    .sort()
    .map(
      s =>
        `<tr><th scope="row">${escapeHtml(s)}</th>${SEVERITIES.map(
          sev =>
            `<td class="num">${countCell(counted.byScanner[s]?.[sev] ?? 0, all.byScanner[s]?.[sev] ?? 0)}</td>`
        ).join('')}<td class="num">${countCell(sum(counted, s), sum(all, s))}</td></tr>`
    )
  rows.push(
    `<tr class="total"><th scope="row">all scanners</th>${SEVERITIES.map(
      sev => `<td class="num">${countCell(counted.bySeverity[sev], all.bySeverity[sev])}</td>`
    ).join('')}<td class="num">${countCell(counted.total, all.total)}</td></tr>`
  )
  const head = SEVERITIES.map(
    sev => `<th scope="col" class="num"><span class="badge sev-${sev}">${sev}</span></th>`
  ).join('')
  return `<h2 id="counts">Findings by scanner and severity</h2>
<p>Counted toward the verdict; all reported in brackets when different.</p>
<table><thead><tr><th scope="col">scanner</th>${head}<th scope="col" class="num">total</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`
}

/** Horizontal bars of counted findings; the numbers are text so the chart reads without colour. */
export function chartHtml(counted: FindingCounts): string {
  const summary = SEVERITIES.map(s => `${counted.bySeverity[s]} ${s}`).join(', ')
  const bars = SEVERITIES.map(sev => ({
    label: sev,
    value: counted.bySeverity[sev],
    fill: SEVERITY_SWATCHES[sev].background
  }))
  return `<h2 id="chart">Counted findings by severity</h2>
${horizontalBarsSvg(bars, { id: 'chart-title', title: `Counted findings by severity: ${summary}` })}`
}
