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
import { checkBranchRuns, count, IN_FLIGHT, reportRefused, type BranchChecks } from './branch-runs.js'

/** The gate writes evidence for 100,000 findings in about 12 MB; anything far past that is not ours. */
export const MAX_EVIDENCE_BYTES = 64 * 1024 * 1024
const MAX_ARCHIVE_BYTES = 64 * 1024 * 1024

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
  { workspace, patterns, inputName, repository }: EvidenceRequest,
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
        read: checkRepository(parseGateEvidence(readFileSync(path.join(workspace, file)), file), repository),
        stream: `evidence ${streamOf(file)}`
      })
    } catch (error) {
      into.broken.push(broken(file, error))
    }
  }
  return read
}

/**
 * A local file written in another repository (a copy, a download from elsewhere) says nothing about this
 * one: its empty list would close this repository's findings. One that names no repository is read. An
 * artifact needs no such check: GitHub's record of the run that uploaded it places it in this repository.
 */
function checkRepository(read: ReadEvidence, repository: string | undefined): ReadEvidence {
  const named = read.evidence.run.repository
  if (repository !== undefined && named !== undefined && named.toLowerCase() !== repository.toLowerCase())
    throw new BrokenInputError(
      read.source,
      `was written in repository ${named}, not ${repository}, the one measured`
    )
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
  const placed = await checkBranchRuns(sorted.branchNamed, options, checks)
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
  /** owner/repo measured: a document naming another repository is refused. */
  repository?: string
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
  const read = readLocal(request, collection)
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
