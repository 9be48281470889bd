import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { pullRequestCheckout } from '../support/pull-request-checkout.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import {
  ADVISORIES,
  DEPS_VULNERABILITIES,
  depsWorkspace,
  EMPTY_ECOSYSTEMS,
  OSV_SCANNER
} from '../support/sca.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

// The sca bundle as the runner runs it, on Node 20 and 24, with the real osv-scanner and an offline
// database the shipped osv-db command builds from the real GitHub advisories; chained into the gate.

const env = { SECURE_PIPELINE_OSV_SCANNER_PATH: OSV_SCANNER }

/** `node dist/sca/osv-db/index.js <records> <out>`: the command users run from the action's checkout. */
function buildDbWithShippedCommand(node: string): string {
  const out = mkdtempSync(path.join(tmpdir(), 'sca-bundle-db-'))
  const ecosystems = EMPTY_ECOSYSTEMS.flatMap(e => ['--ecosystem', e])
  const run = spawnSync(
    node,
    [path.join(REPO_ROOT, 'dist', 'sca', 'osv-db', 'index.js'), ADVISORIES, out, ...ecosystems],
    {
      encoding: 'utf8'
    }
  )
  expect(run.stderr).toBe('')
  expect(run.status).toBe(0)
  expect(run.stdout).toContain(`PyPI: `)
  return out
}

interface SarifLike {
  runs: {
    invocations: { executionSuccessful: boolean }[]
    results: { ruleId: string; properties: { 'secure-pipeline': { package: { name: string } } } }[]
  }[]
}

const readSarif = (ws: string) =>
  JSON.parse(readFileSync(path.join(ws, 'secure-pipeline', 'sca.sarif'), 'utf8')) as SarifLike

describeWithSharedFixtures('sca bundle', () => {
  describe.each(nodeRuntimes())('on $label, chained into the gate', ({ node }) => {
    it('finds the known vulnerable dependencies of examples/deps offline; the gate fails on them', async () => {
      const db = buildDbWithShippedCommand(node)
      const ws = depsWorkspace()
      const sca = await runBundle('sca', {
        node,
        workspace: ws,
        inputs: { path: 'deps', 'offline-db': db },
        env,
        timeoutMs: 300_000
      })
      expect(sca.stderr).toBe('')
      expect(sca.status).toBe(0)
      expect(sca.outputs).toMatchObject({
        'sarif-file': 'secure-pipeline/sca.sarif',
        'sbom-file': 'secure-pipeline/sca.cdx.json',
        mode: 'full',
        new: '',
        findings: String(DEPS_VULNERABILITIES.length)
      })
      const sarif = readSarif(ws)
      expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(true)
      const found = sarif.runs[0]!.results.map(
        r => `${r.properties['secure-pipeline'].package.name.replace('PyYAML', 'pyyaml')} ${r.ruleId}`
      )
      expect(found.sort()).toEqual([...DEPS_VULNERABILITIES].sort())
      const sbom = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline', 'sca.cdx.json'), 'utf8'))
      expect(sbom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6' })
      expect(sbom.components.map((c: { purl: string }) => c.purl)).toContain(
        'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1'
      )
      expect(sca.summary).toContain('2.16.0')

      const gate = await runBundle('gate', {
        node,
        workspace: ws,
        inputs: { upload: 'false', comment: 'false' }
      })
      expect(gate.outputs.outcome).toBe('fail-findings')
      expect(JSON.parse(gate.outputs.counts!).byScanner['osv-scanner']).toBeDefined()
    }, 600_000)

    it('a corrupt offline database leaves a failed SARIF; the gate reads it as broken, not as 0 findings', async () => {
      const db = mkdtempSync(path.join(tmpdir(), 'sca-bundle-bad-db-'))
      for (const ecosystem of ['npm', 'PyPI', 'Go', 'Maven']) {
        const dir = path.join(db, 'osv-scalibr', ecosystem)
        spawnSync('mkdir', ['-p', dir])
        writeFileSync(path.join(dir, 'all.zip'), 'not a zip archive\n')
      }
      const ws = depsWorkspace()
      const sca = await runBundle('sca', {
        node,
        workspace: ws,
        inputs: { path: 'deps', 'offline-db': db },
        env,
        timeoutMs: 300_000
      })
      expect(sca.status).toBe(1)
      expect(sca.stdout).toMatch(/::error::osv-scanner: .*could not read OSV database archive/)
      expect(readSarif(ws).runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
      expect(existsSync(path.join(ws, 'secure-pipeline', 'sca.cdx.json'))).toBe(false)
      const gate = await runBundle('gate', {
        node,
        workspace: ws,
        inputs: { upload: 'false', comment: 'false' }
      })
      expect(gate.outputs.outcome).toBe('fail-broken-input')
    }, 600_000)
  })

  const runtimes = nodeRuntimes()
  const { node, label } = runtimes[runtimes.length - 1]!
  it(`on ${label}: a pull request adding a vulnerable version reports it as new; one touching no lockfile is skipped`, async () => {
    const db = buildDbWithShippedCommand(node)
    const lock = (version: string) =>
      JSON.stringify({
        name: 'app',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'app', dependencies: { lodash: version, minimist: '1.2.5' } },
          'node_modules/lodash': {
            version,
            resolved: `https://registry.npmjs.org/lodash/-/lodash-${version}.tgz`
          },
          'node_modules/minimist': {
            version: '1.2.5',
            resolved: 'https://registry.npmjs.org/minimist/-/minimist-1.2.5.tgz'
          }
        }
      })
    // Base: minimist 1.2.5 (GHSA-xvch-5gv4-984h) already there; the change downgrades lodash into two advisories.
    const base = { 'web/package-lock.json': lock('4.17.21'), 'README.md': '# app\n' }
    const change = pullRequestCheckout({ base, change: { 'web/package-lock.json': lock('4.17.11') } })
    const sca = await runBundle('sca', {
      node,
      workspace: change.workspace,
      inputs: { 'offline-db': db },
      env: { ...env, ...change.env },
      event: change.event,
      timeoutMs: 300_000
    })
    expect(sca.stderr).toBe('')
    expect(sca.status).toBe(0)
    expect(sca.outputs).toMatchObject({ mode: 'diff', new: '2', existing: '1', findings: '2' })
    expect(
      readSarif(change.workspace)
        .runs[0]!.results.map(r => r.ruleId)
        .sort()
    ).toEqual(['GHSA-jf85-cpcp-j695', 'GHSA-p6mc-m468-83gw'])

    const docsOnly = pullRequestCheckout({ base, change: { 'README.md': '# app, documented\n' } })
    const skipped = await runBundle('sca', {
      node,
      workspace: docsOnly.workspace,
      inputs: { 'offline-db': db },
      env: { ...env, ...docsOnly.env },
      event: docsOnly.event,
      timeoutMs: 300_000
    })
    expect(skipped.status).toBe(0)
    expect(skipped.outputs).toMatchObject({ mode: 'skip', findings: '0', new: '0', 'sbom-file': '' })
    expect(skipped.summary).toContain('**Nothing to scan**')
    expect(readSarif(docsOnly.workspace).runs[0]!.invocations[0]!.executionSuccessful).toBe(true)
  }, 600_000)
})
