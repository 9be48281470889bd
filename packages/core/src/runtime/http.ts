import type { ClientRequest, IncomingMessage } from 'node:http'
import { proxyFor, type ProxyEnv } from './proxy.js'

/** The part of a fetch Response this code reads: a fetch Response is one, and so is `httpRequest`'s. */
export interface HttpResponse {
  readonly status: number
  readonly ok: boolean
  readonly headers: { get(name: string): string | null }
  readonly body: HttpBody | null
}

export interface HttpBody extends AsyncIterable<Uint8Array> {
  /** Stops reading and closes the connection. */
  cancel(): Promise<void>
}

export interface HttpInit {
  method: 'GET' | 'HEAD' | 'POST' | 'PUT' | 'PATCH' | 'DELETE'
  headers: Record<string, string>
  body?: string | Uint8Array
  signal?: AbortSignal
  /** Where the proxy variables are read (runtime/proxy.ts); process.env by default. */
  env?: ProxyEnv
}

/**
 * One HTTP(S) request through node:http, redirects not followed (the caller decides where they may
 * lead), through the proxy the environment names for this URL (runtime/proxy.ts). Node's global fetch
 * loads undici and compiles its HTTP parser on first use, 25 to 40 ms of a run that asks a registry one
 * or two questions; node:http is already half loaded. The proxy code is loaded only when a proxy is
 * used. Aborting the signal fails the request, or the body read, with the signal's reason.
 */
export async function httpRequest(url: URL, init: HttpInit): Promise<HttpResponse> {
  return responseOf(await httpMessage(url, init), init.signal)
}

/** `httpRequest`'s answer as node:http gives it (status, raw headers, body stream), for adapters. */
export async function httpMessage(url: URL, init: HttpInit): Promise<IncomingMessage> {
  const proxy = proxyFor(url, init.env ?? process.env)
  if (proxy) {
    const { proxiedRequest } = await import('./http-proxy.js')
    return send(proxiedRequest(url, init, proxy), init)
  }
  const transport = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http')
  return send(
    transport.request(url, { method: init.method, headers: init.headers, signal: init.signal }),
    init
  )
}

/** Sends the body and resolves with the answer's head; the body is read from the message. */
function send(request: ClientRequest, init: HttpInit): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    // Kept for the request's life: an error after the answer came (a reset) must not go unheard.
    // An aborted request fails with the signal's reason (TimeoutError for a deadline), as fetch's does:
    // Node's own AbortError is one Octokit's retry plugin never retries.
    request.on('error', error => reject(init.signal?.aborted ? init.signal.reason : error))
    request.once('response', (message: IncomingMessage) => {
      // A body nobody reads holds its socket, and the socket holds the process: HEAD answers have none.
      if (init.method === 'HEAD') message.resume()
      resolve(message)
    })
    request.end(init.body)
  })
}

/** The body as `signal` ends it: an aborted read fails with the signal's reason, as fetch's does. */
export async function* bodyOf(
  message: IncomingMessage,
  signal: AbortSignal | undefined
): AsyncGenerator<Uint8Array> {
  try {
    yield* message
  } catch (error) {
    // An aborted request resets the socket; say why, as fetch does (AbortError, TimeoutError).
    throw signal?.aborted ? signal.reason : error
  }
}

function responseOf(message: IncomingMessage, signal: AbortSignal | undefined): HttpResponse {
  const status = message.statusCode ?? 0
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: {
      get(name) {
        const value = message.headers[name.toLowerCase()]
        if (value === undefined) return null
        return Array.isArray(value) ? value.join(', ') : value
      }
    },
    body: {
      [Symbol.asyncIterator]: () => bodyOf(message, signal),
      cancel() {
        message.destroy()
        return Promise.resolve()
      }
    }
  }
}
