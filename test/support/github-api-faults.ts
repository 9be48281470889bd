import { DOCS, notFound, type DoubleResponse } from './github-api-types.js'

/** Failures the double can be told to answer with, shaped like GitHub's. */

export type Fault =
  /** 403 as a read-only GITHUB_TOKEN (fork PR, missing `permissions:`) gets it. */
  | { kind: 'forbidden' }
  /** Code scanning on a private repository without GitHub Advanced Security / Code Security. */
  | { kind: 'no-ghas'; status?: 403 | 404 }
  | { kind: 'not-found' }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number; status?: 403 | 429 }
  | { kind: 'primary-rate-limit'; resetInSeconds?: number; status?: 403 | 429 }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }

export function faultResponse(fault: Fault, nowSeconds: number): DoubleResponse {
  switch (fault.kind) {
    case 'forbidden':
      return {
        status: 403,
        body: { message: 'Resource not accessible by integration', documentation_url: DOCS }
      }
    case 'no-ghas':
      return {
        status: fault.status ?? 403,
        body: {
          message: 'Advanced Security must be enabled for this repository to use code scanning.',
          documentation_url: DOCS
        }
      }
    case 'not-found':
      return notFound()
    case 'secondary-rate-limit': {
      const headers: Record<string, string> = {}
      if (fault.retryAfterSeconds !== undefined) headers['retry-after'] = String(fault.retryAfterSeconds)
      const message =
        'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
      return { status: fault.status ?? 429, body: { message, documentation_url: DOCS }, headers }
    }
    case 'primary-rate-limit':
      return {
        status: fault.status ?? 403,
        body: { message: 'API rate limit exceeded for installation.', documentation_url: DOCS },
        headers: {
          'x-ratelimit-remaining': '0',
          'x-ratelimit-reset': String(nowSeconds + (fault.resetInSeconds ?? 60))
        }
      }
    case 'server-error':
      return { status: fault.status ?? 500, body: { message: 'Server Error' } }
  }
}
