import type { IncomingHttpHeaders } from 'node:http'
import type { DoubleRepo, DoubleState } from './github-api-state.js'

/** What handlers and built-in behaviours of the GitHub API double receive and return. */

export interface DoubleRequest {
  operationId: string
  method: string
  path: string
  pathParams: Record<string, string>
  query: Record<string, string | string[]>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- already validated against the spec
  body: any
  headers: IncomingHttpHeaders
}

export interface DoubleResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
  /** Bytes sent as they are (an archive), instead of `body` as JSON. */
  raw?: { bytes: Buffer; contentType: string }
}

export interface HandlerContext {
  state: DoubleState
  /** The double's own base URL, for `url` fields and pagination links. */
  baseUrl: string
  /** The built-in behaviour for this request (404-like 501 when there is none). */
  builtin(): DoubleResponse
}

export type Handler = (
  request: DoubleRequest,
  context: HandlerContext
) => DoubleResponse | undefined | Promise<DoubleResponse | undefined>

export type Builtin = (
  req: DoubleRequest,
  repo: DoubleRepo,
  ctx: { state: DoubleState; api: string }
) => DoubleResponse

export const DOCS = 'https://docs.github.com/rest'
/** Code scanning refuses SARIF above 10 MB once gzip-compressed. */
export const SARIF_MAX_GZIP_BYTES = 10 * 1024 * 1024

export const notFound = (): DoubleResponse => ({
  status: 404,
  body: { message: 'Not Found', documentation_url: DOCS }
})

export function validationFailed(
  errors: Array<Record<string, unknown>>,
  message = 'Validation Failed'
): DoubleResponse {
  return { status: 422, body: { message, errors, documentation_url: DOCS } }
}

export function unprocessable(message: string): DoubleResponse {
  return { status: 422, body: { message, documentation_url: DOCS } }
}
