/**
 * A loopback stand-in for https://api.osv.dev, reached the way a runner behind a corporate proxy reaches
 * it: osv-scanner 2.6.0 hard-codes the API's address (pkg/osvscanner/osvscanner.go `osvdev.DefaultBaseURL`,
 * osv.dev/bindings/go osvdev.go), so a test points Go's HTTPS_PROXY at this double and SSL_CERT_FILE at a
 * throwaway CA. The double is an HTTP proxy on 127.0.0.1 (port 0) that accepts `CONNECT api.osv.dev:443`
 * only, terminates TLS there with a leaf for api.osv.dev signed by that CA (both made with the `openssl`
 * CLI in a temp dir when it starts; no key is ever committed), and offers http/1.1 alone over ALPN, so
 * Go's HTTP/2 attempt falls back. Any other host (api.deps.dev for licenses, a registry for transitive
 * resolution, plain http) is refused and recorded, so a test can assert what the scanner tried to reach.
 *
 * The API as osv-scanner 2.6.0 calls it (osv-scalibr enricher/vulnmatch/osvdev and osv.dev/bindings/go
 * osvdev, osvdevexperimental), and nothing else:
 * - POST /v1/querybatch, `{"queries":[{"package":{"name","ecosystem"},"version"[,"pageToken"]}|{"commit"}]}`
 *   (protojson: camelCase field names; snake_case is accepted too, as the real API does). Answer:
 *   `{"results":[{"vulns":[{"id","modified"}],"next_page_token"?}|{}]}`, one result per query, in order.
 *   Paging: with `pageSize`, a query's matches come `pageSize` at a time and osv-scanner asks again with
 *   the token for the rest.
 * - GET /v1/vulns/{id}: the whole record, as given (osv-scanner decodes it strictly with protojson, so a
 *   record with a field the OSV schema lacks fails the scan, as it would against the real API).
 * Every request body is checked against those shapes; anything else (another path or method, an unknown
 * field, a purl query, a page token this double did not issue) is answered 400 and recorded, so a
 * protocol change in osv-scanner fails a test instead of passing it with no findings.
 *
 * Matching, enough for the test records and no more:
 * - ecosystem by exact string; package name exact, except PyPI, where both sides are compared in their
 *   PEP 503 form (`PyYAML` meets `pyyaml`), as the real API normalises;
 * - a version matches when listed in `affected[].versions`, or inside an ECOSYSTEM or SEMVER range:
 *   `introduced` (inclusive; "0" is the start) up to `fixed` (exclusive) or `last_affected` (inclusive);
 * - versions compare by their dot/dash-separated parts, numbers as numbers, other parts as text, the
 *   shorter one first when all common parts are equal: right for plain releases (`5.3.1` < `5.4`), not
 *   for PEP 440 or semver pre-releases, epochs or Maven qualifiers; GIT ranges and commit queries never
 *   match;
 * - withdrawn records are answered like any other (the real API does): dropping them is the scanner's job.
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import { createServer as createHttpsServer } from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'

export const OSV_API_HOST = 'api.osv.dev'

export interface ApiRequest {
  method: string
  path: string
  /** The parsed JSON body of a POST. */
  body?: unknown
  status: number
}

/** One scripted misbehaviour, until cleared with `fault(undefined)`. */
export type ApiFault =
  /** Every request to that endpoint answers this status. */
  | { kind: 'status'; endpoint: 'querybatch' | 'vulns'; status: number }
  /** The proxy refuses api.osv.dev too, as a proxy that blocks it does. */
  | { kind: 'refuse' }

export interface OsvApiDouble {
  /** `http://127.0.0.1:<port>`: the proxy. */
  readonly proxyUrl: string
  /** The throwaway CA's certificate (PEM). */
  readonly caFile: string
  /** What a child needs to reach the double: HTTPS_PROXY, SSL_CERT_FILE and an empty NO_PROXY. */
  readonly env: Record<string, string>
  /** The API requests that reached the double, in order. */
  readonly requests: ApiRequest[]
  /** Every other `host:port` asked of the proxy (CONNECT or a plain request), in order. */
  readonly refused: string[]
  fault(fault: ApiFault | undefined): void
  close(): Promise<void>
}

interface AffectedEntry {
  package?: { ecosystem?: string; name?: string }
  versions?: string[]
  ranges?: { type?: string; events?: Record<string, string>[] }[]
}

interface StoredRecord {
  id: string
  modified: string
  affected: AffectedEntry[]
  text: string
}

export interface OsvApiDoubleOptions {
  /** A folder of OSV JSON records (`*.json`), or the records' texts. */
  records: string | string[]
  /** Matches per page of a querybatch result (default: all on one page). */
  pageSize?: number
}

export async function startOsvApiDouble(options: OsvApiDoubleOptions): Promise<OsvApiDouble> {
  const records = loadRecords(options.records)
  const scratch = mkdtempSync(path.join(tmpdir(), 'osv-api-double-'))
  const tls = issueCertificates(scratch)
  const requests: ApiRequest[] = []
  const refused: string[] = []
  const sockets = new Set<Socket>()
  let currentFault: ApiFault | undefined
  const pages = new Map<string, string[]>()

  const api = createHttpsServer({ key: tls.key, cert: tls.cert, ALPNProtocols: ['http/1.1'] }, (req, res) => {
    void readBody(req).then(
      body => {
        const answer = answerApi(req.method ?? '', req.url ?? '', body)
        requests.push({
          method: req.method ?? '',
          path: req.url ?? '',
          ...(answer.parsed !== undefined ? { body: answer.parsed } : {}),
          status: answer.status
        })
        send(res, answer.status, answer.json)
      },
      () => send(res, 413, { code: 3, message: 'body too large' })
    )
  })

  function answerApi(method: string, url: string, body: string): ApiAnswer {
    if (method === 'POST' && url === '/v1/querybatch') {
      let parsed: unknown
      try {
        parsed = JSON.parse(body)
      } catch {
        return { status: 400, json: { code: 3, message: 'body is not JSON' } }
      }
      const problem = batchProblem(parsed)
      if (problem) return { status: 400, parsed, json: { code: 3, message: problem } }
      if (currentFault?.kind === 'status' && currentFault.endpoint === 'querybatch')
        return { status: currentFault.status, parsed, json: { code: 13, message: 'scripted failure' } }
      const results: unknown[] = []
      for (const query of (parsed as { queries: Query[] }).queries) {
        const token = query.pageToken ?? query.page_token
        const ids = token === undefined ? matches(records, query) : pages.get(token)
        if (ids === undefined)
          return { status: 400, parsed, json: { code: 3, message: `unknown page token ${token}` } }
        results.push(page(ids))
      }
      return { status: 200, parsed, json: { results } }
    }
    const vuln = /^\/v1\/vulns\/([A-Za-z0-9][A-Za-z0-9._:-]*)$/.exec(url)
    if (method === 'GET' && vuln && body === '') {
      if (currentFault?.kind === 'status' && currentFault.endpoint === 'vulns')
        return { status: currentFault.status, json: { code: 13, message: 'scripted failure' } }
      const record = records.get(vuln[1]!)
      return record
        ? { status: 200, json: JSON.parse(record.text) }
        : { status: 404, json: { code: 5, message: 'Bug not found.' } }
    }
    return { status: 400, json: { code: 3, message: `${method} ${url} is not what osv-scanner 2.6.0 calls` } }
  }

  /** One page of a query's matches; the rest wait behind a token. */
  function page(ids: string[]): unknown {
    if (ids.length === 0) return {}
    const size = options.pageSize ?? ids.length
    const vulns = ids.slice(0, size).map(id => ({ id, modified: records.get(id)!.modified }))
    if (ids.length <= size) return { vulns }
    const token = `page-${pages.size + 1}`
    pages.set(token, ids.slice(size))
    return { vulns, next_page_token: token }
  }

  const proxy: Server = createServer((req, res) => {
    // A plain-http request through the proxy: never needed by the scan.
    refused.push(hostOf(req.url ?? ''))
    res.writeHead(403, { 'content-type': 'text/plain' })
    res.end('refused by the OSV API double\n')
  })
  proxy.on('connection', socket => {
    sockets.add(socket)
    socket.on('close', () => sockets.delete(socket))
  })
  proxy.on('connect', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    const target = req.url ?? ''
    if (target !== `${OSV_API_HOST}:443` || currentFault?.kind === 'refuse') {
      refused.push(target)
      socket.end('HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n')
      return
    }
    socket.write('HTTP/1.1 200 Connection Established\r\n\r\n')
    if (head.length > 0) socket.unshift(head)
    // The https server wraps the tunnelled socket in TLS as if the client had connected to it.
    api.emit('connection', socket)
  })
  await new Promise<void>(resolve => proxy.listen(0, '127.0.0.1', resolve))
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`

  return {
    proxyUrl,
    caFile: tls.caFile,
    env: { HTTPS_PROXY: proxyUrl, HTTP_PROXY: proxyUrl, NO_PROXY: '', SSL_CERT_FILE: tls.caFile },
    requests,
    refused,
    fault(fault) {
      currentFault = fault
    },
    async close() {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>(resolve => proxy.close(() => resolve()))
      rmSync(scratch, { recursive: true, force: true })
    }
  }
}

interface ApiAnswer {
  status: number
  json: unknown
  parsed?: unknown
}

interface Query {
  package?: { name?: string; ecosystem?: string }
  version?: string
  commit?: string
  pageToken?: string
  page_token?: string
}

const QUERY_FIELDS = new Set(['package', 'version', 'commit', 'pageToken', 'page_token'])

/** Why a querybatch body is not what osv-scanner 2.6.0 sends; undefined when it is. */
export function batchProblem(body: unknown): string | undefined {
  if (!isObject(body) || Object.keys(body).join() !== 'queries') return 'the body must be {"queries": [...]}'
  const queries = body.queries
  if (!Array.isArray(queries) || queries.length === 0 || queries.length > 1000)
    return 'queries must be an array of 1 to 1000 queries'
  for (const [i, query] of queries.entries()) {
    if (!isObject(query)) return `queries[${i}] is not an object`
    const unknown = Object.keys(query).filter(k => !QUERY_FIELDS.has(k))
    if (unknown.length > 0) return `queries[${i}] has unexpected field(s) ${unknown.join(', ')}`
    for (const k of ['version', 'commit', 'pageToken', 'page_token'])
      if (k in query && (typeof query[k] !== 'string' || query[k] === ''))
        return `queries[${i}].${k} is not a string`
    if ('commit' in query) {
      if ('package' in query || 'version' in query) return `queries[${i}] mixes a commit with a package`
      continue
    }
    const pkg = query.package
    if (!isObject(pkg) || Object.keys(pkg).sort().join() !== 'ecosystem,name')
      return `queries[${i}].package must be {name, ecosystem}`
    if (typeof pkg.name !== 'string' || !pkg.name || typeof pkg.ecosystem !== 'string' || !pkg.ecosystem)
      return `queries[${i}].package name and ecosystem must be strings`
    if (typeof query.version !== 'string') return `queries[${i}] has no version`
  }
  return undefined
}

function matches(records: Map<string, StoredRecord>, query: Query): string[] {
  if (!query.package || query.version === undefined) return []
  const { name, ecosystem } = query.package as { name: string; ecosystem: string }
  const wanted = packageKey(ecosystem, name)
  const ids: string[] = []
  for (const record of records.values()) {
    const hit = record.affected.some(
      a =>
        a.package?.ecosystem !== undefined &&
        a.package.name !== undefined &&
        packageKey(a.package.ecosystem, a.package.name) === wanted &&
        affects(a, query.version!)
    )
    if (hit) ids.push(record.id)
  }
  return ids.sort()
}

const packageKey = (ecosystem: string, name: string) =>
  `${ecosystem}\0${ecosystem === 'PyPI' ? name.replace(/[-_.]+/g, '-').toLowerCase() : name}`

function affects(affected: AffectedEntry, version: string): boolean {
  if (affected.versions?.includes(version)) return true
  return (affected.ranges ?? []).some(range => {
    if (range.type !== 'ECOSYSTEM' && range.type !== 'SEMVER') return false
    let inside = false
    for (const event of range.events ?? []) {
      if (
        event.introduced !== undefined &&
        (event.introduced === '0' || compareVersions(version, event.introduced) >= 0)
      )
        inside = true
      else if (event.fixed !== undefined && compareVersions(version, event.fixed) >= 0) inside = false
      else if (event.last_affected !== undefined && compareVersions(version, event.last_affected) > 0)
        inside = false
    }
    return inside
  })
}

/** Plain release versions only (see the header). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/)
  const pb = b.split(/[.-]/)
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i]!
    const y = pb[i]!
    const order = /^\d+$/.test(x) && /^\d+$/.test(y) ? Number(x) - Number(y) : x.localeCompare(y)
    if (order !== 0) return Math.sign(order)
  }
  return Math.sign(pa.length - pb.length)
}

function loadRecords(source: string | string[]): Map<string, StoredRecord> {
  const texts =
    typeof source === 'string'
      ? readdirSync(source)
          .filter(f => f.endsWith('.json'))
          .sort()
          .map(f => readFileSync(path.join(source, f), 'utf8'))
      : source
  const out = new Map<string, StoredRecord>()
  for (const text of texts) {
    const record = JSON.parse(text) as { id?: string; modified?: string; affected?: AffectedEntry[] }
    if (!record.id || !record.modified) throw new Error('an OSV record needs an id and a modified time')
    out.set(record.id, { id: record.id, modified: record.modified, affected: record.affected ?? [], text })
  }
  return out
}

/** A CA and a leaf for api.osv.dev, made by the openssl CLI; the keys live only in `dir`. */
function issueCertificates(dir: string): { caFile: string; key: string; cert: string } {
  const file = (name: string) => path.join(dir, name)
  writeFileSync(
    file('leaf.ext'),
    `basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\nsubjectAltName=DNS:${OSV_API_HOST}\n`
  )
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes']
  openssl(dir, [
    'req', '-x509', ...ec, '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2',
    '-subj', '/CN=secure-pipeline OSV API double test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'
  ]) // prettier-ignore
  openssl(dir, [
    'req',
    '-new',
    ...ec,
    '-keyout',
    'leaf.key',
    '-out',
    'leaf.csr',
    '-subj',
    `/CN=${OSV_API_HOST}`
  ])
  openssl(dir, [
    'x509', '-req', '-in', 'leaf.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-set_serial', '2',
    '-days', '2', '-extfile', 'leaf.ext', '-out', 'leaf.pem'
  ]) // prettier-ignore
  return {
    caFile: file('ca.pem'),
    key: readFileSync(file('leaf.key'), 'utf8'),
    cert: readFileSync(file('leaf.pem'), 'utf8')
  }
}

function openssl(cwd: string, args: string[]): void {
  const run = spawnSync('openssl', args, { cwd, encoding: 'utf8' })
  if (run.status !== 0) throw new Error(`openssl ${args[0]} failed: ${run.stderr || run.error?.message}`)
}

const MAX_BODY = 1 << 20

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size > MAX_BODY) {
        reject(new Error('too large'))
        req.destroy()
        return
      }
      chunks.push(chunk)
    })
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
    req.on('error', reject)
  })
}

function send(res: ServerResponse, status: number, json: unknown): void {
  const text = JSON.stringify(json)
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) })
  res.end(text)
}

function hostOf(url: string): string {
  try {
    return new URL(url).host
  } catch {
    return url
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
