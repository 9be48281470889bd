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
 * proof. Fingerprints are counted, not just looked up: a scanner without its own fingerprint gives the
 * same one to every copy of a line in a file, and a second copy of a known vulnerable line is new.
 */
export function compareWithBaseline(
  current: readonly Finding[],
  baseline: readonly Finding[] | undefined
): BaselineComparison {
  if (!baseline) return { isNew: current.map(() => true), fixed: [] }
  const known = countByFingerprint(baseline)
  const stillThere = countByFingerprint(current)
  return {
    isNew: current.map(f => !take(known, f.fingerprint)),
    fixed: samePlaceOnce(baseline.filter(f => !take(stillThere, f.fingerprint)))
  }
}

function countByFingerprint(findings: readonly Finding[]): Map<string, number> {
  const counts = new Map<string, number>()
  for (const f of findings) counts.set(f.fingerprint, (counts.get(f.fingerprint) ?? 0) + 1)
  return counts
}

/** Takes one of the fingerprint's occurrences left, if any. */
function take(counts: Map<string, number>, fingerprint: string): boolean {
  const left = counts.get(fingerprint) ?? 0
  if (left === 0) return false
  counts.set(fingerprint, left - 1)
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
