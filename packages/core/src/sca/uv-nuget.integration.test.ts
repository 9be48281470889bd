import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../test/support/repo-root.js'
import {
  advisoryDb,
  findingFacts,
  NEWTONSOFT_RECORD,
  scaOptions,
  UV_NUGET_FINDINGS
} from '../../../../test/support/sca.js'
import { buildActionsContext } from '../github/context.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca } from './run-sca.js'

// uv.lock and NuGet's packages.lock.json have no fixture in ../shared: these two (test/fixtures/sca, see
// its README) pin real releases with real advisories. The PyPI ones are in the shared GitHub records;
// for NuGet the one record (NEWTONSOFT_RECORD) is written from GitHub's advisory GHSA-5crp-9r3c-p9vr.

const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

function workspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-uv-nuget-'))
  for (const folder of ['uv', 'nuget'])
    cpSync(path.join(REPO_ROOT, 'test', 'fixtures', 'sca', folder), path.join(root, folder), {
      recursive: true
    })
  return root
}

describe('uv.lock and packages.lock.json through runSca (real osv-scanner, offline database)', () => {
  it('finds the vulnerable releases each pins, on the line that declares them, and lists every package in the SBOM', async () => {
    const db = advisoryDb([NEWTONSOFT_RECORD])
    const result = await runSca(scaOptions(workspace(), db), {
      logger: memoryLogger(),
      context: push,
      env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
    })
    expect(result.lockfiles).toEqual(['nuget/packages.lock.json', 'uv/uv.lock'])
    const found = result.reported.map(findingFacts).sort((a, b) => a.rule.localeCompare(b.rule))
    expect(found).toEqual(UV_NUGET_FINDINGS)
    expect(result.reported.find(f => f.ruleId === 'GHSA-5crp-9r3c-p9vr')?.aliases).toContain('CVE-2024-21907')
    const components = result.sbom!.components.map(c => `${c.purl} ${JSON.stringify(c.evidence)}`)
    // Each on the line a reader would point at: the package's own entry, or the line pinning it.
    const at = (location: string, line: number) => JSON.stringify({ occurrences: [{ location, line }] })
    expect(components.sort()).toEqual([
      `pkg:nuget/Newtonsoft.Json@12.0.3 ${at('nuget/packages.lock.json', 5)}`,
      `pkg:nuget/Serilog.Sinks.Console@5.0.1 ${at('nuget/packages.lock.json', 15)}`,
      `pkg:nuget/Serilog@3.1.1 ${at('nuget/packages.lock.json', 10)}`,
      `pkg:pypi/certifi@2023.7.22 ${at('uv/uv.lock', 21)}`,
      `pkg:pypi/charset-normalizer@3.3.0 ${at('uv/uv.lock', 30)}`,
      `pkg:pypi/idna@3.4 ${at('uv/uv.lock', 39)}`,
      `pkg:pypi/pyyaml@5.3.1 ${at('uv/uv.lock', 16)}`,
      `pkg:pypi/requests@2.30.0 ${at('uv/uv.lock', 17)}`,
      `pkg:pypi/urllib3@2.0.6 ${at('uv/uv.lock', 69)}`
    ])
  }, 120_000)
})
