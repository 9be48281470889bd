// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- the bundler (ncc, ts-loader) compiles from the entry and sees no ambient declaration tsconfig includes
/// <reference path="./bottleneck-light.d.ts" />
import * as core from '../runtime/workflow-commands.js'
import type { Octokit as CoreOctokit, OctokitOptions } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import { Octokit } from '@octokit/rest'
import Bottleneck from 'bottleneck/light.js'
import { ConfigurationError } from '../runtime/errors.js'
import { createHttpFetch } from '../runtime/http-fetch.js'
import type { Logger } from '../runtime/logger.js'
import { proxyFor } from '../runtime/proxy.js'

const GitHubOctokit = Octokit.plugin(attemptLog, retry, throttling)

/** The client every GitHub call in this repository goes through. */
export type GitHubClient = InstanceType<typeof GitHubOctokit>

export interface CreateOctokitOptions {
  token: string
  /** The caller's input that holds the token, so an empty one can be named; core knows no input names. */
  tokenInput?: string
  /** Defaults to GITHUB_API_URL (set by the runner, also on GHES), then https://api.github.com. */
  baseUrl?: string
  logger: Logger
  /** Attempts after the first for 5xx and network errors (default 3). */
  retries?: number
  userAgent?: string
  env?: Record<string, string | undefined>
  /**
   * Milliseconds per second of advised wait (retry-after, x-ratelimit-reset, backoff, the second between
   * two writes). 1000 in production; tests pass 1 so that "wait 60 s" takes 60 ms while the retry and
   * spacing logic stays the real one.
   */
  timeUnitMs?: number
  /** Deadline for one HTTP attempt (default 60 s); a timed-out attempt counts as a 5xx and may be retried. */
  requestTimeoutMs?: number
  /** A primary limit that resets later than this is not waited for (default 300 s). */
  maxRateLimitWaitSeconds?: number
  /** How the token is masked in logs; defaults to core.setSecret. */
  registerSecret?: (secret: string) => void
}

export const PRIMARY_RATE_LIMIT_RETRIES = 2
export const SECONDARY_RATE_LIMIT_RETRIES = 1
/** 429 is left to the throttling plugin, which reads retry-after; retrying it here as well would double the attempts. */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

export function resolveApiBaseUrl(
  explicit: string | undefined,
  env: Record<string, string | undefined>
): string {
  const raw = explicit?.trim() || env.GITHUB_API_URL?.trim() || 'https://api.github.com'
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigurationError(
      `GitHub API URL '${raw}' is not a URL; set GITHUB_API_URL like https://ghe.example.com/api/v3`
    )
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && loopback)) {
    throw new ConfigurationError(
      `GitHub API URL '${raw}' must use https so the token is never sent in clear text`
    )
  }
  return url.toString().replace(/\/+$/, '')
}

function describe(options: { method?: string; url?: string }): string {
  return `${options.method ?? 'GET'} ${options.url ?? ''}`
}

/**
 * Logs every failed attempt, so retries and their causes are visible in the job log. Registered before
 * retry and throttling, its error hook is the innermost one and sees each attempt, retried or not.
 */
function attemptLog(octokit: CoreOctokit, options: OctokitOptions) {
  const logger = (options as { attemptLogger?: Logger }).attemptLogger
  octokit.hook.error('request', (error, request) => {
    const status = (error as { status?: number }).status
    logger?.debug(`GitHub API ${describe(request)} failed with ${status ?? 'no status'}: ${error.message}`)
    // Octokit wraps whatever fetch throws as a status-500 RequestError, which the retry plugin retries;
    // a proxy refusing the credentials (runtime/http-proxy.ts) is the user's to fix, and no retry will.
    const cause = (error as { cause?: unknown }).cause
    if (cause instanceof ConfigurationError) throw cause
    throw error
  })
}

export function createOctokit(options: CreateOctokitOptions): GitHubClient {
  const token = options.token.trim()
  if (token.length === 0) {
    const where = options.tokenInput ? `Input '${options.tokenInput}' is empty` : 'The GitHub token is empty'
    throw new ConfigurationError(`${where}: pass a token, such as \${{ github.token }}.`)
  }
  ;(options.registerSecret ?? core.setSecret)(token)
  const { logger } = options
  const unit = options.timeUnitMs ?? 1000
  const maxWait = options.maxRateLimitWaitSeconds ?? 300
  const timeoutMs = options.requestTimeoutMs ?? 60_000

  const env = options.env ?? process.env
  const baseUrl = resolveApiBaseUrl(options.baseUrl, env)
  // A malformed proxy variable is the user's to fix: said once now, not after every retry of a call.
  proxyFor(new URL(baseUrl), env)
  // Over httpRequest, not Node's fetch, so GitHub calls use the runner's proxy as every other call does.
  const httpFetch = createHttpFetch(env)
  const timedFetch: typeof fetch = (input, init) => {
    const deadline = AbortSignal.timeout(timeoutMs)
    return httpFetch(input, {
      ...init,
      signal: init?.signal ? AbortSignal.any([init.signal, deadline]) : deadline
    })
  }

  return new GitHubOctokit({
    attemptLogger: logger,
    auth: token,
    baseUrl,
    userAgent: options.userAgent ?? 'secure-pipeline',
    request: { fetch: timedFetch },
    log: {
      debug: message => logger.debug(message),
      info: message => logger.debug(message),
      warn: message => logger.warning(message),
      // Octokit logs every failed request as an error, including the 404/403 callers handle and the
      // attempts that a retry fixes: an error annotation for those would be false.
      error: message => logger.debug(message)
    },
    retry: { retries: options.retries ?? 3, doNotRetry: DO_NOT_RETRY, retryAfterBaseValue: unit },
    throttle: {
      // GitHub asks for a second between writes (secondary rate limits), more before a request that
      // notifies people or searches: the plugin's groups keep that spacing; on another time scale, the
      // same spacing in its units.
      ...(unit === 1000 ? {} : spacedGroups(unit)),
      retryAfterBaseValue: unit,
      // GitHub: without retry-after, wait at least one minute after a secondary limit.
      fallbackSecondaryRateRetryAfter: 60,
      onRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const what = describe(request)
        if (retryCount >= PRIMARY_RATE_LIMIT_RETRIES) {
          logger.warning(
            `GitHub API rate limit still exhausted for ${what} after ${retryCount} retries; giving up`
          )
          return false
        }
        if (retryAfter > maxWait) {
          logger.warning(
            `GitHub API rate limit for ${what} resets in ${retryAfter} s (> ${maxWait} s); not waiting`
          )
          return false
        }
        logger.warning(`GitHub API rate limit hit for ${what}; retrying in ${retryAfter} s`)
        return true
      },
      onSecondaryRateLimit: (retryAfter, request, _octokit, retryCount) => {
        const what = describe(request)
        if (retryCount >= SECONDARY_RATE_LIMIT_RETRIES) {
          logger.warning(`GitHub API secondary rate limit hit again for ${what}; giving up`)
          return false
        }
        logger.warning(`GitHub API secondary rate limit hit for ${what}; retrying once in ${retryAfter} s`)
        return true
      }
    }
  })
}

/** The HTTP status of an Octokit RequestError, if it is one. */
export function httpStatusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status
  return typeof status === 'number' ? status : undefined
}

/** GitHub's own explanation from an error response (`message`), falling back to the error text. */
export function apiMessageOf(error: unknown): string {
  const data = (error as { response?: { data?: { message?: unknown } } } | null)?.response?.data
  if (data && typeof data.message === 'string') return data.message
  return error instanceof Error ? error.message : String(error)
}

/** Per-request option for a create that `createAtMostOnce` retries itself. */
export const NO_RETRY = { retries: 0 } as const

/**
 * A create that is not idempotent (a comment, a pull request). GitHub may have made it although the
 * answer was a 5xx or never came, and the retry plugin would then make a second one. Sent with
 * `NO_RETRY`; after a server error `find` looks for what it made, and only when nothing is there is it
 * sent again. The last attempt is looked for too: its 5xx may also have made it.
 */
export async function createAtMostOnce<T>(
  create: () => Promise<T>,
  find: () => Promise<T | undefined>,
  attempts = 3
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create()
    } catch (error) {
      const status = httpStatusOf(error)
      if (status === undefined || status < 500) throw error
      const made = await find()
      if (made !== undefined) return made
      if (attempt >= attempts) throw error
    }
  }
}

/** A 403 caused by rate limiting is not a permission problem and must not be treated as one. */
export function isRateLimitError(error: unknown): boolean {
  const message = apiMessageOf(error)
  const headers = (error as { response?: { headers?: Record<string, string> } } | null)?.response?.headers
  return /rate limit/i.test(message) || headers?.['x-ratelimit-remaining'] === '0'
}

/** The plugin's spacing (1 s between writes, 2 s between searches, 3 s before a notifying request), scaled to `unit`. */
let spaced:
  { unit: number; groups: Record<'write' | 'search' | 'notifications', Bottleneck.Group> } | undefined
function spacedGroups(unit: number): Record<'write' | 'search' | 'notifications', Bottleneck.Group> {
  // Shared by every client of the process, as the plugin shares its own groups.
  if (spaced?.unit !== unit) {
    const group = (id: string, seconds: number) =>
      new Bottleneck.Group({ id: `octokit-${id}`, maxConcurrent: 1, minTime: seconds * unit })
    spaced = {
      unit,
      groups: {
        write: group('write', 1),
        search: group('search', 2),
        notifications: group('notifications', 3)
      }
    }
  }
  return spaced.groups
}
