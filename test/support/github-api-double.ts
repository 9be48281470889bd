import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  hasBuiltin,
  notFound,
  runBuiltin,
  sarifPayloadProblem,
  type DoubleRequest,
  type DoubleResponse,
  type Handler
} from './github-api-builtins.js'
import { DoubleState, type DoubleRepo } from './github-api-state.js'
import { findOperation, findOperationById, validateRequest } from './github-openapi.js'

export type { DoubleRequest, DoubleResponse, Handler, HandlerContext } from './github-api-builtins.js'
export type { DoubleRepo, DoubleState } from './github-api-state.js'

/**
 * A loopback GitHub REST API that checks every request against GitHub's OpenAPI description.
 * A request the description rejects gets a 422 (404 for an unknown route) AND lands in `failures`,
 * so a test passes only if the code under test spoke valid GitHub.
 */

export type Fault =
  /** 403 as a read-only GITHUB_TOKEN (fork PR, missing `permissions:`) gets it. */
  | { kind: 'forbidden' }
  /** Code scanning on a private repository without GitHub Advanced Security / Code Security. */
  | { kind: 'no-ghas'; status?: 403 | 404 }
  | { kind: 'not-found' }
  | { kind: 'secondary-rate-limit'; retryAfterSeconds?: number; status?: 403 | 429 }
  | { kind: 'primary-rate-limit'; resetInSeconds?: number; status?: 403 | 429 }
  | { kind: 'server-error'; status?: 500 | 502 | 503 }

export interface SpecFailure {
  method: string
  path: string
  operationId?: string
  problems: string[]
}

export interface RecordedRequest {
  operationId?: string
  method: string
  path: string
  query: Record<string, string | string[]>
  body: unknown
  headers: Record<string, string | string[] | undefined>
  status: number
}

export interface GitHubApiDoubleOptions {
  /** Per-operationId behaviour; return undefined to fall through to the built-in one. */
  handlers?: Record<string, Handler>
  /** Unknown repositories are created on first use (default); false makes them 404. */
  autoCreateRepos?: boolean
  /** When set, a request without this token gets 401 Bad credentials. */
  token?: string
}

export interface GitHubApiDouble {
  url: string
  requests: RecordedRequest[]
  failures: SpecFailure[]
  state: DoubleState
  /** The repository, created if needed. */
  repo(owner: string, name: string): DoubleRepo
  on(operationId: string, handler: Handler): void
  /** The next `times` requests to `operationId` ('*' = any) answer with `fault`. */
  fail(operationId: string, fault: Fault, times?: number): void
  requestsFor(operationId: string): RecordedRequest[]
  assertNoSpecViolations(): void
  close(): Promise<void>
}

const DOCS = 'https://docs.github.com/rest'

function faultResponse(fault: Fault, nowSeconds: number): DoubleResponse {
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

async function readBody(
  req: IncomingMessage
): Promise<{ present: boolean; value: unknown; parseError?: string }> {
  const chunks: Buffer[] = []
  for await (const chunk of req) chunks.push(chunk as Buffer)
  const text = Buffer.concat(chunks).toString('utf8')
  if (text.length === 0) return { present: false, value: undefined }
  try {
    return { present: true, value: JSON.parse(text) }
  } catch (error) {
    return { present: true, value: text, parseError: (error as Error).message }
  }
}

function queryOf(url: URL): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = {}
  for (const key of new Set(url.searchParams.keys())) {
    const all = url.searchParams.getAll(key)
    query[key] = all.length > 1 ? all : (all[0] as string)
  }
  return query
}

export async function startGitHubApiDouble(options: GitHubApiDoubleOptions = {}): Promise<GitHubApiDouble> {
  const state = new DoubleState(options.autoCreateRepos ?? true)
  const handlers = new Map(Object.entries(options.handlers ?? {}))
  const faults: Array<{ operationId: string; fault: Fault; remaining: number }> = []
  const requests: RecordedRequest[] = []
  const failures: SpecFailure[] = []
  let remaining = 5000
  let baseUrl = ''

  async function respond(
    req: IncomingMessage
  ): Promise<{ response: DoubleResponse; record: Omit<RecordedRequest, 'status'> }> {
    const url = new URL(req.url ?? '/', baseUrl)
    const method = (req.method ?? 'GET').toUpperCase()
    const body = await readBody(req)
    const query = queryOf(url)
    const record = { method, path: url.pathname, query, body: body.value, headers: { ...req.headers } }
    const reject = (status: number, problems: string[], operationId?: string) => {
      failures.push({ method, path: url.pathname, operationId, problems })
      const message = `Invalid request.\n\n${problems.join('\n')}`
      return {
        response: { status, body: { message, documentation_url: DOCS, status: String(status) } },
        record
      }
    }

    const lookup = findOperation(method, url.pathname)
    if (lookup.kind === 'unknown-path')
      return reject(404, [`no operation in the GitHub REST description matches ${url.pathname}`])
    if (lookup.kind === 'method-not-allowed') {
      return reject(404, [
        `${method} is not defined for ${url.pathname} (spec allows ${lookup.allowed.join(', ')})`
      ])
    }
    const { operation, pathParams } = lookup.match
    const operationId = operation.operationId
    const problems = validateRequest(lookup.match, query, body)
    if (operationId === 'code-scanning/upload-sarif') {
      const sarifProblem = sarifPayloadProblem((body.value as { sarif?: unknown } | undefined)?.sarif)
      if (sarifProblem) problems.push(sarifProblem)
    }
    if (problems.length > 0) return reject(422, problems, operationId)

    const withId = { ...record, operationId }
    if (
      options.token !== undefined &&
      req.headers.authorization?.replace(/^(token|bearer) /i, '') !== options.token
    ) {
      return {
        response: { status: 401, body: { message: 'Bad credentials', documentation_url: DOCS } },
        record: withId
      }
    }
    const fault = faults.find(
      f => f.remaining > 0 && (f.operationId === operationId || f.operationId === '*')
    )
    if (fault) {
      fault.remaining--
      return { response: faultResponse(fault.fault, Math.floor(Date.now() / 1000)), record: withId }
    }

    const request: DoubleRequest = {
      operationId,
      method,
      path: url.pathname,
      pathParams,
      query,
      body: body.value,
      headers: req.headers
    }
    const builtin = () =>
      runBuiltin(request, state, baseUrl) ?? {
        status: 501,
        body: { message: `The GitHub API double has no behaviour for ${operationId}; register a handler.` }
      }
    const custom = await handlers.get(operationId)?.(request, { state, baseUrl, builtin })
    const response = custom ?? builtin()
    if (!custom && !hasBuiltin(operationId)) {
      failures.push({
        method,
        path: url.pathname,
        operationId,
        problems: [`unhandled operation ${operationId}`]
      })
    }
    return { response, record: withId }
  }

  function send(res: ServerResponse, response: DoubleResponse): void {
    remaining = Math.max(remaining - 1, 0)
    const headers: Record<string, string> = {
      'x-ratelimit-limit': '5000',
      'x-ratelimit-remaining': String(remaining),
      'x-ratelimit-used': String(5000 - remaining),
      'x-ratelimit-reset': String(Math.floor(Date.now() / 1000) + 3600),
      'x-ratelimit-resource': 'core',
      'x-github-api-version-selected': '2022-11-28',
      'x-github-request-id': `DOUBLE:${requests.length}`,
      ...response.headers
    }
    if (response.body === undefined || response.status === 204) {
      res.writeHead(response.status, headers).end()
      return
    }
    headers['content-type'] = 'application/json; charset=utf-8'
    res.writeHead(response.status, headers).end(JSON.stringify(response.body))
  }

  const server = createServer((req, res) => {
    respond(req)
      .then(({ response, record }) => {
        requests.push({ ...record, status: response.status })
        send(res, response)
      })
      .catch((error: unknown) => {
        failures.push({
          method: req.method ?? '?',
          path: req.url ?? '?',
          problems: [`double crashed: ${String(error)}`]
        })
        send(res, { status: 500, body: { message: 'GitHub API double crashed' } })
      })
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    url: baseUrl,
    requests,
    failures,
    state,
    repo: (owner, name) => state.repo(owner, name) ?? state.addRepo(owner, name),
    on: (operationId, handler) => {
      if (!findOperationById(operationId))
        throw new Error(`no operation '${operationId}' in the GitHub REST description`)
      handlers.set(operationId, handler)
    },
    fail: (operationId, fault, times = 1) => {
      if (operationId !== '*' && !findOperationById(operationId)) {
        throw new Error(`no operation '${operationId}' in the GitHub REST description`)
      }
      faults.push({ operationId, fault, remaining: times })
    },
    requestsFor: operationId => requests.filter(r => r.operationId === operationId),
    assertNoSpecViolations: () => assertNoSpecViolations({ failures }),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close(error => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

/** Throws with every recorded violation, so a failing test says which request was wrong and why. */
export function assertNoSpecViolations(double: Pick<GitHubApiDouble, 'failures'>): void {
  if (double.failures.length === 0) return
  const lines = double.failures.map(
    f => `${f.method} ${f.path} (${f.operationId ?? 'no operation'}): ${f.problems.join('; ')}`
  )
  throw new Error(
    `The GitHub API double saw ${double.failures.length} invalid request(s):\n${lines.join('\n')}`
  )
}
