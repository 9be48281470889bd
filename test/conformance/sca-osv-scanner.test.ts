import { expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { readOsvOutput } from '../../packages/core/src/sca/engine-osv.js'
import { enrichVulnerabilities } from '../../packages/core/src/sca/enrich.js'
import type { JsonObject } from '../../packages/core/src/findings/json.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

// osv-scanner's own JSON outputs (its test data, ../shared/fixtures/scanners/osv-scanner) read the way
// the sca action reads a scan: each finding with its package purl, installed and fixed versions,
// aliases, severity and lockfile, and the one upgrade that fixes all of a package's advisories.
// Expected values are written from the records in the files, not computed.

const NO_LOCKFILE_TEXT = { text: () => undefined, line: () => undefined }

function scan(file: string, root: string) {
  const report = JSON.parse(
    readFileSync(sharedFixture('scanners', 'osv-scanner', file), 'utf8')
  ) as JsonObject
  const result = readOsvOutput(report, root, { name: 'osv-scanner', version: '2.6.0' })
  return { result, vulnerabilities: enrichVulnerabilities(result, NO_LOCKFILE_TEXT) }
}

describeWithSharedFixtures('sca reads osv-scanner JSON results', () => {
  it('go-and-cargo: one finding per group, located at its lockfile, with purl, versions and aliases', () => {
    const { result, vulnerabilities } = scan('go-and-cargo.results.json', '/path/to/scorecard-check-osv-e2e')
    expect(result.packages.map(p => `${p.lockfile} ${p.ecosystem} ${p.name}@${p.version}`)).toEqual([
      'go.mod Go github.com/gogo/protobuf@1.3.1',
      'sub-rust-project/Cargo.lock crates.io regex@1.5.1'
    ])
    const found = vulnerabilities.map(({ finding: f, upgrade }) => ({
      ruleId: f.ruleId,
      path: f.location?.path,
      severity: f.severity,
      purl: f.package?.purl,
      installed: f.package?.installedVersion,
      fixed: f.package?.fixedVersions,
      aliases: [...(f.aliases ?? [])].sort(),
      upgrade
    }))
    expect(found).toEqual([
      {
        ruleId: 'GO-2021-0053',
        path: 'go.mod',
        // No CVSS vector and no database_specific.severity in the record: osv-scanner's SARIF level warning.
        severity: 'medium',
        purl: 'pkg:golang/github.com/gogo/protobuf@1.3.1',
        installed: '1.3.1',
        fixed: ['1.3.2'],
        aliases: ['CVE-2021-3121', 'GHSA-c3h9-896r-86jm'],
        upgrade: { kind: 'upgrade', version: '1.3.2' }
      },
      {
        // The group GHSA-m5pq-gvj9-9vr8 + RUSTSEC-2022-0013 is one result, not two.
        ruleId: 'GHSA-m5pq-gvj9-9vr8',
        path: 'sub-rust-project/Cargo.lock',
        // CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H is 7.5.
        severity: 'high',
        purl: 'pkg:cargo/regex@1.5.1',
        installed: '1.5.1',
        fixed: ['1.5.5'],
        aliases: ['CVE-2022-24713', 'RUSTSEC-2022-0013'],
        upgrade: { kind: 'upgrade', version: '1.5.5' }
      }
    ])
    expect(
      vulnerabilities.find(v => v.finding.ruleId === 'GHSA-m5pq-gvj9-9vr8')!.finding.securitySeverity
    ).toBe(7.5)
  })

  it('multi-source: severity words, an advisory with no fix, and the smallest upgrade over two advisories', () => {
    const { vulnerabilities } = scan('multi-source-with-max-severity.results.json', '/repo')
    const found = vulnerabilities.map(
      ({ finding: f, upgrade }) =>
        `${f.ruleId} ${f.package?.purl} ${f.severity} ${upgrade.kind === 'upgrade' ? upgrade.version : 'none'}`
    )
    expect(found.sort()).toEqual([
      // Debian chromium: an empty max_severity and no fixed version.
      'CVE-2024-3847 pkg:deb/debian/chromium@73.0.3683.75-1 medium none',
      // database_specific.severity HIGH; GO-2023-1571 also names stdlib, whose ranges do not apply here.
      'GHSA-mrrw-grhq-86gf pkg:cargo/ascii@0.8.7 medium 0.9.3',
      'GHSA-vvpx-j8f3-3w6h pkg:golang/golang.org/x/net@0.1.0 high 0.7.0',
      // time 0.1.45: GHSA-wcg3 affects up to 0.2 (last_affected) and 0.2.7 to 0.2.23; RUSTSEC-2020-0071
      // affects below 0.2.0 and each 0.2.x pre-release range; 0.2.1 is clear of both.
      'GHSA-wcg3-cvx6-7396 pkg:cargo/time@0.1.45 medium 0.2.1'
    ])
  })
})
