import type { ArtifactRecord } from '../github/artifacts.js'
import type { WorkflowRunRecord } from '../github/workflow-runs.js'
import { getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { mapPooled } from '../runtime/pool.js'

/*
 * Which runs GitHub names after the measured branch are runs of it: the checks, their request budget, and
 * how the runs refused are counted and reported. evidence-source.ts downloads what these keep.
 */

/** Requests (downloads, run reads, comparisons) in flight at once. */
export const IN_FLIGHT = 4

export const count = (skipped: Map<string, number>, reason: string, n = 1) =>
  skipped.set(reason, (skipped.get(reason) ?? 0) + n)

/**
 * The events whose run executes the branch's own workflow at the commit GitHub names the run after:
 * - `push`: the workflow of the pushed commit (a tag push is named after the tag: a tag called like the
 *   branch is told apart by the commit's place in the branch's history);
 * - `schedule`: the default branch's workflow at its latest commit;
 * - `workflow_dispatch`: the workflow of the chosen ref's latest commit (a tag again, told apart the same way).
 * Not `pull_request` (the merge commit's workflow, the pull request's own: a pull request whose head is the
 * branch and whose base is another branch is named after the branch, at its tip), `pull_request_target`
 * (named after the head, run by the base), `merge_group` (a merge not yet on the branch), `workflow_run`
 * (named after the run that triggered it, whose outputs it acts on), `repository_dispatch` (named after the
 * default branch whatever its payload, sent by any token that can write, asks it to scan), nor any other
 * (release, create, deployment, issue and check events run on refs and inputs from outside the branch).
 */
export const BRANCH_EVENTS: ReadonlySet<string> = new Set(['push', 'schedule', 'workflow_dispatch'])

/**
 * Requests to check the runs named like the branch (run reads and comparisons) per download slot: a kept
 * run takes at most two (its run, its commit); the third leaves as many again for the runs refused.
 */
export const CHECKS_PER_DOWNLOAD = 3

/** Where a run's commit stands against the branch; `failed` (GitHub could not say) never counts as on it. */
type Placement = 'on' | 'off' | { failed: string }

/** What the workflow run's own record says, or why it could not be read. */
type RunRead = WorkflowRunRecord | { failed: string }

/** Why a run named like the branch is not read as one of its runs. */
type Refusal =
  | { why: 'off' }
  | { why: 'event'; event: string }
  | { why: 'mismatch'; detail: string }
  | { why: 'run-failed'; error: string }
  | { why: 'place-failed'; error: string }

/** The reads that tell a run of the branch from a run merely named after it. */
export interface BranchChecks {
  /** The branch's tip, read once before any run is placed; rejects when GitHub cannot say. */
  tip(): Promise<unknown>
  readRun(id: number): Promise<RunRead>
  place(sha: string): Promise<Placement>
}

interface Placed {
  kept: ArtifactRecord[]
  refused: Array<{ artifact: ArtifactRecord; refusal: Refusal }>
  /** Runs left over once `max` were kept: over the download limit, never checked. */
  unasked: number
  /** Runs left over when the requests to check runs ran out before `max` were kept. */
  unchecked: number
  /** The bound on those requests. */
  budget: number
}

/** Refused, or undefined when the run's own record makes it a run of the branch (its commit still to place). */
function refusalOf(artifact: ArtifactRecord, run: RunRead, branch: string): Refusal | undefined {
  if ('failed' in run) return { why: 'run-failed', error: run.failed }
  if (!BRANCH_EVENTS.has(run.event)) return { why: 'event', event: run.event }
  const listed = artifact.run!
  if (run.headSha !== listed.headSha || run.branch !== branch)
    return {
      why: 'mismatch',
      detail: `its artifact names ${listed.branch ?? 'no branch'} at ${listed.headSha}, the run ${run.branch ?? 'no branch'} at ${run.headSha}`
    }
  return undefined
}

/**
 * The branch-named runs checked. The branch's tip is read first: without it no run can be placed, and
 * none is asked about (each is refused with the reason).
 */
export async function checkBranchRuns(
  runs: readonly ArtifactRecord[],
  options: { branch: string; max: number },
  checks: BranchChecks
): Promise<Placed> {
  if (runs.length === 0) return { kept: [], refused: [], unasked: 0, unchecked: 0, budget: 0 }
  const tipFailure = await checks.tip().then(
    () => undefined,
    (error: unknown) => `the tip of ${options.branch} could not be read: ${getErrorMessage(error)}`
  )
  if (tipFailure === undefined) return placeOnBranch(runs, options, checks)
  const refusal = { why: 'place-failed' as const, error: tipFailure }
  return {
    kept: [],
    refused: runs.map(artifact => ({ artifact, refusal })),
    unasked: 0,
    unchecked: 0,
    budget: 0
  }
}

/**
 * The branch-named runs that are runs of the branch, newest first, up to `max`. GitHub names a run after
 * the branch for more than the branch's own runs: a tag push of the same name, a pull request whose head
 * is the branch (it runs the pull request's workflow, at the branch's tip). Their evidence could close
 * every open finding. So a run is read as the branch's only when its own record says a push, schedule or
 * dispatch on that commit started it (BRANCH_EVENTS), and that commit is in the branch's history.
 * Checked in rounds of as many runs as download slots are left, each run and each commit once: a refused
 * run takes no download slot, and the checks make at most `CHECKS_PER_DOWNLOAD × max` requests (besides
 * the tip's one), whatever the number of runs refused; the runs left when they run out are counted, and
 * make the source partial (a flood of refused runs must not silently hide the branch's own).
 */
async function placeOnBranch(
  runs: readonly ArtifactRecord[],
  options: { max: number; branch: string },
  checks: BranchChecks
): Promise<Placed> {
  const { max, branch } = options
  const budget = CHECKS_PER_DOWNLOAD * max
  const runReads = new Map<number, RunRead>()
  const placements = new Map<string, Placement>()
  const placed: Placed = { kept: [], refused: [], unasked: 0, unchecked: 0, budget }
  let requests = 0
  let next = 0
  while (next < runs.length && placed.kept.length < max) {
    // As many runs as slots are left, as long as reading their runs and placing their commits (at most)
    // stays within the budget: the estimate counts a comparison even for a run its event will refuse.
    const round: ArtifactRecord[] = []
    const ids = new Set<number>()
    const shas = new Set<string>()
    while (next < runs.length && round.length < max - placed.kept.length) {
      const { id, headSha } = runs[next]!.run!
      const newId = !runReads.has(id) && !ids.has(id)
      const newSha = !placements.has(headSha) && !shas.has(headSha)
      if (requests + ids.size + shas.size + Number(newId) + Number(newSha) > budget) break
      if (newId) ids.add(id)
      if (newSha) shas.add(headSha)
      round.push(runs[next++]!)
    }
    if (round.length === 0) break
    const read = await mapPooled([...ids], IN_FLIGHT, id => checks.readRun(id))
    ;[...ids].forEach((id, i) => runReads.set(id, read[i]!))
    requests += ids.size
    const refusals = round.map(a => refusalOf(a, runReads.get(a.run!.id)!, branch))
    const asked = [
      ...new Set(round.filter((_, i) => refusals[i] === undefined).map(a => a.run!.headSha))
    ].filter(sha => !placements.has(sha))
    const answers = await mapPooled(asked, IN_FLIGHT, sha => checks.place(sha))
    asked.forEach((sha, i) => placements.set(sha, answers[i]!))
    requests += asked.length
    round.forEach((artifact, i) => {
      const placement = placements.get(artifact.run!.headSha)
      const refusal: Refusal | undefined =
        refusals[i] ??
        (placement === 'on'
          ? undefined
          : placement === 'off'
            ? { why: 'off' }
            : { why: 'place-failed', error: placement!.failed })
      if (refusal) placed.refused.push({ artifact, refusal })
      else placed.kept.push(artifact)
    })
  }
  if (placed.kept.length < max) placed.unchecked = runs.length - next
  else placed.unasked = runs.length - next
  return placed
}

export const NOT_ON_BRANCH =
  'a run named like the branch whose commit is not in its history (a tag of that name, or the history rewritten since)'
export const NOT_PLACED = 'a run named like the branch whose commit GitHub could not place on it (not read)'
export const RUN_UNREAD = 'a run named like the branch whose workflow run GitHub could not read (not read)'
export const NOT_ITS_RUN = 'a run named like the branch that its workflow run names otherwise (not read)'
export const startedBy = (event: string) =>
  `a run named like the branch started by ${event}, not a push, schedule or dispatch (its workflow need not be the branch's)`
export const uncheckedOver = (budget: number) =>
  `a run named like the branch left unchecked: over the limit of ${budget} requests to check runs (${CHECKS_PER_DOWNLOAD} × max-artifacts)`

/**
 * Counted in the report, and named in the log: the run ids say where to look. A run GitHub could not
 * check is a hole in the evidence, not a verdict: it is returned as a problem for the source's status.
 */
export function reportRefused(
  placed: Placed,
  branch: string,
  skipped: Map<string, number>,
  logger: Logger
): string[] {
  const problems: string[] = []
  const of = <W extends Refusal['why']>(why: W) =>
    placed.refused.flatMap(r =>
      r.refusal.why === why ? [{ ...r, refusal: r.refusal as Extract<Refusal, { why: W }> }] : []
    )
  const runs = (list: Placed['refused']) => [...new Set(list.map(r => r.artifact.run!.id))].join(', ')
  const notRead = `their evidence is not read as ${branch}'s`
  const off = of('off')
  if (off.length > 0) {
    count(skipped, NOT_ON_BRANCH, off.length)
    logger.warning(
      `runs ${runs(off)} are named ${branch} but their commits are not in ${branch}'s history: a tag (or another branch since deleted) of that name ran them, or ${branch}'s history was rewritten since (a force-push): ${notRead}`
    )
  }
  const byEvent = of('event')
  if (byEvent.length > 0) {
    const events = [...new Set(byEvent.map(r => r.refusal.event))]
    for (const event of events)
      count(skipped, startedBy(event), byEvent.filter(r => r.refusal.event === event).length)
    logger.warning(
      `runs ${runs(byEvent)} are named ${branch} but ${events.join(', ')} started them, not a push, schedule or dispatch on ${branch}: the workflow they ran need not be ${branch}'s, and ${notRead}`
    )
  }
  const mismatched = of('mismatch')
  if (mismatched.length > 0) {
    count(skipped, NOT_ITS_RUN, mismatched.length)
    logger.warning(
      `runs ${runs(mismatched)} are named ${branch} by their artifacts but not by their own records (${mismatched[0]!.refusal.detail}): ${notRead}`
    )
  }
  const unread = of('run-failed')
  if (unread.length > 0) {
    count(skipped, RUN_UNREAD, unread.length)
    const why = `GitHub could not read their workflow runs (${unread[0]!.refusal.error})`
    logger.warning(`runs ${runs(unread)} are named ${branch} but ${why}: ${notRead}`)
    problems.push(`${unread.length} artifact(s) of runs named ${branch} not read: ${why}`)
  }
  const unplaced = of('place-failed')
  if (unplaced.length > 0) {
    count(skipped, NOT_PLACED, unplaced.length)
    const why = `GitHub could not say whether their commits are on it (${unplaced[0]!.refusal.error})`
    logger.warning(`runs ${runs(unplaced)} are named ${branch} but ${why}: ${notRead}`)
    problems.push(`${unplaced.length} artifact(s) of runs named ${branch} not read: ${why}`)
  }
  if (placed.unchecked > 0) {
    count(skipped, uncheckedOver(placed.budget), placed.unchecked)
    const why = `the limit of ${placed.budget} requests to check runs named ${branch} was reached (refused runs spend it too; raise max-artifacts)`
    logger.warning(`${placed.unchecked} artifact(s) of runs named ${branch} were not checked: ${why}`)
    problems.push(`${placed.unchecked} artifact(s) of runs named ${branch} not read: ${why}`)
  }
  return problems
}
