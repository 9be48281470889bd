import { sha256Hex } from '../sha256.js'

/** Longest rule id, title, tool name or category kept whole; no real one comes near it. */
export const MAX_SHARED_TEXT = 1024
const KEPT_OF_CUT = 960

/**
 * A text written once in a report but copied onto every finding that refers to it (a rule's id and title,
 * the tool's name, the run's category), cut to MAX_SHARED_TEXT: 150 KB shared by 100,000 results would
 * otherwise be 15 GB of evidence rows. The cut is marked, with its length and digest, so that two long
 * texts differing only past the cut stay two rules (and two fingerprints).
 */
export function boundedText(text: string): string
export function boundedText(text: string | undefined): string | undefined
export function boundedText(text: string | undefined): string | undefined {
  if (text === undefined || text.length <= MAX_SHARED_TEXT) return text
  // A cut between the halves of a surrogate pair would keep half a character.
  const end = /[\uD800-\uDBFF]/.test(text.charAt(KEPT_OF_CUT - 1)) ? KEPT_OF_CUT - 1 : KEPT_OF_CUT
  return `${text.slice(0, end)}…[cut: ${text.length} characters, sha256 ${sha256Hex(text).slice(0, 16)}]`
}
