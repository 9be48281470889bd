import { ConfigurationError } from '../runtime/errors.js'

/** GitHub refuses issue comments longer than this many characters. */
export const MAX_COMMENT_LENGTH = 65_536

export function commentMarker(marker: string): string {
  if (!/^[A-Za-z0-9._-]{1,64}$/.test(marker)) {
    throw new ConfigurationError(`Comment marker '${marker}' may only hold letters, digits, '.', '_' and '-'`)
  }
  return `<!-- secure-pipeline:${marker} -->`
}

/**
 * What is still open at the end of `text`: a code fence (its exact opening, since only the same
 * character, at least as long, closes it) and `<details>` blocks outside fences. Left open, a
 * `<details>` folds the truncation note into a collapsed block nobody opens.
 */
function openBlocks(text: string): { fence?: string; details: number } {
  let fence: string | undefined
  let details = 0
  for (const line of text.split('\n')) {
    const [, run = '', info = ''] = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line) ?? []
    if (fence) {
      if (run[0] === fence[0] && run.length >= fence.length && !info.trim()) fence = undefined
    } else if (run && !(run[0] === '`' && info.includes('`'))) {
      fence = run
    } else {
      details += (line.match(/<details[\s>]/gi) ?? []).length
      details -= (line.match(/<\/details\s*>/gi) ?? []).length
    }
  }
  return { fence, details: Math.max(0, details) }
}

/** What closes the blocks `kept` leaves open, innermost (the fence) first. */
function closing(kept: string): string {
  const open = openBlocks(kept)
  return (open.fence ? `\n${open.fence}` : '') + '\n\n</details>'.repeat(open.details)
}

/**
 * The first `room` characters of `body`, cut at a line break when one is in the second half: a cut
 * mid-line can split an HTML tag, an entity or a table row. Never splits a surrogate pair.
 */
function cut(body: string, room: number): string {
  let keep = room
  const code = body.charCodeAt(keep - 1)
  if (code >= 0xd800 && code <= 0xdbff) keep -= 1
  const lineBreak = body.lastIndexOf('\n', keep - 1)
  return body.slice(0, lineBreak > keep / 2 ? lineBreak : keep)
}

/**
 * Marker line + body, cut to GitHub's limit. The cut closes a code fence and `<details>` blocks left
 * open, so the truncated comment still renders and the note shows.
 */
export function composeCommentBody(
  marker: string,
  body: string,
  note = 'see the job summary for the full report'
): { text: string; truncated: boolean } {
  const head = `${commentMarker(marker)}\n`
  const full = head + body
  if (full.length <= MAX_COMMENT_LENGTH) return { text: full, truncated: false }
  const tail = (omitted: number) =>
    `\n\n---\n_Truncated: ${omitted.toLocaleString('en-US')} characters omitted; ${note}._`
  // Room for the tail with the largest omitted count it could show; the closings are paid for below.
  const room = MAX_COMMENT_LENGTH - head.length - tail(body.length).length
  for (let keep = room; ;) {
    if (keep < 0) throw new ConfigurationError('The truncation note is longer than a whole GitHub comment')
    const kept = cut(body, keep)
    const text = kept + closing(kept)
    if (text.length <= room) return { text: head + text + tail(body.length - kept.length), truncated: true }
    keep -= text.length - room
  }
}
