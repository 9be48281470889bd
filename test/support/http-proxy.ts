/**
 * A loopback forward proxy as a corporate runner has one, and a TLS front for loopback servers, so
 * tests reach "remote" hosts (`registry.test`, `api.github.test`) the way a runner behind a proxy does:
 * the client never resolves those names, the proxy maps them (`routes`) to 127.0.0.1 ports.
 * - CONNECT host:port: answered 200 and piped to the route, or 407 without the credentials asked for,
 *   or 502 for a host without a route;
 * - absolute-URI requests (`GET http://host/path`): forwarded to the route without Proxy-Authorization.
 * Every request is recorded with the Proxy-Authorization it carried. Certificates are made with the
 * `openssl` CLI in a temp dir (no key is ever committed); the client trusts the throwaway CA through
 * NODE_EXTRA_CA_CERTS, so it must run in a child process started with it.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import { isIP } from 'node:net'
import { connect, type AddressInfo, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { createServer as createTlsServer, type Server as TlsServer } from 'node:tls'

export interface ProxySeen {
  kind: 'connect' | 'forward'
  /** `host:port` for CONNECT, the absolute URI otherwise. */
  target: string
  proxyAuthorization?: string
  status: number
}

export interface TestProxy {
  /** `http://127.0.0.1:<port>` (https:// with `tls`), without credentials. */
  readonly url: string
  readonly seen: ProxySeen[]
  close(): Promise<void>
}

export interface TestProxyOptions {
  /** `host:port` as asked (`api.github.test:443`, `registry.test:80`) → a 127.0.0.1 port. */
  routes: Record<string, number>
  /** When set, anything else in Proxy-Authorization is answered 407. */
  credentials?: { user: string; password: string }
  /** Serve the proxy itself over TLS (an https:// proxy); the certificate must name 127.0.0.1. */
  tls?: TestCertificate
}

export async function startTestProxy(options: TestProxyOptions): Promise<TestProxy> {
  const seen: ProxySeen[] = []
  const sockets = new Set<Socket>()
  const expected = options.credentials
    ? `Basic ${Buffer.from(`${options.credentials.user}:${options.credentials.password}`).toString('base64')}`
    : undefined
  const admitted = (req: IncomingMessage) =>
    expected === undefined || req.headers['proxy-authorization'] === expected
  const record = (kind: ProxySeen['kind'], req: IncomingMessage, status: number) =>
    seen.push({
      kind,
      target: req.url ?? '',
      status,
      ...(req.headers['proxy-authorization']
        ? { proxyAuthorization: req.headers['proxy-authorization'] }
        : {})
    })

  const handler = (req: IncomingMessage, res: ServerResponse) => {
    const target = URL.parse(req.url ?? '')
    const port = target ? options.routes[`${target.hostname}:${target.port || '80'}`] : undefined
    if (!admitted(req)) {
      record('forward', req, 407)
      return void res.writeHead(407, { 'proxy-authenticate': 'Basic realm="test"' }).end()
    }
    if (!target || port === undefined) {
      record('forward', req, 502)
      return void res.writeHead(502).end()
    }
    record('forward', req, 200)
    const headers = { ...req.headers }
    delete headers['proxy-authorization']
    const upstream = request(
      { host: '127.0.0.1', port, method: req.method, path: target.pathname + target.search, headers },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  }
  const server: Server = options.tls
    ? createHttpsServer({ key: options.tls.key, cert: options.tls.cert }, handler)
    : createServer(handler)
  server.on(options.tls ? 'secureConnection' : 'connection', (socket: Socket) => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  server.on('connect', (req: IncomingMessage, client: Socket, head: Buffer) => {
    sockets.add(client)
    const port = options.routes[req.url ?? '']
    const refuse = (status: number, text: string, extra = '') => {
      record('connect', req, status)
      client.end(`HTTP/1.1 ${status} ${text}\r\n${extra}Content-Length: 0\r\n\r\n`)
    }
    if (!admitted(req))
      return refuse(407, 'Proxy Authentication Required', 'Proxy-Authenticate: Basic realm="test"\r\n')
    if (port === undefined) return refuse(502, 'Bad Gateway')
    record('connect', req, 200)
    const upstream = connect(port, '127.0.0.1', () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      upstream.pipe(client).pipe(upstream)
    })
    sockets.add(upstream)
    upstream.on('error', () => client.destroy())
    client.on('error', () => upstream.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => closeServer(server, sockets)
  }
}

export interface TestCertificate {
  /** The throwaway CA (PEM file), for NODE_EXTRA_CA_CERTS. */
  caFile: string
  key: string
  cert: string
}

/** A CA and a leaf for `names` (DNS names or IP addresses) signed by it, valid two days. */
export function issueTestCertificate(names: string[]): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'proxy-tls-'))
  const run = (args: string[]) => {
    const result = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' })
    if (result.status !== 0)
      throw new Error(`openssl ${args[0]} failed: ${result.stderr || result.error?.message}`)
  }
  const san = names.map(name => `${isIP(name) ? 'IP' : 'DNS'}:${name}`).join(',')
  writeFileSync(
    path.join(dir, 'leaf.ext'),
    `basicConstraints=critical,CA:FALSE\nextendedKeyUsage=serverAuth\nsubjectAltName=${san}\n`
  )
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  run(['req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=secure-pipeline proxy test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign']) // prettier-ignore
  run(['req', '-new', ...ec, '-keyout', 'leaf.key', '-out', 'leaf.csr', '-subj', `/CN=${names[0]}`])
  run(['x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2', '-days', '2',
    '-extfile', 'leaf.ext', '-out', 'leaf.pem']) // prettier-ignore
  return {
    caFile: path.join(dir, 'ca.pem'),
    key: readFileSync(path.join(dir, 'leaf.key'), 'utf8'),
    cert: readFileSync(path.join(dir, 'leaf.pem'), 'utf8')
  }
}

export interface TlsFront {
  /** The 127.0.0.1 port TLS is served on, for a proxy route. */
  readonly port: number
  close(): Promise<void>
}

/** Terminates TLS with `certificate` and pipes the plain bytes to a loopback HTTP server on `upstream`. */
export async function startTlsFront(certificate: TestCertificate, upstream: number): Promise<TlsFront> {
  const sockets = new Set<Socket>()
  const server: TlsServer = createTlsServer({ key: certificate.key, cert: certificate.cert }, tlsSocket => {
    const plain = connect(upstream, '127.0.0.1')
    sockets.add(tlsSocket).add(plain)
    tlsSocket.pipe(plain).pipe(tlsSocket)
    plain.on('error', () => tlsSocket.destroy())
    tlsSocket.on('error', () => plain.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  return { port: (server.address() as AddressInfo).port, close: () => closeServer(server, sockets) }
}

function closeServer(server: Server | TlsServer, sockets: Set<Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy()
  return new Promise(resolve => server.close(() => resolve()))
}
