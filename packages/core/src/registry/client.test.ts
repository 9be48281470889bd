import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startHttpFileServer, type HttpFileServer } from '../../../../test/support/http-file-server.js'
import {
  blobOf,
  buildImage,
  buildIndex,
  sha256,
  type BuiltImage
} from '../../../../test/support/oci-image.js'
import {
  startRegistryDouble,
  type RegistryDouble,
  type RegistryDoubleOptions
} from '../../../../test/support/registry-double.js'
import { CancelledError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { RegistryClient, resolveDigest, type RegistryClientOptions } from './client.js'
import { anonymous, type CredentialSource } from './credentials.js'
import { RegistryError } from './errors.js'
import { fromFirstAvailable } from './mirrors.js'

const amd64 = buildImage({ layers: [{ 'etc/hostname': 'amd64\n' }] })
const arm64 = buildImage({
  layers: [{ 'etc/hostname': 'arm64\n' }],
  platform: { os: 'linux', architecture: 'arm64' }
})
const attestation = blobOf('{"schemaVersion":2}', 'application/vnd.oci.image.manifest.v1+json')
const index = buildIndex(
  [amd64, arm64],
  [{ ...attestation, platform: { os: 'unknown', architecture: 'unknown' } }]
)

let registry: RegistryDouble
let waits: number[]
let work: string

async function start(options: RegistryDoubleOptions = {}) {
  registry = await startRegistryDouble(options)
  for (const image of [amd64, arm64]) registry.pushImage('team/app', image)
  registry.putManifest('team/app', index, '1.0', 'latest')
  registry.pushImage('team/single', amd64, 'v1')
}

function client(credentials: CredentialSource = anonymous, extra: RegistryClientOptions = {}) {
  return new RegistryClient({
    credentials,
    sleep: async ms => void waits.push(ms),
    retry: { baseDelayMs: 100, attemptTimeoutMs: 5_000 },
    ...extra
  })
}

const ref = (name: string) => `${registry.host}/${name}`

async function failure(promise: Promise<unknown>): Promise<RegistryError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e
  )
  expect(error).toBeInstanceOf(RegistryError)
  return error as RegistryError
}

beforeEach(() => {
  waits = []
  work = mkdtempSync(path.join(tmpdir(), 'sp-registry-'))
})
afterEach(async () => {
  rmSync(work, { recursive: true, force: true })
  await registry?.close()
})

describe('resolveDigest (what a tag names now, to pin it by)', () => {
  it('gives the index digest of a multi-platform tag from one HEAD request', async () => {
    await start()
    const resolved = await resolveDigest(ref('team/app:1.0'), { credentials: anonymous })
    expect(resolved).toEqual({
      reference: ref('team/app:1.0'),
      digest: index.digest,
      mediaType: 'application/vnd.oci.image.index.v1+json',
      pinned: `${ref('team/app')}@${index.digest}`
    })
    expect(registry.requests.map(r => `${r.method} ${r.path}`)).toEqual([`HEAD /v2/team/app/manifests/1.0`])
    expect(registry.requests[0]!.headers.accept).toContain('application/vnd.oci.image.index.v1+json')
  })

  it('reads `latest` for a reference without tag, and keeps a digest it was given', async () => {
    await start()
    expect((await client().resolveDigest(ref('team/app'))).digest).toBe(index.digest)
    const byDigest = await client().resolveDigest(ref(`team/single@${amd64.manifest.digest}`))
    expect(byDigest.pinned).toBe(ref(`team/single@${amd64.manifest.digest}`))
  })

  it('hashes the manifest itself when the registry sends no digest on HEAD', async () => {
    await start({ digestHeader: false })
    const resolved = await client().resolveDigest(ref('team/single:v1'))
    expect(resolved.digest).toBe(sha256(amd64.manifest.bytes))
    expect(registry.requests.map(r => r.method)).toEqual(['HEAD', 'GET'])
  })

  it('says not-found for a tag that does not exist, and never retries it', async () => {
    await start()
    const error = await failure(client().resolveDigest(ref('team/app:nope')))
    expect(error).toMatchObject({ reason: 'not-found', status: 404 })
    expect(error.message).toContain('HTTP 404')
    expect(registry.requests).toHaveLength(1)
  })

  it('refuses a reference that is not one before sending anything', async () => {
    await start()
    expect((await failure(client().resolveDigest(ref('Team/App:1')))).reason).toBe('invalid')
    expect((await failure(client().resolveDigest(ref('team/app@sha256:abc')))).reason).toBe('invalid')
    // The URL would resolve the dot segments: `other/..` names one repository and fetches another.
    for (const name of ['other/../team/app:1.0', 'team/./app:1.0', 'team//app:1.0', 'team/app/:1.0']) {
      const error = await failure(client().fetchManifest(ref(name)))
      expect(error.reason).toBe('invalid')
      expect(error.message).toContain('not an image reference')
    }
    expect(registry.requests).toHaveLength(0)
  })
})

describe('bearer-token flow and docker credentials', () => {
  it('fetches an anonymous token for the pull scope of a public repository and reuses it', async () => {
    await start({ auth: { scheme: 'bearer', anonymousPull: true } })
    const c = client()
    await c.resolveDigest(ref('team/app:1.0'))
    await c.resolveDigest(ref('team/app:latest'))
    const token = registry.requests.filter(r => r.path === '/token')
    expect(token).toHaveLength(1)
    expect(token[0]!.query.get('scope')).toBe('repository:team/app:pull')
    expect(token[0]!.query.get('service')).toBe('registry-double')
    expect(token[0]!.headers.authorization).toBeUndefined()
    expect(registry.requests.map(r => r.method)).toEqual(['HEAD', 'GET', 'HEAD', 'HEAD'])
  })

  it('sends the stored user and password to the token endpoint, never to the registry itself', async () => {
    await start({ auth: { scheme: 'bearer', users: { ci: 's3cret-pw' } } })
    const credentials: CredentialSource = async host =>
      host === registry.host ? { username: 'ci', password: 's3cret-pw' } : undefined
    expect((await client(credentials).resolveDigest(ref('team/app:1.0'))).digest).toBe(index.digest)
    const basic = `Basic ${Buffer.from('ci:s3cret-pw').toString('base64')}`
    expect(registry.requests.find(r => r.path === '/token')?.headers.authorization).toBe(basic)
    for (const r of registry.requests.filter(r => r.path.startsWith('/v2/')))
      expect(r.headers.authorization ?? '').not.toContain('Basic')
  })

  it('exchanges an identity token with the refresh-token grant', async () => {
    await start({ auth: { scheme: 'bearer', refreshTokens: { 'refresh-123': 'ci' } } })
    await client(async () => ({ identityToken: 'refresh-123' })).resolveDigest(ref('team/app:1.0'))
    const post = registry.requests.find(r => r.path === '/token')!
    expect(post.method).toBe('POST')
    expect(Object.fromEntries(new URLSearchParams(post.body))).toMatchObject({
      grant_type: 'refresh_token',
      refresh_token: 'refresh-123',
      scope: 'repository:team/app:pull',
      service: 'registry-double'
    })
  })

  it('answers a Basic challenge with the stored credentials', async () => {
    await start({ auth: { scheme: 'basic', users: { ci: 'pw' } } })
    const resolved = await client(async () => ({ username: 'ci', password: 'pw' })).resolveDigest(
      ref('team/app:1.0')
    )
    expect(resolved.digest).toBe(index.digest)
  })

  it('says unauthorized, naming docker login, when the credentials are refused or missing', async () => {
    await start({ auth: { scheme: 'bearer', users: { ci: 'right' } } })
    const wrong = await failure(
      client(async () => ({ username: 'ci', password: 'wrong' })).resolveDigest(ref('team/app:1.0'))
    )
    expect(wrong).toMatchObject({ reason: 'unauthorized', status: 401 })
    expect(wrong.message).toContain('docker login')
    expect(wrong.message).not.toContain('wrong')
    const none = await failure(client().resolveDigest(ref('team/app:1.0')))
    expect(none.reason).toBe('unauthorized')
  })

  it('refuses a token endpoint without TLS off this machine', async () => {
    await start({ auth: { scheme: 'bearer', anonymousPull: true, realm: 'http://auth.example.com/token' } })
    const error = await failure(
      client(async () => ({ username: 'ci', password: 'pw' })).resolveDigest(ref('team/app:1.0'))
    )
    expect(error.reason).toBe('unauthorized')
    expect(error.message).toContain('refusing a token endpoint without https')
  })

  it('never sends the credentials of a registry off this machine to a token endpoint on it', async () => {
    await start() // unused: the registry here is off this machine, but afterEach closes one
    const sent: string[] = []
    const called = new RegistryClient({
      credentials: async () => ({ username: 'ci', password: 's3cret-pw' }),
      sleep: async () => undefined,
      fetch: async url => {
        sent.push(url.href)
        return new Response(null, {
          status: 401,
          headers: { 'www-authenticate': 'Bearer realm="http://127.0.0.1:9/token",service="x"' }
        })
      }
    })
    const error = await failure(called.resolveDigest('registry.example/team/app:1'))
    expect(error.reason).toBe('unauthorized')
    expect(error.message).toContain('sends clients to http://127.0.0.1:9 for a token')
    expect(sent.every(url => url.startsWith('https://registry.example/'))).toBe(true)
  })
})

describe('retries', () => {
  it('waits as Retry-After says on 429, backs off on 500, then succeeds', async () => {
    await start()
    registry.failNext(
      '/v2/team/app/manifests/',
      { kind: 'status', status: 429, headers: { 'retry-after': '7' } },
      { kind: 'status', status: 500 }
    )
    const logger = memoryLogger()
    const resolved = await client(anonymous, { logger }).resolveDigest(ref('team/app:1.0'))
    expect(resolved.digest).toBe(index.digest)
    expect(waits[0]).toBe(7000)
    // The second wait is the backoff of retry 2: 200 ms with jitter in its upper half.
    expect(waits[1]).toBeGreaterThanOrEqual(100)
    expect(waits[1]).toBeLessThanOrEqual(200)
    expect(logger.lines.filter(l => l.startsWith('warning: Resolving'))).toHaveLength(2)
  })

  it('gives up after the attempts of its policy with the last status, as unavailable', async () => {
    await start()
    registry.failNext('/v2/', ...Array.from({ length: 4 }, () => ({ kind: 'status' as const, status: 503 })))
    const error = await failure(client().resolveDigest(ref('team/app:1.0')))
    expect(error).toMatchObject({ reason: 'unavailable', status: 503 })
    expect(error.message).toContain('failed after 4 attempts: HTTP 503')
    expect(waits).toHaveLength(3)
  })

  it('retries a reset connection and a registry that is down is unavailable', async () => {
    await start()
    registry.failNext('/v2/', { kind: 'reset' })
    expect((await client().resolveDigest(ref('team/app:1.0'))).digest).toBe(index.digest)
    const closed = await startRegistryDouble()
    await closed.close()
    const down = await failure(client().resolveDigest(`${closed.host}/team/app:1.0`))
    expect(down.reason).toBe('unavailable')
    expect(down.message).toContain('ECONNREFUSED')
  })
})

describe('manifests, platforms and integrity', () => {
  it('narrows an index to the asked platform and to the runner platform by default', async () => {
    await start()
    const arm = await client().resolveImage(ref('team/app:1.0'), {
      os: 'linux',
      architecture: 'arm64',
      variant: 'v8'
    })
    expect(arm).toMatchObject({
      digest: arm64.manifest.digest,
      indexDigest: index.digest,
      platform: { architecture: 'arm64' }
    })
    expect(arm.manifest.layers[0]?.digest).toBe(arm64.layers[0]!.digest)
    const runner = await client().resolveImage(ref('team/app:1.0'))
    expect(runner.platform?.architecture).toBe(process.arch === 'arm64' ? 'arm64' : 'amd64')
  })

  it('names the platforms an index has when the asked one is missing', async () => {
    await start()
    const error = await failure(
      client().resolveImage(ref('team/app:1.0'), { os: 'linux', architecture: 's390x' })
    )
    expect(error.reason).toBe('platform')
    expect(error.message).toContain(
      'has no linux/s390x image (it has linux/amd64, linux/arm64, unknown/unknown)'
    )
  })

  it('names a few of the platforms of a huge index, each once, not all of them', async () => {
    await start()
    const many = Array.from({ length: 3000 }, (_, i) => ({
      ...attestation,
      platform: { os: 'linux', architecture: 'riscv64', variant: `v${i % 1500}` }
    }))
    registry.putManifest('team/app', buildIndex([amd64], many), 'many')
    const error = await failure(
      client().resolveImage(ref('team/app:many'), { os: 'linux', architecture: 's390x' })
    )
    expect(error.message).toContain(
      'has no linux/s390x image (it has linux/amd64, linux/riscv64/v0, linux/riscv64/v1, linux/riscv64/v2,'
    )
    expect(error.message).toContain('linux/riscv64/v8 and 1491 more)')
    expect(error.message.length).toBeLessThan(500)
  })

  it('checks a single image against the asked platform from its config', async () => {
    await start()
    const ok = await client().resolveImage(ref('team/single:v1'), { os: 'linux', architecture: 'amd64' })
    expect(ok.platform).toEqual({ os: 'linux', architecture: 'amd64' })
    const error = await failure(
      client().resolveImage(ref('team/single:v1'), { os: 'linux', architecture: 'arm64' })
    )
    expect(error.message).toContain('is a single linux/amd64 image, not linux/arm64')
  })

  it('refuses a manifest whose bytes do not match the digest the registry states', async () => {
    await start()
    const other = buildImage({ layers: [{ evil: 'x' }] })
    registry.tamper('team/single', amd64.manifest.digest, other.manifest.bytes)
    const error = await failure(client().fetchManifest(ref('team/single:v1')))
    expect(error.reason).toBe('integrity')
    expect(error.message).toContain(`not ${amd64.manifest.digest}`)
  })

  it('reads a Docker-Content-Digest in upper case as the digest it states, and holds the bytes to it', async () => {
    await start()
    const served = (stated: string) =>
      new RegistryClient({
        credentials: anonymous,
        sleep: async () => undefined,
        fetch: async () =>
          new Response(amd64.manifest.bytes, {
            headers: { 'content-type': amd64.manifest.mediaType, 'docker-content-digest': stated }
          })
      })
    const upper = (digest: string) => digest.replace(/[a-f]/g, c => c.toUpperCase())
    const error = await failure(served(upper(arm64.manifest.digest)).fetchManifest('registry.example/a:1'))
    expect(error.reason).toBe('integrity')
    expect(error.message).toContain(`not ${arm64.manifest.digest}`)
    const same = await served(upper(amd64.manifest.digest)).fetchManifest('registry.example/a:1')
    expect(same.digest).toBe(amd64.manifest.digest)
  })

  it('refuses a manifest served as an index (or the other way round)', async () => {
    await start({ manifestContentType: 'application/vnd.oci.image.index.v1+json' })
    const error = await failure(client().fetchManifest(ref('team/single:v1')))
    expect(error).toMatchObject({ reason: 'invalid' })
    expect(error.message).toContain('served as application/vnd.oci.image.index.v1+json')
  })
})

describe('blobs', () => {
  const layer = (image: BuiltImage) => image.layers[0]!

  it('streams a blob to disk and checks it against its digest', async () => {
    await start()
    const dest = path.join(work, 'layer.tar.gz')
    await client().downloadBlob(ref('team/app'), layer(amd64).digest, dest, 1 << 20)
    expect(sha256(readFileSync(dest))).toBe(layer(amd64).digest)
  })

  it('deletes a blob whose bytes do not match, and says so', async () => {
    await start()
    registry.tamper('team/app', layer(amd64).digest, Buffer.from('not the layer'))
    const dest = path.join(work, 'layer.tar.gz')
    const error = await failure(client().downloadBlob(ref('team/app'), layer(amd64).digest, dest, 1 << 20))
    expect(error.reason).toBe('integrity')
    expect(existsSync(dest)).toBe(false)
  })

  it('fetches again a body cut short, and refuses one over the limit', async () => {
    await start()
    registry.failNext(`/v2/team/app/blobs/`, { kind: 'stall' })
    const dest = path.join(work, 'layer.tar.gz')
    await client().downloadBlob(ref('team/app'), layer(amd64).digest, dest, 1 << 20)
    expect(sha256(readFileSync(dest))).toBe(layer(amd64).digest)
    expect(waits).toHaveLength(1)
    const error = await failure(client().downloadBlob(ref('team/app'), layer(amd64).digest, dest, 10))
    expect(error.message).toContain('over the 10-byte limit')
    expect(existsSync(dest)).toBe(false)
  })

  it('stops waiting to retry as soon as the run calls the request off', async () => {
    await start()
    registry.failNext('/v2/team/app/manifests/', {
      kind: 'status',
      status: 503,
      headers: { 'retry-after': '3600' }
    })
    const cancel = new AbortController()
    const asked: number[] = []
    // A wait that only the abort can end: without it, this test hangs on the hour-long Retry-After.
    const called = client(anonymous, {
      retry: { maxDelayMs: 3_600_000 },
      sleep: (ms, signal) => {
        asked.push(ms)
        setImmediate(() => cancel.abort())
        return new Promise<void>(resolve =>
          signal?.addEventListener('abort', () => resolve(), { once: true })
        )
      }
    }).cancelledBy(cancel.signal)
    await expect(called.fetchManifest(ref('team/app:1.0'))).rejects.toBeInstanceOf(CancelledError)
    expect(asked).toEqual([3_600_000])
    expect(registry.requests.filter(r => r.path.startsWith('/v2/team/app/manifests/'))).toHaveLength(1)
  })

  describe('redirected to storage on another origin', () => {
    let storage: HttpFileServer
    beforeAll(async () => void (storage = await startHttpFileServer()))
    afterAll(() => storage.close())

    it('gives up a download the run called off: no retry, no other mirror, no file', async () => {
      await start({ blobStorage: storage })
      const digest = layer(amd64).digest
      storage.requests.length = 0
      // The storage sends half the blob and then nothing: only the abort ends this attempt.
      storage.failNext(`/storage/${digest}`, { kind: 'stall' })
      const cancel = new AbortController()
      const dest = path.join(work, 'layer.tar.gz')
      const called = client(anonymous, { retry: { attemptTimeoutMs: 600_000 } }).cancelledBy(cancel.signal)
      const download = called.downloadBlob(ref('team/app'), digest, dest, 1 << 20)
      while (storage.requests.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
      cancel.abort()
      const error = await download.then(
        () => undefined,
        (e: unknown) => e
      )
      expect(error).toBeInstanceOf(CancelledError)
      expect(waits).toEqual([])
      expect(existsSync(dest)).toBe(false)
      expect(storage.requests).toHaveLength(1)
      // Called off before it starts: not a single request.
      const before = registry.requests.length
      await expect(called.fetchManifest(ref('team/app:1.0'))).rejects.toBeInstanceOf(CancelledError)
      expect(registry.requests).toHaveLength(before)
    })

    it('follows the redirect without the registry token', async () => {
      await start({ auth: { scheme: 'bearer', anonymousPull: true }, blobStorage: storage })
      const dest = path.join(work, 'layer.tar.gz')
      await client().downloadBlob(ref('team/app'), layer(arm64).digest, dest, 1 << 20)
      expect(sha256(readFileSync(dest))).toBe(layer(arm64).digest)
      const blobGet = registry.requests.filter(r => r.path.includes('/blobs/')).pop()
      expect(blobGet?.headers.authorization).toMatch(/^Bearer /)
      expect(storage.requests.map(r => r.headers.authorization)).toEqual([undefined])
    })

    it('never answers a challenge from the storage host with the registry credentials', async () => {
      await start({ auth: { scheme: 'bearer', users: { ci: 's3cret-pw' } }, blobStorage: storage })
      const attacker = await startHttpFileServer({ '/token': '{"token":"from-attacker"}' })
      try {
        const digest = layer(arm64).digest
        storage.failNext(`/storage/${digest}`, {
          kind: 'status',
          status: 401,
          headers: { 'www-authenticate': `Bearer realm="${attacker.url('/token')}",service="x"` }
        })
        const credentials: CredentialSource = async () => ({ username: 'ci', password: 's3cret-pw' })
        const dest = path.join(work, 'layer.tar.gz')
        // With the pull token already held, the storage host's 401 is the first challenge of the request.
        const called = client(credentials)
        await called.fetchManifest(ref('team/app:1.0'))
        const error = await failure(called.downloadBlob(ref('team/app'), digest, dest, 1 << 20))
        expect(attacker.requests).toEqual([])
        expect(error.reason).toBe('invalid')
        expect(error.message).toContain(`${new URL(storage.origin).host}, where ${registry.host} redirected`)
      } finally {
        await attacker.close()
      }
    })
  })
})

describe('answers the client refuses are registry errors, so the next mirror is tried', () => {
  let good: RegistryDouble | undefined
  afterEach(async () => {
    await good?.close()
    good = undefined
  })

  async function mirrors() {
    await start()
    good = await startRegistryDouble()
    for (const image of [amd64, arm64]) good.pushImage('team/app', image)
    good.putManifest('team/app', index, '1.0')
    return [ref('team/app:1.0'), `${good.host}/team/app:1.0`] as const
  }

  it('a redirect to plain http off this machine', async () => {
    const [bad, next] = await mirrors()
    const to = { location: 'http://storage.example.com/m' }
    registry.failNext('/v2/team/app/manifests/', { kind: 'status', status: 307, headers: to })
    const error = await failure(client().fetchManifest(bad))
    expect(error).toMatchObject({ reason: 'invalid', reference: bad })
    expect(error.message).toContain('refusing a redirect')
    registry.failNext('/v2/team/app/manifests/', { kind: 'status', status: 307, headers: to })
    const got = await fromFirstAvailable([bad, next], r => client().fetchManifest(r))
    expect(got).toMatchObject({ reference: next, value: { digest: index.digest } })
  })

  it('redirects without end, or to no URL', async () => {
    await start()
    const loop = { location: '/v2/team/app/manifests/1.0' }
    registry.failNext(
      '/v2/team/app/manifests/',
      ...Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 302, headers: loop }))
    )
    const error = await failure(client().fetchManifest(ref('team/app:1.0')))
    expect(error.reason).toBe('invalid')
    expect(error.message).toContain('more than 5 redirects')
    const nowhere = { location: 'http://[::1' }
    registry.failNext('/v2/team/app/manifests/', { kind: 'status', status: 302, headers: nowhere })
    const bad = await failure(client().fetchManifest(ref('team/app:1.0')))
    expect(bad.message).toContain('redirects to "http://[::1", which is no URL')
  })

  it('a manifest over the 4 MiB limit', async () => {
    const [bad, next] = await mirrors()
    registry.tamper('team/app', index.digest, Buffer.alloc(5 * 1024 * 1024, 0x20))
    const error = await failure(client().fetchManifest(bad))
    expect(error.reason).toBe('invalid')
    expect(error.message).toContain('over the 4194304-byte limit')
    const got = await fromFirstAvailable([bad, next], r => client().fetchManifest(r))
    expect(got.reference).toBe(next)
  })
})
