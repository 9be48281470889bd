import type { Finding } from '../findings/finding.js'
import { occurrenceKey } from '../findings/fingerprint.js'

export interface BaselineComparison {
  /** Parallel to the current findings: true when the finding is not in the baseline. */
  isNew: boolean[]
  /** Baseline findings that no longer appear. */
  fixed: Finding[]
}

/**
 * Identity across runs is the fingerprint; scanners that give partialFingerprints make it line-shift
 * proof. A scanner without its own fingerprint gives the same one to every copy of a line in a file, and a
 * second copy of a known vulnerable line is new, so findings are matched place by place: the same finding
 * read from two reports (a SARIF and a JSON of one scan) is one place, not two known copies.
 */
export function compareWithBaseline(
  current: readonly Finding[],
  baseline: readonly Finding[] | undefined
): BaselineComparison {
  if (!baseline) return { isNew: current.map(() => true), fixed: [] }
  const gone = unmatched(baseline, current)
  return {
    isNew: unmatched(current, baseline),
    fixed: samePlaceOnce(baseline.filter((_, i) => gone[i]))
  }
}

/**
 * Parallel to `findings`: true when its place has no counterpart among `others`' places. A place the
 * other side has too is matched first, so a finding that stayed put is never taken by a moved copy;
 * then each place left takes one place left on the other side with its fingerprint (it moved).
 */
function unmatched(findings: readonly Finding[], others: readonly Finding[]): boolean[] {
  const keys = findings.map(occurrenceKey)
  const otherPlaces = placesByKey(others)
  const answer = new Map<string, boolean>()
  for (const key of keys) if (otherPlaces.has(key)) answer.set(key, false)
  const left = new Map<string, number>()
  const ownPlaces = new Set(keys)
  for (const [key, fingerprint] of otherPlaces)
    if (!ownPlaces.has(key)) left.set(fingerprint, (left.get(fingerprint) ?? 0) + 1)
  return findings.map((f, i) => {
    const key = keys[i]!
    let isUnmatched = answer.get(key)
    if (isUnmatched === undefined) answer.set(key, (isUnmatched = !take(left, f.fingerprint)))
    return isUnmatched
  })
}

/** Each distinct place with its fingerprint. */
function placesByKey(findings: readonly Finding[]): Map<string, string> {
  const places = new Map<string, string>()
  for (const f of findings) places.set(occurrenceKey(f), f.fingerprint)
  return places
}

/** Takes one of the fingerprint's places left, if any. */
function take(counts: Map<string, number>, fingerprint: string): boolean {
  const n = counts.get(fingerprint) ?? 0
  if (n === 0) return false
  counts.set(fingerprint, n - 1)
  return true
}

/** The same finding read from two reports (same fingerprint, same place) is one fixed finding. */
function samePlaceOnce(findings: Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter(f => {
    const key = occurrenceKey(f)
    return seen.has(key) ? false : (seen.add(key), true)
  })
}
