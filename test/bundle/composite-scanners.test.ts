import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse, stringify } from 'yaml'
import { fileSafeName, imageName } from '../../packages/core/src/image-scan/target.js'
import { writeFiles } from '../support/git-repo.js'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import {
  DEMO_IMAGE_EXPECTED,
  startImageRegistry,
  workspaceWithImage,
  writeTrivyTestDb,
  type ImageRegistry
} from '../support/image-scan.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes } from '../support/run-bundle.js'
import {
  actionWithDeadBundle,
  COMPOSITE_TOOLS as TOOLS,
  reportsRead,
  runComposite,
  stepOf,
  type CompositeOptions,
  type CompositeRun
} from '../support/run-composite.js'
import { advisoryDb, DEPS_VULNERABILITIES } from '../support/sca.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

/**
 * The root action.yml's SCA and image-scan steps, run as the runner runs them over the committed bundles
 * with the real osv-scanner and Trivy: the gate must read exactly the reports those steps were to write.
 */

/** A successful osv-scanner run with nothing found, as a pull request could commit it. */
const CLEAN_SCA_SARIF = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'osv-scanner', rules: [] } },
      invocations: [{ executionSuccessful: true }],
      results: []
    }
  ]
})

/** requests 2.19.0 has GHSA-j8r2-6x86-q33q (examples/deps/README.md). */
const VULNERABLE_REQUIREMENTS = 'requests==2.19.0\n'

const [runtime] = nodeRuntimes()
let api: GitHubApiDouble
const scratch: string[] = []

beforeAll(async () => {
  api = await startGitHubApiDouble()
})
afterAll(async () => {
  await api.close()
  api.assertNoSpecViolations()
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true })
})

function workspace(files: Record<string, string> = {}): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'composite-scanners-ws-'))
  scratch.push(ws)
  writeFiles(ws, files)
  return ws
}

function pipeline(options: CompositeOptions): Promise<CompositeRun> {
  return runComposite({
    node: runtime!.node,
    ...options,
    env: { ...TOOLS, GITHUB_API_URL: api.url, ...options.env }
  })
}

const reportsGiven = (run: CompositeRun) =>
  stepOf(run, 'gate')
    .env.INPUT_REPORTS!.split('\n')
    .filter(line => line.trim() !== '')

const byScanner = (run: CompositeRun) =>
  (JSON.parse(stepOf(run, 'gate').outputs.counts!) as { byScanner: Record<string, { total?: number }> })
    .byScanner

function resultsIn(ws: string, sarifFile: string): { ruleId: string }[] {
  const sarif = JSON.parse(readFileSync(path.join(ws, sarifFile), 'utf8')) as {
    runs: { results: { ruleId: string }[] }[]
  }
  return sarif.runs.flatMap(r => r.results)
}

describeWithSharedFixtures('the composite with SCA', () => {
  it('fails the gate on the known vulnerable dependencies of examples/deps, scanned offline', async () => {
    const ws = workspace({ 'src/hello.py': 'print("hello")\n' })
    cpSync(path.join(REPO_ROOT, 'examples', 'deps'), path.join(ws, 'deps'), { recursive: true })
    const run = await pipeline({ workspace: ws, with: { 'sca-offline-db': advisoryDb() } })
    expect(stepOf(run, 'sca').outcome).toBe('success')
    expect(stepOf(run, 'sca').outputs).toMatchObject({
      mode: 'full',
      findings: String(DEPS_VULNERABILITIES.length)
    })
    expect(reportsRead(ws)).toEqual(['secure-pipeline/sast.sarif', 'secure-pipeline/sca.sarif'])
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-findings' })
    expect(run.status).toBe('failure')
    expect(Object.keys(byScanner(run))).toEqual(['osv-scanner'])
    expect(resultsIn(ws, 'secure-pipeline/sca.sarif').map(r => r.ruleId)).toContain('GHSA-j8r2-6x86-q33q')
  }, 600_000)
})

describe('the composite with SCA that cannot complete', () => {
  it('fails as broken when osv-scanner crashes, and a committed clean sca.sarif does not stand in for it', async () => {
    const ws = workspace({
      'requirements.txt': VULNERABLE_REQUIREMENTS,
      'secure-pipeline/sca.sarif': CLEAN_SCA_SARIF
    })
    const stub = path.join(ws, '..', `segfaulting-osv-scanner-${path.basename(ws)}`)
    writeFileSync(stub, '#!/bin/sh\nkill -SEGV $$\n')
    chmodSync(stub, 0o755)
    scratch.push(stub)
    const run = await pipeline({ workspace: ws, env: { SECURE_PIPELINE_OSV_SCANNER_PATH: stub } })
    expect(stepOf(run, 'sca').outcome).toBe('failure')
    expect(stepOf(run, 'gate').outputs.outcome).toBe('fail-broken-input')
    expect(run.status).toBe('failure')
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-broken-input' })
    const left = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/sca.sarif'), 'utf8'))
    expect(left.runs[0].invocations[0].executionSuccessful).toBe(false)
  }, 600_000)

  it('fails when the SCA bundle dies before it can replace a committed clean sca.sarif', async () => {
    const ws = workspace({
      'requirements.txt': VULNERABLE_REQUIREMENTS,
      'secure-pipeline/sca.sarif': CLEAN_SCA_SARIF
    })
    const run = await pipeline({ workspace: ws, actionPath: actionWithDeadBundle('sca') })
    expect(stepOf(run, 'sca').exitCode).not.toBe(0)
    // The gate alone is fooled by the committed report; the composite is not.
    expect(stepOf(run, 'gate').outputs.outcome).toBe('pass')
    expect(run.status).toBe('failure')
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-broken-input' })
    expect(stepOf(run, 'verdict').stdout).toContain(
      '::error::secure-pipeline: the sca step failed, so its scan is incomplete'
    )
  }, 600_000)
})

describe('the composite with image scans', () => {
  let registry: ImageRegistry
  let dbDir: string
  beforeAll(async () => {
    registry = await startImageRegistry()
    dbDir = mkdtempSync(path.join(tmpdir(), 'composite-trivy-db-'))
    scratch.push(dbDir)
    writeTrivyTestDb(path.join(dbDir, 'db'))
  }, 120_000)
  afterAll(async () => {
    await registry?.stop()
  })

  it('scans the registry image and the OCI layout before push; the gate reads both reports and fails on the advisory', async () => {
    const ws = workspaceWithImage(registry.image)
    scratch.push(ws)
    writeFiles(ws, { 'src/hello.py': 'print("hello")\n' })
    const run = await pipeline({
      workspace: ws,
      with: {
        'sca-path': '',
        image: registry.reference,
        'image-input': 'layout',
        'image-db-dir': dbDir,
        'image-offline': 'true'
      }
    })
    expect(stepOf(run, 'image-scan-registry').outcome).toBe('success')
    expect(stepOf(run, 'image-scan-input').outcome).toBe('success')
    // image-scan's default naming: the repository's last part, and the layout's directory name.
    expect(reportsGiven(run)).toEqual([
      'secure-pipeline/sast.sarif',
      'secure-pipeline/image-app.sarif',
      'secure-pipeline/image-layout.sarif'
    ])
    expect(reportsRead(ws)).toEqual([
      'secure-pipeline/image-app.sarif',
      'secure-pipeline/image-layout.sarif',
      'secure-pipeline/sast.sarif'
    ])
    for (const report of ['secure-pipeline/image-app.sarif', 'secure-pipeline/image-layout.sarif'])
      expect(resultsIn(ws, report).map(r => r.ruleId)).toContain(DEMO_IMAGE_EXPECTED.vulnerability.id)
    // Exactly the pushed manifest is scanned, from the registry and from the layout.
    expect(stepOf(run, 'image-scan-registry').outputs.digest).toBe(registry.image.manifest.digest)
    expect(stepOf(run, 'image-scan-input').outputs.digest).toBe(registry.image.manifest.digest)
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-findings' })
  }, 600_000)

  it('fails as broken when the image-scan bundle dies before writing any report', async () => {
    const ws = workspaceWithImage(registry.image)
    scratch.push(ws)
    const run = await pipeline({
      workspace: ws,
      actionPath: actionWithDeadBundle('image-scan'),
      with: { 'sca-path': '', 'image-input': 'image.tar', 'image-db-dir': dbDir, 'image-offline': 'true' }
    })
    expect(stepOf(run, 'image-scan-input').outcome).toBe('failure')
    expect(stepOf(run, 'gate').outputs.outcome).toBe('fail-broken-input')
    expect(stepOf(run, 'gate').stdout).toMatch(
      /^::error::gate: 1 report\(s\) missing or broken \(secure-pipeline\/image-image\.sarif: /m
    )
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-broken-input' })
  }, 600_000)
})

describe('the image report names the composite gives the gate', () => {
  /** A composite holding only the naming step of the root action.yml, so it runs without any bundle. */
  function namingStepOnly(): string {
    const action = parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      runs: { steps: { id?: string }[] }
    }
    action.runs.steps = action.runs.steps.filter(step => step.id === 'image-reports')
    const dir = mkdtempSync(path.join(tmpdir(), 'composite-naming-'))
    scratch.push(dir)
    writeFileSync(path.join(dir, 'action.yml'), stringify(action))
    return dir
  }

  const references = [
    'ghcr.io/octo-org/app:1.2',
    'nginx',
    'nginx:1.27',
    'localhost:5000/demo/web-api@sha256:' + 'a'.repeat(64),
    'registry.example.com:443/Team/Svc_Name:v1@sha256:' + 'b'.repeat(64),
    'docker.io/library/redis:7'
  ]
  const inputs = ['image.tar', 'build/app.tar.gz', 'out/oci-layout/', 'dist/My Image.OCI', 'x/svc.tgz']

  it('names each report as image-scan names it by default, for registry references and files on disk', async () => {
    const actionPath = namingStepOnly()
    const ws = workspace()
    for (const [i, reference] of references.entries()) {
      const input = inputs[i % inputs.length]!
      const run = await runComposite({
        workspace: ws,
        actionPath,
        with: { image: reference, 'image-input': input }
      })
      const expected = {
        registry: fileSafeName(imageName({ kind: 'image', reference })),
        input: fileSafeName(imageName({ kind: 'input', path: input }))
      }
      expect(stepOf(run, 'image-reports').outputs).toEqual({
        'registry-sarif': `secure-pipeline/image-${expected.registry}.sarif`,
        'registry-sbom': `secure-pipeline/image-${expected.registry}.cdx.json`,
        'input-sarif': `secure-pipeline/image-${expected.input}.sarif`,
        'input-sbom': `secure-pipeline/image-${expected.input}.cdx.json`
      })
    }
  })

  it('refuses an image and an image-input that would write the same report', async () => {
    const run = await runComposite({
      workspace: workspace(),
      actionPath: namingStepOnly(),
      with: { image: 'ghcr.io/octo-org/app:1', 'image-input': 'build/app.tar' }
    })
    expect(run.status).toBe('failure')
    expect(stepOf(run, 'image-reports').stdout).toMatch(
      /^::error::secure-pipeline: image and image-input would both write secure-pipeline\/image-app\.sarif/m
    )
  })
})
