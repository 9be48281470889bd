// The runner's cache service (v2) on the loopback interface, for driving the real @actions/cache: the twirp
// JSON API at ACTIONS_RESULTS_URL (GetCacheEntryDownloadURL, CreateCacheEntry, FinalizeCacheEntryUpload)
// and the blob storage its signed URLs point at, as the Azure SDK writes to it (Put Blob) and the
// library reads it back (GET). Requests are checked as the service and Azure check them; anything else
// is refused with the error either would send, which the library then reports. Every request is recorded.
import { createHash, randomBytes } from 'node:crypto'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'

const SERVICE = 'github.actions.results.api.v1.CacheService'
const ACCOUNT = 'devstoreaccount1'
const CONTAINER = 'actions-cache'

export interface CacheEntry {
  /** In order of creation: among prefix matches, the newest wins. */
  id: number
  key: string
  version: string
  /** The archive as uploaded; undefined until the blob is written. */
  archive?: Buffer
  finalized: boolean
}

export interface RecordedCacheRequest {
  /** The twirp method, or the blob operation (`PutBlob`, `GetBlob`, ...). */
  operation: string
  /** The request body as JSON, for twirp calls. */
  body?: unknown
  /** The request headers, for blob operations (what the Azure SDK sent). */
  headers?: IncomingHttpHeaders
  status: number
  /** What the double answered with an error, as the client sees it. */
  error?: string
}

export interface CacheServiceDouble {
  /** ACTIONS_RESULTS_URL, ACTIONS_RUNTIME_TOKEN and ACTIONS_CACHE_SERVICE_V2, as a hosted runner sets them. */
  readonly env: Record<string, string>
  readonly requests: RecordedCacheRequest[]
  readonly entries: CacheEntry[]
  /** Every twirp call answers this HTTP status with twirp's error body (500: `internal`) until reset. */
  failAll(status: number | undefined): void
  /** CreateCacheEntry answers ok:false with the service's read-only-token message. */
  denyWrites(deny: boolean): void
  close(): Promise<void>
}

type Field = 'string' | 'strings' | 'int64' | 'metadata'

/** The request messages of cache.proto, by their proto field names (what the library sends). */
const METHODS: Record<string, { fields: Record<string, Field>; required: string[] }> = {
  GetCacheEntryDownloadURL: {
    fields: { metadata: 'metadata', key: 'string', restore_keys: 'strings', version: 'string' },
    required: ['key', 'version']
  },
  CreateCacheEntry: {
    fields: { metadata: 'metadata', key: 'string', version: 'string' },
    required: ['key', 'version']
  },
  FinalizeCacheEntryUpload: {
    fields: { metadata: 'metadata', key: 'string', size_bytes: 'int64', version: 'string' },
    required: ['key', 'version', 'size_bytes']
  }
}

const TWIRP_STATUS: Record<string, number> = {
  malformed: 400,
  invalid_argument: 400,
  bad_route: 404,
  not_found: 404,
  already_exists: 409,
  unauthenticated: 401,
  internal: 500,
  unavailable: 503
}

class TwirpError extends Error {
  constructor(
    readonly code: string,
    message: string
  ) {
    super(message)
  }
}

function fieldProblem(kind: Field, value: unknown): string | undefined {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? undefined : 'a string'
    case 'strings':
      return Array.isArray(value) && value.every(v => typeof v === 'string') ? undefined : 'a list of strings'
    case 'int64':
      // proto3 JSON: a 64-bit integer is a decimal string (or a number).
      return (typeof value === 'string' && /^-?\d+$/.test(value)) || Number.isInteger(value)
        ? undefined
        : 'an int64'
    case 'metadata':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'a message'
  }
}

/** The request body as cache.proto types it: unknown fields and wrong types are `malformed`. */
function parseRequest(method: string, raw: string): Record<string, unknown> {
  const spec = METHODS[method]!
  let body: unknown
  try {
    body = JSON.parse(raw)
  } catch {
    throw new TwirpError('malformed', 'the json request could not be decoded')
  }
  if (body === null || typeof body !== 'object' || Array.isArray(body))
    throw new TwirpError('malformed', 'the json request is not an object')
  const fields = body as Record<string, unknown>
  for (const [name, value] of Object.entries(fields)) {
    const kind = spec.fields[name]
    if (!kind) throw new TwirpError('malformed', `unknown field "${name}" in ${method}Request`)
    const problem = fieldProblem(kind, value)
    if (problem) throw new TwirpError('malformed', `field "${name}" of ${method}Request must be ${problem}`)
  }
  for (const name of spec.required)
    if (fields[name] === undefined || fields[name] === '')
      throw new TwirpError('invalid_argument', `${name} is required`)
  return fields
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = []
    req.on('data', (chunk: Buffer) => chunks.push(chunk))
    req.on('end', () => resolve(Buffer.concat(chunks)))
    req.on('error', reject)
  })
}

export async function startCacheServiceDouble(): Promise<CacheServiceDouble> {
  const token = `runtime-${randomBytes(12).toString('hex')}`
  const requests: RecordedCacheRequest[] = []
  const entries: CacheEntry[] = []
  /** Blob name → the signature its URL carries: a URL with any other is refused, as a bad SAS is. */
  const signatures = new Map<string, string>()
  let origin = ''
  let failing: number | undefined
  let writesDenied = false
  let nextId = 1

  const blobName = (entry: CacheEntry) => `${entry.id}-${entry.key}`
  const signedUrl = (entry: CacheEntry) => {
    const name = blobName(entry)
    const sig = signatures.get(name) ?? randomBytes(16).toString('base64url')
    signatures.set(name, sig)
    return `${origin}/${ACCOUNT}/${CONTAINER}/${encodeURIComponent(name)}?sv=2026-02-06&sr=b&sp=rcw&sig=${sig}`
  }
  const newest = (match: (e: CacheEntry) => boolean) =>
    entries.filter(e => e.finalized && match(e)).sort((a, b) => b.id - a.id)[0]

  const rpc: Record<string, (body: Record<string, unknown>) => Record<string, unknown>> = {
    GetCacheEntryDownloadURL(body) {
      const { key, version } = body as { key: string; version: string }
      const prefixes = [key, ...((body.restore_keys as string[] | undefined) ?? [])]
      // The exact key first, then each key in order as a prefix; the version must match throughout.
      const hit =
        newest(e => e.key === key && e.version === version) ??
        prefixes.map(prefix => newest(e => e.key.startsWith(prefix) && e.version === version)).find(Boolean)
      return hit
        ? { ok: true, signed_download_url: signedUrl(hit), matched_key: hit.key }
        : { ok: false, signed_download_url: '', matched_key: '' }
    },
    CreateCacheEntry(body) {
      const { key, version } = body as { key: string; version: string }
      if (writesDenied)
        return {
          ok: false,
          signed_upload_url: '',
          message: 'cache write denied: token has no writable scopes'
        }
      if (entries.some(e => e.key === key && e.version === version))
        throw new TwirpError(
          'already_exists',
          'cache entry with the same key, version, and scope already exists'
        )
      const entry: CacheEntry = { id: nextId++, key, version, finalized: false }
      entries.push(entry)
      return { ok: true, signed_upload_url: signedUrl(entry), message: '' }
    },
    FinalizeCacheEntryUpload(body) {
      const { key, version } = body as { key: string; version: string }
      const entry = entries.find(e => e.key === key && e.version === version && !e.finalized)
      if (!entry)
        throw new TwirpError('not_found', 'no cache entry is being created with that key and version')
      if (!entry.archive)
        throw new TwirpError('invalid_argument', 'nothing was uploaded for this cache entry')
      if (Number(body.size_bytes) !== entry.archive.length)
        throw new TwirpError(
          'invalid_argument',
          `size_bytes ${String(body.size_bytes)} is not the ${entry.archive.length} bytes uploaded`
        )
      entry.finalized = true
      return { ok: true, entry_id: String(entry.id), message: '' }
    }
  }

  function twirpError(res: ServerResponse, record: RecordedCacheRequest, error: TwirpError): void {
    record.status = TWIRP_STATUS[error.code] ?? 500
    record.error = `${error.code}: ${error.message}`
    res.writeHead(record.status, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ code: error.code, msg: error.message }))
  }

  async function twirp(req: IncomingMessage, res: ServerResponse, method: string): Promise<void> {
    const raw = (await readBody(req)).toString('utf8')
    const record: RecordedCacheRequest = { operation: method, status: 200 }
    requests.push(record)
    try {
      record.body = JSON.parse(raw) as unknown
    } catch {
      record.body = raw
    }
    try {
      if (req.method !== 'POST')
        throw new TwirpError('bad_route', `unsupported method ${req.method} (only POST is allowed)`)
      if (!METHODS[method]) throw new TwirpError('bad_route', `no handler for path "${req.url}"`)
      if (req.headers['content-type'] !== 'application/json')
        throw new TwirpError('bad_route', `unexpected Content-Type: "${req.headers['content-type']}"`)
      if (req.headers.authorization !== `Bearer ${token}`)
        throw new TwirpError('unauthenticated', 'the runtime token is missing or not valid')
      if (failing !== undefined)
        throw new TwirpError(
          Object.keys(TWIRP_STATUS).find(code => TWIRP_STATUS[code] === failing) ?? 'internal',
          'the cache service is having a bad day'
        )
      const answer = rpc[method]!(parseRequest(method, raw))
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify(answer))
    } catch (error) {
      if (!(error instanceof TwirpError)) throw error
      twirpError(res, record, error)
    }
  }

  function storageError(
    res: ServerResponse,
    record: RecordedCacheRequest,
    status: number,
    code: string
  ): void {
    record.status = status
    record.error = code
    res.writeHead(status, { 'content-type': 'application/xml', 'x-ms-error-code': code })
    res.end(
      `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`
    )
  }

  /** Put Blob (one shot, what the SDK sends up to its 128 MiB single-shot size) and Get Blob. */
  async function blob(req: IncomingMessage, res: ServerResponse, url: URL, name: string): Promise<void> {
    const body = await readBody(req)
    const operation =
      { PUT: url.searchParams.get('comp') ?? 'PutBlob', GET: 'GetBlob', HEAD: 'GetBlobProperties' }[
        req.method ?? ''
      ] ?? `${req.method} blob`
    const record: RecordedCacheRequest = { operation, status: 200, headers: req.headers }
    requests.push(record)
    const entry = entries.find(e => blobName(e) === name)
    if (!entry || !signatures.has(name) || url.searchParams.get('sig') !== signatures.get(name))
      return storageError(res, record, 403, 'AuthenticationFailed')
    const common = {
      'x-ms-request-id': randomBytes(16).toString('hex'),
      'x-ms-version': '2026-02-06',
      date: new Date().toUTCString()
    }
    if (req.method === 'PUT') {
      if (operation !== 'PutBlob' || entry.finalized)
        return storageError(res, record, 400, 'UnsupportedOperation')
      if (req.headers['x-ms-blob-type'] !== 'BlockBlob' || !req.headers['x-ms-version'])
        return storageError(res, record, 400, 'MissingRequiredHeader')
      if (Number(req.headers['content-length']) !== body.length)
        return storageError(res, record, 400, 'InvalidHeaderValue')
      entry.archive = body
      record.status = 201
      res.writeHead(201, {
        ...common,
        etag: `"0x${createHash('sha256').update(body).digest('hex').slice(0, 16).toUpperCase()}"`,
        'last-modified': new Date().toUTCString(),
        'content-md5': createHash('md5').update(body).digest('base64'),
        'x-ms-request-server-encrypted': 'true'
      })
      return void res.end()
    }
    if ((req.method === 'GET' || req.method === 'HEAD') && entry.finalized && entry.archive) {
      if (req.headers.range) return storageError(res, record, 416, 'InvalidRange')
      res.writeHead(200, {
        ...common,
        'content-type': 'application/octet-stream',
        'content-length': String(entry.archive.length),
        'x-ms-blob-type': 'BlockBlob'
      })
      return void res.end(req.method === 'HEAD' ? undefined : entry.archive)
    }
    return storageError(res, record, req.method === 'GET' ? 404 : 405, 'BlobNotFound')
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin)
    const twirpPath = new RegExp(`^/twirp/${SERVICE.replaceAll('.', '\\.')}/([^/]+)$`).exec(url.pathname)
    const blobPath = new RegExp(`^/${ACCOUNT}/${CONTAINER}/([^/]+)$`).exec(url.pathname)
    const handled = twirpPath
      ? twirp(req, res, twirpPath[1]!)
      : blobPath
        ? blob(req, res, url, decodeURIComponent(blobPath[1]!))
        : readBody(req).then(() => {
            // The legacy service's routes (_apis/artifactcache) and anything else.
            const record: RecordedCacheRequest = { operation: `${req.method} ${url.pathname}`, status: 404 }
            requests.push(record)
            twirpError(res, record, new TwirpError('bad_route', `no handler for path "${url.pathname}"`))
          })
    handled.catch(() => res.destroy())
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', () => resolve()))
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`

  return {
    env: {
      ACTIONS_RESULTS_URL: `${origin}/`,
      ACTIONS_RUNTIME_TOKEN: token,
      ACTIONS_CACHE_SERVICE_V2: 'True'
    },
    requests,
    entries,
    failAll: status => void (failing = status),
    denyWrites: deny => void (writesDenied = deny),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections()
        server.close(() => resolve())
      })
  }
}

/** The cache version @actions/cache computes: sha256 of the paths, the compression and its salt. */
export function cacheVersion(paths: string[], compression: 'zstd-without-long' | 'zstd' | 'gzip'): string {
  return createHash('sha256')
    .update([...paths, compression, '1.0'].join('|'))
    .digest('hex')
}

/** What an archive stored in the double holds: its compression (by magic number) and its members, by tar. */
export function listArchive(archive: Buffer): {
  compression: 'zstd' | 'gzip' | 'unknown'
  members: string[]
} {
  const compression = archive.subarray(0, 4).equals(Buffer.from([0x28, 0xb5, 0x2f, 0xfd]))
    ? 'zstd'
    : archive.subarray(0, 2).equals(Buffer.from([0x1f, 0x8b]))
      ? 'gzip'
      : 'unknown'
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-cache-archive-'))
  try {
    const file = path.join(dir, 'archive')
    writeFileSync(file, archive)
    const listed = spawnSync(
      'tar',
      ['-tf', file, ...(compression === 'zstd' ? ['--use-compress-program', 'unzstd'] : ['-z'])],
      { encoding: 'utf8' }
    )
    if (listed.status !== 0) throw new Error(`tar cannot list the archive: ${listed.stderr}`)
    return { compression, members: listed.stdout.split('\n').filter(Boolean) }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
