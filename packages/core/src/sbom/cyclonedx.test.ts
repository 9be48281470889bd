import { describe, expect, it } from '@jest/globals'
import { buildCycloneDx } from './cyclonedx.js'

describe('buildCycloneDx', () => {
  const bom = buildCycloneDx({
    components: [
      {
        name: 'lodash',
        version: '4.17.11',
        purl: 'pkg:npm/lodash@4.17.11',
        ecosystem: 'npm',
        licenses: [{ id: 'MIT' }],
        occurrences: [
          { location: 'web/package-lock.json', line: 27 },
          { location: 'admin/package-lock.json' }
        ]
      },
      {
        group: '@babel',
        name: 'code-frame',
        version: '7.0.0',
        purl: 'pkg:npm/lodash@4.17.11',
        ecosystem: 'npm',
        licenses: [{ id: 'MIT' }, { expression: 'MIT OR Apache-2.0' }],
        occurrences: []
      }
    ],
    tools: [{ name: 'secure-pipeline sca' }, { name: 'osv-scanner', version: '2.6.0' }],
    subject: { name: 'octo-org/octo-repo', version: 'abc' },
    timestamp: new Date('2026-01-02T03:04:05.678Z'),
    serialNumber: 'urn:uuid:00000000-0000-4000-8000-000000000000'
  })

  it('is a CycloneDX 1.6 document with metadata, tools and the subject', () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 })
    expect(bom.metadata).toEqual({
      timestamp: '2026-01-02T03:04:05Z',
      tools: {
        components: [
          { type: 'application', name: 'secure-pipeline sca' },
          { type: 'application', name: 'osv-scanner', version: '2.6.0' }
        ]
      },
      component: { type: 'application', 'bom-ref': 'subject', name: 'octo-org/octo-repo', version: 'abc' }
    })
  })

  it('lists the purl, licenses and every lockfile (with its line) a component came from', () => {
    expect(bom.components[0]).toEqual({
      type: 'library',
      'bom-ref': 'pkg:npm/lodash@4.17.11',
      name: 'lodash',
      version: '4.17.11',
      purl: 'pkg:npm/lodash@4.17.11',
      licenses: [{ license: { id: 'MIT' } }],
      properties: [{ name: 'secure-pipeline:ecosystem', value: 'npm' }],
      evidence: {
        occurrences: [
          { location: 'web/package-lock.json', line: 27 },
          { location: 'admin/package-lock.json' }
        ]
      }
    })
  })

  it('writes a LicenseRef as a license name: CycloneDX takes only SPDX license list ids as an id', () => {
    const refs = buildCycloneDx({
      components: [
        {
          name: 'acme-sdk',
          ecosystem: 'npm',
          licenses: [{ id: 'LicenseRef-Acme' }, { id: 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2' }],
          occurrences: []
        }
      ],
      tools: [{ name: 'secure-pipeline sca' }]
    })
    expect(refs.components[0]!.licenses).toEqual([
      { license: { name: 'LicenseRef-Acme' } },
      { license: { name: 'DocumentRef-spdx-tool-1.2:LicenseRef-MIT-Style-2' } }
    ])
  })

  it('keeps bom-refs unique when a purl already ends as a suffix would', () => {
    const sameBase = (purl: string) => ({ name: 'a', ecosystem: 'npm', purl, licenses: [], occurrences: [] })
    const refs = buildCycloneDx({
      components: ['pkg:npm/a@1#2', 'pkg:npm/a@1', 'pkg:npm/a@1', 'pkg:npm/a@1'].map(sameBase),
      tools: [{ name: 'secure-pipeline sca' }]
    }).components.map(c => c['bom-ref'])
    expect(refs).toEqual(['pkg:npm/a@1#2', 'pkg:npm/a@1', 'pkg:npm/a@1#3', 'pkg:npm/a@1#4'])
  })

  it('keeps bom-refs unique and a license list to one expression when there is one', () => {
    expect(bom.components[1]).toMatchObject({ 'bom-ref': 'pkg:npm/lodash@4.17.11#2', group: '@babel' })
    expect(bom.components[1]!.licenses).toEqual([{ expression: 'MIT OR Apache-2.0' }])
    expect(bom.components[1]!.evidence).toBeUndefined()
  })

  it("keeps the subject's bom-ref out of the components' and writes no ecosystem when none is given", () => {
    const image = buildCycloneDx({
      components: [
        { bomRef: 'img', name: 'a', version: '1', licenses: [], occurrences: [] },
        { name: 'b', version: '2', licenses: [], occurrences: [] }
      ],
      tools: [{ name: 'trivy' }],
      subject: { type: 'container', bomRef: 'img', name: 'ghcr.io/o/app', purl: 'pkg:oci/app' }
    })
    expect(image.metadata.component).toEqual({
      type: 'container',
      'bom-ref': 'img',
      name: 'ghcr.io/o/app',
      purl: 'pkg:oci/app'
    })
    expect(image.components).toEqual([
      { type: 'library', 'bom-ref': 'img#2', name: 'a', version: '1' },
      { type: 'library', 'bom-ref': 'b@2', name: 'b', version: '2' }
    ])
    expect(image.dependencies).toBeUndefined()
    expect(image.$schema).toBeUndefined()
  })
})
