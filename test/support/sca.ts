import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { Finding } from '../../packages/core/src/findings/finding.js'
import { buildOsvDb, readRecordFiles } from '../../packages/core/src/sca/osv-db.js'
import type { ScaOptions } from '../../packages/core/src/sca/run-sca.js'
import { REPO_ROOT } from './repo-root.js'
import { sharedFixture } from './shared-path.js'
import { toolPath } from './tools-path.js'

/** The real GitHub advisories in OSV form (13, one withdrawn), read in place. */
export const ADVISORIES = sharedFixture('advisories', 'osv')

/** Ecosystems the lockfile fixtures use that the advisories do not cover: written empty, so they scan. */
export const EMPTY_ECOSYSTEMS = ['crates.io', 'Packagist', 'RubyGems', 'GIT']

/** osv-scanner's offline database built from the real advisories (and any extra records) in a temp dir. */
export function advisoryDb(extra: { file: string; text: string }[] = []): string {
  const out = mkdtempSync(path.join(tmpdir(), 'sca-db-'))
  buildOsvDb([...readRecordFiles(ADVISORIES), ...extra], out, { ecosystems: EMPTY_ECOSYSTEMS })
  return out
}

/** The demo's dependency files (examples/deps) copied into a fresh directory, as a workspace. */
export function depsWorkspace(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'sca-ws-'))
  cpSync(path.join(REPO_ROOT, 'examples', 'deps'), path.join(root, 'deps'), { recursive: true })
  return root
}

/** The vulnerabilities in examples/deps (its README), as `package advisory`: written from the records, not computed. */
export const DEPS_VULNERABILITIES = [
  'golang.org/x/net GHSA-vvpx-j8f3-3w6h',
  'golang.org/x/text GHSA-69ch-w2m2-3vjp',
  'jsonwebtoken GHSA-8cf7-32gw-wr33',
  'lodash GHSA-jf85-cpcp-j695',
  'lodash GHSA-p6mc-m468-83gw',
  'minimist GHSA-xvch-5gv4-984h',
  'org.apache.logging.log4j:log4j-core GHSA-7rjr-3q55-vv33',
  'org.apache.logging.log4j:log4j-core GHSA-jfh8-c2jp-5v3q',
  'pyyaml GHSA-8q59-q68h-6hv4',
  'requests GHSA-j8r2-6x86-q33q',
  'urllib3 GHSA-34jh-p97f-mpxf'
]

/** GHSA-5crp-9r3c-p9vr (CVE-2024-21907): Newtonsoft.Json before 13.0.1, HIGH, CVSS 3.1 7.5. */
export const NEWTONSOFT_RECORD = {
  file: 'GHSA-5crp-9r3c-p9vr.json',
  text: JSON.stringify({
    schema_version: '1.6.0',
    id: 'GHSA-5crp-9r3c-p9vr',
    modified: '2024-01-03T17:00:00Z',
    published: '2022-06-22T15:08:47Z',
    aliases: ['CVE-2024-21907'],
    summary: 'Improper Handling of Exceptional Conditions in Newtonsoft.Json',
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
    affected: [
      {
        package: { ecosystem: 'NuGet', name: 'Newtonsoft.Json' },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '13.0.1' }] }]
      }
    ],
    database_specific: { severity: 'HIGH', cwe_ids: ['CWE-755'] }
  })
}

export const OSV_SCANNER = toolPath('osv-scanner')
export const TRIVY = toolPath('trivy')

/** runSca's options as the action gives them by default, with the real osv-scanner and `offlineDb`. */
export function scaOptions(workspace: string, offlineDb: string, over: Partial<ScaOptions> = {}): ScaOptions {
  return {
    workspace,
    scanPath: '.',
    include: [],
    exclude: [],
    engine: 'osv-scanner',
    offlineDb,
    configFile: 'osv-scanner.toml',
    configSource: 'base',
    diff: 'auto',
    licenses: { allow: [], deny: [] },
    deadlineMs: 120_000,
    binaryPath: OSV_SCANNER,
    inputs: {
      path: 'path',
      include: 'include',
      exclude: 'exclude',
      offlineDb: 'offline-db',
      config: 'config',
      diff: 'diff',
      binaryPath: 'engine-path',
      licensesAllow: 'licenses-allow',
      licensesDeny: 'licenses-deny'
    },
    ...over
  }
}

/** What a reader of the SARIF sees of a vulnerability result, for comparing runs. */
export function findingFacts(f: Finding) {
  return {
    rule: f.ruleId,
    severity: f.severity,
    purl: f.package?.purl,
    fixed: f.package?.fixedVersions,
    at: `${f.location?.path}:${f.location?.startLine}`
  }
}

/**
 * test/fixtures/sca's uv.lock and packages.lock.json (its README): the advisories each pinned release has,
 * with severity, fixed versions and declaring line, written from the records. Offline and online alike.
 */
export const UV_NUGET_FINDINGS: ReturnType<typeof findingFacts>[] = [
  {
    rule: 'GHSA-34jh-p97f-mpxf',
    severity: 'medium',
    purl: 'pkg:pypi/urllib3@2.0.6',
    fixed: ['1.26.19', '2.2.2'],
    at: 'uv/uv.lock:69'
  },
  {
    rule: 'GHSA-5crp-9r3c-p9vr',
    severity: 'high',
    purl: 'pkg:nuget/Newtonsoft.Json@12.0.3',
    fixed: ['13.0.1'],
    at: 'nuget/packages.lock.json:5'
  },
  {
    rule: 'GHSA-8q59-q68h-6hv4',
    severity: 'critical',
    purl: 'pkg:pypi/pyyaml@5.3.1',
    fixed: ['5.4'],
    at: 'uv/uv.lock:16'
  },
  {
    rule: 'GHSA-j8r2-6x86-q33q',
    severity: 'medium',
    purl: 'pkg:pypi/requests@2.30.0',
    fixed: ['2.31.0'],
    at: 'uv/uv.lock:17'
  }
]
