import { createHash } from 'node:crypto'
import { open, rm } from 'node:fs/promises'
import { BrokenInputError, CancelledError, ConfigurationError } from '../runtime/errors.js'
import { createHttpFetch } from '../runtime/http-fetch.js'
import type { Logger } from '../runtime/logger.js'
import { writeResponseFile } from '../runtime/response-file.js'
import {
  backoffDelay,
  describeNetworkError,
  parseRetryAfter,
  pause,
  RETRYABLE_STATUS
} from '../runtime/retry.js'

export { parseRetryAfter }

export interface RetryPolicy {
  /** Total tries, the first included. */
  maxAttempts: number
  baseDelayMs: number
  /** Cap on one wait, Retry-After included. */
  maxDelayMs: number
  /** Deadline for one attempt, headers and body together. */
  attemptTimeoutMs: number
  /** Deadline for the whole download, waits included. */
  totalTimeoutMs: number
  /** Refuse bodies larger than this (a scanner archive is tens of MB). */
  maxBytes: number
}

export const DEFAULT_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  attemptTimeoutMs: 300_000,
  totalTimeoutMs: 900_000,
  maxBytes: 1024 * 1024 * 1024
}

export interface DownloadOptions {
  logger: Logger
  retry?: Partial<RetryPolicy>
  /** Aborted when the run no longer needs the file: the attempt in flight stops, and no other starts. */
  cancel?: AbortSignal
}

/** Fetches `url` into `dest` (which must not exist) or throws; never leaves a partial file behind. */
export type Downloader = (url: string, dest: string, options: DownloadOptions) => Promise<void>

class RetryableError extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number
  ) {
    super(message)
  }
}

/**
 * A fetch over `httpRequest` (the runner's proxy honoured) rather than tool-cache's downloadTool:
 * downloadTool fixes its retries at 3 with 10-20 s sleeps, ignores Retry-After and has no deadline,
 * and none of that can be configured.
 */
export const fetchDownload: Downloader = async (url, dest, { logger, retry, cancel }) => {
  const policy = { ...DEFAULT_RETRY, ...retry }
  const started = Date.now()
  const cancelled = () => new CancelledError(`Download of ${url}: given up, another part of the run failed`)
  for (let attempt = 1; ; attempt++) {
    await rm(dest, { force: true })
    if (cancel?.aborted) throw cancelled()
    try {
      await downloadOnce(url, dest, policy, cancel)
      return
    } catch (error) {
      await rm(dest, { force: true })
      if (cancel?.aborted) throw cancelled()
      if (!(error instanceof RetryableError)) throw error
      const wait = Math.min(
        policy.maxDelayMs,
        error.retryAfterMs ?? backoffDelay(policy.baseDelayMs, attempt)
      )
      const outOfTime = Date.now() - started + wait > policy.totalTimeoutMs
      if (attempt >= policy.maxAttempts || outOfTime) {
        const why = outOfTime ? `the ${policy.totalTimeoutMs} ms deadline` : `${attempt} attempts`
        throw new BrokenInputError(url, `download failed after ${why}: ${error.message}`)
      }
      logger.warning(`Download of ${url} failed (${error.message}); retry ${attempt} in ${wait} ms.`)
      await pause(wait, cancel)
    }
  }
}

async function downloadOnce(
  url: string,
  dest: string,
  policy: RetryPolicy,
  cancel: AbortSignal | undefined
): Promise<void> {
  const deadline = AbortSignal.timeout(policy.attemptTimeoutMs)
  const signal = cancel ? AbortSignal.any([deadline, cancel]) : deadline
  let response: Response
  try {
    response = await createHttpFetch()(url, {
      signal,
      redirect: 'follow',
      headers: { 'user-agent': 'secure-pipeline' }
    })
  } catch (error) {
    // A proxy variable that is no URL, or credentials the proxy refuses: no retry fixes those.
    if (error instanceof ConfigurationError) throw error
    throw new RetryableError(describeNetworkError(error, policy.attemptTimeoutMs))
  }
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined)
    const status = `HTTP ${response.status} ${response.statusText}`.trim()
    if (RETRYABLE_STATUS.has(response.status)) {
      throw new RetryableError(status, parseRetryAfter(response.headers.get('retry-after')))
    }
    throw new BrokenInputError(url, `download failed: ${status} (not retried)`)
  }
  const body = await writeResponseFile(response, dest, policy.maxBytes)
  if (body.kind === 'too-large')
    throw new BrokenInputError(url, `refusing a ${body.bytes}-byte download (limit ${policy.maxBytes})`)
  if (body.kind === 'no-body') throw new RetryableError('response had no body')
  if (body.kind === 'cut')
    throw new RetryableError(
      `body interrupted after ${body.bytes} bytes: ${describeNetworkError(body.error, policy.attemptTimeoutMs)}`
    )
}

export async function sha256File(file: string): Promise<string> {
  // One reused 1 MiB buffer: a read stream's 64 KiB chunks and per-file set-up made hashing a venv's
  // thousands of files (the sast install verifies each) twice as slow.
  const hash = createHash('sha256')
  const buffer = Buffer.allocUnsafe(1 << 20)
  const handle = await open(file, 'r')
  try {
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      hash.update(buffer.subarray(0, bytesRead))
    }
  } finally {
    await handle.close()
  }
  return hash.digest('hex')
}
