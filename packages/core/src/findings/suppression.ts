import type { Finding, Suppression } from './finding.js'

const NONE: readonly Suppression[] = Object.freeze([])

/**
 * The suppressions that take a finding out of the count. SARIF §3.27.23 (and the SARIF SDK's IsSuppressed):
 * a result is suppressed only when none of its suppressions is under review or rejected, so one accepted
 * entry (an `external` triage, say) never outweighs another a reviewer rejected. None apply then.
 */
export function appliedSuppressions(finding: Pick<Finding, 'suppressions'>): readonly Suppression[] {
  const all = finding.suppressions
  if (all.length === 0) return NONE
  for (const s of all) if (s.status === 'rejected' || s.status === 'underReview') return NONE
  return all
}
