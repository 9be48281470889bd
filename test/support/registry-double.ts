// An OCI distribution registry in this process, for unit tests of the registry client: manifests by tag
// and digest, blobs (optionally redirected to another origin, as registries send clients to storage),
// the bearer-token flow or Basic authentication, and scripted faults. Every request is recorded.
import { randomBytes } from 'node:crypto'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Fault, HttpFileServer } from './http-file-server.js'
import { blobsOf, type Blob, type BuiltImage } from './oci-image.js'

export interface RecordedRegistryRequest {
  method: string
  path: string
  query: URLSearchParams
  headers: IncomingHttpHeaders
  body: string
}

export type RegistryAuth =
  | {
      scheme: 'bearer'
      /** user → password accepted at the token endpoint with Basic. */
      users?: Record<string, string>
      /** refresh token → user, accepted by POST (the identity-token grant). */
      refreshTokens?: Record<string, string>
      /** Tokens are given without credentials too (public images). */
      anonymousPull?: boolean
      /** Where clients are sent for a token; default this server's /token. */
      realm?: string
    }
  | { scheme: 'basic'; users: Record<string, string> }

export interface RegistryDoubleOptions {
  auth?: RegistryAuth
  /** Send Docker-Content-Digest on manifest HEAD and GET (default true). */
  digestHeader?: boolean
  /** Serve blobs by a 307 to this server, under /storage/<digest>. */
  blobStorage?: HttpFileServer
  /** Content-Type sent with manifests instead of their own media type. */
  manifestContentType?: string
}

export interface RegistryDouble {
  readonly origin: string
  /** `127.0.0.1:<port>`: what an image reference names. */
  readonly host: string
  readonly requests: RecordedRegistryRequest[]
  /** Stores a manifest or index under its digest and each tag. */
  putManifest(repository: string, blob: Blob, ...tags: string[]): void
  putBlob(repository: string, blob: Blob): void
  /** The image's blobs, then its manifest under `tags`. */
  pushImage(repository: string, image: BuiltImage, ...tags: string[]): void
  /** Replaces the bytes served for a digest (a tampering registry). */
  tamper(repository: string, digest: string, bytes: Buffer): void
  /** Queued faults for paths starting with `prefix`; each matching request uses one up. */
  failNext(prefix: string, ...faults: Fault[]): void
  close(): Promise<void>
}

function readBody(req: import('node:http').IncomingMessage): Promise<string> {
  return new Promise(resolve => {
    let body = ''
    req.setEncoding('utf8')
    req.on('data', (chunk: string) => (body += chunk))
    req.on('end', () => resolve(body))
  })
}

export async function startRegistryDouble(options: RegistryDoubleOptions = {}): Promise<RegistryDouble> {
  const manifests = new Map<string, { bytes: Buffer; mediaType: string; digest: string }>()
  const blobs = new Map<string, Buffer>()
  const faults: { prefix: string; fault: Fault }[] = []
  const requests: RecordedRegistryRequest[] = []
  const tokens = new Map<string, { user: string | undefined; scope: string }>()
  let origin = ''

  const challenge = (scope: string) =>
    options.auth?.scheme === 'basic'
      ? 'Basic realm="registry double"'
      : `Bearer realm="${options.auth?.realm ?? `${origin}/token`}",service="registry-double",scope="${scope}"`

  const basicUser = (header: string | undefined, users: Record<string, string> = {}) => {
    const match = /^Basic (.+)$/.exec(header ?? '')
    if (!match) return undefined
    const [user, ...rest] = Buffer.from(match[1]!, 'base64').toString('utf8').split(':')
    return user !== undefined && users[user] !== undefined && users[user] === rest.join(':') ? user : null
  }

  const issueToken = (
    res: import('node:http').ServerResponse,
    user: string | undefined,
    scope: string,
    field = 'token'
  ) => {
    const token = randomBytes(16).toString('hex')
    tokens.set(token, { user, scope })
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ [field]: token, expires_in: 300 }))
  }

  const tokenEndpoint = (req: RecordedRegistryRequest, res: import('node:http').ServerResponse) => {
    const auth = options.auth
    if (auth?.scheme !== 'bearer') return void res.writeHead(404).end()
    if (req.method === 'POST') {
      const form = new URLSearchParams(req.body)
      const user = auth.refreshTokens?.[form.get('refresh_token') ?? '']
      if (form.get('grant_type') !== 'refresh_token' || !user) return void res.writeHead(401).end()
      return issueToken(res, user, form.get('scope') ?? '', 'access_token')
    }
    const user = basicUser(req.headers.authorization, auth.users)
    if (user === null || (user === undefined && !auth.anonymousPull)) return void res.writeHead(401).end()
    issueToken(res, user, req.query.get('scope') ?? '')
  }

  const authorized = (req: RecordedRegistryRequest, repository: string): boolean => {
    const auth = options.auth
    if (!auth) return true
    if (auth.scheme === 'basic') return typeof basicUser(req.headers.authorization, auth.users) === 'string'
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1]
    const granted = token ? tokens.get(token) : undefined
    return granted?.scope === `repository:${repository}:pull`
  }

  const server: Server = createServer(async (incoming, res) => {
    const url = new URL(incoming.url ?? '/', 'http://double')
    const req: RecordedRegistryRequest = {
      method: incoming.method ?? 'GET',
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      body: await readBody(incoming)
    }
    requests.push(req)
    const faultIndex = faults.findIndex(f => req.path.startsWith(f.prefix))
    const fault = faultIndex >= 0 ? faults.splice(faultIndex, 1)[0]!.fault : undefined
    if (fault?.kind === 'reset') return void incoming.socket.destroy()
    if (fault?.kind === 'status') {
      res.writeHead(fault.status, { 'content-type': 'text/plain', ...fault.headers })
      return void res.end(`scripted ${fault.status}\n`)
    }
    if (req.path === '/token') return tokenEndpoint(req, res)
    const match = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(req.path)
    if (!match) return void res.writeHead(404).end()
    const [, repository, kind, target] = match as unknown as [string, string, string, string]
    if (!authorized(req, repository)) {
      res.writeHead(401, { 'www-authenticate': challenge(`repository:${repository}:pull`) })
      return void res.end('{"errors":[{"code":"UNAUTHORIZED"}]}')
    }
    if (kind === 'manifests') {
      const manifest = manifests.get(`${repository}@${target}`)
      if (!manifest) return void res.writeHead(404).end('{"errors":[{"code":"MANIFEST_UNKNOWN"}]}')
      const headers: Record<string, string | number> = {
        'content-type': options.manifestContentType ?? manifest.mediaType,
        'content-length': manifest.bytes.length
      }
      if (options.digestHeader !== false) headers['docker-content-digest'] = manifest.digest
      res.writeHead(200, headers)
      return void res.end(req.method === 'HEAD' ? undefined : manifest.bytes)
    }
    const bytes = blobs.get(`${repository}@${target}`)
    if (!bytes) return void res.writeHead(404).end('{"errors":[{"code":"BLOB_UNKNOWN"}]}')
    if (options.blobStorage) {
      options.blobStorage.setFile(`/storage/${target}`, bytes)
      res.writeHead(307, { location: options.blobStorage.url(`/storage/${target}`) })
      return void res.end()
    }
    if (fault?.kind === 'stall') {
      res.writeHead(200, { 'content-length': bytes.length })
      return void res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => incoming.socket.destroy())
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.length })
    res.end(bytes)
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const { port } = server.address() as AddressInfo
  origin = `http://127.0.0.1:${port}`

  const putManifest = (repository: string, blob: Blob, ...tags: string[]) => {
    const entry = { bytes: blob.bytes, mediaType: blob.mediaType, digest: blob.digest }
    for (const key of [blob.digest, ...tags]) manifests.set(`${repository}@${key}`, entry)
  }
  const putBlob = (repository: string, blob: Blob) =>
    void blobs.set(`${repository}@${blob.digest}`, blob.bytes)
  return {
    origin,
    host: `127.0.0.1:${port}`,
    requests,
    putManifest,
    putBlob,
    pushImage(repository, image, ...tags) {
      for (const blob of blobsOf(image)) putBlob(repository, blob)
      putManifest(repository, image.manifest, ...tags)
    },
    tamper(repository, digest, bytes) {
      const manifest = manifests.get(`${repository}@${digest}`)
      if (manifest) {
        for (const [key, value] of manifests)
          if (value === manifest) manifests.set(key, { ...manifest, bytes })
      } else blobs.set(`${repository}@${digest}`, bytes)
    },
    failNext: (prefix, ...more) => void faults.push(...more.map(fault => ({ prefix, fault }))),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close(error => (error ? reject(error) : resolve()))
      })
  }
}
