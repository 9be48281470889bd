/**
 * JSON text from JSONC, as bun.lock is written: `//` and `/* *\/` comments and the comma before a closing
 * bracket left out. One pass without lookahead (a comma is held until the next character that counts),
 * so a pull request's text costs time linear in its length. What is left is for JSON.parse to judge.
 */
export function jsoncToJson(text: string): string {
  const out: string[] = []
  let copied = 0
  let commaHeld = false
  const leaveOut = (from: number, to: number) => {
    out.push(text.slice(copied, from))
    copied = to
  }
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (c === '/' && (text[i + 1] === '/' || text[i + 1] === '*')) {
      const end = commentEnd(text, i)
      leaveOut(i, end)
      i = end - 1
      continue
    }
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue
    if (commaHeld && c !== '}' && c !== ']') out.push(',')
    commaHeld = c === ','
    if (commaHeld) leaveOut(i, i + 1)
    else if (c === '"') for (i++; i < text.length && text[i] !== '"'; i++) if (text[i] === '\\') i++
  }
  out.push(text.slice(copied))
  if (commaHeld) out.push(',')
  return out.join('')
}

/** Where the comment at `start` ends: its line's end, or after its `*\/` (the text's end when none). */
function commentEnd(text: string, start: number): number {
  if (text[start + 1] === '/') {
    const newline = text.indexOf('\n', start)
    return newline < 0 ? text.length : newline
  }
  const close = text.indexOf('*/', start + 2)
  return close < 0 ? text.length : close + 2
}
