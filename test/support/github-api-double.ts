import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  dressLikeGitHub,
  hasBuiltin,
  DOCS,
  runBuiltin,
  runGraphql,
  sarifPayloadProblem,
  type DoubleRequest,
  type DoubleResponse,
  type Handler
} from './github-api-builtins.js'
import { DoubleState, type DoubleRepo } from './github-api-state.js'
import {
  findOperation,
  findOperationById,
  responseExample,
  validateRequest,
  validateResponse
} from './github-openapi.js'
import { faultResponse, type Fault } from './github-api-faults.js'

export type { Fault } from './github-api-faults.js'

export type { DoubleRequest, DoubleResponse, Handler, HandlerContext } from './github-api-builtins.js'
export type { DoubleRepo, DoubleState } from './github-api-state.js'

/**
 * A loopback GitHub REST API that checks every request against GitHub's OpenAPI description.
 * A request the description rejects gets a 422 (404 for an unknown route) AND lands in `failures`,
 * so a test passes only if the code under test spoke valid GitHub.
 */

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
  /** Serve under a path, as GitHub Enterprise Server does ('/api/v3'); `url` includes it. */
  apiPrefix?: string
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
    const prefix = options.apiPrefix ?? ''
    const pathname = url.pathname.startsWith(`${prefix}/`) ? url.pathname.slice(prefix.length) : url.pathname
    const method = (req.method ?? 'GET').toUpperCase()
    const body = await readBody(req)
    const query = queryOf(url)
    const record = { method, path: pathname, query, body: body.value, headers: { ...req.headers } }
    const reject = (status: number, problems: string[], operationId?: string) => {
      failures.push({ method, path: pathname, operationId, problems })
      const message = `Invalid request.\n\n${problems.join('\n')}`
      return {
        response: { status, body: { message, documentation_url: DOCS, status: String(status) } },
        record
      }
    }

    // Outside the REST description: codeload's archive downloads, and GraphQL (at /api/graphql on GHES).
    if (method === 'GET' && url.pathname.startsWith('/_codeload/')) {
      const bytes = state.downloads.get(url.pathname.slice('/_codeload/'.length))
      return {
        response: bytes
          ? { status: 200, raw: { bytes, contentType: 'application/x-gzip' } }
          : { status: 404 },
        record
      }
    }
    if (method === 'POST' && (pathname === '/graphql' || url.pathname === '/api/graphql'))
      return { response: runGraphql(body.value, state), record: { ...record, operationId: 'graphql' } }
    if (prefix && !url.pathname.startsWith(`${prefix}/`)) {
      return reject(404, [`${url.pathname} is outside the API prefix ${prefix}`])
    }
    const lookup = findOperation(method, pathname)
    if (lookup.kind === 'unknown-path')
      return reject(404, [`no operation in the GitHub REST description matches ${pathname}`])
    if (lookup.kind === 'method-not-allowed') {
      return reject(404, [
        `${method} is not defined for ${pathname} (spec allows ${lookup.allowed.join(', ')})`
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
      path: pathname,
      pathParams,
      query,
      body: body.value,
      headers: req.headers
    }
    const builtin = (): DoubleResponse => {
      const response = runBuiltin(request, state, baseUrl)
      if (!response) {
        const message = `The GitHub API double has no behaviour for ${operationId}; register a handler.`
        return { status: 501, body: { message } }
      }
      if (response.status >= 300 || response.body === undefined) return response
      const fullName = `${pathParams.owner}/${pathParams.repo}`
      const body = dressLikeGitHub(
        responseExample(operation, response.status),
        response.body,
        fullName,
        baseUrl
      )
      // The double's own answers must match the description too: a drift here is a bug in the double.
      const drift = validateResponse(operation, response.status, body)
      if (drift.length > 0) failures.push({ method, path: pathname, operationId, problems: drift })
      return { ...response, body }
    }
    const custom = await handlers.get(operationId)?.(request, { state, baseUrl, builtin })
    const response = custom ?? builtin()
    if (!custom && !hasBuiltin(operationId)) {
      failures.push({
        method,
        path: pathname,
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
    if (response.raw) {
      headers['content-type'] = response.raw.contentType
      res.writeHead(response.status, headers).end(response.raw.bytes)
      return
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
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}${options.apiPrefix ?? ''}`

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
    `The GitHub API double saw ${double.failures.length} problem(s) (invalid requests or unmodelled calls):\n${lines.join('\n')}`
  )
}
