import { BrokenInputError, ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { apiMessageOf, httpStatusOf, isRateLimitError, type GitHubClient } from './octokit.js'

/** Code scanning refuses uploads above 10 MB once gzip-compressed. */
export const MAX_SARIF_GZIP_BYTES = 10 * 1024 * 1024
/** Seconds between processing-status polls; codeql-action's schedule (upload-lib.ts). */
export const DEFAULT_POLL_DELAYS_MS = [5_000, 15_000, 35_000, 75_000, 155_000]

export interface UploadSarifOptions {
  octokit: GitHubClient
  owner: string
  repo: string
  /** The SARIF 2.1.0 log as text. */
  sarif: string
  commitSha: string
  /** refs/heads/<branch>, refs/tags/<tag>, refs/pull/<n>/merge or refs/pull/<n>/head. */
  ref: string
  /** Sets runs[].automationDetails.id where a run has none, so uploads of different scans don't close each other's alerts. */
  category?: string
  checkoutUri?: string
  toolName?: string
  logger: Logger
  /** Poll until GitHub has processed the upload (default false). */
  waitForProcessing?: boolean
  pollDelaysMs?: number[]
  sleep?: (ms: number) => Promise<void>
}

export type UploadSarifResult =
  | {
      status: 'uploaded'
      sarifId: string
      url?: string
      /** Present when waitForProcessing: 'pending' means GitHub had not finished within the polls. */
      processing?: 'complete' | 'pending'
    }
  | { status: 'unavailable'; reason: string }

type Json = Record<string, unknown>

/** Parses the log and fills in the category; a log that is not SARIF-shaped JSON is refused, not uploaded. */
export function prepareSarif(text: string, category: string | undefined, logger: Logger): string {
  let log: Json
  try {
    log = JSON.parse(text) as Json
  } catch (error) {
    throw new BrokenInputError('SARIF', `not JSON: ${getErrorMessage(error)}`)
  }
  if (!log || typeof log !== 'object' || !Array.isArray(log.runs))
    throw new BrokenInputError('SARIF', 'has no runs array')
  if (category === undefined) return text
  const id = category.endsWith('/') ? category : `${category}/`
  for (const run of log.runs as Json[]) {
    const details = run.automationDetails as Json | undefined
    if (details?.id === undefined) run.automationDetails = { ...details, id }
    else if (details.id !== id)
      logger.warning(`SARIF run keeps its own category '${String(details.id)}' (asked: '${id}')`)
  }
  return JSON.stringify(log)
}

function unavailable(error: unknown): string | undefined {
  const status = httpStatusOf(error)
  if ((status !== 403 && status !== 404) || isRateLimitError(error)) return undefined
  const message = apiMessageOf(error)
  if (/advanced security|code security|code scanning is not enabled/i.test(message)) {
    return `Code scanning is not available here (${status}: ${message}). Private repositories need GitHub Code Security / Advanced Security; the results stay in the job summary and artifact.`
  }
  return `GitHub refused the SARIF upload (${status}: ${message}). The job needs 'permissions: security-events: write' (and 'actions: read' on private repositories); fork pull requests get a read-only token.`
}

const defaultSleep = (ms: number) => new Promise<void>(resolve => setTimeout(resolve, ms))

/**
 * Uploads SARIF to code scanning (gzip, then base64). Missing GHAS or permissions degrade to
 * `unavailable` with the reason; every other failure throws.
 */
export async function uploadSarif(options: UploadSarifOptions): Promise<UploadSarifResult> {
  const { octokit, owner, repo, logger } = options
  if (!/^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i.test(options.commitSha)) {
    throw new ConfigurationError(
      `commit SHA '${options.commitSha}' for the SARIF upload is not a full commit SHA`
    )
  }
  if (!/^refs\/(heads|tags|pull)\/.+/.test(options.ref)) {
    throw new ConfigurationError(
      `ref '${options.ref}' for the SARIF upload must look like refs/heads/<branch> or refs/pull/<n>/merge`
    )
  }
  // Loaded when uploading only: zlib brings Node's streams, 5 ms of every gate's start.
  const { gzipSync } = process.getBuiltinModule('node:zlib')
  const gzipped = gzipSync(Buffer.from(prepareSarif(options.sarif, options.category, logger), 'utf8'))
  if (gzipped.length > MAX_SARIF_GZIP_BYTES) {
    throw new BrokenInputError(
      'SARIF',
      `is ${(gzipped.length / 1048576).toFixed(1)} MB gzip-compressed; code scanning accepts at most 10 MB. Reduce or split the results first.`
    )
  }
  let sarifId: string
  let url: string | undefined
  try {
    const { data } = await octokit.rest.codeScanning.uploadSarif({
      owner,
      repo,
      commit_sha: options.commitSha,
      ref: options.ref,
      sarif: gzipped.toString('base64'),
      ...(options.checkoutUri ? { checkout_uri: options.checkoutUri } : {}),
      ...(options.toolName ? { tool_name: options.toolName } : {})
    })
    if (!data.id) throw new Error('GitHub accepted the SARIF upload but returned no id')
    sarifId = data.id
    url = data.url
  } catch (error) {
    const reason = unavailable(error)
    if (!reason) throw error
    logger.warning(reason)
    return { status: 'unavailable', reason }
  }
  logger.info(`Uploaded SARIF (${gzipped.length} bytes gzip-compressed) as ${sarifId}`)
  if (!options.waitForProcessing) return { status: 'uploaded', sarifId, url }
  return { status: 'uploaded', sarifId, url, processing: await waitForProcessing(options, sarifId) }
}

async function waitForProcessing(
  options: UploadSarifOptions,
  sarifId: string
): Promise<'complete' | 'pending'> {
  const { octokit, owner, repo, logger } = options
  const sleep = options.sleep ?? defaultSleep
  for (const delay of options.pollDelaysMs ?? DEFAULT_POLL_DELAYS_MS) {
    await sleep(delay)
    const { data } = await octokit.rest.codeScanning.getSarif({ owner, repo, sarif_id: sarifId })
    if (data.processing_status === 'complete') {
      logger.info(`Code scanning processed SARIF ${sarifId}`)
      return 'complete'
    }
    if (data.processing_status === 'failed') {
      const errors = data.errors?.join('; ') || 'no reason given'
      throw new BrokenInputError('SARIF', `code scanning could not process upload ${sarifId}: ${errors}`)
    }
  }
  logger.warning(`Code scanning is still processing SARIF ${sarifId}; not waiting any longer`)
  return 'pending'
}
