// dist/image-scan run as the runner runs it, on Node 20 and 24, with the real Trivy against the demo image
// pushed with crane to the loopback docker-registry; its failures chained into the gate, which must read
// each as a broken input, never as zero findings.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fakeTrivy } from '../support/go-binary.js'
import {
  DEMO_IMAGE_EXPECTED,
  startImageRegistry,
  workspaceWithImage,
  writeTrivyTestDb,
  type ImageRegistry
} from '../support/image-scan.js'
import { nodeRuntimes, runBundle, type BundleRun } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

let setup: ImageRegistry
const scratch: string[] = []

beforeAll(async () => {
  setup = await startImageRegistry()
}, 120_000)
afterAll(async () => {
  await setup?.stop()
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

function workspace(): string {
  const ws = workspaceWithImage(setup.image)
  scratch.push(ws)
  return ws
}

const TRIVY = { SECURE_PIPELINE_TRIVY_PATH: toolPath('trivy') }

function sarifOf(ws: string, run: BundleRun) {
  return JSON.parse(readFileSync(path.join(ws, run.outputs['sarif-file'] ?? 'missing'), 'utf8')) as {
    runs: { invocations?: { executionSuccessful: boolean }[]; results?: unknown[] }[]
  }
}

/** The failed SARIF a broken scan leaves, and what the gate makes of it. */
async function expectBrokenForTheGate(node: string, ws: string, sarifFile: string): Promise<void> {
  const sarif = JSON.parse(readFileSync(path.join(ws, sarifFile), 'utf8')) as {
    runs: { invocations: { executionSuccessful: boolean }[] }[]
  }
  expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
  const gate = await runBundle('gate', {
    node,
    workspace: ws,
    inputs: { upload: 'false', 'warn-only': 'true' }
  })
  expect(gate.status).toBe(1)
  expect(gate.outputs.outcome).toBe('fail-broken-input')
}

describe.each(nodeRuntimes())('image-scan bundle on $label', ({ node }) => {
  it('scans a registry image by tag: pins the digest, finds the advisory, the token and the Dockerfile flaws', async () => {
    const ws = workspace()
    const run = await runBundle('image-scan', {
      node,
      workspace: ws,
      inputs: {
        image: setup.reference,
        scanners: 'vuln,secret,misconfig',
        'db-repositories': `127.0.0.1:9/nothing/here:2\n${setup.dbRepository}`
      },
      env: TRIVY,
      timeoutMs: 300_000
    })
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' })
    const digest = setup.image.manifest.digest
    expect(run.outputs).toMatchObject({
      digest,
      'sarif-file': 'secure-pipeline/image-app.sarif',
      'sbom-file': 'secure-pipeline/image-app.cdx.json',
      'db-stale': 'false'
    })
    const bySeverity = JSON.parse(run.outputs['by-severity']!) as Record<string, number>
    const total = Object.values(bySeverity).reduce((a, b) => a + b, 0)
    expect(Number(run.outputs.findings)).toBe(total)
    const sarif = readFileSync(path.join(ws, run.outputs['sarif-file']!), 'utf8')
    expect(sarifOf(ws, run).runs[0]!.results).toHaveLength(total)
    for (const needle of [DEMO_IMAGE_EXPECTED.vulnerability.id, DEMO_IMAGE_EXPECTED.secretRule, 'DS-0002'])
      expect(sarif).toContain(needle)
    expect(sarif).not.toContain(setup.image.token)
    expect(run.stdout).not.toContain(setup.image.token)
    const sbom = JSON.parse(readFileSync(path.join(ws, run.outputs['sbom-file']!), 'utf8')) as {
      bomFormat: string
      components: { purl?: string }[]
    }
    expect(sbom.bomFormat).toBe('CycloneDX')
    expect(sbom.components.map(c => c.purl)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.purl)
    // The summary names exactly the digest scanned, for the bump step to pin.
    expect(run.summary).toContain(digest)
    // The first mirror was down: the DB came from the second, and the log says so.
    expect(run.stdout).toContain(`downloaded from ${setup.dbRepository}`)
  }, 600_000)

  it('scans a docker save archive in the workspace before any push', async () => {
    const ws = workspace()
    const run = await runBundle('image-scan', {
      node,
      workspace: ws,
      inputs: { input: 'image.tar', scanners: 'secret' },
      env: TRIVY,
      timeoutMs: 300_000
    })
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({
      digest: setup.image.config.digest,
      findings: '1',
      'sarif-file': 'secure-pipeline/image-image.sarif'
    })
    expect(readFileSync(path.join(ws, run.outputs['sarif-file']!), 'utf8')).toContain(
      DEMO_IMAGE_EXPECTED.secretRule
    )
    // The summary names the archive as the workflow did, and the image ID scanned; no runner path.
    expect(run.summary).toContain(
      `docker save archive \`image.tar\`, image ID \`${setup.image.config.digest}\``
    )
    expect(run.summary).not.toContain(ws)
  }, 300_000)

  it('a registry that is down, a missing image, a crashing engine and a stale DB each leave a failed SARIF the gate reads as broken', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sp-bundle-trivy-'))
    scratch.push(dir)
    const crashing = fakeTrivy(dir, 'echo "panic: runtime error" >&2; exit 2')
    const staleDb = path.join(dir, 'stale', 'db')
    mkdirSync(staleDb, { recursive: true })
    writeTrivyTestDb(staleDb, new Date(Date.now() - 10 * 24 * 3_600_000))
    const cases: { inputs: Record<string, string>; env?: Record<string, string>; says: RegExp }[] = [
      { inputs: { image: '127.0.0.1:9/demo/app:1' }, says: /127\.0\.0\.1:9/ },
      { inputs: { image: `${setup.registry.host}/demo/app:missing` }, says: /demo\/app:missing/ },
      {
        inputs: { input: 'layout', scanners: 'secret' },
        env: { SECURE_PIPELINE_TRIVY_PATH: crashing },
        says: /exited 2: .*panic: runtime error/
      },
      {
        inputs: { input: 'layout', offline: 'true', 'db-dir': path.dirname(staleDb) },
        says: /over the 120 h maximum \(input 'db-max-age'\)/
      }
    ]
    for (const c of cases) {
      const ws = workspace()
      const run = await runBundle('image-scan', {
        node,
        workspace: ws,
        inputs: c.inputs,
        env: { ...TRIVY, ...c.env },
        timeoutMs: 120_000
      })
      expect(run.status).toBe(1)
      expect(run.stdout).toMatch(/^::error::/m)
      expect(run.stdout).toMatch(c.says)
      const sarifFile = c.inputs.image
        ? 'secure-pipeline/image-app.sarif'
        : 'secure-pipeline/image-layout.sarif'
      await expectBrokenForTheGate(node, ws, sarifFile)
    }
  }, 600_000)
})
