import { describe, expect, it } from '@jest/globals'
import type { BranchProtectionFacts } from '../github/branch-protection.js'
import { scoreBranchProtection } from './posture.js'

const NOTHING: BranchProtectionFacts = {
  pullRequestRequired: false,
  requiredApprovals: 0,
  codeOwnerReview: false,
  dismissStaleReviews: false,
  lastPushApproval: false,
  upToDate: false,
  requiredChecks: [],
  forcePushBlocked: false,
  deletionBlocked: false,
  adminsBound: false,
  bypassActors: [],
  sources: ['branch protection'],
  unreadable: []
}
const TIER_1 = { ...NOTHING, forcePushBlocked: true, deletionBlocked: true }
const TIER_2 = {
  ...TIER_1,
  requiredApprovals: 1,
  pullRequestRequired: true,
  upToDate: true,
  lastPushApproval: true
}
const TIER_3 = { ...TIER_2, requiredChecks: ['secure-pipeline / gate'] }
const TIER_4 = { ...TIER_3, requiredApprovals: 2, codeOwnerReview: true }
const ALL = { ...TIER_4, dismissStaleReviews: true, adminsBound: true }

const score = (facts: BranchProtectionFacts, codeOwnersFile = true) =>
  scoreBranchProtection(facts, { pipelineChecks: ['secure-pipeline*'], codeOwnersFile })

// Scores by hand from Scorecard's tiers (3, 6, 8, 9, 10, as its checks/evaluation/branch_protection.go adds
// them; partial credit inside the first tier not fully met, nothing above it; one reviewer weighs 2 in tier 2;
// unreadable admin settings left out).
describe('branch protection in Scorecard Branch-Protection tiers', () => {
  it.each([
    ['nothing', NOTHING, 0],
    ['force pushes blocked only', { ...NOTHING, forcePushBlocked: true }, 1],
    ['tier 1', TIER_1, 3],
    [
      'tier 1, one reviewer and pull requests required (3 of 5 in tier 2)',
      { ...TIER_1, requiredApprovals: 1, pullRequestRequired: true },
      4
    ],
    ['tier 2', TIER_2, 6],
    ['tier 3', TIER_3, 8],
    [
      'tier 3 with two reviewers but no code owners (1 of 2 in tier 4)',
      { ...TIER_3, requiredApprovals: 2 },
      8
    ],
    ['tier 4', TIER_4, 9],
    [
      'tier 4, stale reviews dismissed, admins may bypass (1 of 2 in tier 5)',
      { ...TIER_4, dismissStaleReviews: true },
      9
    ],
    ['everything', ALL, 10],
    ['a status check but no tier 2', { ...TIER_1, requiredChecks: ['ci'] }, 3]
  ])('%s', (_name, facts, expected) => {
    expect(score(facts as BranchProtectionFacts).score).toBe(expected)
  })

  it('code owner review without a CODEOWNERS file does not count', () => {
    expect(score(TIER_4, false).score).toBe(8)
  })

  it('scores what a token without admin rights sees as Scorecard does: admin-only settings left out', () => {
    const seenByRuleset: BranchProtectionFacts = {
      ...NOTHING,
      forcePushBlocked: true,
      deletionBlocked: true,
      requiredApprovals: 1,
      pullRequestRequired: true,
      upToDate: undefined,
      lastPushApproval: undefined,
      requiredChecks: ['secure-pipeline'],
      codeOwnerReview: undefined,
      dismissStaleReviews: undefined,
      adminsBound: undefined
    }
    const result = score(seenByRuleset)
    expect(result.score).toBe(8)
    // Scorecard counts an unreadable pull request requirement as not met: tier 2 is 2 of 3 points' worth.
    expect(score({ ...seenByRuleset, pullRequestRequired: undefined }).score).toBe(
      3 + Math.floor((2 / 3) * 3)
    )
    expect(result.unknown).toEqual([
      'tier 2: branch up to date before merging (strict status checks)',
      'tier 2: approval of the most recent push required',
      'tier 4: code owner review required (with a CODEOWNERS file)',
      'tier 5: stale approvals dismissed on new commits',
      'tier 5: rules bind administrators (no bypass)'
    ])
  })

  it("lists what is missing, and whether the pipeline's own check is required", () => {
    const result = score({ ...TIER_2, requiredChecks: ['lint'] })
    expect(result.pipelineRequired).toBe(false)
    expect(result.missing).toEqual([
      'tier 4: at least 2 approving reviews required',
      'tier 4: code owner review required (with a CODEOWNERS file)',
      'tier 5: stale approvals dismissed on new commits',
      'tier 5: rules bind administrators (no bypass)',
      "required checks: the pipeline's check (secure-pipeline*) is not required"
    ])
    expect(score(TIER_3).pipelineRequired).toBe(true)
  })
})
