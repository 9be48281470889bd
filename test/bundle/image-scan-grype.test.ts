// dist/image-scan with engine grype, run as the runner runs it on Node 20 and 24: the real Grype (the
// pinned release built from the Go module proxy) scans the demo image's docker save archive with a v6 DB
// written by Grype's own writer and fetched by `grype db update` from a loopback listing.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { GRYPE_TEST_ADVISORY, writeGrypeTestDb } from '../support/grype-test-db.js'
import { startHttpFileServer, type HttpFileServer } from '../support/http-file-server.js'
import { demoImage, workspaceWithImage } from '../support/image-scan.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

let server: HttpFileServer
const image = demoImage()
const scratch: string[] = []

beforeAll(async () => {
  const dbDir = mkdtempSync(path.join(tmpdir(), 'sp-grype-db-'))
  scratch.push(dbDir)
  const db = writeGrypeTestDb(dbDir)
  server = await startHttpFileServer(
    Object.fromEntries(Object.entries(db.listing).map(([file, body]) => [`/databases/${file}`, body]))
  )
}, 120_000)
afterAll(async () => {
  await server?.close()
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

describe.each(nodeRuntimes())('image-scan bundle with engine grype on $label', ({ node }) => {
  it('finds the advisory of the DB it downloaded through grype db update, in the archive before any push', async () => {
    const ws = workspaceWithImage(image)
    scratch.push(ws)
    const run = await runBundle('image-scan', {
      node,
      workspace: ws,
      inputs: { input: 'image.tar', engine: 'grype', 'db-repositories': server.url('/databases') },
      env: { SECURE_PIPELINE_GRYPE_PATH: toolPath('grype') },
      timeoutMs: 300_000
    })
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
    expect(run.outputs).toMatchObject({
      digest: image.config.digest,
      findings: '1',
      'sarif-file': 'secure-pipeline/image-image.sarif',
      'db-stale': 'false'
    })
    expect(JSON.parse(run.outputs['by-severity']!)).toMatchObject({ high: 1 })
    const sarif = JSON.parse(readFileSync(path.join(ws, run.outputs['sarif-file']!), 'utf8')) as {
      runs: { tool: { driver: { name: string; version: string } }; results: { ruleId: string }[] }[]
    }
    expect(sarif.runs[0]!.tool.driver).toMatchObject({ name: 'grype', version: '0.118.0' })
    expect(sarif.runs[0]!.results.map(r => r.ruleId)).toEqual([GRYPE_TEST_ADVISORY.id])
    const sbom = JSON.parse(readFileSync(path.join(ws, run.outputs['sbom-file']!), 'utf8')) as {
      components: { purl?: string }[]
    }
    expect(sbom.components.map(c => c.purl)).toContain(GRYPE_TEST_ADVISORY.purl)
    expect(run.summary).toContain(image.config.digest)
  }, 600_000)
})
