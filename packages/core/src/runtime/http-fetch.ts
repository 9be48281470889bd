import type { IncomingMessage } from 'node:http'
import { bodyOf, httpMessage, type HttpInit } from './http.js'
import { isLoopbackName } from './loopback.js'
import type { ProxyEnv } from './proxy.js'

/**
 * `fetch` for clients that want one (Octokit, downloads), over `httpRequest`: the same proxy handling
 * for every HTTP call this repository makes. Node's own fetch ignores https_proxy unless the process
 * was started with NODE_USE_ENV_PROXY, which a runner does not do.
 *
 * What callers here use of fetch, and no more: a URL (not a Request), a string or byte body, `redirect`
 * 'follow' (at most 20, as fetch), 'manual' (the 3xx returned as it came) or 'error'. Following drops
 * Authorization and Cookie on a change of origin, as fetch does, and refuses https to plain http off
 * the loopback interface, which fetch would follow. The answer is a standard Response.
 */
export function createHttpFetch(env?: ProxyEnv): typeof fetch {
  return (input, init) => httpFetch(input, init, env)
}

const MAX_REDIRECTS = 20
const REDIRECTS = new Set([301, 302, 303, 307, 308])
/** Statuses a Response may not carry a body with. */
const NULL_BODY = new Set([101, 103, 204, 205, 304])

async function httpFetch(
  input: string | URL | Request,
  init: RequestInit = {},
  env?: ProxyEnv
): Promise<Response> {
  // Duck-typed: a URL from another realm (jest's) fails instanceof. A Request has `url`, not `href`.
  const href = typeof input === 'string' ? input : (input as { href?: unknown }).href
  if (typeof href !== 'string') throw new TypeError('httpFetch takes a URL, not a Request')
  let url = withoutCredentials(new URL(href))
  let method = (init.method ?? 'GET').toUpperCase() as HttpInit['method']
  let headers = headerRecord(init.headers)
  let body = bytesOf(init.body)
  const signal = init.signal ?? undefined
  for (let hop = 0; ; hop++) {
    const message = await httpMessage(url, { method, headers, signal, env, ...(body ? { body } : {}) })
    const location = message.headers.location
    const status = message.statusCode ?? 0
    if (!REDIRECTS.has(status) || !location || init.redirect === 'manual')
      return responseOf(message, url, method, signal)
    message.destroy()
    if (init.redirect === 'error') throw new TypeError(`${url.host} redirects, and redirect is 'error'`)
    // Hosts only in messages: a signed URL's query (an artifact's `sig=`) is a credential.
    if (hop >= MAX_REDIRECTS) throw new TypeError(`more than ${MAX_REDIRECTS} redirects from ${url.host}`)
    const next = nextUrl(url, location)
    // fetch: a 303, or a 301/302 answering a POST, is followed with a GET and no body.
    if ((status === 303 && method !== 'HEAD') || ((status === 301 || status === 302) && method === 'POST')) {
      method = 'GET'
      body = undefined
      headers = without(headers, /^content-/)
    }
    if (next.origin !== url.origin) headers = without(headers, /^(authorization|cookie)$/)
    url = next
  }
}

function nextUrl(from: URL, location: string): URL {
  const next = URL.parse(location, from.href)
  if (!next || (next.protocol !== 'https:' && next.protocol !== 'http:'))
    throw new TypeError(
      `${from.host} redirects to ${next?.protocol ?? 'an invalid URL'}, which is no http(s) URL`
    )
  if (from.protocol === 'https:' && next.protocol === 'http:' && !isLoopbackName(next.hostname))
    throw new TypeError(`refusing a redirect from https://${from.host} to http://${next.host}`)
  return withoutCredentials(next)
}

/**
 * fetch refuses a URL with `user:password@`; node:http would send it as Authorization: Basic, also
 * where a redirect put it, to whatever host that redirect names.
 */
function withoutCredentials(url: URL): URL {
  if (url.username !== '' || url.password !== '')
    throw new TypeError(`refusing a URL with credentials in it (for ${url.host})`)
  return url
}

function headerRecord(headers: RequestInit['headers']): Record<string, string> {
  const record: Record<string, string> = {}
  if (!headers) return record
  const pairs =
    Array.isArray(headers) || typeof (headers as Headers).entries === 'function'
      ? [...(headers as Iterable<[string, string]>)]
      : Object.entries(headers)
  for (const [name, value] of pairs) record[name.toLowerCase()] = String(value)
  return record
}

function without(headers: Record<string, string>, names: RegExp): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !names.test(name)))
}

function bytesOf(body: RequestInit['body']): string | Uint8Array | undefined {
  if (body === undefined || body === null || typeof body === 'string') return body ?? undefined
  if (body instanceof Uint8Array) return body
  if (body instanceof ArrayBuffer) return new Uint8Array(body)
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength)
  throw new TypeError('httpFetch sends string and byte bodies only')
}

function responseOf(message: IncomingMessage, url: URL, method: string, signal?: AbortSignal): Response {
  const status = message.statusCode ?? 0
  const headers = new Headers()
  for (let i = 0; i + 1 < message.rawHeaders.length; i += 2)
    headers.append(message.rawHeaders[i]!, message.rawHeaders[i + 1]!)
  const empty = method === 'HEAD' || NULL_BODY.has(status)
  if (empty) message.resume()
  const body = empty ? null : ReadableStream.from(bodyOf(message, signal))
  const response = new Response(body, { status, statusText: message.statusMessage ?? '', headers })
  // A constructed Response has no URL; Octokit reports it, and after redirects it is the last one.
  Object.defineProperty(response, 'url', { value: url.href })
  return response
}
