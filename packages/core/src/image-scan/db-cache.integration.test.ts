// The vulnerability DB cache through the real @actions/cache (what the bundle loads) against a loopback
// double of the runner's cache service v2, with the DB itself downloaded from a registry double: what a
// job restores and saves, what the service is asked, and what happens when it fails.
import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import {
  cacheVersion,
  listArchive,
  startCacheServiceDouble,
  type CacheServiceDouble
} from '../../../../test/support/cache-service-double.js'
import { IMAGE_SCAN_INPUT_NAMES } from '../../../../test/support/image-scan-options.js'
import { buildArtifact, MEDIA, tar } from '../../../../test/support/oci-image.js'
import { startRegistryDouble, type RegistryDouble } from '../../../../test/support/registry-double.js'
import { memoryLogger } from '../runtime/logger.js'
import { RegistryClient } from '../registry/client.js'
import { anonymous } from '../registry/credentials.js'
import { actionsDbCache, dailyKey, restoreDb } from './db-cache.js'
import { provisionTrivyDb } from './trivy-db.js'

const TODAY = new Date('2026-12-01T10:00:00Z')
const YESTERDAY = new Date('2026-11-30T10:00:00Z')
const PREFIX = 'secure-pipeline-trivy-db-v2-'
const TODAYS_KEY = `${PREFIX}2026-12-01`
const YESTERDAYS_KEY = `${PREFIX}2026-11-30`
// What @actions/cache picks, by the same probe: zstd when `zstd --version` answers, else gzip.
const COMPRESSION = spawnSync('zstd', ['--quiet', '--version']).status === 0 ? 'zstd-without-long' : 'gzip'
/** The library's environment: it reads process.env itself, so the test sets it there and puts it back. */
const TOUCHED = [
  'ACTIONS_RESULTS_URL',
  'ACTIONS_RUNTIME_TOKEN',
  'ACTIONS_CACHE_SERVICE_V2',
  'ACTIONS_CACHE_URL',
  'ACTIONS_CACHE_MODE',
  'GITHUB_SERVER_URL',
  'GITHUB_WORKSPACE',
  'RUNNER_TEMP'
]

let service: CacheServiceDouble
let registry: RegistryDouble
let scratch: string
let root: string
let saved: Record<string, string | undefined>
let stdout: string[]

beforeEach(async () => {
  service = await startCacheServiceDouble()
  registry = await startRegistryDouble()
  scratch = mkdtempSync(path.join(tmpdir(), 'sp-db-cache-'))
  root = path.join(scratch, 'tool-cache', 'trivy-db')
  saved = Object.fromEntries(TOUCHED.map(name => [name, process.env[name]]))
  for (const name of TOUCHED) delete process.env[name]
  Object.assign(process.env, service.env, {
    GITHUB_WORKSPACE: path.join(scratch, 'workspace'),
    RUNNER_TEMP: path.join(scratch, 'runner-temp')
  })
  mkdirSync(process.env.GITHUB_WORKSPACE!, { recursive: true })
  // What @actions/core writes for the runner (its warnings among them), kept for assertions.
  stdout = []
  jest.spyOn(process.stdout, 'write').mockImplementation(chunk => {
    stdout.push(String(chunk))
    return true
  })
})
afterEach(async () => {
  jest.restoreAllMocks()
  for (const [name, value] of Object.entries(saved))
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  await service.close()
  await registry.close()
  rmSync(scratch, { recursive: true, force: true })
})

/** Trivy's DB artifact in the registry double, built `hours` before `now`, its trivy.db random bytes. */
function publishDb(now: Date, hours = 2): Buffer {
  const db = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919 + now.getTime()) % 251))
  const updatedAt = new Date(now.getTime() - hours * 3_600_000).toISOString()
  const metadata = JSON.stringify({ Version: 2, UpdatedAt: updatedAt, NextUpdate: updatedAt })
  const artifact = buildArtifact(
    gzipSync(
      tar([
        { name: 'trivy.db', content: db },
        { name: 'metadata.json', content: metadata }
      ])
    ),
    MEDIA.trivyDbLayer,
    MEDIA.trivyDbConfig
  )
  for (const blob of artifact.blobs) registry.putBlob('aquasec/trivy-db', blob)
  registry.putManifest('aquasec/trivy-db', artifact.manifest, '2')
  return db
}

/** One job's DB step, as image-scan runs it: restore, download when needed, and the save for the end. */
async function job(now: Date) {
  const logger = memoryLogger()
  const db = await provisionTrivyDb(
    {
      root,
      repositories: [`${registry.host}/aquasec/trivy-db:2`],
      maxAgeHours: 120,
      allowStale: false,
      offline: false,
      settings: IMAGE_SCAN_INPUT_NAMES
    },
    {
      client: new RegistryClient({
        credentials: anonymous,
        retry: { baseDelayMs: 10, attemptTimeoutMs: 5_000 }
      }),
      cache: actionsDbCache(process.env),
      logger,
      now
    }
  )
  await db.save()
  return { db, logger }
}

const paths = () => [path.join(root, 'db'), path.join(root, 'java-db')]
const version = () => cacheVersion(paths(), COMPRESSION)
const operations = () => service.requests.map(r => r.operation)
const warnings = () => stdout.filter(line => line.startsWith('::warning::'))
const dbFiles = () => ['trivy.db', 'metadata.json'].map(name => readFileSync(path.join(root, 'db', name)))
const downloads = () => registry.requests.filter(r => r.path.includes('/blobs/')).length

describe('the vulnerability DB cache through @actions/cache and the cache service v2', () => {
  it('a miss restores nothing, having asked for the daily key, its prefix and the version of the paths', async () => {
    const cache = actionsDbCache(process.env)!
    const key = dailyKey('trivy', 2, TODAY)
    expect(await cache.restore(paths(), key.key, key.restoreKeys)).toBeUndefined()
    expect(service.requests).toEqual([
      {
        operation: 'GetCacheEntryDownloadURL',
        status: 200,
        body: { key: TODAYS_KEY, restore_keys: [PREFIX], version: version() }
      }
    ])
  })

  it("saves the downloaded DB under today's key, and the next job restores it byte-identical and downloads nothing", async () => {
    publishDb(TODAY)
    const first = await job(TODAY)
    expect(first.db.source).toBe('downloaded')
    expect(first.logger.lines).toContain(`Vulnerability DB cache: saved ${TODAYS_KEY}`)
    // A miss, then one entry created, uploaded by the Azure SDK in one Put Blob, and finalized.
    expect(operations()).toEqual([
      'GetCacheEntryDownloadURL',
      'CreateCacheEntry',
      'PutBlob',
      'FinalizeCacheEntryUpload'
    ])
    expect(service.requests.every(r => r.status < 300)).toBe(true)
    expect(service.requests[2]!.headers?.['x-ms-blob-type']).toBe('BlockBlob')
    const [entry] = service.entries
    expect(entry).toMatchObject({ key: TODAYS_KEY, version: version(), finalized: true })
    expect(service.requests.map(r => (r.body as { version?: string } | undefined)?.version)).toEqual([
      version(),
      version(),
      undefined,
      version()
    ])
    expect(service.requests[3]!.body).toMatchObject({ size_bytes: String(entry!.archive!.length) })
    // A tar, compressed as the library chose, of the DB directory as tar saw it from the workspace.
    const fromWorkspace = path.relative(process.env.GITHUB_WORKSPACE!, path.join(root, 'db'))
    expect(listArchive(entry!.archive!)).toEqual({
      compression: COMPRESSION === 'gzip' ? 'gzip' : 'zstd',
      members: expect.arrayContaining([`${fromWorkspace}/trivy.db`, `${fromWorkspace}/metadata.json`])
    })

    const kept = dbFiles()
    rmSync(root, { recursive: true, force: true })
    const downloaded = downloads()
    service.requests.length = 0
    const second = await job(new Date(TODAY.getTime() + 3_600_000))
    expect(second.db.source).toBe('cache')
    expect(second.logger.lines).toContain(`Vulnerability DB cache: restored ${TODAYS_KEY}`)
    expect(dbFiles()).toEqual(kept)
    expect(downloads()).toBe(downloaded)
    expect(operations()).toEqual(['GetCacheEntryDownloadURL', 'GetBlob'])
    expect(service.entries).toHaveLength(1)
  }, 120_000)

  it("starts a new day from yesterday's entry through the prefix, downloads once and saves under today's key", async () => {
    publishDb(YESTERDAY)
    await job(YESTERDAY)
    rmSync(root, { recursive: true, force: true })
    service.requests.length = 0
    const downloaded = downloads()
    publishDb(TODAY)
    const today = await job(TODAY)
    expect(today.logger.lines).toContain(
      `Vulnerability DB cache: restored ${YESTERDAYS_KEY} (looking for ${TODAYS_KEY})`
    )
    expect(today.db.source).toBe('downloaded')
    expect(downloads()).toBeGreaterThan(downloaded)
    expect(service.requests[0]).toMatchObject({
      operation: 'GetCacheEntryDownloadURL',
      body: { key: TODAYS_KEY, restore_keys: [PREFIX] }
    })
    expect(service.entries.map(e => [e.key, e.finalized])).toEqual([
      [YESTERDAYS_KEY, true],
      [TODAYS_KEY, true]
    ])
  }, 120_000)

  it('a service answering 500 costs a warning and a download, never the run; saving then warns too', async () => {
    publishDb(TODAY)
    service.failAll(500)
    const run = await job(TODAY)
    expect(run.db.source).toBe('downloaded')
    // The library retried each call 5 times, then warned and went on without the cache.
    expect(operations()).toEqual([
      ...Array<string>(5).fill('GetCacheEntryDownloadURL'),
      ...Array<string>(5).fill('CreateCacheEntry')
    ])
    expect(warnings().join('')).toMatch(/Failed to restore: .*\(500\).*the cache service is having a bad day/)
    expect(run.logger.lines).toContain(`Vulnerability DB cache: nothing restored for ${TODAYS_KEY}`)
    expect(run.logger.lines).toContain(
      `warning: Vulnerability DB cache ${TODAYS_KEY} was not saved: the cache service did not take it (another job of the same day may have saved it first).`
    )
    expect(run.logger.lines).not.toContain(`Vulnerability DB cache: saved ${TODAYS_KEY}`)
    expect(service.entries).toEqual([])
  }, 180_000)

  it('a read-only token (a fork pull request): the save is refused with a warning and the run goes on', async () => {
    publishDb(TODAY)
    service.denyWrites(true)
    const run = await job(TODAY)
    expect(run.db.source).toBe('downloaded')
    expect(operations()).toEqual(['GetCacheEntryDownloadURL', 'CreateCacheEntry'])
    expect(warnings().join('')).toContain('cache write denied: token has no writable scopes')
    expect(run.logger.lines).toContain(
      `warning: Vulnerability DB cache ${TODAYS_KEY} was not saved: the cache service did not take it (another job of the same day may have saved it first).`
    )
    expect(service.entries).toEqual([])
  }, 120_000)

  it('two jobs of a day that both downloaded: the second save meets the first entry (409) and reports false', async () => {
    publishDb(TODAY)
    await job(TODAY)
    const cache = actionsDbCache(process.env)!
    expect(await cache.save(paths(), TODAYS_KEY)).toBe(false)
    expect(service.requests.at(-1)).toMatchObject({
      operation: 'CreateCacheEntry',
      status: 409,
      error: 'already_exists: cache entry with the same key, version, and scope already exists'
    })
    expect(service.entries).toHaveLength(1)
  }, 120_000)

  it('a token the service refuses: the library reports its 401 and nothing is restored', async () => {
    process.env.ACTIONS_RUNTIME_TOKEN = 'not-the-runtime-token'
    const logger = memoryLogger()
    const key = dailyKey('trivy', 2, TODAY)
    expect(await restoreDb(actionsDbCache(process.env), paths(), key, logger)).toBeUndefined()
    expect(service.requests).toEqual([
      expect.objectContaining({ operation: 'GetCacheEntryDownloadURL', status: 401 })
    ])
    expect(warnings().join('')).toMatch(
      /Failed to restore: .*\(401\).*the runtime token is missing or not valid/
    )
  })

  it('asks nothing of a runner whose URL is not for the service this library speaks (v2 not switched on)', async () => {
    delete process.env.ACTIONS_CACHE_SERVICE_V2
    const logger = memoryLogger()
    const key = dailyKey('trivy', 2, TODAY)
    expect(await restoreDb(actionsDbCache(process.env), paths(), key, logger)).toBeUndefined()
    expect(service.requests).toEqual([])
    expect(logger.lines).toEqual([
      'warning: Vulnerability DB cache could not be restored (the runner sets no URL for the cache service this version of @actions/cache speaks); downloading instead.'
    ])
  })
})

describe('the cache service double refuses what the service refuses', () => {
  const call = (method: string, body: unknown, token = process.env.ACTIONS_RUNTIME_TOKEN) =>
    fetch(`${process.env.ACTIONS_RESULTS_URL}twirp/github.actions.results.api.v1.CacheService/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify(body)
    }).then(async r => ({ status: r.status, body: (await r.json()) as unknown }))

  it('an unknown field, a missing version, an unknown method', async () => {
    expect(await call('CreateCacheEntry', { key: 'k', version: 'v', cacheSize: 3 })).toEqual({
      status: 400,
      body: { code: 'malformed', msg: 'unknown field "cacheSize" in CreateCacheEntryRequest' }
    })
    expect(await call('CreateCacheEntry', { key: 'k' })).toEqual({
      status: 400,
      body: { code: 'invalid_argument', msg: 'version is required' }
    })
    expect((await call('DeleteCacheEntry', { key: 'k' })).body).toMatchObject({ code: 'bad_route' })
    expect(service.entries).toEqual([])
  })

  it('a second entry with the same key and version, and a finalize with the wrong size', async () => {
    expect(await call('CreateCacheEntry', { key: 'k', version: 'v' })).toMatchObject({ status: 200 })
    expect(await call('CreateCacheEntry', { key: 'k', version: 'v' })).toMatchObject({
      status: 409,
      body: { code: 'already_exists' }
    })
    expect(await call('FinalizeCacheEntryUpload', { key: 'k', version: 'v', size_bytes: '3' })).toMatchObject(
      {
        status: 400,
        body: { code: 'invalid_argument', msg: 'nothing was uploaded for this cache entry' }
      }
    )
  })
})
