// Grype's arguments and DB provisioning. The real Grype is not built on this machine and its DB cannot be
// fetched here, so `grype db` is a stand-in script that answers as Grype does (status JSON, update exit).
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { grypeArgs, grypeEnv, provisionGrypeDb } from './grype.js'
import type { DbOptions } from './trivy-db.js'

const NOW = new Date('2026-11-20T10:00:00Z')
let dir: string
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'sp-grype-'))
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('grypeArgs', () => {
  it('scans exactly what was pinned, never a Docker daemon, and names both reports', () => {
    const digest = `sha256:${'a'.repeat(64)}`
    expect(
      grypeArgs({
        target: { kind: 'registry', reference: `ghcr.io/o/app@${digest}` },
        config: '/w/grype.yaml',
        report: '/w/r.json',
        sbom: '/w/s.json',
        vexFiles: ['/w/vex-0.json'],
        ignoreUnfixed: true
      })
    ).toEqual([
      `registry:ghcr.io/o/app@${digest}`,
      '--output',
      'json=/w/r.json',
      '--output',
      'cyclonedx-json=/w/s.json',
      '--config',
      '/w/grype.yaml',
      '--only-fixed',
      '--vex',
      '/w/vex-0.json'
    ])
    const archive = { kind: 'archive' as const, path: '/w/app.tar' }
    const layout = { kind: 'oci-layout' as const, path: '/w/layout' }
    const base = { config: 'c', report: 'r', sbom: 's', vexFiles: [], ignoreUnfixed: false }
    expect(grypeArgs({ ...base, target: archive })[0]).toBe('docker-archive:/w/app.tar')
    expect(grypeArgs({ ...base, target: layout })[0]).toBe('oci-dir:/w/layout')
  })

  it('turns off every update and age check of its own: the action checked the DB', () => {
    const env = grypeEnv('/db', { DOCKER_CONFIG: '/cfg' })
    expect(env).toMatchObject({
      GRYPE_DB_CACHE_DIR: '/db',
      GRYPE_DB_AUTO_UPDATE: 'false',
      GRYPE_DB_VALIDATE_AGE: 'false',
      GRYPE_CHECK_FOR_APP_UPDATE: 'false',
      DOCKER_CONFIG: '/cfg'
    })
  })
})

/**
 * A stand-in for `grype db status|update`: update succeeds only for the URL in `good` (recording each
 * URL asked), after which status reports a DB built at `built`.
 */
function fakeGrype(good: string, built: string): string {
  const file = path.join(dir, 'grype')
  writeFileSync(
    file,
    `#!/bin/sh
if [ "$2" = update ]; then
  echo "$GRYPE_DB_UPDATE_URL" >> "${dir}/asked"
  if [ "$GRYPE_DB_UPDATE_URL" = "${good}" ]; then touch "$GRYPE_DB_CACHE_DIR/ok"; exit 0; fi
  echo "failed to download: 503" >&2; exit 1
fi
if [ -f "$GRYPE_DB_CACHE_DIR/ok" ]; then echo '{"built":"${built}","schemaVersion":"v6"}'; exit 0; fi
echo '{"error":"database does not exist"}'; exit 1
`,
    { mode: 0o755 }
  )
  return file
}

function options(extra: Partial<DbOptions> = {}): DbOptions {
  return {
    root: path.join(dir, 'db'),
    repositories: ['https://a.example/listing', 'https://b.example/listing'],
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

describe('provisionGrypeDb', () => {
  it('tries each URL in order, twice with backoff, and keeps the first that works', async () => {
    const binary = fakeGrype('https://b.example/listing', '2026-11-20T06:00:00Z')
    const waits: number[] = []
    const logger = memoryLogger()
    const db = await provisionGrypeDb(options(), {
      binary,
      logger,
      now: NOW,
      cwd: dir,
      retryBaseMs: 10,
      sleep: async ms => void waits.push(ms)
    })
    expect(readFileSync(path.join(dir, 'asked'), 'utf8').trim().split('\n')).toEqual([
      'https://a.example/listing',
      'https://a.example/listing',
      'https://b.example/listing'
    ])
    expect(waits).toHaveLength(1)
    expect(db).toMatchObject({ source: 'downloaded', repository: 'https://b.example/listing', stale: false })
    expect(db.ageHours).toBe(4)
  })

  it('fails with every reason when no URL answers and there is no DB, and offline asks none', async () => {
    const binary = fakeGrype('https://nowhere', '2026-11-20T06:00:00Z')
    const deps = { binary, logger: memoryLogger(), now: NOW, cwd: dir, sleep: async () => undefined }
    await expect(provisionGrypeDb(options(), deps)).rejects.toThrow(BrokenInputError)
    await expect(provisionGrypeDb(options(), deps)).rejects.toThrow(/a\.example.*503.*b\.example/)
    rmSync(path.join(dir, 'asked'))
    await expect(provisionGrypeDb(options({ offline: true }), deps)).rejects.toThrow(
      /input 'offline' is true so nothing is downloaded/
    )
    expect(() => readFileSync(path.join(dir, 'asked'))).toThrow()
  })

  it('updates over a DB an earlier job left stamped as fetched today; reuses one this job fetched', async () => {
    const binary = fakeGrype('https://a.example/listing', '2026-11-20T06:00:00Z')
    // A DB Grype reports as present, and the stamp saying it was fetched today, left by an earlier job.
    mkdirSync(path.join(dir, 'db'))
    writeFileSync(path.join(dir, 'db', 'ok'), '')
    writeFileSync(path.join(dir, 'db', 'secure-pipeline-downloaded-at'), NOW.toISOString())
    const jobDir = mkdtempSync(path.join(dir, 'job-'))
    const deps = { binary, logger: memoryLogger(), now: NOW, cwd: dir, jobDir, sleep: async () => undefined }
    expect(await provisionGrypeDb(options(), deps)).toMatchObject({ source: 'downloaded' })
    expect(readFileSync(path.join(dir, 'asked'), 'utf8')).toBe('https://a.example/listing\n')
    expect(await provisionGrypeDb(options(), deps)).toMatchObject({ source: 'local' })
    expect(readFileSync(path.join(dir, 'asked'), 'utf8')).toBe('https://a.example/listing\n')
  })

  it('fails on a DB built longer ago than the maximum age', async () => {
    const binary = fakeGrype('https://a.example/listing', '2026-11-01T00:00:00Z')
    const deps = { binary, logger: memoryLogger(), now: NOW, cwd: dir, sleep: async () => undefined }
    await expect(provisionGrypeDb(options(), deps)).rejects.toThrow(/over the 120 h maximum/)
  })
})
