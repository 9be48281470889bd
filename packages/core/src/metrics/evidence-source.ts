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

/**
 * Which artifacts to download: never a fork's (a pull request from a fork can upload anything under any
 * name) or an expired one; the measured branch's runs first, then the runs of pull requests whose head is
 * known (their gate verdict before merge), newest first, up to `max`.
 */
function planArtifacts(
  artifacts: ArtifactRecord[],
  options: {
    repositoryId: number
    branch: string
    pullRequestHeads: ReadonlyMap<string, readonly number[]>
    max: number
  }
): ArtifactPlan {
  const skipped = new Map<string, number>()
  const skip = (reason: string) => skipped.set(reason, (skipped.get(reason) ?? 0) + 1)
  const branchRuns: WantedArtifact[] = []
  const pullRuns: WantedArtifact[] = []
  for (const a of artifacts) {
    const pullRequests = a.run && options.pullRequestHeads.get(a.run.headSha)
    if (a.expired) skip('expired')
    else if (!a.run) skip('no workflow run recorded')
    else if (a.run.headRepositoryId !== options.repositoryId || a.run.repositoryId !== options.repositoryId)
      skip("uploaded by a fork's pull request run (never trusted)")
    else if (a.run.branch === options.branch) branchRuns.push({ artifact: a })
    else if (pullRequests) pullRuns.push({ artifact: a, pullRequests })
    else skip('a run of another branch, not a merged pull request of the period')
  }
  const ordered = [...branchRuns, ...pullRuns]
  for (let i = options.max; i < ordered.length; i++)
    skip(
      `over the limit of ${options.max} downloads (raise max-artifacts, or download them and pass them as evidence)`
    )
  return { wanted: ordered.slice(0, options.max), skipped }
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
    const plan = planArtifacts(listed, { ...request.artifact, branch: request.branch })
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
