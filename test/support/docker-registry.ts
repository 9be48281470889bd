// The real registry (Debian's docker-registry, distribution 2.8) on the loopback interface, started and
// stopped by a test: anonymous, or behind the bearer-token flow with a token server in this process
// that checks docker credentials and signs the registry's JWTs. Images get into it with crane.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createHash, createPrivateKey, createPublicKey, randomBytes, sign, type KeyObject } from 'node:crypto'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, request as httpRequest, type Server } from 'node:http'
import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { Fault } from './http-file-server.js'

export const DOCKER_REGISTRY = '/usr/bin/docker-registry'

export interface DockerRegistry {
  /** `127.0.0.1:<port>`: what image references name. */
  readonly host: string
  /** Set when started with users: the token server's requests, for assertions. */
  readonly tokenRequests: { authorization?: string; scope?: string }[]
  stop(): Promise<void>
}

export interface DockerRegistryOptions {
  /** Require the bearer-token flow; the token server accepts these user → password pairs (and no one else). */
  users?: Record<string, string>
}

/** A free TCP port on the loopback interface (closed again, for the registry to take). */
export async function freePort(): Promise<number> {
  const server = createNetServer()
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  await new Promise<void>(resolve => server.close(() => resolve()))
  return port
}

async function waitUntilServing(host: string, child: ChildProcess, log: () => string): Promise<void> {
  const started = Date.now()
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`docker-registry exited ${child.exitCode}: ${log().slice(-2000)}`)
    try {
      const response = await fetch(`http://${host}/v2/`)
      await response.body?.cancel()
      if (response.status === 200 || response.status === 401) return
    } catch {
      // Not listening yet.
    }
    if (Date.now() - started > 15_000)
      throw new Error(`docker-registry did not answer on ${host}: ${log().slice(-2000)}`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
}

/** libtrust's key id, by which distribution finds the key that signed a token: base32 of sha256(SPKI)[:30], in fours. */
function libtrustKeyId(key: KeyObject): string {
  const digest = createHash('sha256')
    .update(createPublicKey(key).export({ type: 'spki', format: 'der' }))
    .digest()
    .subarray(0, 30)
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
  let bits = ''
  for (const byte of digest) bits += byte.toString(2).padStart(8, '0')
  const encoded = bits
    .match(/.{5}/g)!
    .map(chunk => alphabet[parseInt(chunk, 2)])
    .join('')
  return encoded.match(/.{4}/g)!.join(':')
}

const base64url = (data: Buffer | string) => Buffer.from(data).toString('base64url')

interface TokenServer {
  realm: string
  certFile: string
  requests: DockerRegistry['tokenRequests']
  close(): Promise<void>
}

async function startTokenServer(dir: string, users: Record<string, string>): Promise<TokenServer> {
  const keyFile = path.join(dir, 'token.key')
  const certFile = path.join(dir, 'token.crt')
  const openssl = spawnSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '1',
      '-subj',
      '/CN=secure-pipeline test token issuer'
    ],
    { encoding: 'utf8' }
  )
  if (openssl.status !== 0)
    throw new Error(`openssl could not make the token signing certificate: ${openssl.stderr}`)
  const key = createPrivateKey(readFileSync(keyFile))
  const kid = libtrustKeyId(key)
  const requests: DockerRegistry['tokenRequests'] = []
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://token')
    const scope = url.searchParams.get('scope') ?? undefined
    requests.push({ authorization: req.headers.authorization, scope })
    const [user, ...rest] = Buffer.from((req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64')
      .toString('utf8')
      .split(':')
    if (!user || users[user] === undefined || users[user] !== rest.join(':')) {
      res.writeHead(401, { 'content-type': 'application/json' })
      return void res.end('{"details":"bad credentials"}')
    }
    const [type, name, actions] = (scope ?? '').split(':')
    const now = Math.floor(Date.now() / 1000)
    const claims = {
      iss: 'secure-pipeline-test-issuer',
      sub: user,
      aud: 'secure-pipeline-test-registry',
      exp: now + 300,
      nbf: now - 10,
      iat: now,
      jti: randomBytes(8).toString('hex'),
      access:
        type && name
          ? [{ type, name, actions: (actions ?? '').split(',').filter(a => a === 'pull' || a === 'push') }]
          : []
    }
    const signingInput = `${base64url(JSON.stringify({ typ: 'JWT', alg: 'ES256', kid }))}.${base64url(JSON.stringify(claims))}`
    const signature = sign('sha256', Buffer.from(signingInput), { key, dsaEncoding: 'ieee-p1363' })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ token: `${signingInput}.${base64url(signature)}`, expires_in: 300 }))
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    // By name: go-containerregistry (crane, Trivy) refuses a realm that is a loopback or private IP literal
    // on another port than the registry's (SSRF guard); the name resolves to the same loopback address.
    realm: `http://localhost:${port}/token`,
    certFile,
    requests,
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** Starts docker-registry with its storage in a fresh temp dir; `stop()` kills it and removes the storage. */
export async function startDockerRegistry(options: DockerRegistryOptions = {}): Promise<DockerRegistry> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-docker-registry-'))
  const port = await freePort()
  const host = `127.0.0.1:${port}`
  const tokens = options.users ? await startTokenServer(dir, options.users) : undefined
  const auth = tokens
    ? `auth:\n  token:\n    realm: ${tokens.realm}\n    service: secure-pipeline-test-registry\n    issuer: secure-pipeline-test-issuer\n    rootcertbundle: ${tokens.certFile}\n`
    : ''
  const config = path.join(dir, 'config.yml')
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: warn\n  accesslog:\n    disabled: true\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(dir, 'data')}\n  delete:\n    enabled: true\nhttp:\n  addr: ${host}\n${auth}`
  )
  const child = spawn(DOCKER_REGISTRY, ['serve', config], { stdio: ['ignore', 'pipe', 'pipe'] })
  let log = ''
  child.stdout?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-20_000)))
  child.stderr?.setEncoding('utf8').on('data', (d: string) => (log = (log + d).slice(-20_000)))
  try {
    await waitUntilServing(host, child, () => log)
  } catch (error) {
    child.kill('SIGKILL')
    await tokens?.close()
    rmSync(dir, { recursive: true, force: true })
    throw error
  }
  return {
    host,
    tokenRequests: tokens?.requests ?? [],
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise(resolve => child.once('exit', resolve))
        child.kill('SIGTERM')
        await exited
      }
      await tokens?.close()
      rmSync(dir, { recursive: true, force: true })
    }
  }
}

/**
 * A docker config directory holding `user:password` for `host`, as `docker login` writes it; pass it as
 * DOCKER_CONFIG. Written by tests only: the action reads such files, never writes them.
 */
export function dockerConfigWith(host: string, user: string, password: string, parent = tmpdir()): string {
  const dir = mkdtempSync(path.join(parent, 'sp-docker-config-'))
  writeFileSync(
    path.join(dir, 'config.json'),
    JSON.stringify({ auths: { [host]: { auth: Buffer.from(`${user}:${password}`).toString('base64') } } })
  )
  return dir
}

export interface FaultProxy {
  /** `127.0.0.1:<port>`: reference images through it as through the registry. */
  readonly host: string
  readonly requests: {
    method: string
    path: string
    answered: number | 'reset' | 'proxied' | 'stalled'
    /** Set when the client closed the connection of a stalled answer (it gave up). */
    abandoned?: boolean
  }[]
  /** Faults for paths starting with `prefix`, used up one per matching request before anything is passed on. */
  failNext(prefix: string, ...faults: Fault[]): void
  close(): Promise<void>
}

/**
 * A loopback proxy in front of a registry that answers scripted faults (429, 500, a reset connection,
 * a body that never ends) before passing requests through: a registry mirror having a bad day, with the real one behind it.
 */
export async function startFaultProxy(target: string): Promise<FaultProxy> {
  const faults: { prefix: string; fault: Fault }[] = []
  const requests: FaultProxy['requests'] = []
  const server = createServer((req, res) => {
    const url = req.url ?? '/'
    const index = faults.findIndex(f => url.startsWith(f.prefix))
    const fault = index >= 0 ? faults.splice(index, 1)[0]!.fault : undefined
    if (fault?.kind === 'reset') {
      requests.push({ method: req.method ?? 'GET', path: url, answered: 'reset' })
      return void req.socket.destroy()
    }
    if (fault?.kind === 'stall') {
      // A body begun and never finished: only the client's own deadline or abort ends it.
      const entry: FaultProxy['requests'][number] = {
        method: req.method ?? 'GET',
        path: url,
        answered: 'stalled'
      }
      requests.push(entry)
      res.on('close', () => (entry.abandoned = true))
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': 1 << 20 })
      return void res.write('x')
    }
    if (fault?.kind === 'status') {
      requests.push({ method: req.method ?? 'GET', path: url, answered: fault.status })
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers })
      return void res.end(`scripted ${fault.status}\n`)
    }
    requests.push({ method: req.method ?? 'GET', path: url, answered: 'proxied' })
    const upstream = httpRequest(
      {
        host: target.split(':')[0],
        port: Number(target.split(':')[1]),
        method: req.method,
        path: url,
        headers: { ...req.headers, host: target }
      },
      answer => {
        res.writeHead(answer.statusCode ?? 502, answer.headers)
        answer.pipe(res)
      }
    )
    upstream.on('error', () => res.destroy())
    req.pipe(upstream)
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  const { port } = server.address() as AddressInfo
  return {
    host: `127.0.0.1:${port}`,
    requests,
    failNext: (prefix, ...more) => void faults.push(...more.map(fault => ({ prefix, fault }))),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}
