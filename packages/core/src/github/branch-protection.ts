import type { RepoRef } from './context.js'
import { httpStatusOf, type GitHubClient } from './octokit.js'
import { readIfPermitted, type Readable } from './readable.js'

/**
 * What protects a branch, from branch protection and from rulesets together (GitHub enforces both).
 * `undefined` means the token could not see it: a report says "unknown", never "off".
 */
export interface BranchProtectionFacts {
  /** Changes must come through a pull request. */
  pullRequestRequired?: boolean
  requiredApprovals?: number
  codeOwnerReview?: boolean
  dismissStaleReviews?: boolean
  lastPushApproval?: boolean
  /** The branch must be up to date with the base before merging (strict status checks). */
  upToDate?: boolean
  /** Names of the required status checks (contexts); empty when none are required. */
  requiredChecks?: string[]
  forcePushBlocked?: boolean
  deletionBlocked?: boolean
  /** The rules bind administrators too: enforce_admins, and no ruleset has bypass actors. */
  adminsBound?: boolean
  /** Who may bypass, as rulesets list them (`OrganizationAdmin always`, `Team 42 pull_request`…). */
  bypassActors: string[]
  /** Where each fact came from, and what could not be read and why. */
  sources: string[]
  unreadable: string[]
}

const ADMIN_FIX =
  "reading branch protection needs a token with 'administration: read' (GITHUB_TOKEN cannot have it)"
const RULESET_FIX = "reading rulesets needs 'metadata: read' (any token that can read the repository)"

type Classic = Awaited<ReturnType<GitHubClient['rest']['repos']['getBranchProtection']>>['data']
type Rule = Awaited<ReturnType<GitHubClient['rest']['repos']['getBranchRules']>>['data'][number]

const orTrue = (a: boolean | undefined, b: boolean | undefined) =>
  a === true || b === true ? true : a === undefined || b === undefined ? undefined : false

/** Branch protection as GitHub returns it to an admin token; 404 "Branch not protected" is no protection. */
async function classicProtection(octokit: GitHubClient, repo: RepoRef, branch: string) {
  try {
    const { data } = await octokit.rest.repos.getBranchProtection({ ...repo, branch })
    return { status: 'read' as const, value: data as Classic | null }
  } catch (error) {
    if (httpStatusOf(error) === 404 && /not protected/i.test(String((error as Error).message)))
      return { status: 'read' as const, value: null }
    return readIfPermitted(() => Promise.reject(error), ADMIN_FIX)
  }
}

/** Nothing required, nothing blocked: an unprotected branch, and where rules start from. */
const unprotected = (): Partial<BranchProtectionFacts> => ({
  pullRequestRequired: false,
  requiredApprovals: 0,
  codeOwnerReview: false,
  dismissStaleReviews: false,
  lastPushApproval: false,
  upToDate: false,
  requiredChecks: [],
  forcePushBlocked: false,
  deletionBlocked: false
})

function fromClassic(p: Classic | null): Partial<BranchProtectionFacts> {
  if (!p) return unprotected()
  const reviews = p.required_pull_request_reviews
  const checks = p.required_status_checks
  return {
    pullRequestRequired: reviews !== undefined,
    requiredApprovals: reviews?.required_approving_review_count ?? 0,
    codeOwnerReview: reviews?.require_code_owner_reviews ?? false,
    dismissStaleReviews: reviews?.dismiss_stale_reviews ?? false,
    lastPushApproval: reviews?.require_last_push_approval ?? false,
    upToDate: checks?.strict ?? false,
    requiredChecks: [
      ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map(c => c.context)])
    ],
    forcePushBlocked: !(p.allow_force_pushes?.enabled ?? false),
    deletionBlocked: !(p.allow_deletions?.enabled ?? false),
    adminsBound: p.enforce_admins?.enabled ?? false
  }
}

function fromRules(rules: Rule[]): Partial<BranchProtectionFacts> {
  const facts = unprotected()
  for (const rule of rules) {
    if (rule.type === 'deletion') facts.deletionBlocked = true
    else if (rule.type === 'non_fast_forward') facts.forcePushBlocked = true
    else if (rule.type === 'pull_request' && 'parameters' in rule && rule.parameters) {
      const p = rule.parameters
      facts.pullRequestRequired = true
      facts.requiredApprovals = Math.max(facts.requiredApprovals ?? 0, p.required_approving_review_count)
      facts.codeOwnerReview ||= p.require_code_owner_review
      facts.dismissStaleReviews ||= p.dismiss_stale_reviews_on_push
      facts.lastPushApproval ||= p.require_last_push_approval
    } else if (rule.type === 'required_status_checks' && 'parameters' in rule && rule.parameters) {
      const p = rule.parameters
      facts.upToDate ||= p.strict_required_status_checks_policy
      facts.requiredChecks = [
        ...new Set([...(facts.requiredChecks ?? []), ...p.required_status_checks.map(c => c.context)])
      ]
    }
  }
  return facts
}

/** Both sources bind at once: the stricter setting of each wins; unknown stays unknown unless the other is strict. */
function combine(
  a: Partial<BranchProtectionFacts>,
  b: Partial<BranchProtectionFacts>
): Partial<BranchProtectionFacts> {
  const max = (x?: number, y?: number) => (x === undefined || y === undefined ? (x ?? y) : Math.max(x, y))
  const union = (x?: string[], y?: string[]) =>
    x === undefined || y === undefined ? undefined : [...new Set([...x, ...y])]
  return {
    pullRequestRequired: orTrue(a.pullRequestRequired, b.pullRequestRequired),
    requiredApprovals: max(a.requiredApprovals, b.requiredApprovals),
    codeOwnerReview: orTrue(a.codeOwnerReview, b.codeOwnerReview),
    dismissStaleReviews: orTrue(a.dismissStaleReviews, b.dismissStaleReviews),
    lastPushApproval: orTrue(a.lastPushApproval, b.lastPushApproval),
    upToDate: orTrue(a.upToDate, b.upToDate),
    requiredChecks: union(a.requiredChecks, b.requiredChecks) ?? a.requiredChecks ?? b.requiredChecks,
    forcePushBlocked: orTrue(a.forcePushBlocked, b.forcePushBlocked),
    deletionBlocked: orTrue(a.deletionBlocked, b.deletionBlocked)
  }
}

/**
 * The protection of `branch`: branch protection (needs an admin-level token; otherwise the branch's
 * public summary gives the required checks) and the rulesets that apply to it with their bypass actors.
 */
export async function readBranchProtection(
  octokit: GitHubClient,
  repo: RepoRef,
  branch: string
): Promise<BranchProtectionFacts> {
  const sources: string[] = []
  const unreadable: string[] = []
  let classic: Partial<BranchProtectionFacts>
  let classicAdminsBound: boolean | undefined
  const protection = await classicProtection(octokit, repo, branch)
  if (protection.status === 'read') {
    classic = fromClassic(protection.value)
    classicAdminsBound = protection.value ? classic.adminsBound : true
    sources.push(protection.value ? 'branch protection' : 'branch protection (none)')
  } else {
    unreadable.push(`branch protection: ${protection.reason}`)
    const { data } = await octokit.rest.repos.getBranch({ ...repo, branch })
    const checks = data.protection?.required_status_checks
    // The summary anyone can read: only the required checks, and whether the branch is protected at all.
    classic = data.protected
      ? {
          requiredChecks: [
            ...new Set([...(checks?.contexts ?? []), ...(checks?.checks ?? []).map(c => c.context)])
          ]
        }
      : fromClassic(null)
    if (!data.protected) classicAdminsBound = true
    sources.push('branch summary')
  }

  const rules: Readable<Rule[]> = await readIfPermitted(
    () => octokit.paginate(octokit.rest.repos.getBranchRules, { ...repo, branch, per_page: 100 }),
    RULESET_FIX
  )
  let ruleFacts: Partial<BranchProtectionFacts> = {}
  const bypassActors: string[] = []
  let rulesetsBound: boolean | undefined = true
  if (rules.status === 'read') {
    ruleFacts = fromRules(rules.value)
    const ids = new Set(rules.value.flatMap(r => (r.ruleset_id === undefined ? [] : [r.ruleset_id])))
    sources.push(`rulesets (${ids.size})`)
    for (const id of ids) {
      const ruleset = await readIfPermitted(
        async () =>
          (await octokit.rest.repos.getRepoRuleset({ ...repo, ruleset_id: id, includes_parents: true })).data,
        RULESET_FIX
      )
      if (ruleset.status === 'unavailable' || ruleset.value.bypass_actors === undefined) {
        rulesetsBound = undefined
        unreadable.push(
          `ruleset ${id} bypass actors: ${ruleset.status === 'unavailable' ? ruleset.reason : 'not shown to this token (needs write access)'}`
        )
        continue
      }
      for (const actor of ruleset.value.bypass_actors) {
        bypassActors.push(
          `${actor.actor_type}${actor.actor_id ? ` ${actor.actor_id}` : ''} ${actor.bypass_mode ?? 'always'}`
        )
        if (rulesetsBound) rulesetsBound = false
      }
    }
  } else unreadable.push(`rulesets: ${rules.reason}`)

  const combined = combine(classic, rules.status === 'read' ? ruleFacts : {})
  const adminsBound =
    classicAdminsBound === false || rulesetsBound === false
      ? false
      : classicAdminsBound === undefined || rulesetsBound === undefined
        ? undefined
        : true
  return { ...combined, adminsBound, bypassActors, sources, unreadable }
}

/** A push that went around a ruleset: who, when, and the commit it put on the branch. */
export interface BypassRecord {
  afterSha: string
  actor: string
  pushedAt: string
}

/**
 * Pushes to `ref` in the last month that bypassed a ruleset (GitHub keeps rule insights for a month and
 * shows them to tokens with 'administration: read'); older ones, or without that permission, `unavailable`.
 */
export async function listRulesetBypasses(
  octokit: GitHubClient,
  repo: RepoRef,
  ref: string
): Promise<Readable<BypassRecord[]>> {
  return readIfPermitted(async () => {
    const suites = await octokit.paginate(octokit.rest.repos.getRepoRuleSuites, {
      ...repo,
      ref,
      time_period: 'month',
      rule_suite_result: 'bypass',
      per_page: 100
    })
    return suites
      .filter(s => s.after_sha)
      .map(s => ({ afterSha: s.after_sha!, actor: s.actor_name ?? 'unknown', pushedAt: s.pushed_at ?? '' }))
  }, "rule insights need a token with 'administration: read'")
}
