import type { Finding } from '../findings/finding.js'

export interface BaselineComparison {
  /** Parallel to the current findings: true when the finding is not in the baseline. */
  isNew: boolean[]
  /** Baseline findings that no longer appear. */
  fixed: Finding[]
}

/** Identity across runs is the fingerprint; scanners that give partialFingerprints make it line-shift proof. */
export function compareWithBaseline(
  current: readonly Finding[],
  baseline: readonly Finding[] | undefined
): BaselineComparison {
  if (!baseline) return { isNew: current.map(() => true), fixed: [] }
  const before = new Set(baseline.map(f => f.fingerprint))
  const now = new Set(current.map(f => f.fingerprint))
  return {
    isNew: current.map(f => !before.has(f.fingerprint)),
    fixed: dedupe(baseline.filter(f => !now.has(f.fingerprint)))
  }
}

function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>()
  return findings.filter(f => (seen.has(f.fingerprint) ? false : (seen.add(f.fingerprint), true)))
}
