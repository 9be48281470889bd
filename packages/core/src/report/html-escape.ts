import { showBidiControls } from '../runtime/bidi.js'

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;'
}

/** Characters the HTML parser rejects or that would corrupt the document: shown as U+FFFD. */
const INVALID_CHARACTERS =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000B\u000E-\u001F\u007F]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Escapes report text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return showBidiControls(text.replace(INVALID_CHARACTERS, '\uFFFD')).replace(
    /[&<>"']/g,
    ch => HTML_ESCAPES[ch]!
  )
}

/**
 * A report repeats a rule's help URL on each of its findings: a megabyte-long one on a thousand rows made
 * a page longer than a string can be. No help page needs more.
 */
const MAX_HREF_CHARS = 4096

/** Only absolute http(s) links become links; anything else (javascript:, data:, relative, huge) stays text. */
export function safeHref(url: string | undefined): string | undefined {
  if (!url || url.length > MAX_HREF_CHARS) return undefined
  try {
    const parsed = new URL(url)
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : undefined
  } catch {
    return undefined
  }
}

/** A link when the URL is safe, otherwise the label as plain text; the label is escaped and may wrap. */
export function linkOrText(label: string, url: string | undefined): string {
  const href = safeHref(url)
  return href
    ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer">${escapeBreakable(label)}</a>`
    : escapeBreakable(label)
}

/** Escaped text with line-break opportunities after `.`, `/`, `_`, `-` and `:` so ids and paths wrap at their joints. */
export function escapeBreakable(text: string): string {
  return escapeHtml(text).replace(/([./_:-])(?=[^\s])/g, '$1<wbr>')
}

export function truncateText(text: string, max: number): string {
  if (text.length <= max) return text
  let end = max - 1
  // A cut between the halves of a surrogate pair would keep half a character, shown as U+FFFD.
  if (/[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end--
  return `${text.slice(0, end)}…`
}
