import type { ClientRequest, IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { isIP } from 'node:net'
import * as tls from 'node:tls'
import { ConfigurationError } from './errors.js'
import type { ProxyChoice } from './proxy.js'

/**
 * The request `httpRequest` sends through a proxy. Loaded only when a proxy is used, so a run without
 * one pays nothing for it.
 * - https targets: a CONNECT tunnel, then TLS to the target through it, its certificate checked against
 *   the target's name (never the proxy's); the proxy sees only `host:port`.
 * - http targets: the request in absolute-URI form, to the proxy.
 * Proxy-Authorization (Basic, from the proxy URL's userinfo) goes to the proxy alone: on the CONNECT for
 * https, and for http on the request the proxy consumes; the target never sees it through a tunnel.
 */
/** What of `httpRequest`'s init this needs (not imported: http.ts imports this file). */
export interface ProxiedInit {
  method: string
  headers: Record<string, string>
  signal?: AbortSignal
}

export function proxiedRequest(target: URL, init: ProxiedInit, proxy: ProxyChoice): ClientRequest {
  const options = { method: init.method, headers: init.headers, signal: init.signal }
  if (target.protocol === 'https:') {
    const https = process.getBuiltinModule('node:https')
    return https.request(target, {
      ...options,
      // Without an agent Node takes port 80 as the default, and would say so in the Host header.
      defaultPort: 443,
      // Without an agent: a tunnel serves one request, and nothing pools a socket to the wrong host.
      createConnection: (_options, done) => {
        tunnel(target, proxy, init.signal).then(
          socket => done(null, socket),
          // Node ignores the socket argument when there is an error.
          (error: Error) => done(error, undefined as never)
        )
        return undefined
      }
    })
  }
  return moduleFor(proxy).request({
    ...options,
    protocol: proxy.url.protocol,
    host: bare(proxy.url.hostname),
    port: proxy.url.port || undefined,
    path: target.href,
    headers: { ...init.headers, host: target.host, ...proxyAuthorization(proxy) }
  })
}

function moduleFor(proxy: ProxyChoice) {
  return process.getBuiltinModule(proxy.url.protocol === 'https:' ? 'node:https' : 'node:http')
}

/** `Proxy-Authorization: Basic …` from the proxy URL's (percent-encoded) userinfo, if it has one. */
function proxyAuthorization(proxy: ProxyChoice): Record<string, string> {
  const { username, password } = proxy.url
  if (username === '' && password === '') return {}
  const pair = `${decodeURIComponent(username)}:${decodeURIComponent(password)}`
  return { 'proxy-authorization': `Basic ${Buffer.from(pair).toString('base64')}` }
}

/** The proxy's address without credentials, for messages. */
function proxyHost(proxy: ProxyChoice): string {
  return `${proxy.url.protocol}//${proxy.url.host}`
}

/** CONNECT host:port through the proxy, then TLS to the target over that tunnel. */
function tunnel(target: URL, proxy: ProxyChoice, signal: AbortSignal | undefined): Promise<tls.TLSSocket> {
  const authority = `${target.hostname}:${target.port || '443'}`
  return new Promise((resolve, reject) => {
    // An aborted attempt fails with the signal's reason (TimeoutError for a deadline), as fetch's does.
    const fail = (error: unknown) => reject(signal?.aborted ? signal.reason : error)
    const connect = moduleFor(proxy).request({
      protocol: proxy.url.protocol,
      host: bare(proxy.url.hostname),
      port: proxy.url.port || undefined,
      method: 'CONNECT',
      path: authority,
      headers: { host: authority, ...proxyAuthorization(proxy) },
      agent: false,
      signal
    })
    connect.once('error', fail)
    connect.once('connect', (answer: IncomingMessage, socket: Socket, head: Buffer) => {
      const status = answer.statusCode ?? 0
      if (status < 200 || status >= 300) {
        socket.destroy()
        return fail(refusal(status, answer.statusMessage, authority, proxy))
      }
      // The server speaks after the client's hello: bytes before it would be the proxy's, not TLS.
      if (head.length > 0) socket.unshift(head)
      const host = bare(target.hostname)
      const secure = tls.connect({
        socket,
        host,
        // SNI carries names only; an IP target is still checked against the certificate's IP entries.
        ...(isIP(host) ? {} : { servername: host }),
        ALPNProtocols: ['http/1.1']
      })
      const abort = () => secure.destroy()
      signal?.addEventListener('abort', abort, { once: true })
      secure.once('secureConnect', () => {
        signal?.removeEventListener('abort', abort)
        resolve(secure)
      })
      secure.once('error', fail)
      secure.once('close', () =>
        fail(new Error(`TLS to ${authority} through the proxy closed before it was set up`))
      )
    })
    connect.end()
  })
}

function bare(hostname: string): string {
  return hostname.replace(/^\[(.*)\]$/, '$1')
}

/**
 * A proxy that will not open the tunnel. 407 is the user's to fix (the credentials in the variable);
 * anything else (403 for a blocked host, 502 for one the proxy cannot reach) fails the attempt as a
 * network error does, and callers retry as they would one.
 */
function refusal(
  status: number,
  statusText: string | undefined,
  authority: string,
  proxy: ProxyChoice
): Error {
  const what =
    `Proxy ${proxyHost(proxy)} (from ${proxy.variable}) answered ${status} ${statusText ?? ''}`.trim()
  if (status === 407)
    return new ConfigurationError(
      `${what} to CONNECT ${authority}: check the user and password in ${proxy.variable}`
    )
  return Object.assign(new Error(`${what} to CONNECT ${authority}`), { code: 'ERR_PROXY_TUNNEL', status })
}
