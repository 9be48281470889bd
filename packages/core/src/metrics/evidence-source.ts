import { readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { parseGateEvidence, type ReadEvidence } from '../evidence/read.js'
import type { ArtifactRecord } from '../github/artifacts.js'
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

/** Where a run's commit stands against the branch; `failed` (GitHub could not say) never counts as on it. */
type Placement = 'on' | 'off' | { failed: string }

interface Placed {
  kept: ArtifactRecord[]
  refused: Array<{ artifact: ArtifactRecord; placement: Exclude<Placement, 'on'> }>
  /** Runs left over once `max` were kept: over the limit, their commits never asked about. */
  unasked: number
}

/**
 * The branch-named runs whose commit is on the branch, newest first, up to `max`. GitHub names a tag
 * push's run after the tag, so the runs of a tag called like the branch look like the branch's own, and
 * their evidence could close every open finding: only the commit's place in the branch's history tells
 * them apart. Asked in rounds of as many runs as slots are left, each commit once: a refused run takes no
 * download slot, and no more commits are asked about than could be downloaded (each is a request).
 */
async function placeOnBranch(
  runs: readonly ArtifactRecord[],
  max: number,
  place: (sha: string) => Promise<Placement>
): Promise<Placed> {
  const placements = new Map<string, Placement>()
  const placed: Placed = { kept: [], refused: [], unasked: 0 }
  let next = 0
  while (next < runs.length && placed.kept.length < max) {
    const round = runs.slice(next, next + max - placed.kept.length)
    next += round.length
    const asked = [...new Set(round.map(a => a.run!.headSha))].filter(sha => !placements.has(sha))
    const answers = await mapPooled(asked, IN_FLIGHT, place)
    asked.forEach((sha, i) => placements.set(sha, answers[i]!))
    for (const artifact of round) {
      const placement = placements.get(artifact.run!.headSha)!
      if (placement === 'on') placed.kept.push(artifact)
      else placed.refused.push({ artifact, placement })
    }
  }
  placed.unasked = runs.length - next
  return placed
}

const NOT_ON_BRANCH = 'a run named like the branch whose commit is not on it (a tag push?)'
const NOT_PLACED = 'a run named like the branch whose commit GitHub could not place on it (not read)'

/** Counted in the report, and named in the log: the run ids say where to look. */
function reportRefused(placed: Placed, branch: string, skipped: Map<string, number>, logger: Logger): void {
  const off = placed.refused.filter(r => r.placement === 'off')
  const unplaced = placed.refused.flatMap(r =>
    r.placement === 'off' ? [] : [{ ...r, why: r.placement.failed }]
  )
  const runs = (list: Placed['refused']) => [...new Set(list.map(r => r.artifact.run!.id))].join(', ')
  const notRead = `their evidence is not read as ${branch}'s`
  if (off.length > 0) {
    count(skipped, NOT_ON_BRANCH, off.length)
    logger.warning(
      `runs ${runs(off)} are named ${branch} but their commits are not on ${branch} (a tag named ${branch}?): ${notRead}`
    )
  }
  if (unplaced.length > 0) {
    count(skipped, NOT_PLACED, unplaced.length)
    logger.warning(
      `runs ${runs(unplaced)} are named ${branch} but GitHub could not say whether their commits are on it (${unplaced[0]!.why}): ${notRead}`
    )
  }
}

/**
 * Which artifacts to download: the measured branch's runs first, then the runs of pull requests whose
 * head is known (their gate verdict before merge), newest first, up to `max`.
 */
async function planArtifacts(
  artifacts: ArtifactRecord[],
  options: {
    repositoryId: number
    branch: string
    pullRequestHeads: ReadonlyMap<string, readonly number[]>
    max: number
  },
  place: (sha: string) => Promise<Placement>,
  logger: Logger
): Promise<ArtifactPlan> {
  const sorted = sortArtifacts(artifacts, options)
  const placed = await placeOnBranch(sorted.branchNamed, options.max, place)
  reportRefused(placed, options.branch, sorted.skipped, logger)
  const ordered = [...placed.kept.map(artifact => ({ artifact })), ...sorted.pullRuns]
  const over = placed.unasked + Math.max(0, ordered.length - options.max)
  if (over > 0)
    count(
      sorted.skipped,
      `over the limit of ${options.max} downloads (raise max-artifacts, or download them and pass them as evidence)`,
      over
    )
  return { wanted: ordered.slice(0, options.max), skipped: sorted.skipped }
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
 * (copied from elsewhere) is refused.
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
  const collection: EvidenceCollection = { runs: [], broken: [], files: 0 }
  const read = readLocal(request.workspace, request.patterns, request.inputName, collection)
  if (github && request.artifact) {
    const { name, since } = request.artifact
    const listed = await github.artifacts(name, since)
    const place = (sha: string): Promise<Placement> =>
      github.commitOnBranch(request.branch, sha).then(
        on => (on ? 'on' : 'off'),
        (error: unknown) => ({ failed: getErrorMessage(error) })
      )
    const plan = await planArtifacts(listed, { ...request.artifact, branch: request.branch }, place, logger)
    logger.info(`evidence artifacts '${name}': ${listed.length} listed, ${plan.wanted.length} to download`)
    const downloaded = await mapPooled(plan.wanted, IN_FLIGHT, async wanted => {
      const a = wanted.artifact
      try {
        // The blob URL is short-lived and its host is not GitHub's API: one more try gets a fresh URL.
        const zip = await github.downloadArtifact(a.id, MAX_ARCHIVE_BYTES).catch((error: unknown) => {
          if (!isTransient(error)) throw error
          return github.downloadArtifact(a.id, MAX_ARCHIVE_BYTES)
        })
        return fromArtifact(wanted, zip, request.branch).map(read => ({ read, stream: `artifact ${a.name}` }))
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
  collection.runs = orderedRuns(read.map(r => toEvidenceRun(r.read, request.branch, r.stream)))
  return collection
}
