import { afterEach, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startOsvApiDouble, type OsvApiDouble } from '../../../../test/support/osv-api-double.js'
import { REPO_ROOT } from '../../../../test/support/repo-root.js'
import { findingFacts, scaOptions, UV_NUGET_FINDINGS } from '../../../../test/support/sca.js'
import { buildActionsContext } from '../github/context.js'
import { BrokenInputError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca, type ScaOptions } from './run-sca.js'

// Online mode (no offline-db) with the real osv-scanner 2.6.0. It only ever talks to https://api.osv.dev,
// so the test reaches the loopback OSV API double the way a runner behind a proxy would: HTTPS_PROXY and
// SSL_CERT_FILE (test/support/osv-api-double.ts). The double answers from the records in
// test/fixtures/sca/osv-api (see its README) and refuses every other host.

const FIXTURES = path.join(REPO_ROOT, 'test', 'fixtures', 'sca')
const RECORDS = path.join(FIXTURES, 'osv-api')

const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

/** A workspace holding the named fixture folders. */
function workspace(...folders: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-online-'))
  for (const folder of folders)
    cpSync(path.join(FIXTURES, folder), path.join(root, folder), { recursive: true })
  return root
}

let double: OsvApiDouble | undefined
afterEach(async () => {
  await double?.close()
  double = undefined
})

async function online(ws: string, over: Partial<ScaOptions> = {}, pageSize?: number) {
  double = await startOsvApiDouble({ records: RECORDS, ...(pageSize ? { pageSize } : {}) })
  const api = double
  const run = () =>
    runSca(scaOptions(ws, '', { offlineDb: undefined, ...over }), {
      logger: memoryLogger(),
      context: push,
      env: { ...process.env, ...api.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
    })
  return { api, run }
}

const requested = (api: OsvApiDouble) => api.requests.map(r => `${r.method} ${r.path} ${r.status}`)

describe('online mode through the OSV API (real osv-scanner, loopback API double)', () => {
  it('finds what the API answers for uv.lock and packages.lock.json as the offline path does, asking api.osv.dev only', async () => {
    const { api, run } = await online(workspace('uv', 'nuget'))
    const result = await run()
    expect(result.lockfiles).toEqual(['nuget/packages.lock.json', 'uv/uv.lock'])
    expect(result.offlineDb).toBeUndefined()
    expect(result.sarif.runs[0]!.invocations![0]!.executionSuccessful).toBe(true)
    const found = result.reported.map(findingFacts).sort((a, b) => a.rule.localeCompare(b.rule))
    // What uv-nuget.integration.test.ts finds offline, and the aliases of each record.
    expect(found).toEqual(UV_NUGET_FINDINGS)
    expect(Object.fromEntries(result.reported.map(f => [f.ruleId, f.aliases]))).toEqual({
      'GHSA-34jh-p97f-mpxf': expect.arrayContaining(['CVE-2024-37891']),
      'GHSA-5crp-9r3c-p9vr': expect.arrayContaining(['CVE-2024-21907']),
      'GHSA-8q59-q68h-6hv4': expect.arrayContaining(['CVE-2020-14343']),
      'GHSA-j8r2-6x86-q33q': expect.arrayContaining(['CVE-2023-32681'])
    })
    // One batch query for every package of both lockfiles, then each advisory's record, and nothing else.
    const batch = api.requests[0]!.body as {
      queries: { package: { name: string; ecosystem: string }; version: string }[]
    }
    expect(batch.queries.map(q => `${q.package.ecosystem} ${q.package.name} ${q.version}`).sort()).toEqual([
      'NuGet Newtonsoft.Json 12.0.3',
      'NuGet Serilog 3.1.1',
      'NuGet Serilog.Sinks.Console 5.0.1',
      'PyPI certifi 2023.7.22',
      'PyPI charset-normalizer 3.3.0',
      'PyPI idna 3.4',
      'PyPI pyyaml 5.3.1',
      'PyPI requests 2.30.0',
      'PyPI urllib3 2.0.6'
    ])
    expect(requested(api).sort()).toEqual([
      'GET /v1/vulns/GHSA-34jh-p97f-mpxf 200',
      'GET /v1/vulns/GHSA-5crp-9r3c-p9vr 200',
      'GET /v1/vulns/GHSA-8q59-q68h-6hv4 200',
      'GET /v1/vulns/GHSA-j8r2-6x86-q33q 200',
      'POST /v1/querybatch 200'
    ])
    expect(api.refused).toEqual([])
  }, 180_000)

  it('drops a withdrawn advisory the API returns and keeps the live one, read across result pages', async () => {
    const { api, run } = await online(workspace('npm'), {}, 1)
    const result = await run()
    expect(result.reported.map(f => `${f.package?.purl} ${f.ruleId} ${f.severity}`)).toEqual([
      'pkg:npm/jsonwebtoken@8.5.1 GHSA-8cf7-32gw-wr33 high'
    ])
    expect(JSON.stringify(result.sarif)).not.toContain('GHSA-27h2-hvpr-p74q')
    // The API did answer the withdrawn record: dropping it is the action's doing.
    expect(requested(api)).toContain('GET /v1/vulns/GHSA-27h2-hvpr-p74q 200')
    const batches = api.requests.filter(r => r.path === '/v1/querybatch')
    expect(batches).toHaveLength(2)
    expect(JSON.stringify(batches[1]!.body)).toMatch(/"page_?[tT]oken":"page-1"/)
    expect(api.refused).toEqual([])
  }, 180_000)

  it('fails when the API answers 500 to every try: a broken scan, not 0 findings', async () => {
    const { api, run } = await online(workspace('uv'))
    api.fault({ kind: 'status', endpoint: 'querybatch', status: 500 })
    const failure = run()
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(/osv-scanner.*vulnmatch\/osvdev.*status="500/)
    expect(new Set(requested(api))).toEqual(new Set(['POST /v1/querybatch 500']))
  }, 180_000)

  it('fails when the advisory records cannot be fetched after the batch query answered', async () => {
    const { api, run } = await online(workspace('uv'))
    api.fault({ kind: 'status', endpoint: 'vulns', status: 503 })
    await expect(run()).rejects.toThrow(/osv-scanner.*vulnmatch\/osvdev.*status="503/)
    expect(requested(api)).toContain('POST /v1/querybatch 200')
  }, 180_000)

  it('fails when the proxy refuses api.osv.dev', async () => {
    const { api, run } = await online(workspace('uv'))
    api.fault({ kind: 'refuse' })
    await expect(run()).rejects.toThrow(/osv-scanner.*vulnmatch\/osvdev.*api\.osv\.dev/)
    expect(api.requests).toEqual([])
    expect(new Set(api.refused)).toEqual(new Set(['api.osv.dev:443']))
  }, 180_000)

  it('asks api.deps.dev for licenses only when a license list is set, and fails when it cannot be reached', async () => {
    const { api, run } = await online(workspace('npm'), { licenses: { allow: [], deny: ['MIT'] } })
    // osv-scanner exits 1 (a vulnerability was found) and reports the failed license lookup on stderr only.
    await expect(run()).rejects.toThrow(/osv-scanner: part of the scan failed.*license\/depsdev/)
    expect(new Set(api.refused)).toEqual(new Set(['api.deps.dev:443']))
  }, 180_000)
})
