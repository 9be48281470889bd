import { describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../../test/support/repo-root.js'
import { parseReport } from '../detect.js'
import { readReportFile } from '../read-report.js'
import { containedPath, repoPath } from './common.js'

const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'unit', 'fixtures', 'reports', name)

describe('Trivy JSON', () => {
  const report = readReportFile(fixture('trivy-fs.json'), { source: 'trivy-fs.json' })

  it('reads vulnerabilities, failing misconfigurations and secrets', () => {
    expect(report.format).toBe('trivy-json')
    expect(report.tools).toEqual([{ name: 'trivy', version: '0.74.0', informationUri: expect.any(String) }])
    expect(report.findings.map(f => [f.kind, f.ruleId, f.severity])).toEqual([
      ['dependency', 'CVE-2099-0001', 'high'],
      ['dependency', 'CVE-2099-0002', 'low'],
      ['config', 'AVD-DS-0002', 'high'],
      ['secret', 'aws-access-key-id', 'critical']
    ])
  })

  it('keeps package, fix, score from the severity source, aliases and cwe', () => {
    expect(report.findings[0]).toMatchObject({
      aliases: ['GHSA-aaaa-bbbb-cccc'],
      securitySeverity: 7.5,
      cwe: ['CWE-400'],
      helpUri: 'https://example.test/CVE-2099-0001',
      location: { path: 'web/package-lock.json' },
      package: {
        name: 'left-pad',
        purl: 'pkg:npm/left-pad@1.0.0',
        ecosystem: 'npm',
        installedVersion: '1.0.0',
        fixedVersions: ['1.0.1', '2.0.0']
      }
    })
    expect(report.findings[1]!.message).toContain('no fix yet')
  })

  it('locates misconfigurations and secrets, never copying the secret', () => {
    expect(report.findings[2]!.location).toEqual({ path: 'Dockerfile', startLine: 4, endLine: 4 })
    expect(report.findings[3]!.location).toEqual({ path: 'deploy.sh', startLine: 3, endLine: 3 })
    expect(JSON.stringify(report)).not.toContain('SENTINEL')
  })

  it('reads image scans as image findings without a repository location', () => {
    const image = readReportFile(fixture('trivy-image.json'))
    expect(image.findings).toHaveLength(1)
    expect(image.findings[0]).toMatchObject({
      kind: 'image',
      image: 'ghcr.io/acme/app:1.0',
      severity: 'low',
      securitySeverity: 7.8
    })
    expect(image.findings[0]!.location).toBeUndefined()
    expect(image.findings[0]!.message).toContain('end of life')
  })
})

describe('Grype JSON', () => {
  const report = readReportFile(fixture('grype-dir.json'), { workspace: '/work/repo' })
  it('reads matches with purl, fix versions, the highest CVSS score and related ids', () => {
    expect(report.format).toBe('grype-json')
    expect(report.tools[0]).toMatchObject({ name: 'grype', version: '0.90.0' })
    expect(report.findings[0]).toMatchObject({
      ruleId: 'GHSA-xxxx-yyyy-zzzz',
      kind: 'dependency',
      severity: 'info',
      // v2 5.0 and v3 3.1: Grype's own SARIF writes the highest, 5.0, as security-severity.
      securitySeverity: 5,
      aliases: ['CVE-2099-1234'],
      location: { path: 'app/package-lock.json' },
      package: {
        name: 'minimist',
        purl: 'pkg:npm/minimist@2.0.0',
        fixedVersions: ['2.0.1'],
        installedVersion: '2.0.0'
      }
    })
  })
  it('maps Unknown to low and keeps findings without a location', () => {
    expect(report.findings[1]).toMatchObject({ severity: 'low', package: { fixedVersions: [] } })
    expect(report.findings[1]!.location).toBeUndefined()
  })

  it('reads a vulnerability database Grype reports as invalid or failed as a failed scan, not as 0 matches', () => {
    const grype = (db: unknown) => JSON.stringify({ matches: [], descriptor: { name: 'grype', db } })
    const problems = (db: unknown) => parseReport(grype(db), 'g.json').problems
    expect(problems({ status: { schemaVersion: 'v6.0.2', valid: false } })).toEqual([
      { level: 'error', message: 'grype: the vulnerability database is not valid' }
    ])
    expect(problems({ status: { valid: false, error: 'checksum mismatch' } })).toEqual([
      { level: 'error', message: 'grype: the vulnerability database is not valid: checksum mismatch' }
    ])
    // Grype before database v6 wrote the status fields on `db` itself.
    expect(problems({ schemaVersion: 5, error: 'no such file' })).toEqual([
      { level: 'error', message: 'grype: the vulnerability database is not valid: no such file' }
    ])
    expect(problems({ status: { schemaVersion: 'v6.0.2', valid: true } })).toEqual([])
    expect(problems({ schemaVersion: 5, error: null })).toEqual([])
    expect(problems(undefined)).toEqual([])
  })
})

describe('Semgrep JSON', () => {
  const report = readReportFile(fixture('semgrep.json'))
  it('reads results with location, cwe and severity', () => {
    expect(report.format).toBe('semgrep-json')
    expect(report.findings[0]).toMatchObject({
      ruleId: 'python.lang.security.eval',
      kind: 'code',
      severity: 'high',
      cwe: ['CWE-95'],
      helpUri: 'https://example.test/eval',
      location: { path: 'app/main.py', startLine: 10, startColumn: 5, endLine: 10, endColumn: 20 },
      partialFingerprints: {},
      suppressions: []
    })
  })
  it('prefers metadata security-severity and reads nosemgrep as an inSource suppression', () => {
    expect(report.findings[1]).toMatchObject({
      severity: 'critical',
      securitySeverity: 9.1,
      suppressions: [{ kind: 'inSource', justification: 'nosemgrep' }],
      partialFingerprints: { 'matchBasedId/v1': '0123456789abcdef0123456789abcdef_0' }
    })
  })
  it('turns errors into problems with their level', () => {
    expect(report.problems).toEqual([
      { level: 'warning', message: 'semgrep Syntax error in x.py: could not parse x.py' },
      { level: 'error', message: 'semgrep Rule parse error in rule bad-rule: invalid rule' }
    ])
  })
})

describe('osv-scanner JSON', () => {
  const report = readReportFile(fixture('osv-scanner.json'), { workspace: '/work/repo/' })
  it('makes one finding per package group with the first id as rule', () => {
    expect(report.format).toBe('osv-scanner-json')
    expect(report.findings.map(f => [f.ruleId, f.severity, f.securitySeverity])).toEqual([
      // MODERATE on the GHSA record, 7.5 from the GO record's vector: osv-scanner rates the group 7.5.
      ['GHSA-vvpx-j8f3-3w6h', 'high', 7.5],
      ['RUSTSEC-2022-0013', 'critical', 9.1],
      ['CVE-2024-3847', 'medium', undefined]
    ])
  })
  it('collects aliases, fixed versions for this package only, cwe and location', () => {
    expect(report.findings[0]).toMatchObject({
      aliases: ['GO-2023-1571', 'CVE-2022-41723'],
      cwe: ['CWE-400'],
      title: 'Uncontrolled Resource Consumption',
      location: { path: 'go.sum' },
      package: {
        name: 'golang.org/x/net',
        ecosystem: 'Go',
        installedVersion: '0.1.0',
        fixedVersions: ['0.7.0']
      }
    })
  })
})

describe('osv-scanner JSON records outside every group', () => {
  const record = (id: string) => ({ id, database_specific: { severity: 'HIGH' } })
  const report = (groups: unknown[]) =>
    parseReport(
      JSON.stringify({
        results: [
          {
            source: { path: 'go.sum' },
            packages: [
              {
                package: { name: 'x', version: '1.0.0', ecosystem: 'Go' },
                vulnerabilities: [
                  record('GHSA-2345-6789-cfgh'),
                  record('CVE-2024-0001'),
                  record('GO-2024-0002')
                ],
                groups
              }
            ]
          }
        ]
      }),
      'osv.json'
    )

  it('are findings of their own, not dropped', () => {
    const findings = report([{ ids: ['GHSA-2345-6789-cfgh'] }, { ids: [] }]).findings
    expect(findings.map(f => [f.ruleId, f.severity])).toEqual([
      ['GHSA-2345-6789-cfgh', 'high'],
      ['CVE-2024-0001', 'high'],
      ['GO-2024-0002', 'high']
    ])
  })

  it('but not when a group names them as an alias', () => {
    const findings = report([
      { ids: ['GHSA-2345-6789-cfgh', 'GO-2024-0002'], aliases: ['CVE-2024-0001'] }
    ]).findings
    expect(findings.map(f => f.ruleId)).toEqual(['GHSA-2345-6789-cfgh'])
  })
})

describe('osv-scanner severity entries that are not CVSS vectors', () => {
  const severityOf = (severity: unknown[]) => {
    const vulnerability = { id: 'GHSA-2345-6789-cfgh', severity }
    const osv = {
      results: [
        {
          source: { path: 'go.sum' },
          packages: [
            {
              package: { name: 'x', version: '1.0.0', ecosystem: 'Go' },
              vulnerabilities: [vulnerability],
              groups: [{ ids: ['GHSA-2345-6789-cfgh'] }]
            }
          ]
        }
      ]
    }
    const [finding] = parseReport(JSON.stringify(osv), 'osv.json').findings
    return [finding?.severity, finding?.securitySeverity]
  }

  it('reads a bare score as its band, not as the unknown-severity default', () => {
    expect(severityOf([{ type: 'CVSS_V3', score: '9.8' }])).toEqual(['critical', 9.8])
    expect(severityOf([{ type: 'CVSS_V3', score: 7.5 }])).toEqual(['high', 7.5])
  })

  it("reads OSV's Ubuntu severity word", () => {
    expect(severityOf([{ type: 'Ubuntu', score: 'high' }])).toEqual(['high', undefined])
  })

  it('still prefers a vector to a word, and falls back to medium on nothing readable', () => {
    expect(
      severityOf([
        { type: 'Ubuntu', score: 'low' },
        { type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }
      ])
    ).toEqual(['critical', 9.8])
    expect(severityOf([{ type: 'CVSS_V3', score: 'not a vector' }])).toEqual(['medium', undefined])
  })
})

describe('CycloneDX vulnerabilities', () => {
  it('reads one that names no affected component as a finding, not as none', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      vulnerabilities: [
        { id: 'CVE-2024-0001', ratings: [{ severity: 'critical' }] },
        { id: 'CVE-2024-0002', ratings: [{ severity: 'high' }], affects: [{ ref: 'pkg:npm/x@1.0.0' }] }
      ]
    }
    const findings = parseReport(JSON.stringify(bom), 'bom.json').findings
    expect(findings.map(f => [f.ruleId, f.severity, f.package?.name, f.message])).toEqual([
      ['CVE-2024-0001', 'critical', undefined, 'CVE-2024-0001'],
      ['CVE-2024-0002', 'high', 'x', 'x 1.0.0 is affected by CVE-2024-0002']
    ])
  })
})

describe('repository paths of findings', () => {
  it.each([
    ['src/app.js', 'src/app.js'],
    ['./src/./app.js', 'src/app.js'],
    ['src/x/../app.js', 'src/app.js'],
    ['..x/x../app.js', '..x/x../app.js'],
    ['testdata/configs/c/', 'testdata/configs/c/'],
    ['a//b', 'a/b'],
    ['../app.js', undefined],
    ['src/../../etc/passwd', undefined],
    ['/etc/passwd', undefined],
    ['C:/Windows/x', undefined],
    ['host://10.0.0.2', undefined],
    ['file:///elsewhere/go.mod', undefined],
    ['.', undefined],
    ['', undefined]
  ])('%j reads as %j', (path, expected) => {
    expect(containedPath(path)).toBe(expected)
  })

  it('strips the workspace, and for Grype the leading slash of the scanned folder', () => {
    expect(repoPath('/work/repo/web/package-lock.json', '/work/repo/')).toBe('web/package-lock.json')
    expect(repoPath('C:\\a\\repo\\src\\x.js', 'C:\\a\\repo')).toBe('src/x.js')
    expect(repoPath('/elsewhere/x', '/work/repo')).toBeUndefined()
    expect(repoPath('/foo/bar/somefile-1.txt', '/work/repo', { leadingSlashIsRoot: true })).toBe(
      'foo/bar/somefile-1.txt'
    )
  })
})
