import type { IncomingMessage } from 'node:http'

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
  method: 'GET' | 'HEAD' | 'POST'
  headers: Record<string, string>
  body?: string
  signal?: AbortSignal
}

/**
 * One HTTP(S) request through node:http, redirects not followed (the caller decides where they may
 * lead). Node's global fetch loads undici and compiles its HTTP parser on first use, 25 to 40 ms of a
 * run that asks a registry one or two questions; node:http is already half loaded. Aborting the signal
 * fails the request, or the body read, with an AbortError.
 */
export function httpRequest(url: URL, init: HttpInit): Promise<HttpResponse> {
  const transport = process.getBuiltinModule(url.protocol === 'https:' ? 'node:https' : 'node:http')
  return new Promise((resolve, reject) => {
    const request = transport.request(url, {
      method: init.method,
      headers: init.headers,
      signal: init.signal
    })
    // Kept for the request's life: an error after the answer came (a reset) must not go unheard.
    request.on('error', reject)
    request.once('response', (message: IncomingMessage) => {
      // A body nobody reads holds its socket, and the socket holds the process: HEAD answers have none.
      if (init.method === 'HEAD') message.resume()
      resolve(responseOf(message, init.signal))
    })
    request.end(init.body)
  })
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
      async *[Symbol.asyncIterator]() {
        try {
          yield* message
        } catch (error) {
          // An aborted request resets the socket; say why, as fetch does (AbortError, TimeoutError).
          throw signal?.aborted ? signal.reason : error
        }
      },
      cancel() {
        message.destroy()
        return Promise.resolve()
      }
    }
  }
}
