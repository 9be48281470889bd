import { afterAll, beforeAll, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { Finding } from '../../packages/core/src/findings/finding.js'
import { buildActionsContext } from '../../packages/core/src/github/context.js'
import { memoryLogger } from '../../packages/core/src/runtime/logger.js'
import { runSca, type ScaResult } from '../../packages/core/src/sca/run-sca.js'
import { startOsvApiDouble, type OsvApiDouble } from '../support/osv-api-double.js'
import {
  ADVISORIES,
  advisoryDb,
  DEPS_VULNERABILITIES,
  depsWorkspace,
  findingFacts,
  scaOptions
} from '../support/sca.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

// The 13 real GitHub advisories of ../shared/fixtures/advisories/osv (read in place), served two ways to
// the real osv-scanner over examples/deps: by the loopback OSV API double (online, records exactly as
// GitHub writes them: `PyYAML`, schema 1.3 to 1.4, one withdrawn) and by the offline database the osv-db
// command builds from them. The action must report the same thing either way.

const push = buildActionsContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo' }, {})

const scan = (workspace: string, offlineDb: string | undefined, env: Record<string, string> = {}) =>
  runSca(scaOptions(workspace, '', { offlineDb }), {
    logger: memoryLogger(),
    context: push,
    env: { ...process.env, ...env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')) }
  })

const described = (findings: readonly Finding[]) =>
  findings
    .map(f => ({ ...findingFacts(f), score: f.securitySeverity, aliases: f.aliases }))
    .sort((a, b) => `${a.purl} ${a.rule}`.localeCompare(`${b.purl} ${b.rule}`))

describeWithSharedFixtures('online and offline agree on the real GitHub advisories', () => {
  let api: OsvApiDouble
  let online: ScaResult
  let offline: ScaResult

  beforeAll(async () => {
    api = await startOsvApiDouble({ records: ADVISORIES })
    online = await scan(depsWorkspace(), undefined, api.env)
    offline = await scan(depsWorkspace(), advisoryDb())
  }, 300_000)
  afterAll(() => api.close())

  it('reports the known vulnerabilities of examples/deps online, and not the withdrawn one', () => {
    expect(
      online.reported.map(f => `${f.package?.name.replace('PyYAML', 'pyyaml')} ${f.ruleId}`).sort()
    ).toEqual(DEPS_VULNERABILITIES)
    expect(JSON.stringify(online.sarif)).not.toContain('GHSA-27h2-hvpr-p74q')
    expect(api.refused).toEqual([])
  })

  it('gives each the same severity, score, purl, fixed versions, aliases and line as offline', () => {
    expect(described(online.reported)).toEqual(described(offline.reported))
  })

  it('lists the same packages in the SBOM and the same smallest upgrades', () => {
    const components = (r: ScaResult) => r.sbom!.components.map(c => c.purl).sort()
    expect(components(online)).toEqual(components(offline))
    const upgrades = (r: ScaResult) =>
      r.vulnerabilities.map(v => `${v.finding.ruleId} ${JSON.stringify(v.upgrade)}`).sort()
    expect(upgrades(online)).toEqual(upgrades(offline))
  })
})
