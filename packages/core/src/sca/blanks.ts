/**
 * Line cuts as the dependency-file parsers the scan has to agree with make them. Each parser has its own
 * idea of a blank (Go's Unicode White_Space, RE2's ASCII `\s`, Python's `str.isspace`), so the set is
 * given. Loops, not patterns: the text is a pull request's, and a long run of blanks must not make a
 * backtracking pattern quadratic.
 */

/** Go's `strings.TrimSpace` (Unicode White_Space): JavaScript's trim differs (U+FEFF, U+0085). */
export const GO_BLANKS = new Set([
  ...'\t\n\v\f\r \u0085\u00a0\u1680\u2028\u2029\u202f\u205f\u3000',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))
])
/** RE2's `\s`, which osv-scanner's requirements extractor's patterns use: ASCII only, and without `\v`. */
export const RE2_BLANKS = new Set([...'\t\n\f\r '])
/** Python's `str.isspace` (and `re`'s `\s`): what pip strips, and the blanks before its comments. */
export const PYTHON_BLANKS = new Set([
  ...'\t\n\v\f\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000',
  ...Array.from({ length: 11 }, (_, i) => String.fromCharCode(0x2000 + i))
])

/** `text` without the blanks at either end. */
export function trimBlanks(text: string, blanks: ReadonlySet<string>): string {
  let start = 0
  let end = text.length
  while (start < end && blanks.has(text[start]!)) start++
  while (end > start && blanks.has(text[end - 1]!)) end--
  return text.slice(start, end)
}

/**
 * `text` without what `(^|\s+)(marker).*$` removes: from the blanks before the first marker that starts
 * the text or follows a blank.
 */
export function cutAtMarker(text: string, markers: readonly string[], blanks: ReadonlySet<string>): string {
  for (let i = 0; i < text.length; i++) {
    if (i > 0 && !blanks.has(text[i - 1]!)) continue
    if (!markers.some(marker => text.startsWith(marker, i))) continue
    let start = i
    while (start > 0 && blanks.has(text[start - 1]!)) start--
    return text.slice(0, start)
  }
  return text
}
