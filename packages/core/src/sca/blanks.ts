/**
 * Line cuts as the dependency-file parsers the scan has to agree with make them. Each parser has its own
 * idea of a blank (Go's Unicode White_Space, RE2's ASCII `\s`, Python's `str.isspace`), so the set is
 * given. Loops, not patterns: the text is a pull request's, and a long run of blanks must not make a
 * backtracking pattern quadratic.
 */

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
