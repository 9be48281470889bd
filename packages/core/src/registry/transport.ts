import type { HttpInit, HttpResponse } from '../runtime/http.js'
import type { Logger } from '../runtime/logger.js'
import { backoffDelay, describeNetworkError, parseRetryAfter, RETRYABLE_STATUS } from '../runtime/retry.js'
import { CancelledError, ConfigurationError } from '../runtime/errors.js'
import { isLoopbackName, isSafeUrl } from '../runtime/loopback.js'
import { RegistryError } from './errors.js'

export interface RetryPolicy {
  /** Total tries of one request, the first included. */
  maxAttempts: number
  baseDelayMs: number
  /** Cap on one wait, Retry-After included. */
  maxDelayMs: number
  /** Deadline for one attempt, headers and body together. */
  attemptTimeoutMs: number
}

export const REGISTRY_RETRY: RetryPolicy = {
  maxAttempts: 4,
  baseDelayMs: 1_000,
  maxDelayMs: 30_000,
  attemptTimeoutMs: 300_000
}

/** What the transport takes from outside, so tests can count waits instead of waiting. */
export interface TransportDeps {
  /** One exchange, redirects not followed: `httpRequest` on runners. */
  fetch: (url: URL, init: HttpInit) => Promise<HttpResponse>
  /** Waits between attempts; ends early when `signal` (the run's cancellation) aborts. */
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>
  logger?: Logger
  retry: RetryPolicy
  /** Aborted when the run no longer needs the answer: the attempt in flight stops, and no other starts. */
  cancel?: AbortSignal
}

/** One attempt's signal: its own deadline, and the run's cancellation when there is one. */
export function attemptSignal(deps: TransportDeps): AbortSignal {
  const deadline = AbortSignal.timeout(deps.retry.attemptTimeoutMs)
  return deps.cancel ? AbortSignal.any([deadline, deps.cancel]) : deadline
}

function throwIfCancelled(deps: TransportDeps, what: string): void {
  if (deps.cancel?.aborted) throw new CancelledError(`${what}: given up, another part of the run failed`)
}

/** A failure worth another attempt: a 429 or 5xx, a reset connection, a body cut short. */
export class Retryable extends Error {
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly status?: number
  ) {
    super(message)
  }
}

/**
 * An answer refused for what it is (a redirect to plain http, one redirect too many, a body over its
 * limit): not worth another attempt, but the registry's fault, so another mirror may still answer.
 */
export class Refused extends Error {}

/**
 * Runs `attempt` until it succeeds, retrying a `Retryable` with exponential backoff (or the server's
 * Retry-After, capped) up to the policy's attempts; then fails as `unavailable`.
 */
export async function withRetries<T>(
  reference: string,
  what: string,
  deps: TransportDeps,
  attempt: () => Promise<T>
): Promise<T> {
  const { retry } = deps
  for (let n = 1; ; n++) {
    throwIfCancelled(deps, what)
    try {
      return await attempt()
    } catch (error) {
      // An aborted attempt fails however the abort surfaced (a reset, a body cut short): never retried.
      throwIfCancelled(deps, what)
      if (error instanceof Refused)
        throw new RegistryError(reference, 'invalid', `${what}: ${error.message}.`)
      if (!(error instanceof Retryable)) throw error
      if (n >= retry.maxAttempts)
        throw new RegistryError(
          reference,
          'unavailable',
          `${what} failed after ${n} attempts: ${error.message}`,
          error.status
        )
      const wait = Math.min(retry.maxDelayMs, error.retryAfterMs ?? backoffDelay(retry.baseDelayMs, n))
      deps.logger?.warning(`${what}: ${error.message}; retry ${n} of ${retry.maxAttempts - 1} in ${wait} ms.`)
      await deps.sleep(wait, deps.cancel)
    }
  }
}

const MAX_REDIRECTS = 5

/**
 * One HTTP exchange with redirects followed by hand: a redirect may lead to blob storage on another
 * host, which must never see the registry's Authorization header nor a request body, and never to
 * plain http off the loopback interface. A network failure or a retryable status becomes `Retryable`; other answers,
 * errors included, are returned for the caller to judge.
 */
export async function exchange(
  url: string,
  init: { method: 'GET' | 'HEAD' | 'POST'; headers: Record<string, string>; body?: string },
  deps: TransportDeps,
  signal: AbortSignal
): Promise<HttpResponse> {
  const first = new URL(url)
  let current = first
  let headers = init.headers
  for (let hop = 0; ; hop++) {
    let response: HttpResponse
    try {
      response = await deps.fetch(current, { ...init, headers, signal })
    } catch (error) {
      // A proxy variable that is no URL, or credentials the proxy refuses: no retry or mirror fixes those.
      if (error instanceof ConfigurationError) throw error
      throw new Retryable(`${current.host}: ${describeNetworkError(error, deps.retry.attemptTimeoutMs)}`)
    }
    const location = response.headers.get('location')
    if (response.status >= 300 && response.status < 400 && location) {
      await discard(response)
      if (hop >= MAX_REDIRECTS) throw new Refused(`more than ${MAX_REDIRECTS} redirects from ${url}`)
      const next = URL.parse(location, current.href)
      if (!next)
        throw new Refused(`${current.host} redirects to ${JSON.stringify(location)}, which is no URL`)
      if (!mayLeadTo(current, next))
        throw new Refused(`refusing a redirect from ${current.host} to ${next.protocol}//${next.host}`)
      if (next.origin !== current.origin) {
        // A POST's body is the token request itself (a refresh token): it goes to no host but the one asked.
        if (init.body !== undefined)
          throw new Refused(`refusing to send a ${init.method} from ${current.host} on to ${next.host}`)
        headers = withoutAuthorization(headers)
      }
      current = next
      continue
    }
    // A challenge belongs to the host that was asked: answered here, the registry's credentials would go
    // to whatever token endpoint the storage it redirected to names.
    if (response.status === 401 && current.origin !== first.origin) {
      await discard(response)
      throw new Refused(
        `${current.host}, where ${first.host} redirected, answered HTTP 401; its challenge is not answered with the credentials for ${first.host}`
      )
    }
    if (RETRYABLE_STATUS.has(response.status)) {
      await discard(response)
      throw new Retryable(
        `HTTP ${response.status} from ${current.host}`,
        parseRetryAfter(response.headers.get('retry-after')),
        response.status
      )
    }
    return response
  }
}

/**
 * Where an answer from `from` may send the client (a redirect, a token endpoint): https, and plain http
 * only on the loopback interface, which only a registry on it may name: from anywhere else that is a
 * port of the runner (a docker daemon, a process an earlier step left listening) chosen by a stranger.
 */
export function mayLeadTo(from: URL, to: URL): boolean {
  return isSafeUrl(to) && (isLoopbackName(from.hostname) || !isLoopbackName(to.hostname))
}

function withoutAuthorization(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(([name]) => name.toLowerCase() !== 'authorization')
  )
}

export async function discard(response: HttpResponse): Promise<void> {
  await response.body?.cancel().catch(() => undefined)
}

/** The whole body, refused past `maxBytes` (a manifest or token answer is small; a hostile one is not). */
export async function readCapped(response: HttpResponse, maxBytes: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length') ?? NaN)
  if (declared > maxBytes) {
    await discard(response)
    throw new Refused(`${what} is ${declared} bytes, over the ${maxBytes}-byte limit`)
  }
  const chunks: Buffer[] = []
  let size = 0
  if (!response.body) return Buffer.alloc(0)
  try {
    for await (const chunk of response.body) {
      size += chunk.length
      if (size > maxBytes) {
        await discard(response)
        throw new Refused(`${what} is over the ${maxBytes}-byte limit`)
      }
      chunks.push(Buffer.from(chunk))
    }
  } catch (error) {
    if (size > maxBytes) throw error
    throw new Retryable(`${what} was cut short after ${size} bytes: ${describeNetworkError(error)}`)
  }
  return Buffer.concat(chunks)
}
