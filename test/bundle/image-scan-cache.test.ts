// dist/image-scan's vulnerability DB cache, run as the runner runs it on Node 20 and 24: the bundle's own
// @actions/cache (its lazily loaded chunk) against a loopback double of the cache service v2, the
// system's tar and zstd, the real Trivy, and the Trivy DB from the loopback registry behind a recording
// proxy. One job downloads the DB and saves it; the next, on a fresh runner, restores it and downloads
// nothing; a job whose scan fails still saves what it downloaded.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { listArchive, startCacheServiceDouble } from '../support/cache-service-double.js'
import { startFaultProxy, type FaultProxy } from '../support/docker-registry.js'
import { fakeTrivy } from '../support/go-binary.js'
import {
  DEMO_IMAGE_EXPECTED,
  startImageRegistry,
  workspaceWithImage,
  type ImageRegistry
} from '../support/image-scan.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

let setup: ImageRegistry
let dbServer: FaultProxy
const scratch: string[] = []

beforeAll(async () => {
  setup = await startImageRegistry()
  dbServer = await startFaultProxy(setup.registry.host)
}, 120_000)
afterAll(async () => {
  await dbServer?.close()
  await setup?.stop()
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  scratch.push(dir)
  return dir
}

const DAILY_KEY = /^secure-pipeline-trivy-db-v2-\d{4}-\d{2}-\d{2}$/
const SAVED = ['GetCacheEntryDownloadURL', 'CreateCacheEntry', 'PutBlob', 'FinalizeCacheEntryUpload'] as const

describe.each(nodeRuntimes())('image-scan bundle with the Actions cache on $label', ({ node }) => {
  /** One job on a runner whose tool cache is `toolCache` (the same path on every hosted runner). */
  const job = (env: Record<string, string>, toolCache: string) => {
    const ws = workspaceWithImage(setup.image)
    scratch.push(ws)
    return runBundle('image-scan', {
      node,
      workspace: ws,
      inputs: { input: 'layout', scanners: 'vuln', 'db-repositories': `${dbServer.host}/aquasec/trivy-db:2` },
      env: { SECURE_PIPELINE_TRIVY_PATH: toolPath('trivy'), RUNNER_TOOL_CACHE: toolCache, ...env },
      timeoutMs: 300_000
    }).then(run => ({ ...run, ws }))
  }

  it('downloads and saves the DB once; the next job on a fresh runner restores it and downloads nothing', async () => {
    const service = await startCacheServiceDouble()
    try {
      const toolCache = tempDir('sp-tool-cache-')
      dbServer.requests.length = 0
      const first = await job(service.env, toolCache)
      expect({ status: first.status, stderr: first.stderr }).toEqual({ status: 0, stderr: '' })
      expect(readFileSync(path.join(first.ws, first.outputs['sarif-file']!), 'utf8')).toContain(
        DEMO_IMAGE_EXPECTED.vulnerability.id
      )
      expect(dbServer.requests.some(r => r.path.startsWith('/v2/aquasec/trivy-db/blobs/'))).toBe(true)
      expect(service.requests.map(r => r.operation)).toEqual(SAVED)
      const [entry] = service.entries
      expect(entry?.key).toMatch(DAILY_KEY)
      expect(entry?.finalized).toBe(true)
      expect(first.stdout).toContain(`Vulnerability DB cache: saved ${entry!.key}`)
      const archive = listArchive(entry!.archive!)
      expect(archive.compression).toMatch(/^(zstd|gzip)$/)
      for (const file of ['trivy.db', 'metadata.json'])
        expect(archive.members.filter(m => m.endsWith(`/secure-pipeline/trivy-db/db/${file}`))).toHaveLength(
          1
        )

      // A fresh runner: nothing in the tool cache, the same path.
      rmSync(toolCache, { recursive: true, force: true })
      dbServer.requests.length = 0
      service.requests.length = 0
      const second = await job(service.env, toolCache)
      expect({ status: second.status, stderr: second.stderr }).toEqual({ status: 0, stderr: '' })
      expect(second.stdout).toContain(`Vulnerability DB cache: restored ${entry!.key}`)
      expect(readFileSync(path.join(second.ws, second.outputs['sarif-file']!), 'utf8')).toContain(
        DEMO_IMAGE_EXPECTED.vulnerability.id
      )
      expect(dbServer.requests).toEqual([])
      expect(service.requests.map(r => r.operation)).toEqual(['GetCacheEntryDownloadURL', 'GetBlob'])
      expect(service.entries).toHaveLength(1)
    } finally {
      await service.close()
    }
  }, 600_000)

  it('saves the DB it downloaded even when the scan fails', async () => {
    const service = await startCacheServiceDouble()
    try {
      const crashing = fakeTrivy(tempDir('sp-crashing-trivy-'), 'echo "panic: runtime error" >&2; exit 2')
      const run = await job(
        { ...service.env, SECURE_PIPELINE_TRIVY_PATH: crashing },
        tempDir('sp-tool-cache-')
      )
      expect(run.status).toBe(1)
      expect(run.stdout).toMatch(/^::error::.*exited 2: .*panic: runtime error/m)
      const sarif = JSON.parse(
        readFileSync(path.join(run.ws, 'secure-pipeline/image-layout.sarif'), 'utf8')
      ) as {
        runs: { invocations: { executionSuccessful: boolean }[] }[]
      }
      expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
      expect(service.requests.map(r => r.operation)).toEqual(SAVED)
      expect(service.entries.map(e => [e.finalized, DAILY_KEY.test(e.key)])).toEqual([[true, true]])
      expect(run.stdout).toContain(`Vulnerability DB cache: saved ${service.entries[0]!.key}`)
    } finally {
      await service.close()
    }
  }, 600_000)
})
