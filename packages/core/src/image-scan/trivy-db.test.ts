import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gzipSync } from 'node:zlib'
import { buildArtifact, MEDIA, tar } from '../../../../test/support/oci-image.js'
import { startRegistryDouble, type RegistryDouble } from '../../../../test/support/registry-double.js'
import { BrokenInputError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { RegistryClient } from '../registry/client.js'
import { anonymous } from '../registry/credentials.js'
import type { DbCache } from './db-cache.js'
import { provisionTrivyDb, type DbOptions } from './trivy-db.js'

const NOW = new Date('2026-11-20T10:00:00Z')
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000)
const meta = (updatedAt: Date, downloadedAt?: Date) =>
  JSON.stringify({
    Version: 2,
    UpdatedAt: updatedAt.toISOString(),
    NextUpdate: updatedAt.toISOString(),
    DownloadedAt: (downloadedAt ?? new Date(0)).toISOString()
  })

function dbArtifact(updatedAt: Date, db = 'bolt bytes') {
  return buildArtifact(
    gzipSync(
      tar([
        { name: 'trivy.db', content: db },
        { name: 'metadata.json', content: meta(updatedAt) }
      ])
    ),
    MEDIA.trivyDbLayer,
    MEDIA.trivyDbConfig
  )
}

/** A cache port that remembers what it was asked and holds entries as directory snapshots. */
function fakeCache(entries: Record<string, string> = {}) {
  const calls: string[] = []
  const cache: DbCache = {
    async restore(paths, key, restoreKeys) {
      calls.push(`restore ${key} [${restoreKeys.join(',')}]`)
      const hit = entries[key] ? key : Object.keys(entries).find(k => restoreKeys.some(p => k.startsWith(p)))
      if (!hit) return undefined
      mkdirSync(paths[0]!, { recursive: true })
      writeFileSync(path.join(paths[0]!, 'trivy.db'), 'cached')
      writeFileSync(path.join(paths[0]!, 'metadata.json'), entries[hit]!)
      return hit
    },
    async save(paths, key) {
      calls.push(`save ${key} ${readFileSync(path.join(paths[0]!, 'trivy.db'), 'utf8')}`)
      return true
    }
  }
  return { cache, calls }
}

let registry: RegistryDouble
let root: string
let waits: number[]
const logger = memoryLogger()

beforeEach(async () => {
  registry = await startRegistryDouble()
  root = mkdtempSync(path.join(tmpdir(), 'sp-trivy-db-'))
  waits = []
  logger.lines.length = 0
})
afterEach(async () => {
  await registry.close()
  rmSync(root, { recursive: true, force: true })
})

function publish(repository: string, artifact: ReturnType<typeof dbArtifact>) {
  for (const blob of artifact.blobs) registry.putBlob(repository, blob)
  registry.putManifest(repository, artifact.manifest, '2')
}

function options(extra: Partial<DbOptions> = {}): DbOptions {
  return {
    root,
    repositories: [`${registry.host}/mirror/trivy-db:2`, `${registry.host}/aquasec/trivy-db:2`],
    maxAgeHours: 120,
    allowStale: false,
    offline: false,
    settings: {
      maxAge: 'db-max-age',
      allowStale: 'allow-stale-db',
      offline: 'offline',
      repositories: 'db-repositories'
    },
    ...extra
  }
}

const client = () =>
  new RegistryClient({
    credentials: anonymous,
    sleep: async ms => void waits.push(ms),
    retry: { baseDelayMs: 100, attemptTimeoutMs: 5_000 }
  })

describe('provisionTrivyDb', () => {
  it('goes down the mirror list, through 429 then 500, unpacks the DB and saves it under the daily key', async () => {
    const artifact = dbArtifact(hoursAgo(6), 'the real DB')
    publish('aquasec/trivy-db', artifact)
    registry.failNext(
      '/v2/aquasec/trivy-db/manifests/',
      { kind: 'status', status: 429, headers: { 'retry-after': '2' } },
      { kind: 'status', status: 500 }
    )
    const { cache, calls } = fakeCache()
    const db = await provisionTrivyDb(options(), { client: client(), cache, logger, now: NOW })
    expect(db).toMatchObject({
      source: 'downloaded',
      repository: `${registry.host}/aquasec/trivy-db:2`,
      artifactDigest: artifact.manifest.digest,
      stale: false
    })
    expect(Math.round(db.ageHours)).toBe(6)
    expect(readFileSync(path.join(root, 'db', 'trivy.db'), 'utf8')).toBe('the real DB')
    expect(JSON.parse(readFileSync(path.join(root, 'db', 'metadata.json'), 'utf8')).DownloadedAt).toBe(
      NOW.toISOString()
    )
    expect(waits[0]).toBe(2000)
    expect(registry.requests.map(r => `${r.method} ${r.path}`).slice(0, 4)).toEqual([
      'GET /v2/mirror/trivy-db/manifests/2',
      'GET /v2/aquasec/trivy-db/manifests/2',
      'GET /v2/aquasec/trivy-db/manifests/2',
      'GET /v2/aquasec/trivy-db/manifests/2'
    ])
    expect(calls).toEqual(['restore secure-pipeline-trivy-db-v2-2026-11-20 [secure-pipeline-trivy-db-v2-]'])
    await db.save()
    await db.save()
    expect(calls).toEqual([
      'restore secure-pipeline-trivy-db-v2-2026-11-20 [secure-pipeline-trivy-db-v2-]',
      'save secure-pipeline-trivy-db-v2-2026-11-20 the real DB'
    ])
  })

  it("uses today's cache entry without a request, and saves nothing", async () => {
    const { cache, calls } = fakeCache({
      'secure-pipeline-trivy-db-v2-2026-11-20': meta(hoursAgo(3), hoursAgo(1))
    })
    const db = await provisionTrivyDb(options(), { client: client(), cache, logger, now: NOW })
    expect(db.source).toBe('cache')
    await db.save()
    expect(registry.requests).toHaveLength(0)
    expect(calls).toHaveLength(1)
  })

  it("downloads once a day: yesterday's entry is replaced and saved under today's key", async () => {
    publish('aquasec/trivy-db', dbArtifact(hoursAgo(2), 'today'))
    const { cache, calls } = fakeCache({
      'secure-pipeline-trivy-db-v2-2026-11-19': meta(hoursAgo(30), hoursAgo(26))
    })
    const db = await provisionTrivyDb(options(), { client: client(), cache, logger, now: NOW })
    await db.save()
    expect(db.source).toBe('downloaded')
    expect(calls[1]).toBe('save secure-pipeline-trivy-db-v2-2026-11-20 today')
  })

  it('keeps a DB within the maximum age when no mirror answers, and says so', async () => {
    const { cache } = fakeCache({
      'secure-pipeline-trivy-db-v2-2026-11-19': meta(hoursAgo(30), hoursAgo(26))
    })
    const db = await provisionTrivyDb(options(), { client: client(), cache, logger, now: NOW })
    expect(db).toMatchObject({ source: 'cache', stale: false })
    expect(logger.lines.some(l => l.startsWith('warning: No repository gave a newer vulnerability DB'))).toBe(
      true
    )
  })

  it('fails on a DB older than the maximum age, or warns when stale DBs are allowed', async () => {
    publish('aquasec/trivy-db', dbArtifact(hoursAgo(200)))
    const error = await provisionTrivyDb(options(), { client: client(), logger, now: NOW }).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(BrokenInputError)
    expect((error as Error).message).toContain(
      "200 h ago, over the 120 h maximum (input 'db-max-age'); set input 'allow-stale-db' to scan with it anyway"
    )
    const db = await provisionTrivyDb(options({ allowStale: true }), { client: client(), logger, now: NOW })
    expect(db).toMatchObject({ stale: true })
    expect(logger.lines.some(l => l.includes("scanning anyway because input 'allow-stale-db' is set"))).toBe(
      true
    )
  })

  it('moves past a mirror that replays an old DB, or one from the future, to the next one', async () => {
    publish('mirror/trivy-db', dbArtifact(hoursAgo(200), 'replayed'))
    publish('aquasec/trivy-db', dbArtifact(hoursAgo(3), 'fresh'))
    for (const allowStale of [false, true]) {
      const db = await provisionTrivyDb(options({ allowStale }), { client: client(), logger, now: NOW })
      expect(db).toMatchObject({ source: 'downloaded', stale: false })
      expect(db.repository).toBe(`${registry.host}/aquasec/trivy-db:2`)
      expect(readFileSync(path.join(root, 'db', 'trivy.db'), 'utf8')).toBe('fresh')
      rmSync(path.join(root, 'db'), { recursive: true })
    }
    expect(logger.lines.some(l => l.includes('mirror/trivy-db:2: serves a DB built'))).toBe(true)
    publish('mirror/trivy-db', dbArtifact(new Date('2099-01-01T00:00:00Z'), 'frozen'))
    const db = await provisionTrivyDb(options(), { client: client(), logger, now: NOW })
    expect(readFileSync(path.join(root, 'db', 'trivy.db'), 'utf8')).toBe('fresh')
    expect(db.stale).toBe(false)
  })

  it('refuses a DB that claims to be built in the future: no maximum age would ever catch it', async () => {
    mkdirSync(path.join(root, 'db'))
    writeFileSync(path.join(root, 'db', 'trivy.db'), 'seeded')
    writeFileSync(path.join(root, 'db', 'metadata.json'), meta(new Date('2099-01-01T00:00:00Z')))
    const error = await provisionTrivyDb(options({ offline: true, allowStale: true }), {
      client: client(),
      logger,
      now: NOW
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(BrokenInputError)
    expect((error as Error).message).toContain(
      'the vulnerability DB says it was built 2099-01-01T00:00:00Z, after this run started (2026-11-20T10:00:00Z)'
    )
    // Online, even one stamped as downloaded today is replaced by a mirror's.
    writeFileSync(path.join(root, 'db', 'metadata.json'), meta(new Date('2099-01-01T00:00:00Z'), NOW))
    publish('mirror/trivy-db', dbArtifact(hoursAgo(3), 'fresh'))
    const db = await provisionTrivyDb(options(), { client: client(), logger, now: NOW })
    expect(db).toMatchObject({ source: 'downloaded', stale: false })
    expect(readFileSync(path.join(root, 'db', 'trivy.db'), 'utf8')).toBe('fresh')
  })

  it('downloads over a DB an earlier job left stamped as fetched today; reuses one this job fetched', async () => {
    // What a pull request's build step on a self-hosted runner could leave in the shared tool cache.
    mkdirSync(path.join(root, 'db'))
    writeFileSync(path.join(root, 'db', 'trivy.db'), 'planted')
    writeFileSync(path.join(root, 'db', 'metadata.json'), meta(hoursAgo(1), NOW))
    mkdirSync(path.join(root, 'java-db'))
    writeFileSync(path.join(root, 'java-db', 'trivy-java.db'), 'planted')
    publish('mirror/trivy-db', dbArtifact(hoursAgo(3), 'fresh'))
    const jobDir = mkdtempSync(path.join(root, 'job-'))
    const first = await provisionTrivyDb(options(), { client: client(), logger, now: NOW, jobDir })
    expect(first.source).toBe('downloaded')
    expect(readFileSync(path.join(root, 'db', 'trivy.db'), 'utf8')).toBe('fresh')
    expect(existsSync(path.join(root, 'java-db'))).toBe(false)
    // A second image scanned in the same job.
    const requests = registry.requests.length
    const second = await provisionTrivyDb(options(), { client: client(), logger, now: NOW, jobDir })
    expect(second.source).toBe('local')
    expect(registry.requests).toHaveLength(requests)
  })

  it('lists why each mirror failed when none has the DB, a broken archive included', async () => {
    const broken = buildArtifact(Buffer.from('not gzip'), MEDIA.trivyDbLayer, MEDIA.trivyDbConfig)
    publish('mirror/trivy-db', broken)
    const error = await provisionTrivyDb(options(), { client: client(), logger, now: NOW }).catch(
      (e: unknown) => e
    )
    expect((error as Error).message).toMatch(
      /none of the 2 repositories answered: .*mirror\/trivy-db:2: the DB archive cannot be unpacked.*aquasec\/trivy-db:2.*HTTP 404/
    )
  })

  it('offline, uses only a pre-seeded DB and never asks a registry', async () => {
    const offline = options({ offline: true })
    await expect(provisionTrivyDb(offline, { client: client(), logger, now: NOW })).rejects.toThrow(
      "input 'offline' is true so nothing is downloaded: pre-seed the DB"
    )
    mkdirSync(path.join(root, 'db'))
    writeFileSync(path.join(root, 'db', 'trivy.db'), 'seeded')
    writeFileSync(path.join(root, 'db', 'metadata.json'), meta(hoursAgo(40)))
    const db = await provisionTrivyDb(offline, { client: client(), logger, now: NOW })
    expect(db).toMatchObject({ source: 'local', stale: false })
    expect(registry.requests).toHaveLength(0)
  })
})
