import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import { createHttpFetch } from '../runtime/http-fetch.js'
import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'
import { readPermitted } from './readable.js'
import { actionsReadFix } from './workflow-runs.js'

/** A workflow artifact and the run that uploaded it. */
export interface ArtifactRecord {
  id: number
  name: string
  bytes: number
  expired: boolean
  createdAt: string
  run?: {
    id: number
    branch: string | null
    headSha: string
    repositoryId: number
    /** Differs from repositoryId when a fork's pull request uploaded it. */
    headRepositoryId: number
  }
}

/**
 * Artifacts named exactly `name`, or starting with it when it ends in `*` (a matrix uploads one artifact per
 * job: `secure-pipeline-gate-api`, `-web`), created since `since`, newest first. An exact name is filtered by
 * GitHub, keeping the pages to the artifacts wanted; the list stops at the first page past `since`.
 */
export async function listArtifacts(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { name: string; since: Date }
): Promise<ArtifactRecord[]> {
  return readPermitted(
    () => readArtifacts(octokit, repo, options),
    actionsReadFix('GET /repos/{owner}/{repo}/actions/artifacts')
  )
}

async function readArtifacts(
  octokit: GitHubClient,
  repo: RepoRef,
  options: { name: string; since: Date }
): Promise<ArtifactRecord[]> {
  const found: ArtifactRecord[] = []
  const since = options.since.getTime()
  const prefix = options.name.endsWith('*') ? options.name.slice(0, -1) : undefined
  const pages = octokit.paginate.iterator(octokit.rest.actions.listArtifactsForRepo, {
    ...repo,
    ...(prefix === undefined ? { name: options.name } : {}),
    per_page: 100
  })
  for await (const { data } of pages) {
    let older = false
    for (const a of data) {
      if (a.created_at && Date.parse(a.created_at) < since) {
        older = true
        continue
      }
      if (prefix !== undefined && !a.name.startsWith(prefix)) continue
      const run = a.workflow_run
      found.push({
        id: a.id,
        name: a.name,
        bytes: a.size_in_bytes,
        expired: a.expired,
        createdAt: a.created_at ?? '',
        run:
          run?.id !== undefined &&
          run.head_sha !== undefined &&
          run.repository_id !== undefined &&
          run.head_repository_id !== undefined
            ? {
                id: run.id,
                branch: run.head_branch ?? null,
                headSha: run.head_sha,
                repositoryId: run.repository_id,
                headRepositoryId: run.head_repository_id
              }
            : undefined
      })
    }
    if (older) break
  }
  return found
}

export interface DownloadOptions {
  /** The archive is refused past this many bytes. */
  maxBytes: number
  /** Deadline for the blob download (the redirect URL itself expires after a minute). */
  timeoutMs?: number
  fetch?: typeof fetch
}

/** Only https, or http on the loopback interface (a test's blob store), may serve an archive. */
function checkedBlobUrl(location: string | undefined, artifact: number): URL {
  let url: URL
  try {
    url = new URL(location ?? '')
  } catch {
    throw new BrokenInputError(`artifact ${artifact}`, 'GitHub gave no download location')
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback))
    throw new BrokenInputError(
      `artifact ${artifact}`,
      `download location ${url.protocol}//${url.host} is not https`
    )
  return url
}

/**
 * An artifact's zip archive. GitHub answers with a redirect to a short-lived blob URL; that URL is
 * fetched here without the token (it authorizes itself), so the token never reaches the blob host
 * whatever the HTTP client does with headers on a cross-origin redirect.
 */
export async function downloadArtifact(
  octokit: GitHubClient,
  repo: RepoRef,
  artifactId: number,
  options: DownloadOptions
): Promise<Buffer> {
  const source = `artifact ${artifactId}`
  const response = await octokit.rest.actions.downloadArtifact({
    ...repo,
    artifact_id: artifactId,
    archive_format: 'zip',
    request: { redirect: 'manual' }
  })
  const url = checkedBlobUrl(response.headers.location, artifactId)
  const fetcher = options.fetch ?? createHttpFetch()
  let blob: Response
  try {
    blob = await fetcher(url, {
      signal: AbortSignal.timeout(options.timeoutMs ?? 120_000),
      redirect: 'error'
    })
  } catch (error) {
    throw new BrokenInputError(source, `download failed: ${getErrorMessage(error)}`)
  }
  if (!blob.ok || !blob.body) throw new BrokenInputError(source, `download answered ${blob.status}`)
  const declared = Number(blob.headers.get('content-length') ?? NaN)
  if (declared > options.maxBytes)
    throw new BrokenInputError(source, `is ${declared} bytes, over the ${options.maxBytes}-byte limit`)
  const chunks: Buffer[] = []
  let received = 0
  for await (const chunk of blob.body as AsyncIterable<Uint8Array>) {
    received += chunk.length
    if (received > options.maxBytes)
      throw new BrokenInputError(source, `is over the ${options.maxBytes}-byte limit`)
    chunks.push(Buffer.from(chunk))
  }
  return Buffer.concat(chunks)
}
