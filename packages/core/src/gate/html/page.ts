import type { GateVerdict } from '../verdict.js'
import { ConfigurationError } from '../../runtime/errors.js'
import { escapeHtml, linkOrText } from '../../report/html-escape.js'
import { exceptionsHtml, findingsHtml, fixedHtml } from './findings.js'
import { bannerHtml, bannerKind, brokenInputsHtml, chartHtml, countsHtml, modeHtml } from './summary.js'
import { STYLESHEET } from '../../report/html-style.js'
import { BANNER_STYLESHEET } from './banner-style.js'

export { escapeHtml, safeHref } from '../../report/html-escape.js'
export { SEVERITY_SWATCHES, contrastRatio } from '../../report/html-style.js'
export { BANNER_SWATCHES } from './banner-style.js'

export interface GateHtmlOptions {
  title?: string
  /** Shown as given: the caller decides the format (an ISO timestamp is the usual choice). */
  generatedAt: string
  repository?: string
  commit?: string
  /** Linked only when it is an absolute http(s) URL. */
  runUrl?: string
  /** Rows of the findings table; the rest are counted in a note. Default 2000. */
  maxRows?: number
}

export const DEFAULT_HTML_MAX_ROWS = 2000

/** Scripts, fetches, frames and forms are all refused; only the inline stylesheet and data: images load. */
export const GATE_HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

function maxRowsOf(options: GateHtmlOptions): number {
  const n = options.maxRows ?? DEFAULT_HTML_MAX_ROWS
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigurationError(`maxRows must be a whole number of rows, 0 or more; got ${String(n)}.`)
  return n
}

function metaHtml(options: GateHtmlOptions): string {
  const items: [string, string][] = [['generated', escapeHtml(options.generatedAt)]]
  if (options.repository) items.push(['repository', escapeHtml(options.repository)])
  if (options.commit) items.push(['commit', `<code>${escapeHtml(options.commit)}</code>`])
  if (options.runUrl) items.push(['run', linkOrText(options.runUrl, options.runUrl)])
  return `<dl class="meta">${items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`
}

/**
 * The gate's verdict as one self-contained HTML5 page: inline CSS, no script, no external resource,
 * and a CSP that would block them anyway. Every string from a report or the policy is escaped.
 */
export function renderGateHtml(verdict: GateVerdict, options: GateHtmlOptions): string {
  const maxRows = maxRowsOf(options)
  const title = options.title ?? 'secure-pipeline gate'
  const body = [
    `<header><h1>${escapeHtml(title)}</h1>${metaHtml(options)}</header>`,
    '<main>',
    bannerHtml(verdict),
    modeHtml(verdict),
    brokenInputsHtml(verdict),
    countsHtml(verdict.counts.all, verdict.counts.counted),
    chartHtml(verdict.counts.counted),
    findingsHtml(verdict, maxRows),
    fixedHtml(verdict, maxRows),
    exceptionsHtml(verdict),
    '</main>'
  ].filter(Boolean)
  return `<!DOCTYPE html>
<html lang="en" data-outcome="${bannerKind(verdict)}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${GATE_HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(title)}: ${escapeHtml(verdict.outcome)}</title>
<style>${STYLESHEET}${BANNER_STYLESHEET}</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`
}
