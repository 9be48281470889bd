import { readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { parseGateEvidence, type ReadEvidence } from '../evidence/read.js'
import type { ArtifactRecord } from '../github/artifacts.js'
import type { WorkflowRunRecord } from '../github/workflow-runs.js'
import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import { selectFiles } from '../runtime/glob.js'
import { globMatches } from '../runtime/glob-match.js'
import type { Logger } from '../runtime/logger.js'
import { readZipMembers } from '../runtime/zip.js'
import { orderedRuns, pullRequestOf, toEvidenceRun, type EvidenceRun } from './evidence-runs.js'
import type { MetricsGitHub } from './ports.js'
import { mapPooled } from '../runtime/pool.js'

/** The gate writes evidence for 100,000 findings in about 12 MB; anything far past that is not ours. */
export const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
const IN_FLIGHT = 4

export interface BrokenEvidence {
  source: string
  message: string
}

export interface EvidenceCollection {
  runs: EvidenceRun[]
  broken: BrokenEvidence[]
  files: number
  artifacts?: { listed: number; downloaded: number; skipped: Array<{ reason: string; count: number }> }
  /** Why evidence that exists was not read (GitHub could not check its runs): the source is partial. */
  problems: string[]
}

const isTransient = (error: unknown) =>
  error instanceof BrokenInputError && /download (failed|answered 5)/.test(error.message)

const isEvidenceMember = (name: string) => name === 'evidence.json' || name.endsWith('/evidence.json')

/** Named by the error's source when it says more (the member of an artifact), by `source` otherwise. */
function broken(source: string, error: unknown): BrokenEvidence {
  if (error instanceof BrokenInputError)
    return {
      source: error.source.startsWith(source) ? error.source : source,
      message: error.message.startsWith(`${error.source}: `)
        ? error.message.slice(error.source.length + 2)
        : error.message
    }
  return { source, message: getErrorMessage(error) }
}

/** Evidence files in the workspace: the walker follows no link, and each file is size-checked before it is read. */
function readLocal(
  workspace: string,
  patterns: string[],
  inputName: string,
  into: EvidenceCollection
): StreamRead[] {
  if (patterns.length === 0) return []
  const { files, unmatched } = selectFiles(workspace, patterns, inputName)
  for (const pattern of unmatched)
    into.broken.push({ source: pattern, message: 'no evidence file matches this pattern' })
  const positive = patterns.filter(p => !p.startsWith('!'))
  const streamOf = (file: string) =>
    positive.find(p => globMatches(file, p.replace(/^\.\//, ''), { dot: true })) ?? positive[0]!
  const read: StreamRead[] = []
  for (const file of files) {
    into.files++
    try {
      const size = statSync(path.join(workspace, file)).size
      if (size > MAX_EVIDENCE_BYTES)
        throw new BrokenInputError(file, `is ${size} bytes, over the ${MAX_EVIDENCE_BYTES}-byte limit`)
      read.push({
        read: parseGateEvidence(readFileSync(path.join(workspace, file)), file),
        stream: `evidence ${streamOf(file)}`
      })
    } catch (error) {
      into.broken.push(broken(file, error))
    }
  }
  return read
}

interface StreamRead {
  read: ReadEvidence
  stream: string
  /** Downloaded as a pull request's run: never a run of the branch, whatever the document says. */
  pullRequestRun?: boolean
}

/** An artifact to download, and the pull requests it may speak for when a pull request's head uploaded it. */
interface WantedArtifact {
  artifact: ArtifactRecord
  /** Undefined for a run of the measured branch. */
  pullRequests?: readonly number[]
}

interface ArtifactPlan {
  wanted: WantedArtifact[]
  skipped: Map<string, number>
  /** What kept artifacts from being read that the report must say: the evidence is partial. */
  problems: string[]
}

const count = (skipped: Map<string, number>, reason: string, n = 1) =>
  skipped.set(reason, (skipped.get(reason) ?? 0) + n)

interface SortedArtifacts {
  /** Runs GitHub names after the measured branch, newest first: not yet known to be runs of it. */
  branchNamed: ArtifactRecord[]
  pullRuns: WantedArtifact[]
  skipped: Map<string, number>
}

/**
 * Never a fork's artifact (a pull request from a fork can upload anything under any name) nor an expired
 * one; a run of another branch only when it tested the head of a merged pull request of the period.
 */
function sortArtifacts(
  artifacts: ArtifactRecord[],
  options: { repositoryId: number; branch: string; pullRequestHeads: ReadonlyMap<string, readonly number[]> }
): SortedArtifacts {
  const sorted: SortedArtifacts = { branchNamed: [], pullRuns: [], skipped: new Map() }
  for (const a of artifacts) {
    const pullRequests = a.run && options.pullRequestHeads.get(a.run.headSha)
    if (a.expired) count(sorted.skipped, 'expired')
    else if (!a.run) count(sorted.skipped, 'no workflow run recorded')
    else if (a.run.headRepositoryId !== options.repositoryId || a.run.repositoryId !== options.repositoryId)
      count(sorted.skipped, "uploaded by a fork's pull request run (never trusted)")
    else if (a.run.branch === options.branch) sorted.branchNamed.push(a)
    else if (pullRequests) sorted.pullRuns.push({ artifact: a, pullRequests })
    else count(sorted.skipped, 'a run of another branch, not a merged pull request of the period')
  }
  return sorted
}

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
function reportRefused(
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

/**
 * Which artifacts to download: the measured branch's runs first, then the runs of pull requests whose
 * head is known (their gate verdict before merge), newest first, up to `max`. The branch's tip is read
 * before any run is checked: without it no run can be placed, and none is asked about.
 */
async function planArtifacts(
  artifacts: ArtifactRecord[],
  options: {
    repositoryId: number
    branch: string
    pullRequestHeads: ReadonlyMap<string, readonly number[]>
    max: number
  },
  checks: BranchChecks,
  logger: Logger
): Promise<ArtifactPlan> {
  const sorted = sortArtifacts(artifacts, options)
  let tipFailure: string | undefined
  if (sorted.branchNamed.length > 0)
    await checks.tip().catch((error: unknown) => {
      tipFailure = `the tip of ${options.branch} could not be read: ${getErrorMessage(error)}`
    })
  const placed: Placed =
    tipFailure === undefined
      ? await placeOnBranch(sorted.branchNamed, options, checks)
      : {
          kept: [],
          refused: sorted.branchNamed.map(artifact => ({
            artifact,
            refusal: { why: 'place-failed', error: tipFailure! }
          })),
          unasked: 0,
          unchecked: 0,
          budget: 0
        }
  const problems = reportRefused(placed, options.branch, sorted.skipped, logger)
  const ordered = [...placed.kept.map(artifact => ({ artifact })), ...sorted.pullRuns]
  const over = placed.unasked + Math.max(0, ordered.length - options.max)
  if (over > 0)
    count(
      sorted.skipped,
      `over the limit of ${options.max} downloads (raise max-artifacts, or download them and pass them as evidence)`,
      over
    )
  return { wanted: ordered.slice(0, options.max), skipped: sorted.skipped, problems }
}

/**
 * A pull request's run can run the pull request's own workflow, so its evidence says whatever that
 * workflow wrote: it is read only as the verdict on that pull request, never as a run of the measured
 * branch (where an empty file would close every open finding) nor as another pull request's verdict.
 */
function checkPullRequestClaim(read: ReadEvidence, wanted: WantedArtifact, branch: string): void {
  const { artifact: a, pullRequests } = wanted
  if (!pullRequests) return
  const ref = read.evidence.run.ref
  const claimed = pullRequestOf(ref)
  const trusted = claimed === undefined ? ref !== `refs/heads/${branch}` : pullRequests.includes(claimed)
  if (!trusted)
    throw new BrokenInputError(
      read.source,
      `says it judged ${ref}, but run ${a.run!.id} ran on ${a.run!.branch ?? 'a detached head'}, the head of ${pullRequests.map(n => `pull request #${n}`).join(', ')}: only that pull request's verdict is read from it`
    )
}

/**
 * The evidence inside an artifact must belong to the run that uploaded it: a document naming another run
 * (copied from elsewhere) is refused, and so is a branch run's document naming another commit than the
 * one its run is known to have run on (the one placed in the branch's history).
 */
function fromArtifact(wanted: WantedArtifact, zip: Buffer, branch: string): ReadEvidence[] {
  const a = wanted.artifact
  const source = `artifact ${a.name} #${a.id} (run ${a.run!.id})`
  // The gate writes one evidence file per run: all of an artifact's together stay under one file's limit.
  const members = readZipMembers(zip, isEvidenceMember, {
    maxMemberBytes: MAX_EVIDENCE_BYTES,
    maxTotalBytes: MAX_EVIDENCE_BYTES
  })
  if (members.size === 0) throw new BrokenInputError(source, 'holds no evidence.json')
  return [...members].map(([name, bytes]) => {
    const read = parseGateEvidence(bytes, `${source}: ${name}`)
    if (read.evidence.run.runId !== String(a.run!.id))
      throw new BrokenInputError(
        read.source,
        `says it was written by run ${read.evidence.run.runId ?? 'unknown'}, but run ${a.run!.id} uploaded it`
      )
    if (!wanted.pullRequests && read.evidence.run.commit !== a.run!.headSha)
      throw new BrokenInputError(
        read.source,
        `says it tested commit ${read.evidence.run.commit ?? 'unknown'}, but run ${a.run!.id} ran on ${a.run!.headSha}`
      )
    checkPullRequestClaim(read, wanted, branch)
    return read
  })
}

export interface EvidenceRequest {
  workspace: string
  patterns: string[]
  inputName: string
  branch: string
  artifact?: {
    name: string
    since: Date
    repositoryId: number
    max: number
    /** The merged pull requests of the period by their head commit. */
    pullRequestHeads: ReadonlyMap<string, readonly number[]>
  }
}

export async function collectEvidence(
  request: EvidenceRequest,
  github: MetricsGitHub | undefined,
  logger: Logger
): Promise<EvidenceCollection> {
  const collection: EvidenceCollection = { runs: [], broken: [], files: 0, problems: [] }
  const read = readLocal(request.workspace, request.patterns, request.inputName, collection)
  if (github && request.artifact) {
    const { name, since } = request.artifact
    const listed = await github.artifacts(name, since)
    const failed = (error: unknown) => ({ failed: getErrorMessage(error) })
    const checks: BranchChecks = {
      tip: () => github.branchTip(request.branch),
      readRun: id => github.workflowRun(id).catch(failed),
      place: sha =>
        github
          .commitOnBranch(request.branch, sha)
          .then(on => (on ? ('on' as const) : ('off' as const)), failed)
    }
    const plan = await planArtifacts(listed, { ...request.artifact, branch: request.branch }, checks, logger)
    collection.problems.push(...plan.problems)
    logger.info(`evidence artifacts '${name}': ${listed.length} listed, ${plan.wanted.length} to download`)
    const downloaded = await mapPooled(plan.wanted, IN_FLIGHT, async wanted => {
      const a = wanted.artifact
      try {
        // The blob URL is short-lived and its host is not GitHub's API: one more try gets a fresh URL.
        const zip = await github.downloadArtifact(a.id, MAX_ARCHIVE_BYTES).catch((error: unknown) => {
          if (!isTransient(error)) throw error
          return github.downloadArtifact(a.id, MAX_ARCHIVE_BYTES)
        })
        return fromArtifact(wanted, zip, request.branch).map(read => ({
          read,
          stream: `artifact ${a.name}`,
          pullRequestRun: wanted.pullRequests !== undefined
        }))
      } catch (error) {
        collection.broken.push(broken(`artifact ${a.name} #${a.id}`, error))
        return []
      }
    })
    read.push(...downloaded.flat())
    collection.files += plan.wanted.length
    collection.artifacts = {
      listed: listed.length,
      downloaded: plan.wanted.length,
      skipped: [...plan.skipped].map(([reason, count]) => ({ reason, count }))
    }
  }
  collection.runs = orderedRuns(
    read.map(r => {
      const run = toEvidenceRun(r.read, request.branch, r.stream)
      return r.pullRequestRun ? { ...run, onBranch: false } : run
    })
  )
  return collection
}
