import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import type { ScaResult } from './run-sca.js'
import { renderScaSummary } from './summary.js'

function fullScan(over: Partial<ScaResult> = {}): ScaResult {
  return {
    mode: { kind: 'full', reason: 'this event judges the branch as it is' },
    tool: { name: 'osv-scanner', version: '2.6.0' },
    lockfiles: ['requirements.txt'],
    notScanned: [],
    packages: 1,
    vulnerabilities: [],
    reported: [],
    existing: [],
    licensesUnknown: 0,
    sarif: { version: '2.1.0', runs: [] },
    ...over
  }
}

const FILES = { sarif: 'sca.sarif', sbom: 'sca.cdx.json' }

describe('renderScaSummary', () => {
  it('lists at most 50 ignore ids a proposed config adds, so the counts stay near the top', () => {
    const addedIgnores = Array.from({ length: 5000 }, (_, i) => `GHSA-${i}-${'x'.repeat(500)}`)
    const summary = renderScaSummary(
      fullScan({
        config: {
          file: '/tmp/osv-scanner.toml',
          path: 'osv-scanner.toml',
          origin: 'the merge-base',
          exists: true,
          ignored: [],
          ignores: [],
          packageIgnores: [],
          proposed: { origin: 'workspace', addedIgnores, addedIgnoreEntries: [], addedPackageIgnores: [] }
        }
      }),
      FILES
    )
    expect(summary).toContain(`\`GHSA-0-${'x'.repeat(93)}\`…, \`GHSA-1-`)
    expect(summary).toContain('`GHSA-49-xxx')
    expect(summary).not.toContain('GHSA-50-')
    expect(summary).not.toContain('x'.repeat(94))
    expect(summary).toContain(`\`GHSA-49-${'x'.repeat(92)}\`…, and 4950 more. It is not applied`)
    expect(summary.length).toBeLessThan(10_000)
    expect(summary.indexOf('| critical |')).toBeGreaterThan(0)
  })

  it('lists at most 50 files the scan did not read, each reason cut, however many a change names', () => {
    const notScanned = Array.from({ length: 3000 }, (_, i) => ({
      file: `deps/${i}/requirements.txt`,
      reason: `pip installs from a file the scan does not read ${'y'.repeat(5000)}`,
      level: 'error' as const
    }))
    const summary = renderScaSummary(fullScan({ notScanned }), FILES)
    expect(summary).toContain('- `deps/49/requirements.txt`: pip installs')
    expect(summary).not.toContain('deps/50/requirements.txt')
    expect(summary).toContain('2950 more in the SARIF.')
    expect(summary).not.toContain('y'.repeat(600))
    expect(summary.length).toBeLessThan(40_000)
  })

  it('shows paths in code spans as written: no backslash escapes, a backtick cannot end the span', () => {
    const summary = renderScaSummary(
      fullScan({
        config: {
          file: '/tmp/osv-scanner.toml',
          path: 'ci/osv_scanner`*x*`.toml',
          origin: 'the merge-base',
          exists: true,
          ignored: [],
          ignores: [],
          packageIgnores: []
        }
      }),
      { sarif: 'out/sca_results.sarif', sbom: 'out/sca_sbom.cdx.json' }
    )
    expect(summary).toContain(
      'SARIF: `out/sca_results.sarif` · SBOM (CycloneDX 1.6): `out/sca_sbom.cdx.json`'
    )
    expect(summary).toContain('from ``ci/osv_scanner`*x*`.toml`` (the merge-base)')
  })
})

describe('renderScaSummary and values a lockfile writes, however long', () => {
  it('keeps the findings tables and their other rows when one package name and path are 200 KB', () => {
    const huge = (c: string) => c.repeat(200_000)
    const location = { path: `${huge('d')}/package-lock.json`, startLine: 1 }
    const pkg = {
      name: huge('p'),
      installedVersion: huge('v'),
      fixedVersions: ['1.0.1'],
      ecosystem: huge('e')
    }
    const vulnerable = Array.from({ length: 3 }, (_, i) =>
      makeFinding({ ruleId: `GHSA-${i}`, kind: 'dependency', location, package: pkg })
    )
    const unversioned = makeFinding({
      kind: 'dependency',
      location,
      package: pkg,
      tags: ['dependency-version']
    })
    const license = makeFinding({ ruleId: 'license-denied', message: huge('m'), location, tags: ['license'] })
    const reported = [
      ...vulnerable,
      unversioned,
      license,
      makeFinding({
        ruleId: 'GHSA-still',
        kind: 'dependency',
        package: { name: 'still-shown', fixedVersions: [] }
      })
    ]
    const summary = renderScaSummary(fullScan({ reported }), FILES)
    expect(summary.length).toBeLessThan(20_000)
    expect(summary).toContain('| still-shown |')
  })
})
