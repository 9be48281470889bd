import { describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { failedPluginLines, osvScannerArgs, readOsvOutput, scanWithOsvScanner } from './engine-osv.js'

const base = { root: '/ws', files: ['web/package-lock.json'], licenses: false, configFile: '/tmp/osv.toml' }

describe('osvScannerArgs', () => {
  it('never resolves transitive dependencies, online or offline (no api.deps.dev, no registry a pom.xml names)', () => {
    const online = osvScannerArgs(base)
    const offline = osvScannerArgs({ ...base, offlineDb: '/db' })
    expect(online).toContain('--no-resolve')
    expect(offline).toContain('--no-resolve')
    expect(online).not.toContain('--offline')
    expect(online).not.toContain('--offline-vulnerabilities')
    expect(offline).toEqual(expect.arrayContaining(['--offline', '--offline-vulnerabilities']))
  })

  it('asks for licenses (deps.dev) online only when a license list is given', () => {
    expect(osvScannerArgs(base)).not.toContain('--licenses')
    expect(osvScannerArgs({ ...base, licenses: true })).toContain('--licenses')
    expect(osvScannerArgs({ ...base, licenses: true, offlineDb: '/db' })).not.toContain('--licenses')
  })
})

describe('failedPluginLines', () => {
  it('picks the lines osv-scanner logs for a failed plugin, not its progress lines', () => {
    const stderr = [
      'Starting filesystem walk for root: /',
      'Scanned /ws/uv.lock file and found 6 packages',
      'Error during extraction: (extracting as vulnmatch/osvdev) max retries exceeded: server error',
      ''
    ].join('\n')
    expect(failedPluginLines(stderr)).toEqual([
      'Error during extraction: (extracting as vulnmatch/osvdev) max retries exceeded: server error'
    ])
    expect(failedPluginLines('Scanned /ws/uv.lock file and found 6 packages\n')).toEqual([])
  })
})

// osv-scanner 2.6.0 with --licenses when api.deps.dev cannot be reached, as the online integration test
// sees it (a stub replays it here): exit 1 because a vulnerability was found, the license lookup's failure
// only on stderr, and a report without licenses.
const report = (root: string) =>
  JSON.stringify({
    results: [
      {
        source: { path: `${root}/web/package-lock.json`, type: 'lockfile' },
        packages: [
          {
            package: { name: 'jsonwebtoken', version: '8.5.1', ecosystem: 'npm' },
            vulnerabilities: [
              {
                id: 'GHSA-8cf7-32gw-wr33',
                modified: '2024-06-24T21:23:38Z',
                affected: [
                  {
                    package: { ecosystem: 'npm', name: 'jsonwebtoken' },
                    ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '9.0.0' }] }]
                  }
                ],
                database_specific: { severity: 'HIGH' }
              }
            ],
            groups: [{ ids: ['GHSA-8cf7-32gw-wr33'], aliases: ['CVE-2022-23539', 'GHSA-8cf7-32gw-wr33'] }]
          }
        ]
      }
    ]
  })
const LICENSE_FAILURE =
  'Error during extraction: (extracting as license/depsdev) failed to get version information max retries exhausted: failed after 4 attempts: rpc error: code = Unavailable'

/** The stub's directory is also the scan root. */
function stub(stderrLine: string, exitCode: number): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'osv-stub-'))
  writeFileSync(path.join(dir, 'report.json'), report(dir))
  const file = path.join(dir, 'osv-scanner')
  writeFileSync(
    file,
    `#!/bin/sh\ncat '${path.join(dir, 'report.json')}'\necho 'Scanned /ws/web/package-lock.json file and found 1 package' >&2\necho '${stderrLine}' >&2\nexit ${exitCode}\n`
  )
  chmodSync(file, 0o755)
  return file
}

describe('scanWithOsvScanner, a plugin failure behind exit 1 (stub executable)', () => {
  it('fails the scan instead of returning a report missing the failed part', async () => {
    const binary = stub(LICENSE_FAILURE, 1)
    const failure = scanWithOsvScanner({
      ...base,
      root: path.dirname(binary),
      licenses: true,
      binary,
      version: '2.6.0',
      deadlineMs: 20_000,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      logger: memoryLogger()
    })
    await expect(failure).rejects.toThrow(BrokenInputError)
    await expect(failure).rejects.toThrow(
      /osv-scanner.*part of the scan failed.*exit 1.*extracting as license\/depsdev/
    )
  })
})

describe('readOsvOutput, a PyPI record as the OSV API serves it', () => {
  it('gives the fixed versions of a record naming PyYAML to the lockfile package pyyaml', () => {
    // The offline builder writes PEP 503 names; the API serves GitHub's record as written.
    const report = {
      results: [
        {
          source: { path: '/ws/uv/uv.lock', type: 'lockfile' },
          packages: [
            {
              package: { name: 'pyyaml', version: '5.3.1', ecosystem: 'PyPI' },
              vulnerabilities: [
                {
                  id: 'GHSA-8q59-q68h-6hv4',
                  affected: [
                    {
                      package: { ecosystem: 'PyPI', name: 'PyYAML' },
                      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '5.4' }] }]
                    }
                  ]
                }
              ],
              groups: [{ ids: ['GHSA-8q59-q68h-6hv4'] }]
            }
          ]
        }
      ]
    }
    const result = readOsvOutput(report, '/ws', { name: 'osv-scanner' })
    expect(result.findings.map(f => [f.ruleId, f.package?.fixedVersions])).toEqual([
      ['GHSA-8q59-q68h-6hv4', ['5.4']]
    ])
    expect([...result.advisories.values()].flat().map(a => [a.id, a.fixed])).toEqual([
      ['GHSA-8q59-q68h-6hv4', ['5.4']]
    ])
  })
})
