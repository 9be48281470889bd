import { describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { writeTrivyTestDb } from '../../../../test/support/image-scan.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import {
  advisoryDb,
  DEPS_VULNERABILITIES,
  depsWorkspace,
  scaOptions,
  TRIVY
} from '../../../../test/support/sca.js'
import type { Finding } from '../findings/finding.js'
import { buildActionsContext, type ActionsContext } from '../github/context.js'
import { BrokenInputError, ConfigurationError, IntegrityError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { runSca, type ScaOptions } from './run-sca.js'
import { renderScaSummary } from './summary.js'

// The real pinned osv-scanner against an offline database built from the real GitHub advisories:
// the vulnerable path runs with no network.

const db = advisoryDb()
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: 'a'.repeat(40) },
  {}
)

function sca(workspace: string, over: Partial<ScaOptions> = {}, context: ActionsContext = push) {
  const temp = mkdtempSync(path.join(tmpdir(), 'sca-runner-'))
  return runSca(scaOptions(workspace, db, over), {
    logger: memoryLogger(),
    context,
    env: { ...process.env, RUNNER_TEMP: temp }
  })
}

const vulnerabilities = (findings: readonly Finding[]) =>
  findings
    .filter(f => !f.ruleId.startsWith('license-'))
    .map(f => `${f.package?.name} ${f.ruleId}`)
    .sort()

describe('runSca with the real osv-scanner and an offline database of real advisories', () => {
  it('reports every known vulnerable dependency of examples/deps, and no withdrawn advisory', async () => {
    const result = await sca(depsWorkspace())
    expect(result.mode.kind).toBe('full')
    expect(result.lockfiles).toEqual([
      'deps/api/requirements.txt',
      'deps/java/pom.xml',
      'deps/service/go.mod',
      'deps/web/package-lock.json'
    ])
    expect(vulnerabilities(result.reported)).toEqual(DEPS_VULNERABILITIES)
    // GHSA-27h2-hvpr-p74q (jsonwebtoken < 9.0.0) is withdrawn in the database: never a finding or alias.
    expect(JSON.stringify(result.sarif)).not.toContain('GHSA-27h2-hvpr-p74q')
    expect(result.sarif.runs[0]!.invocations![0]!.executionSuccessful).toBe(true)
  }, 120_000)

  it('puts purl, installed and fixed versions, aliases, severity and the declaring line on each result', async () => {
    const result = await sca(depsWorkspace())
    const log4shell = result.reported.find(f => f.ruleId === 'GHSA-jfh8-c2jp-5v3q')!
    expect(log4shell).toMatchObject({
      severity: 'critical',
      aliases: expect.arrayContaining(['CVE-2021-44228']),
      location: { path: 'deps/java/pom.xml', startLine: 10 },
      package: {
        name: 'org.apache.logging.log4j:log4j-core',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1',
        installedVersion: '2.14.1',
        fixedVersions: expect.arrayContaining(['2.15.0'])
      }
    })
    const pyyaml = result.reported.find(f => f.ruleId === 'GHSA-8q59-q68h-6hv4')!
    expect(pyyaml.location).toEqual({ path: 'deps/api/requirements.txt', startLine: 2 })
    // MODERATE in the record, and its CVSS 3.1 vector AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N scores 6.1.
    expect(result.reported.find(f => f.ruleId === 'GHSA-j8r2-6x86-q33q')).toMatchObject({
      severity: 'medium',
      securitySeverity: 6.1
    })
    const sarifResult = result.sarif.runs[0]!.results!.find(r => r.ruleId === 'GHSA-jfh8-c2jp-5v3q')!
    expect(sarifResult.properties?.['secure-pipeline']).toMatchObject({
      package: { purl: 'pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1' }
    })
    const upgrade = result.vulnerabilities.find(v => v.finding.ruleId === 'GHSA-jfh8-c2jp-5v3q')!.upgrade
    expect(upgrade).toEqual({ kind: 'upgrade', version: '2.16.0' })
  }, 120_000)

  it('writes every package with its purl and lockfile into the SBOM', async () => {
    const result = await sca(depsWorkspace())
    const components = result.sbom!.components.map(c => `${c.purl} ${JSON.stringify(c.evidence)}`)
    expect(components).toContain(
      'pkg:npm/ms@2.1.3 {"occurrences":[{"location":"deps/web/package-lock.json","line":36}]}'
    )
    expect(components).toContain(
      'pkg:pypi/idna@2.10 {"occurrences":[{"location":"deps/api/requirements.txt","line":5}]}'
    )
    // osv-scanner's JSON leaves the Go toolchain out; the SBOM takes it from go.mod's `go 1.20`.
    expect(components).toContain(
      'pkg:golang/stdlib@1.20 {"occurrences":[{"location":"deps/service/go.mod"}]}'
    )
    expect(result.sbom!.components).toHaveLength(13)
  }, 120_000)

  it('takes the severity from a CVSS v4 vector when a record has nothing else', async () => {
    const v4 = {
      id: 'GHSA-v4v4-v4v4-v4v4',
      modified: '2025-01-01T00:00:00Z',
      severity: [
        { type: 'CVSS_V4', score: 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N' }
      ],
      affected: [
        {
          package: { ecosystem: 'npm', name: 'ms' },
          ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '3.0.0' }] }]
        }
      ]
    }
    const result = await sca(depsWorkspace(), {
      offlineDb: advisoryDb([{ file: 'v4.json', text: JSON.stringify(v4) }])
    })
    // 9.3 is the CVSS 4.0 base score of that vector (FIRST calculator).
    expect(result.reported.find(f => f.ruleId === 'GHSA-v4v4-v4v4-v4v4')).toMatchObject({
      severity: 'critical',
      securitySeverity: 9.3
    })
  }, 120_000)

  it('reports a dependency named without a version as unchecked at its line, not as a clean package', async () => {
    const workspace = depsWorkspace()
    const api = readFileSync(path.join(workspace, 'deps/api/requirements.txt'), 'utf8')
    writeFiles(workspace, {
      // Line 6: no version; line 7: a lower bound, which osv-scanner checks as 2.0; lines 8 and 9 install
      // from a URL and from git, which osv-scanner does not list at all.
      'deps/api/requirements.txt': `${api}flask\nJinja2 >= 2.0\nremote @ https://example.com/remote-1.0.tar.gz\n-e git+https://github.com/org/bar.git@v1#egg=bar\n`,
      // A workspace link (no version) beside the workspace's own entry: the package has a version.
      'deps/mono/package-lock.json': JSON.stringify({
        name: 'mono',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': { name: 'mono', workspaces: ['packages/a'] },
          'node_modules/a': { resolved: 'packages/a', link: true },
          'packages/a': { name: 'a', version: '1.0.0' }
        }
      })
    })
    expect(api.split('\n')).toHaveLength(6)
    const result = await sca(workspace)
    const unchecked = result.reported
      .filter(f => f.ruleId === 'dependency-version-unknown')
      .map(f => `${f.package?.name} ${f.severity} ${f.location?.path}:${f.location?.startLine}`)
    expect(unchecked).toEqual([
      'flask medium deps/api/requirements.txt:6',
      'remote medium deps/api/requirements.txt:8',
      'bar medium deps/api/requirements.txt:9'
    ])
    // osv-scanner lists neither: the SBOM has them from the file, without a version, at their lines,
    // with where they come from.
    const fromFile = result.sbom!.components.filter(c => ['remote', 'bar'].includes(String(c.name)))
    expect(fromFile.map(c => [c.name, c.version, c.purl, c.evidence])).toEqual([
      [
        'remote',
        undefined,
        'pkg:pypi/remote?download_url=https://example.com/remote-1.0.tar.gz',
        { occurrences: [{ location: 'deps/api/requirements.txt', line: 8 }] }
      ],
      [
        'bar',
        undefined,
        'pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1',
        { occurrences: [{ location: 'deps/api/requirements.txt', line: 9 }] }
      ]
    ])
    expect(result.reported.find(f => f.ruleId === 'dependency-version-unknown')?.message).toBe(
      'flask has no exact version in deps/api/requirements.txt, so no advisory was checked against it. Pin it (flask==<version>), or scan a lockfile that records versions (pip-compile, uv.lock, poetry.lock); a constraints file (-c) is not read.'
    )
    expect(vulnerabilities(result.reported)).toEqual(
      [
        ...DEPS_VULNERABILITIES,
        'flask dependency-version-unknown',
        'remote dependency-version-unknown',
        'bar dependency-version-unknown'
      ].sort()
    )
    const rule = result.sarif.runs[0]!.tool.driver.rules!.find(r => r.id === 'dependency-version-unknown')
    expect(rule?.help?.text).toContain('its vulnerabilities are unknown, not absent')
    const summary = renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })
    const [vulnerable, notChecked] = summary
      .split('### Vulnerable dependencies')[1]!
      .split('### Not checked: dependencies without a version')
    expect(vulnerable).not.toContain('flask')
    expect(notChecked).toContain('| medium | flask | PyPI | deps/api/requirements.txt:6 |')
  }, 120_000)

  it('reports what a Pipfile.lock installs from git, a URL or without a version, which osv-scanner drops', async () => {
    const workspace = depsWorkspace()
    const entries = {
      requests: { hashes: ['sha256:00'], index: 'pypi', version: '==2.25.0' },
      six: { version: '*' },
      mylib: { git: 'https://github.com/org/mylib.git', ref: '0123456789abcdef0123456789abcdef01234567' },
      urlpkg: { file: 'https://example.com/urlpkg-1.0.tar.gz' },
      local: { editable: true, path: '.' }
    }
    writeFiles(workspace, {
      'deps/pipenv/Pipfile.lock': JSON.stringify({ _meta: { 'pipfile-spec': 6 }, default: entries }, null, 4)
    })
    const result = await sca(workspace)
    const unchecked = result.reported
      .filter(f => f.ruleId === 'dependency-version-unknown')
      .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine}`)
    // Lines of the pretty-printed file: `"six": {` is line 13, `"mylib"` 16, `"urlpkg"` 20.
    expect(unchecked).toEqual([
      'six deps/pipenv/Pipfile.lock:13',
      'mylib deps/pipenv/Pipfile.lock:16',
      'urlpkg deps/pipenv/Pipfile.lock:20'
    ])
    expect(result.reported.find(f => f.package?.name === 'six')?.message).toBe(
      'six has no exact version (*) in deps/pipenv/Pipfile.lock, so no advisory was checked against it. Lock it again (pipenv lock) so that the lockfile records the version installed, or waive it with a policy exception that says why.'
    )
    // requests is listed and checked: its advisory is found, as in api/requirements.txt.
    expect(
      result.reported.some(
        f => f.package?.name === 'requests' && f.location?.path === 'deps/pipenv/Pipfile.lock'
      )
    ).toBe(true)
  }, 120_000)

  it('reports a package a -r include names once, where it is declared, and says so when that file is not scanned', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'deps/b/requirements.txt': '-r base.txt\n-r requirements-dev.txt\n',
      'deps/b/base.txt': 'jinja2\n',
      'deps/b/requirements-dev.txt': 'pytest-cov\n'
    })
    const result = await sca(workspace)
    const unchecked = result.reported
      .filter(f => f.ruleId === 'dependency-version-unknown')
      .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine ?? '-'}`)
    expect(unchecked.sort()).toEqual([
      'jinja2 deps/b/requirements.txt:-',
      'pytest-cov deps/b/requirements-dev.txt:1'
    ])
    expect(result.reported.find(f => f.package?.name === 'jinja2')?.message).toContain(
      'jinja2 has no exact version in deps/b/requirements.txt (or a file it includes with -r), so'
    )
  }, 120_000)

  it('does not report the project’s own code that osv-scanner lists without a version', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      // What npm 10 writes for a workspace and a file: directory whose package.json have no version.
      'deps/mono/package-lock.json': JSON.stringify({
        name: 'mono',
        lockfileVersion: 3,
        requires: true,
        packages: {
          '': {
            name: 'mono',
            workspaces: ['packages/*'],
            dependencies: { 'local-lib': 'file:../local-lib' }
          },
          '../local-lib': {},
          'node_modules/b': { resolved: 'packages/b', link: true },
          'node_modules/local-lib': { resolved: '../local-lib', link: true },
          'node_modules/urltar': { resolved: 'https://example.com/urltar-1.0.0.tgz' },
          'packages/b': {}
        }
      }),
      // What uv 0.13 writes for a workspace member whose version is dynamic.
      'deps/uv/uv.lock':
        'version = 1\nrevision = 5\nrequires-python = ">=3.9"\n\n[manifest]\nmembers = ["app", "dyn"]\n\n' +
        '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { virtual = "." }\ndependencies = [\n    { name = "dyn" },\n]\n\n' +
        '[[package]]\nname = "dyn"\nsource = { editable = "packages/dyn" }\n',
      'deps/svc/go.mod':
        'module example.com/svc\n\ngo 1.21\n\nrequire example.com/shared v0.0.0\n\nreplace example.com/shared => ../shared\n',
      'deps/net/packages.lock.json': JSON.stringify({
        version: 1,
        dependencies: { 'net8.0': { 'mycompany.core': { type: 'Project', dependencies: {} } } }
      })
    })
    const result = await sca(workspace)
    expect(
      result.reported.filter(f => f.ruleId === 'dependency-version-unknown').map(f => f.package?.name)
    ).toEqual(['urltar'])
  }, 120_000)

  it('judges licenses offline from what package-lock.json records', async () => {
    const result = await sca(depsWorkspace(), { licenses: { allow: [], deny: ['MIT'] } })
    const denied = result.reported
      .filter(f => f.ruleId === 'license-denied')
      .map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine}`)
    expect(denied.sort()).toEqual([
      'jsonwebtoken deps/web/package-lock.json:18',
      'lodash deps/web/package-lock.json:26',
      'minimist deps/web/package-lock.json:31',
      'ms deps/web/package-lock.json:36'
    ])
  }, 120_000)

  it('never reads an osv-scanner.toml the tree holds beside a lockfile', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'deps/web/osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xvch-5gv4-984h"\n' })
    expect(vulnerabilities((await sca(workspace)).reported)).toContain('minimist GHSA-xvch-5gv4-984h')
    writeFiles(workspace, {
      'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xvch-5gv4-984h"\nreason = "reviewed"\n'
    })
    expect(vulnerabilities((await sca(workspace)).reported)).not.toContain('minimist GHSA-xvch-5gv4-984h')
  }, 120_000)

  it('names what each ignore hid: an id hides its whole alias group, kept in the SARIF as suppressed', async () => {
    // osv-scanner 2.6.0 applies an ignore to every id of the group (pkg/osvscanner/filter.go): the CVE
    // hid GHSA-jfh8-c2jp-5v3q, which the summary only counted as "1 ignored advisory id".
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml':
        '[[IgnoredVulns]]\nid = "CVE-2021-44228"\nreason = "not reachable"\n\n[[IgnoredVulns]]\nid = "GHSA-0000-0000-0000"\n'
    })
    const result = await sca(workspace)
    expect(vulnerabilities(result.reported)).not.toContain(
      'org.apache.logging.log4j:log4j-core GHSA-jfh8-c2jp-5v3q'
    )
    const summary = renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })
    expect(summary).toContain(
      '`CVE-2021-44228` (line 1, reason: not reachable): hid `GHSA-jfh8-c2jp-5v3q` in org.apache.logging.log4j:log4j-core 2.14.1 (deps/java/pom.xml)'
    )
    expect(summary).toContain('`GHSA-0000-0000-0000` (line 5): matches nothing')
    const hidden = result.sarif.runs[0]!.results!.filter(r => r.ruleId === 'GHSA-jfh8-c2jp-5v3q')
    expect(hidden).toEqual([
      expect.objectContaining({
        suppressions: [{ kind: 'external', status: 'accepted', justification: 'not reachable' }]
      })
    ])
  }, 120_000)

  it('with trivy, hides an advisory by the same rule and names it, rather than giving trivy an ignore file', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    writeTrivyTestDb(path.join(cache, 'db')) // one advisory: CVE-2021-23337 in lodash
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'osv-scanner.toml': '[[IgnoredVulns]]\nid = "CVE-2021-23337"\n' })
    const result = await sca(workspace, {
      engine: 'trivy',
      binaryPath: TRIVY,
      offlineDb: cache,
      include: ['**/package-lock.json']
    })
    expect(vulnerabilities(result.reported)).not.toContain('lodash CVE-2021-23337')
    expect(renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })).toContain(
      '`CVE-2021-23337` (line 1): hid `CVE-2021-23337` in lodash 4.17.11 (deps/web/package-lock.json)'
    )
    expect(result.sarif.runs[0]!.results!.find(r => r.ruleId === 'CVE-2021-23337')?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'osv-scanner.toml line 1 ignores it (no reason given)'
      }
    ])
  }, 120_000)

  it('applies no ignore entry whose ignoreUntil has passed, and does not count it as ignored', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xvch-5gv4-984h"\nignoreUntil = 2020-01-31\n'
    })
    const result = await sca(workspace)
    expect(vulnerabilities(result.reported)).toContain('minimist GHSA-xvch-5gv4-984h')
    expect(result.config?.ignored).toEqual([])
  }, 120_000)

  it('refuses an osv-scanner.toml that spells a field as osv-scanner alone reads it, rather than list other ignores', async () => {
    // osv-scanner 2.6.0 hides the advisory under `[[ignoredvulns]]` (BurntSushi/toml matches keys
    // regardless of case); the summary and Trivy's ignore file listed no ignore for it.
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'osv-scanner.toml': '[[ignoredvulns]]\nid = "GHSA-xvch-5gv4-984h"\n' })
    await expect(sca(workspace)).rejects.toThrow(
      "osv-scanner.toml (workspace): line 1 holds the fields 'IgnoredVulns' and 'ignoredvulns'"
    )
    await expect(sca(workspace)).rejects.toBeInstanceOf(ConfigurationError)
  }, 120_000)

  it('lists a [[PackageOverrides]] ignore as osv-scanner applies it: every advisory of the package hidden, or the package skipped', async () => {
    // osv-scanner 2.6.0 hid lodash's advisories and skipped minimist while the summary listed no ignore.
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml': [
        '[[PackageOverrides]]',
        'name = "lodash"',
        'ecosystem = "npm"',
        'vulnerability.ignore = true',
        'reason = "not reachable"',
        '',
        '[[PackageOverrides]]',
        'name = "minimist"',
        'ignore = true',
        'effectiveUntil = 2099-01-31',
        '',
        '[[PackageOverrides]]',
        'name = "jsonwebtoken"',
        'vulnerability.ignore = true',
        'effectiveUntil = 2020-01-31 # ran out: applies nothing',
        '',
        '[[PackageOverrides]]',
        'name = "requests"',
        'license.override = ["Apache-2.0"]',
        ''
      ].join('\n')
    })
    const result = await sca(workspace)
    const reported = vulnerabilities(result.reported)
    expect(reported.filter(v => /^(lodash|minimist) /.test(v))).toEqual([])
    expect(reported).toContain('jsonwebtoken GHSA-8cf7-32gw-wr33')
    expect(reported).toContain('requests GHSA-j8r2-6x86-q33q')
    expect(result.config?.packageIgnores).toEqual([
      { line: 1, hides: 'advisories', name: 'lodash', ecosystem: 'npm', except: [] },
      { line: 7, hides: 'package', name: 'minimist', until: '2099-01-31', except: [] }
    ])
    const summary = renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })
    expect(summary.split('\n').find(l => l.startsWith('Package ignores'))).toBe(
      'Package ignores (`[[PackageOverrides]]`): every advisory of lodash in npm (line 1), the whole of minimist in any ecosystem (not scanned) until 2099-01-31 (line 7).'
    )
  }, 120_000)

  it('applies a package ignore after an expired one for the same packages only where osv-scanner does: the first match decides', async () => {
    // osv-scanner takes the first [[PackageOverrides]] entry that matches and checks only its date.
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml': [
        '[[PackageOverrides]]',
        'name = "lodash"',
        'vulnerability.ignore = true',
        'effectiveUntil = 2020-01-31',
        '',
        '[[PackageOverrides]]',
        'ecosystem = "npm"',
        'vulnerability.ignore = true',
        ''
      ].join('\n')
    })
    const result = await sca(workspace)
    const reported = vulnerabilities(result.reported)
    expect(reported).toContain('lodash GHSA-p6mc-m468-83gw')
    expect(reported.filter(v => /^(minimist|jsonwebtoken) /.test(v))).toEqual([])
    expect(result.config?.packageIgnores).toEqual([
      { line: 6, hides: 'advisories', ecosystem: 'npm', except: [1] }
    ])
    expect(renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })).toContain(
      'every advisory of every package in npm except those the expired entry at line 1 matches first (line 6)'
    )
  }, 120_000)

  it('refuses a package ignore it cannot read as osv-scanner does, naming the line and what to write', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml':
        '[[PackageOverrides]]\nname = "lo.*"\nnameIsRegex = true\nvulnerability.ignore = true\n'
    })
    const failure = sca(workspace)
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError)
    await expect(failure).rejects.toThrow(
      'osv-scanner.toml (workspace): line 3 holds a regular-expression name (nameIsRegex)'
    )
  }, 120_000)

  it('with trivy, says a package ignore is not applied, and reports what it would hide', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    writeTrivyTestDb(path.join(cache, 'db')) // one advisory: CVE-2021-23337 in lodash
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      'osv-scanner.toml': '[[PackageOverrides]]\nname = "lodash"\nvulnerability.ignore = true\n'
    })
    const result = await sca(workspace, {
      engine: 'trivy',
      binaryPath: TRIVY,
      offlineDb: cache,
      include: ['**/package-lock.json']
    })
    expect(vulnerabilities(result.reported)).toContain('lodash CVE-2021-23337')
    expect(renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })).toContain(
      'Not applied: with trivy only the advisory ids of `[[IgnoredVulns]]` apply'
    )
  }, 120_000)

  it('with trivy, obeys no .trivyignore, .trivyignore.yaml or trivy.yaml the tree holds (Trivy reads them from its cwd)', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    writeTrivyTestDb(path.join(cache, 'db')) // one advisory: CVE-2021-23337 in lodash
    const workspace = depsWorkspace()
    writeFiles(workspace, {
      '.trivyignore': 'CVE-2021-23337\n',
      '.trivyignore.yaml': 'vulnerabilities:\n  - id: CVE-2021-23337\n',
      'trivy.yaml':
        'ignorefile: .trivyignore.yaml\nseverity: [LOW]\nvulnerability:\n  ignore-unfixed: true\n',
      'trivy-secret.yaml': 'disable-rules: [all]\n'
    })
    const result = await sca(workspace, {
      engine: 'trivy',
      binaryPath: TRIVY,
      offlineDb: cache,
      include: ['**/package-lock.json']
    })
    expect(vulnerabilities(result.reported)).toContain('lodash CVE-2021-23337')
  }, 120_000)

  it('reads no osv-scanner.toml at all with config none, so the repository ignores nothing', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-xvch-5gv4-984h"\n' })
    const result = await sca(workspace, { configFile: undefined })
    expect(vulnerabilities(result.reported)).toContain('minimist GHSA-xvch-5gv4-984h')
    expect(result.config).toMatchObject({ path: 'none', exists: false, ignored: [] })
  }, 120_000)
})

describe('runSca on pull requests (real git, merge-base)', () => {
  const WEB = readFileSync(path.join(depsWorkspace(), 'deps/web/package-lock.json'), 'utf8')
  // The tarball moves with the version, as npm writes it: an entry fetched at another version is refused.
  const bumped = WEB.replace('"lodash": "4.17.11"', '"lodash": "4.17.15"')
    .replace('"version": "4.17.11"', '"version": "4.17.15"')
    .replace('lodash-4.17.11.tgz', 'lodash-4.17.15.tgz')
  const ctx = (pr: ReturnType<typeof pullRequestCheckout>) =>
    buildActionsContext(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo', ...pr.env },
      pr.event.payload as Record<string, unknown>
    )

  it('reports what the change adds apart from what the merge-base had', async () => {
    const base = {
      'web/package-lock.json': WEB.replace(/\n\s*"minimist": "1.2.5",?/, '').replace(
        /,\n\s*"node_modules\/minimist": \{[^}]*\}/,
        ''
      )
    }
    expect(base['web/package-lock.json']).not.toContain('minimist')
    const pr = pullRequestCheckout({ base, change: { 'web/package-lock.json': bumped } })
    const result = await sca(pr.workspace, {}, ctx(pr))
    expect(result.mode.kind).toBe('diff')
    // lodash 4.17.15 still has GHSA-p6mc (fixed 4.17.19), which the base had: existing. minimist is new.
    expect(vulnerabilities(result.reported)).toEqual(['minimist GHSA-xvch-5gv4-984h'])
    expect(vulnerabilities(result.existing)).toEqual([
      'jsonwebtoken GHSA-8cf7-32gw-wr33',
      'lodash GHSA-p6mc-m468-83gw'
    ])
  }, 120_000)

  it('tells a dependency the change leaves without a version apart from one the merge-base had', async () => {
    const API = readFileSync(path.join(depsWorkspace(), 'deps/api/requirements.txt'), 'utf8')
    const pr = pullRequestCheckout({
      base: { 'api/requirements.txt': `${API}flask\n` },
      change: { 'api/requirements.txt': `${API}flask\nJinja2\n` }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    expect(result.mode.kind).toBe('diff')
    const unchecked = (findings: readonly Finding[]) =>
      findings.filter(f => f.ruleId === 'dependency-version-unknown').map(f => f.package?.name)
    expect(unchecked(result.reported)).toEqual(['jinja2'])
    expect(unchecked(result.existing)).toEqual(['flask'])
    // The base's flask is listed as not checked, not as a vulnerability whose advisory is the rule id.
    const existing = renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' }).split(
      'the base already had (not counted)'
    )[1]!
    expect(existing).not.toContain('| dependency-version-unknown |')
    expect(existing).toContain('| medium | flask | PyPI | api/requirements.txt:')
  }, 120_000)

  it('counts a git requirement the change points at another ref as new, one it leaves alone as existing', async () => {
    const API = readFileSync(path.join(depsWorkspace(), 'deps/api/requirements.txt'), 'utf8')
    const reviewed = '-e git+https://github.com/org/bar.git@v1.2#egg=bar\n'
    const pr = pullRequestCheckout({
      base: { 'api/requirements.txt': `${API}${reviewed}baz @ https://example.com/baz-1.0.tar.gz\n` },
      change: {
        'api/requirements.txt': `${API}# moved down a line\n${reviewed}baz @ https://evil.example/baz-1.0.tar.gz\n`
      }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    const unchecked = (findings: readonly Finding[]) =>
      findings.filter(f => f.ruleId === 'dependency-version-unknown').map(f => f.package?.purl)
    expect(unchecked(result.reported)).toEqual([
      'pkg:pypi/baz?download_url=https://evil.example/baz-1.0.tar.gz'
    ])
    expect(unchecked(result.existing)).toEqual([
      'pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.2'
    ])
  }, 120_000)

  it('takes a change that repairs a requirements file osv-scanner read only in part: what the base hid is new', async () => {
    // osv-scanner reads the base as one pin, `pyyaml==5.3.1\frequests==2.25.0`: requests was hidden there.
    const pr = pullRequestCheckout({
      base: { 'api/requirements.txt': 'PyYAML==5.3.1\frequests==2.25.0\n' },
      change: { 'api/requirements.txt': 'PyYAML==5.3.1\nrequests==2.25.0\n' }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    expect(vulnerabilities(result.reported)).toEqual(['requests GHSA-j8r2-6x86-q33q'])
    expect(vulnerabilities(result.existing)).toEqual(['pyyaml GHSA-8q59-q68h-6hv4'])
  }, 120_000)

  it('compares a merge queue entry with the queue base commit (merge_group.base_sha)', async () => {
    const pr = pullRequestCheckout({
      base: { 'web/package-lock.json': bumped },
      change: { 'web/package-lock.json': WEB }
    })
    const queue = buildActionsContext(
      { GITHUB_EVENT_NAME: 'merge_group', GITHUB_REPOSITORY: 'octo-org/octo-repo', GITHUB_SHA: pr.headSha },
      {
        merge_group: {
          base_sha: pr.baseSha,
          head_sha: pr.headSha,
          base_ref: 'refs/heads/main',
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-7'
        }
      }
    )
    const result = await sca(pr.workspace, {}, queue)
    expect(result.mode.kind).toBe('diff')
    // The entry downgrades lodash 4.17.15 to 4.17.11: GHSA-jf85 (fixed 4.17.12) is new; the rest was there.
    expect(vulnerabilities(result.reported)).toEqual(['lodash GHSA-jf85-cpcp-j695'])
    expect(vulnerabilities(result.existing)).toEqual([
      'jsonwebtoken GHSA-8cf7-32gw-wr33',
      'lodash GHSA-p6mc-m468-83gw',
      'minimist GHSA-xvch-5gv4-984h'
    ])
  }, 120_000)

  it('finishes without an engine when the change touches no dependency file', async () => {
    const pr = pullRequestCheckout({
      base: { 'web/package-lock.json': WEB },
      change: { 'src/app.js': 'console.log(1)\n' }
    })
    // No engine binary at all: a skip must not need one.
    const result = await sca(pr.workspace, { binaryPath: '/nonexistent/osv-scanner' }, ctx(pr))
    expect(result.mode).toMatchObject({
      kind: 'skip',
      reason: expect.stringContaining('none of the 1 changed file(s)')
    })
    expect(result.sbom).toBeUndefined()
    expect(result.sarif.runs[0]!.results).toEqual([])
  }, 120_000)

  it('fails the scan of a change that makes a dependency file a link, rather than pass what it hides', async () => {
    // npm reads web/package-lock.json through the link; the scan must not read it as "no dependencies".
    const pr = pullRequestCheckout({
      base: { 'web/package-lock.json': bumped },
      change: { 'vendor/web-lock.json': WEB },
      remove: ['web/package-lock.json'],
      links: { 'web/package-lock.json': '../vendor/web-lock.json' }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    const run = result.sarif.runs[0]!
    expect(run.invocations![0]!.executionSuccessful).toBe(false)
    expect(run.invocations![0]!.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: 'error',
        message: {
          text: "not scanned: web/package-lock.json: a symbolic link; links are never followed: commit the file itself, or leave it out with 'exclude'"
        }
      })
    ])
  }, 120_000)

  it('fails the scan of a change whose dependency file lies where the walk does not go', async () => {
    // web is a link to a directory under node_modules, which the walk skips; npm in web/ reads the file.
    const pr = pullRequestCheckout({
      base: { 'web/package-lock.json': bumped },
      change: { 'node_modules/.web/package-lock.json': WEB },
      remove: ['web'],
      links: { web: 'node_modules/.web' }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    const run = result.sarif.runs[0]!
    expect(run.invocations![0]!.executionSuccessful).toBe(false)
    expect(run.invocations![0]!.toolExecutionNotifications).toEqual([
      expect.objectContaining({
        level: 'error',
        message: {
          text: "not scanned: node_modules/.web/package-lock.json: the change adds or changes it in a directory the scan does not walk (.git, node_modules) or behind a link; move it, or leave it out with 'exclude'"
        }
      })
    ])
  }, 120_000)

  it('lets the merge-base osv-scanner.toml decide: a change cannot ignore its own vulnerability', async () => {
    const ignore = '[[IgnoredVulns]]\nid = "GHSA-xvch-5gv4-984h"\n'
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'osv-scanner.toml': ignore }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    expect(vulnerabilities(result.reported)).toContain('minimist GHSA-xvch-5gv4-984h')
    expect(result.config?.proposed?.addedIgnores).toEqual(['GHSA-xvch-5gv4-984h'])
    expect(renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })).toContain(
      'that would ignore `GHSA-xvch-5gv4-984h` (would hide `GHSA-xvch-5gv4-984h` in minimist 1.2.5 (web/package-lock.json))'
    )
    const head = await sca(pr.workspace, { configSource: 'head' }, ctx(pr))
    expect(vulnerabilities(head.reported)).not.toContain('minimist GHSA-xvch-5gv4-984h')
    // The change adds the package: what the ignore hides in it is the change's, in the SARIF suppressed.
    expect(
      head.sarif.runs[0]!.results!.filter(r => r.ruleId === 'GHSA-xvch-5gv4-984h').map(r => r.suppressions)
    ).toEqual([
      [
        {
          kind: 'external',
          status: 'accepted',
          justification: 'osv-scanner.toml line 1 ignores it (no reason given)'
        }
      ]
    ])
  }, 120_000)

  it('lists the package ignores a change adds to the osv-scanner.toml, and applies none of them', async () => {
    const pr = pullRequestCheckout({
      base: {
        'osv-scanner.toml': '[[PackageOverrides]]\nname = "requests"\nlicense.override = ["Apache-2.0"]\n'
      },
      change: {
        'web/package-lock.json': WEB,
        'osv-scanner.toml':
          '[[PackageOverrides]]\nname = "requests"\nlicense.override = ["Apache-2.0"]\n\n[[PackageOverrides]]\nname = "minimist"\necosystem = "npm"\nvulnerability.ignore = true\n'
      }
    })
    const result = await sca(pr.workspace, {}, ctx(pr))
    expect(vulnerabilities(result.reported)).toContain('minimist GHSA-xvch-5gv4-984h')
    expect(result.config?.packageIgnores).toEqual([])
    expect(result.config?.proposed?.addedPackageIgnores).toEqual([
      { line: 5, hides: 'advisories', name: 'minimist', ecosystem: 'npm', except: [] }
    ])
    expect(renderScaSummary(result, { sarif: 'sca.sarif', sbom: 'sca.cdx.json' })).toContain(
      'that would hide every advisory of minimist in npm (line 5). It is not applied until it is reviewed and merged.'
    )
    const head = await sca(pr.workspace, { configSource: 'head' }, ctx(pr))
    expect(vulnerabilities(head.reported)).not.toContain('minimist GHSA-xvch-5gv4-984h')
  }, 120_000)

  it('refuses a change whose osv-scanner.toml hides an ignore from the list of ignores it adds', async () => {
    const pr = pullRequestCheckout({
      base: { 'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-aaaa-bbbb-cccc"\n' },
      change: {
        'web/package-lock.json': WEB,
        'osv-scanner.toml': '[[IgnoredVulns]]\nid = "GHSA-aaaa-bbbb-cccc"\nID = "GHSA-xvch-5gv4-984h"\n'
      }
    })
    await expect(sca(pr.workspace, {}, ctx(pr))).rejects.toThrow("line 3 holds the fields 'id' and 'ID'")
  }, 120_000)

  it('refuses an offline database in the workspace that the change modifies', async () => {
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'db/osv-scalibr/npm/all.zip': 'x' }
    })
    await expect(sca(pr.workspace, { offlineDb: path.join(pr.workspace, 'db') }, ctx(pr))).rejects.toThrow(
      /changes db\/osv-scalibr\/npm\/all.zip in the offline database/
    )
  }, 120_000)

  // An archive of no records: as a database, it says no npm package has any advisory.
  const EMPTY_ZIP = 'PK\u0005\u0006' + '\u0000'.repeat(18)

  it('refuses an offline database the change reaches through a directory it made a link', async () => {
    // tools/osv-db is the reviewed database; the change makes tools a link to a tree of its own.
    const pr = pullRequestCheckout({
      base: { 'tools/osv-db/README.md': '# reviewed database\n' },
      change: { 'web/package-lock.json': WEB, 'planted/osv-db/osv-scalibr/npm/all.zip': EMPTY_ZIP },
      remove: ['tools'],
      links: { tools: 'planted' }
    })
    const offlineDb = path.join(pr.workspace, 'tools', 'osv-db')
    await expect(sca(pr.workspace, { offlineDb }, ctx(pr))).rejects.toThrow(
      /changes tools in the offline database/
    )
  }, 120_000)

  it('refuses an offline database whose real directory, behind a link, the change modifies', async () => {
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'vendor/db/osv-scalibr/npm/all.zip': EMPTY_ZIP }
    })
    // A link an earlier step made, not the change: the database is what the change wrote behind it.
    symlinkSync('vendor/db', path.join(pr.workspace, 'db'))
    await expect(sca(pr.workspace, { offlineDb: path.join(pr.workspace, 'db') }, ctx(pr))).rejects.toThrow(
      /changes vendor\/db\/osv-scalibr\/npm\/all.zip in the offline database/
    )
  }, 120_000)

  it('refuses an engine binary in the workspace that the change modifies', async () => {
    // A "scanner" that finds nothing: run, it would pass the change and see the job's environment.
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'tools/osv-scanner': '#!/bin/sh\necho \'{"results":[]}\'\n' }
    })
    chmodSync(path.join(pr.workspace, 'tools', 'osv-scanner'), 0o755)
    const binaryPath = path.join(pr.workspace, 'tools', 'osv-scanner')
    await expect(sca(pr.workspace, { binaryPath }, ctx(pr))).rejects.toThrow(
      `this pull_request changes tools/osv-scanner, which input 'engine-path' (${binaryPath}) names: a change cannot bring the tool it is judged with`
    )
  }, 120_000)

  it('refuses an engine binary SECURE_PIPELINE_OSV_SCANNER_PATH names that the change modifies', async () => {
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'tools/osv-scanner': '#!/bin/sh\necho \'{"results":[]}\'\n' }
    })
    const binary = path.join(pr.workspace, 'tools', 'osv-scanner')
    chmodSync(binary, 0o755)
    const failed = runSca(
      scaOptions(pr.workspace, db, { diff: 'false', configSource: 'head', binaryPath: undefined }),
      {
        logger: memoryLogger(),
        context: ctx(pr),
        env: {
          ...process.env,
          RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'sca-runner-')),
          SECURE_PIPELINE_OSV_SCANNER_PATH: binary
        }
      }
    )
    await expect(failed).rejects.toThrow(
      `this pull_request changes tools/osv-scanner, which SECURE_PIPELINE_OSV_SCANNER_PATH (${binary}) names: a change cannot bring the tool it is judged with`
    )
  }, 120_000)

  it('refuses a changed offline database in the workspace with diff false and policy-source head too', async () => {
    const pr = pullRequestCheckout({
      base: { 'README.md': '# x\n' },
      change: { 'web/package-lock.json': WEB, 'db/osv-scalibr/npm/all.zip': EMPTY_ZIP }
    })
    const over = { offlineDb: path.join(pr.workspace, 'db'), diff: 'false', configSource: 'head' } as const
    await expect(sca(pr.workspace, over, ctx(pr))).rejects.toThrow(
      /changes db\/osv-scalibr\/npm\/all.zip in the offline database/
    )
  }, 120_000)
})

describe('runSca error paths: never 0 findings', () => {
  it('fails on an engine crash', async () => {
    const stub = path.join(mkdtempSync(path.join(tmpdir(), 'sca-stub-')), 'osv-scanner')
    writeFileSync(stub, '#!/bin/sh\necho "panic: runtime error: index out of range" >&2\nkill -SEGV $$\n')
    chmodSync(stub, 0o755)
    await expect(sca(depsWorkspace(), { binaryPath: stub })).rejects.toThrow(/osv-scanner.*killed by SIGSEGV/)
  }, 120_000)

  it('fails on a lockfile the engine cannot read', async () => {
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'deps/web/package-lock.json': '{"lockfileVersion": 3, "packages": {' })
    const failure = sca(workspace)
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(/deps\/web\/package-lock.json: could not extract/)
  }, 120_000)

  it('fails on a requirements.txt or gradle.lockfile pip or Gradle reads in full but osv-scanner only in part', async () => {
    // osv-scanner reads the first as one pin `pyyaml==5.3.1\rrequests==2.25.0`, the second as empty.
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-line-breaks-'))
    writeFiles(workspace, { 'api/requirements.txt': 'PyYAML==5.3.1\rrequests==2.25.0\r' })
    const failure = sca(workspace)
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(
      /^api\/requirements.txt: line 1 has a line break other than \\n or \\r\\n \(U\+000D\), so the scan would read only part of it; save it as UTF-8/
    )
    const gradle = mkdtempSync(path.join(tmpdir(), 'sca-utf16-'))
    const lockfile = 'org.apache.logging.log4j:log4j-core:2.14.1=compileClasspath\n'
    writeFileSync(
      path.join(gradle, 'gradle.lockfile'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(lockfile, 'utf16le')])
    )
    await expect(sca(gradle)).rejects.toThrow(/^gradle.lockfile: it starts with a UTF-16 byte-order mark/)
  }, 120_000)

  it('fails on a package-lock.json whose entry spells a key twice in two cases, which osv-scanner reads as one', async () => {
    // npm installs `version` (4.17.11, vulnerable); Go's encoding/json keeps the last of version/Version.
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-key-case-'))
    const lock = {
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { name: 'web', dependencies: { lodash: '^4.17.0' } },
        'node_modules/lodash': { version: '4.17.11', Version: '4.17.21' }
      }
    }
    writeFiles(workspace, { 'web/package-lock.json': JSON.stringify(lock, null, 2) })
    await expect(sca(workspace)).rejects.toThrow(
      /^web\/package-lock.json: the object at \["packages"\]\["node_modules\/lodash"\] holds the keys 'version' and 'Version'/
    )
  }, 120_000)

  it('fails on a package-lock.json entry that npm fetches at another version than the one osv-scanner reports', async () => {
    // npm installs the resolved tarball (lodash 4.17.11, vulnerable); osv-scanner reports `version`.
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-tarball-'))
    const lock = {
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { name: 'web', dependencies: { lodash: '^4.17.0' } },
        'node_modules/lodash': {
          version: '4.17.21',
          resolved: 'https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz'
        }
      }
    }
    writeFiles(workspace, { 'web/package-lock.json': JSON.stringify(lock, null, 2) })
    await expect(sca(workspace)).rejects.toThrow(
      /^web\/package-lock.json: the entry "node_modules\/lodash" locks lodash@4.17.21 but npm installs it from lodash@4.17.11/
    )
  }, 120_000)

  // Each lockfile below installs lodash 4.17.11 (vulnerable) while osv-scanner reports 4.17.21: it reads the
  // version line (yarn) or the key (pnpm), never what the package manager fetches.
  it.each([
    {
      file: 'yarn.lock',
      text: '# yarn lockfile v1\n\n\nlodash@^4.17.0:\n  version "4.17.21"\n  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.11.tgz#0123abcd"\n  integrity sha512-x\n',
      refusal:
        /^web\/yarn.lock: the entry "lodash@\^4.17.0" locks lodash@4.17.21 but yarn installs it from lodash@4.17.11 \(its resolved URL\); delete the entry/
    },
    {
      file: 'yarn.lock',
      text: '__metadata:\n  version: 8\n  cacheKey: 10c0\n\n"lodash@npm:^4.17.0":\n  version: 4.17.21\n  resolution: "lodash@npm:4.17.11"\n  checksum: 10c0/ab\n  languageName: node\n  linkType: hard\n',
      refusal:
        /^web\/yarn.lock: the entry "\\"lodash@npm:\^4.17.0\\"" locks lodash@4.17.21 but yarn installs it from lodash@4.17.11 \(its resolution\)/
    },
    {
      file: 'pnpm-lock.yaml',
      text: "lockfileVersion: '9.0'\n\nimporters:\n\n  .:\n    dependencies:\n      lodash:\n        specifier: ^4.17.0\n        version: 4.17.21\n\npackages:\n\n  lodash@4.17.21:\n    resolution: {integrity: sha512-x, tarball: https://registry.npmjs.org/lodash/-/lodash-4.17.11.tgz}\n\nsnapshots:\n\n  lodash@4.17.21: {}\n",
      refusal:
        /^web\/pnpm-lock.yaml: the entry "lodash@4.17.21" locks lodash@4.17.21 but pnpm installs it from lodash@4.17.11 \(its resolution tarball\)/
    }
  ])(
    'fails on a $file entry the package manager fetches at another version than osv-scanner reports',
    async ({ file, text, refusal }) => {
      const workspace = mkdtempSync(path.join(tmpdir(), 'sca-fetched-'))
      writeFiles(workspace, { [`web/${file}`]: text })
      await expect(sca(workspace)).rejects.toThrow(refusal)
    },
    120_000
  )

  it('fails on a file a requirements file includes with -r that osv-scanner reads in part, whatever its name', async () => {
    // osv-scanner follows `-r other.txt` and reads nothing of it: the UTF-16 text holds no pin it knows.
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-include-'))
    writeFiles(workspace, { 'api/requirements.txt': 'flask==2.0.0\n-r other.txt\n' })
    writeFileSync(
      path.join(workspace, 'api/other.txt'),
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('PyYAML==5.3.1\n', 'utf16le')])
    )
    await expect(sca(workspace)).rejects.toThrow(
      /^api\/other.txt: it starts with a UTF-16 byte-order mark, so the scan would read only part of it \(api\/requirements.txt line 2 includes it with -r\)/
    )
  }, 120_000)

  it('fails on a -r include that leaves the workspace or goes through a link, before osv-scanner reads the runner’s file', async () => {
    // osv-scanner 2.6.0 opens both, and lists a line of the file that looks like a name as a package.
    const secret = path.join(mkdtempSync(path.join(tmpdir(), 'sca-runner-file-')), 'token')
    writeFileSync(secret, 'ghs_notARealToken\n')
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-escape-'))
    const relative = path.relative(path.join(workspace, 'api'), secret)
    writeFiles(workspace, { 'api/requirements.txt': `flask==2.0.0\n-r ${relative}\n` })
    await expect(sca(workspace)).rejects.toThrow(
      /^api\/requirements.txt: line 2 includes ".*" with -r, a path that leaves the workspace/
    )
    writeFiles(workspace, { 'api/requirements.txt': 'flask==2.0.0\n-r token.txt\n' })
    symlinkSync(secret, path.join(workspace, 'api/token.txt'))
    await expect(sca(workspace)).rejects.toThrow(
      /line 2 includes "token.txt" with -r, through the symbolic link api\/token.txt/
    )
  }, 120_000)

  it('fails on a missing database, one without the ecosystem, and a corrupt one', async () => {
    await expect(
      sca(depsWorkspace(), { offlineDb: mkdtempSync(path.join(tmpdir(), 'empty-db-')) })
    ).rejects.toThrow(/has no osv-scalibr\/<Ecosystem>\/all.zip/)
    const partial = advisoryDb()
    const only = mkdtempSync(path.join(tmpdir(), 'npm-db-'))
    mkdirSync(path.join(only, 'osv-scalibr', 'npm'), { recursive: true })
    writeFileSync(
      path.join(only, 'osv-scalibr', 'npm', 'all.zip'),
      readFileSync(path.join(partial, 'osv-scalibr', 'npm', 'all.zip'))
    )
    await expect(sca(depsWorkspace(), { offlineDb: only })).rejects.toThrow(
      /no offline version of the OSV database/
    )
    const corrupt = advisoryDb()
    writeFileSync(path.join(corrupt, 'osv-scalibr', 'Go', 'all.zip'), 'not a zip')
    await expect(sca(depsWorkspace(), { offlineDb: corrupt })).rejects.toThrow(IntegrityError)
    const unlisted = mkdtempSync(path.join(tmpdir(), 'garbage-db-'))
    mkdirSync(path.join(unlisted, 'osv-scalibr', 'npm'), { recursive: true })
    writeFileSync(path.join(unlisted, 'osv-scalibr', 'npm', 'all.zip'), 'not a zip')
    await expect(
      sca(depsWorkspace(), { offlineDb: unlisted, include: ['**/package-lock.json'] })
    ).rejects.toThrow(/zip: not a valid zip file/)
  }, 120_000)

  it('fails on a yarn.lock entry osv-scanner cannot read the version of, rather than drop the package', async () => {
    // Yarn's tokenizer skips the space after the version; osv-scanner 2.6.0 then finds no version, logs
    // it, leaves lodash 4.17.11 out of the matching ("local/unscannable") and exits 0.
    const workspace = mkdtempSync(path.join(tmpdir(), 'sca-yarn-'))
    writeFiles(workspace, {
      'web/yarn.lock': [
        '# yarn lockfile v1',
        '',
        'lodash@^4.17.11:',
        '  version "4.17.11" ',
        '  resolved "https://registry.yarnpkg.com/lodash/-/lodash-4.17.11.tgz"',
        ''
      ].join('\n')
    })
    const failure = sca(workspace)
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(/Failed to determine version of lodash while parsing a yarn.lock/)
  }, 120_000)

  it('fails in online mode when the OSV API cannot be reached (no network here)', async () => {
    const workspace = depsWorkspace()
    await expect(
      sca(workspace, { offlineDb: undefined, include: ['**/go.mod'], deadlineMs: 60_000 })
    ).rejects.toThrow(BrokenInputError)
  }, 120_000)

  it('fails with trivy on a lockfile it cannot parse (trivy itself only logs it and exits 0)', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    writeTrivyTestDb(path.join(cache, 'db'))
    const workspace = depsWorkspace()
    writeFiles(workspace, { 'deps/web/package-lock.json': '{"lockfileVersion": 3, "packages": {' })
    const failure = sca(workspace, { engine: 'trivy', binaryPath: TRIVY, offlineDb: cache })
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(/could not read deps\/web\/package-lock.json: .*parse error/)
  }, 120_000)

  it("loads no Trivy module from the runner's home: one left there could drop any finding", async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    writeTrivyTestDb(path.join(cache, 'db'))
    // A broken module shows whether Trivy loaded the directory at all: it fails the whole run.
    const home = mkdtempSync(path.join(tmpdir(), 'sca-trivy-home-'))
    writeFiles(home, { '.trivy/modules/drop-all.wasm': 'not a module' })
    const saved = process.env.HOME
    process.env.HOME = home
    try {
      await expect(
        sca(depsWorkspace(), { engine: 'trivy', binaryPath: TRIVY, offlineDb: cache })
      ).resolves.toBeDefined()
    } finally {
      process.env.HOME = saved
      rmSync(home, { recursive: true, force: true })
    }
  }, 120_000)

  it('fails with trivy when its database is not there offline', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'trivy-cache-'))
    await expect(
      sca(depsWorkspace(), { engine: 'trivy', binaryPath: TRIVY, offlineDb: cache })
    ).rejects.toThrow(/trivy.*--skip-db-update cannot be specified on the first run/)
  }, 120_000)
})
