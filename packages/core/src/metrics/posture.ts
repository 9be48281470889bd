import type { BranchProtectionFacts } from '../github/branch-protection.js'

/** One requirement of a Scorecard Branch-Protection tier, as this branch meets it. */
export interface Requirement {
  tier: 1 | 2 | 3 | 4 | 5
  what: string
  /** true met, false not met, undefined: the token could not see the setting. */
  met: boolean | undefined
  /** Points it carries inside its tier (Scorecard weighs one reviewer twice). */
  weight: number
}

export interface PostureScore {
  /** 0–10 as Scorecard's Branch-Protection check computes it from the same settings. */
  score: number
  requirements: Requirement[]
  /** What to turn on, highest tier first met last: the first entries raise the score. */
  missing: string[]
  /** Settings the token could not read: Scorecard scores them as it does without an admin token. */
  unknown: string[]
  /** The pipeline's own check is among the required status checks. */
  pipelineRequired: boolean | undefined
}

/** Points a tier adds when all of it is met (tiers 1–5: 3, 3, 2, 1, 1). */
const TIER_POINTS = [3, 3, 2, 1, 1] as const

function requirements(f: BranchProtectionFacts, codeOwnersFile: boolean | undefined): Requirement[] {
  const approvals = f.requiredApprovals
  const atLeast = (n: number) => (approvals === undefined ? undefined : approvals >= n)
  const and = (a: boolean | undefined, b: boolean | undefined) =>
    a === false || b === false ? false : a === undefined || b === undefined ? undefined : true
  return [
    { tier: 1, what: 'force pushes blocked', met: f.forcePushBlocked, weight: 1 },
    { tier: 1, what: 'branch deletion blocked', met: f.deletionBlocked, weight: 1 },
    { tier: 2, what: 'at least 1 approving review required', met: atLeast(1), weight: 2 },
    { tier: 2, what: 'changes only through pull requests', met: f.pullRequestRequired, weight: 1 },
    { tier: 2, what: 'branch up to date before merging (strict status checks)', met: f.upToDate, weight: 1 },
    { tier: 2, what: 'approval of the most recent push required', met: f.lastPushApproval, weight: 1 },
    {
      tier: 3,
      what: 'at least 1 required status check',
      met: f.requiredChecks && f.requiredChecks.length > 0,
      weight: 1
    },
    { tier: 4, what: 'at least 2 approving reviews required', met: atLeast(2), weight: 1 },
    {
      tier: 4,
      what: 'code owner review required (with a CODEOWNERS file)',
      met: and(f.codeOwnerReview, codeOwnersFile),
      weight: 1
    },
    { tier: 5, what: 'stale approvals dismissed on new commits', met: f.dismissStaleReviews, weight: 1 },
    { tier: 5, what: 'rules bind administrators (no bypass)', met: f.adminsBound, weight: 1 }
  ]
}

/**
 * The branch's Scorecard Branch-Protection score: each tier's points in proportion to what it meets, and a
 * tier counts only when every tier below it is met in full. As in Scorecard, an administrator-only setting
 * the token cannot read is left out of its tier (and a tier with nothing readable gives its points), while
 * an unreadable basic setting counts as not met. The required checks must include the pipeline's own.
 */
export function scoreBranchProtection(
  facts: BranchProtectionFacts,
  options: { pipelineChecks: readonly string[]; codeOwnersFile: boolean | undefined }
): PostureScore {
  const list = requirements(facts, options.codeOwnersFile)
  // Scorecard's admin settings it leaves out when unreadable (its probes answer "not available"); an
  // unreadable "changes only through pull requests" still counts against tier 2, as in Scorecard.
  const adminOnly = new Set([
    'branch up to date before merging (strict status checks)',
    'approval of the most recent push required',
    'stale approvals dismissed on new commits',
    'rules bind administrators (no bypass)'
  ])
  let score = 0
  for (let tier = 1; tier <= 5; tier++) {
    const mine = list.filter(r => r.tier === tier && !(r.met === undefined && adminOnly.has(r.what)))
    const max = mine.reduce((n, r) => n + r.weight, 0)
    const got = mine.filter(r => r.met === true).reduce((n, r) => n + r.weight, 0)
    score += max === 0 ? TIER_POINTS[tier - 1]! : (got * TIER_POINTS[tier - 1]!) / max
    if (got < max) break
  }
  const checks = facts.requiredChecks
  const patterns = options.pipelineChecks.map(checkNamePattern)
  const pipelineRequired = checks === undefined ? undefined : checks.some(c => patterns.some(p => p.test(c)))
  const missing = list.filter(r => r.met === false).map(r => `tier ${r.tier}: ${r.what}`)
  if (pipelineRequired === false)
    missing.push(
      `required checks: the pipeline's check (${options.pipelineChecks.join(', ')}) is not required`
    )
  return {
    score: Math.floor(score),
    requirements: list,
    missing,
    unknown: list.filter(r => r.met === undefined).map(r => `tier ${r.tier}: ${r.what}`),
    pipelineRequired
  }
}

/**
 * A check name glob: `*` is any text and `?` one character. Check names are not paths: `CI / build` is one
 * name, so `*` matches the slash too.
 */
export function checkNamePattern(glob: string): RegExp {
  const source = [...glob]
    .map(ch => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('')
  return new RegExp(`^${source}$`)
}
