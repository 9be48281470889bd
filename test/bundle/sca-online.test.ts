import { afterEach, describe, expect, it } from '@jest/globals'
import { cpSync, existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startOsvApiDouble, type OsvApiDouble } from '../support/osv-api-double.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { OSV_SCANNER } from '../support/sca.js'

// The sca bundle in online mode (no offline-db), as the runner runs it on Node 20 and 24, with the real
// osv-scanner reaching the loopback OSV API double through HTTPS_PROXY and SSL_CERT_FILE, as a runner
// behind a corporate proxy does; chained into the gate.

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'sca')

/** test/fixtures/sca's uv.lock and NuGet lock: four advisories in test/fixtures/sca/osv-api. */
function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-online-bundle-'))
  for (const folder of ['uv', 'nuget'])
    cpSync(path.join(FIXTURES, folder), path.join(root, folder), { recursive: true })
  return root
}

interface SarifLike {
  runs: { invocations: { executionSuccessful: boolean }[]; results: { ruleId: string }[] }[]
}

const readSarif = (ws: string) =>
  JSON.parse(readFileSync(path.join(ws, 'secure-pipeline', 'sca.sarif'), 'utf8')) as SarifLike

let api: OsvApiDouble | undefined
afterEach(async () => {
  await api?.close()
  api = undefined
})

async function scaOnline(
  node: string,
  ws: string,
  prepare: (double: OsvApiDouble) => void = () => undefined
) {
  api = await startOsvApiDouble({ records: path.join(FIXTURES, 'osv-api') })
  prepare(api)
  const sca = await runBundle('sca', {
    node,
    workspace: ws,
    env: { SECURE_PIPELINE_OSV_SCANNER_PATH: OSV_SCANNER, ...api.env },
    timeoutMs: 300_000
  })
  const gate = () => runBundle('gate', { node, workspace: ws, inputs: { upload: 'false', comment: 'false' } })
  return { sca, gate, api }
}

describe('sca bundle online, through the OSV API', () => {
  describe.each(nodeRuntimes())('on $label, chained into the gate', ({ node }) => {
    it('reports the advisories the API answers; the gate fails on them', async () => {
      const ws = workspace()
      const { sca, gate, api } = await scaOnline(node, ws)
      expect(sca.stderr).toBe('')
      expect(sca.status).toBe(0)
      expect(sca.outputs).toMatchObject({
        'sarif-file': 'secure-pipeline/sca.sarif',
        mode: 'full',
        findings: '4'
      })
      const sarif = readSarif(ws)
      expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(true)
      expect(sarif.runs[0]!.results.map(r => r.ruleId).sort()).toEqual([
        'GHSA-34jh-p97f-mpxf',
        'GHSA-5crp-9r3c-p9vr',
        'GHSA-8q59-q68h-6hv4',
        'GHSA-j8r2-6x86-q33q'
      ])
      expect(sca.summary).toContain('5.4')
      expect(api.requests.filter(r => r.path === '/v1/querybatch')).toHaveLength(1)
      expect(api.refused).toEqual([])

      const verdict = await gate()
      expect(verdict.outputs.outcome).toBe('fail-findings')
      expect(JSON.parse(verdict.outputs.counts!).byScanner['osv-scanner']).toBeDefined()
    }, 600_000)
  })

  const runtimes = nodeRuntimes()
  const { node, label } = runtimes[runtimes.length - 1]!
  it(`on ${label}: the API answering 500 leaves a failed SARIF; the gate reads it as broken, not as 0 findings`, async () => {
    const ws = workspace()
    const { sca, gate } = await scaOnline(node, ws, double =>
      double.fault({ kind: 'status', endpoint: 'querybatch', status: 500 })
    )
    expect(sca.status).toBe(1)
    expect(sca.stdout).toMatch(/::error::osv-scanner: .*vulnmatch\/osvdev.*status="500/)
    expect(readSarif(ws).runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
    expect(existsSync(path.join(ws, 'secure-pipeline', 'sca.cdx.json'))).toBe(false)
    expect((await gate()).outputs.outcome).toBe('fail-broken-input')
  }, 600_000)
})
