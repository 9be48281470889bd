/** Answers worth another try: a timeout, rate limiting, or a server or gateway that failed this time. */
export const RETRYABLE_STATUS: ReadonlySet<number> = new Set([408, 429, 500, 502, 503, 504])

/**
 * The wait before retry `attempt` (1-based): exponential from `baseDelayMs`, with jitter in its upper
 * half so that many jobs retrying the same mirror do not come back in step.
 */
export function backoffDelay(baseDelayMs: number, attempt: number, random = Math.random): number {
  const exponential = baseDelayMs * 2 ** (attempt - 1)
  return Math.round(exponential * (0.5 + random() / 2))
}

/**
 * Waits `ms`, or less when `signal` aborts: the timer is cleared then, so a called-off retry neither
 * delays the failure it gave way to nor keeps the process alive until its wait would have ended.
 */
export function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>(resolve => {
    if (signal?.aborted) return resolve()
    const done = () => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, ms)
    signal?.addEventListener('abort', done, { once: true })
  })
}

/** Retry-After is either delay-seconds or an HTTP-date (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined
  const trimmed = value.trim()
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000
  const date = Date.parse(trimmed)
  return Number.isNaN(date) ? undefined : Math.max(0, date - now)
}

/**
 * One line for a failed fetch. Duck-typed rather than `instanceof Error`: fetch's errors and
 * DOMException can come from another realm.
 */
export function describeNetworkError(error: unknown, attemptTimeoutMs?: number): string {
  const { name, message, cause } = (error ?? {}) as { name?: string; message?: string; cause?: unknown }
  if (name === 'TimeoutError' || name === 'AbortError')
    return attemptTimeoutMs === undefined
      ? "the attempt's deadline passed"
      : `no complete answer within ${attemptTimeoutMs} ms`
  const { code, message: causeMessage } = (cause ?? {}) as { code?: string; message?: string }
  const detail = code ?? causeMessage
  const text = message ?? String(error)
  return detail ? `${text} (${detail})` : text
}
