import type { GateVerdict } from '../verdict.js'
import { ConfigurationError } from '../../runtime/errors.js'
import { htmlDocument, REPORT_HTML_CSP } from '../../report/html-page.js'
import { exceptionsHtml, findingsHtml, fixedHtml } from './findings.js'
import {
  bannerHtml,
  bannerKind,
  brokenInputsHtml,
  chartHtml,
  countsHtml,
  modeHtml,
  scannerWarningsHtml
} from './summary.js'
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

export const GATE_HTML_CSP = REPORT_HTML_CSP

function maxRowsOf(options: GateHtmlOptions): number {
  const n = options.maxRows ?? DEFAULT_HTML_MAX_ROWS
  if (!Number.isInteger(n) || n < 0)
    throw new ConfigurationError(`maxRows must be a whole number of rows, 0 or more; got ${String(n)}.`)
  return n
}

/**
 * The gate's verdict as one self-contained HTML5 page: inline CSS, no script, no external resource,
 * and a CSP that would block them anyway. Every string from a report or the policy is escaped.
 */
export function renderGateHtml(verdict: GateVerdict, options: GateHtmlOptions): string {
  const maxRows = maxRowsOf(options)
  const title = options.title ?? 'secure-pipeline gate'
  return htmlDocument({
    title: `${title}: ${verdict.outcome}`,
    heading: title,
    meta: options,
    data: { outcome: bannerKind(verdict) },
    style: BANNER_STYLESHEET,
    sections: [
      bannerHtml(verdict),
      modeHtml(verdict),
      brokenInputsHtml(verdict),
      scannerWarningsHtml(verdict),
      countsHtml(verdict.counts.all, verdict.counts.counted),
      chartHtml(verdict.counts.counted),
      findingsHtml(verdict, maxRows),
      fixedHtml(verdict, maxRows),
      exceptionsHtml(verdict)
    ]
  })
}
