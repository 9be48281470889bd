import { apiMessageOf, httpStatusOf, isRateLimitError } from './octokit.js'

/**
 * What a read that the token may not be allowed to make gave: the value, or why GitHub would not give it.
 * Reports say "unavailable, because …" instead of failing or, worse, showing an empty list as a fact.
 */
export type Readable<T> = { status: 'read'; value: T } | { status: 'unavailable'; reason: string }

/**
 * Runs `read`; a 403 or 404 that is not a rate limit becomes `unavailable` with GitHub's message and
 * `fix` (which permission or feature is missing). Every other failure propagates.
 */
export async function readIfPermitted<T>(read: () => Promise<T>, fix: string): Promise<Readable<T>> {
  try {
    return { status: 'read', value: await read() }
  } catch (error) {
    const status = httpStatusOf(error)
    if ((status !== 403 && status !== 404) || isRateLimitError(error)) throw error
    return { status: 'unavailable', reason: `${status}: ${apiMessageOf(error)}; ${fix}` }
  }
}

/**
 * As `readIfPermitted`, for a read its caller cannot do without: the refusal is thrown with `fix`, since
 * GitHub's own "Resource not accessible by integration" names neither the endpoint nor the permission.
 */
export async function readPermitted<T>(read: () => Promise<T>, fix: string): Promise<T> {
  const result = await readIfPermitted(read, fix)
  if (result.status === 'unavailable') throw new Error(result.reason)
  return result.value
}
