import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { renderGfm } from '../../../../test/support/gfm.js'
import { JobSummary } from '../runtime/job-summary.js'
import type { ImageScanResult } from './run.js'
import { renderImageScanSummary } from './summary.js'

/** A scan of an image on disk whose config (written by whoever built the image) states `platform`. */
function scanOf(platform: { os: string; architecture: string; variant?: string }): ImageScanResult {
  return {
    image: {
      kind: 'oci-layout',
      name: 'app',
      digest: `sha256:${'a'.repeat(64)}`,
      digestKind: 'manifest',
      configDigest: `sha256:${'b'.repeat(64)}`,
      platform,
      asked: 'layout',
      names: []
    },
    engine: { engine: 'trivy', version: '0.70.0', source: 'pre-provisioned' },
    name: 'app',
    scanners: ['vuln'],
    vex: { files: [], applied: [], notApplied: [], proposed: [] },
    findings: [],
    sarif: { version: '2.1.0', runs: [] } as unknown as ImageScanResult['sarif'],
    sbom: '{}',
    problems: []
  }
}

describe('renderImageScanSummary', () => {
  it('shows the platform an image config states as text: no image, link, heading or open tag', () => {
    const summary = renderImageScanSummary(
      scanOf({
        os: 'linux',
        architecture: 'amd64',
        variant: '<img src=x> [Approve](https://evil.example) @octo-org/security\n## Passed <details>'
      }),
      { sarif: 'image.sarif', sbom: 'image.cdx.json' }
    )
    const html = renderGfm(summary)
    expect(html).not.toMatch(/<img|<a |<details|<h2>Passed/)
    // GitHub links no mention inside a code span.
    expect(html.replace(/<code>[^<]*<\/code>/g, '')).not.toContain('@octo-org')
    expect(html).toContain('<code>linux/amd64/&lt;img')
  })
})

describe('renderImageScanSummary and values an image holds, however long', () => {
  it('keeps the findings table and its other rows when one package name is 200 KB', () => {
    const huge = 'p'.repeat(200_000)
    const findings = [
      ...Array.from({ length: 6 }, (_, i) =>
        makeFinding({
          ruleId: `CVE-2026-${i}`,
          kind: 'image',
          scanner: 'trivy',
          package: { name: huge, installedVersion: 'v'.repeat(200_000), fixedVersions: ['1.0.1'] }
        })
      ),
      makeFinding({
        ruleId: 'CVE-2026-9999',
        kind: 'image',
        package: { name: 'still-shown', fixedVersions: [] }
      })
    ]
    const summary = new JobSummary().add(
      renderImageScanSummary(
        { ...scanOf({ os: 'linux', architecture: 'amd64' }), findings },
        {
          sarif: 'image.sarif',
          sbom: 'image.cdx.json'
        }
      )
    )
    const { text, truncated } = summary.fit()
    expect(truncated).toBe(false)
    expect(text.length).toBeLessThan(20_000)
    expect(text).toContain('| severity | id | package or finding | installed | fixed in |')
    expect(text).toContain('| still-shown |')
  })
})
