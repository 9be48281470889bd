import { describe, expect, it } from '@jest/globals'
import { sbomFromTrivy } from './sbom.js'

const subject = { name: 'ghcr.io/o/app', digest: `sha256:${'a'.repeat(64)}` }
const tool = { name: 'trivy', version: '0.69.3' }

/** A Trivy report holding the given packages in one node-pkg result. */
function report(packages: object[]) {
  return { Results: [{ Target: 'Node.js', Type: 'node-pkg', Packages: packages }] }
}

const lodash = (path: string) => ({
  ID: 'lodash@4.17.20',
  Name: 'lodash',
  Version: '4.17.20',
  Identifier: { PURL: 'pkg:npm/lodash@4.17.20' },
  FilePath: path
})

const refsOf = (sbom: ReturnType<typeof sbomFromTrivy>) =>
  (sbom.components as { 'bom-ref': string }[]).map(c => c['bom-ref'])

describe('sbomFromTrivy bom-refs', () => {
  it('numbers copies of one package in the order Trivy listed them', () => {
    const sbom = sbomFromTrivy(
      report(['a', 'b', 'c', 'd'].map(dir => lodash(`app/${dir}/node_modules/lodash/package.json`))),
      subject,
      tool
    )
    expect(refsOf(sbom)).toEqual([
      'pkg:npm/lodash@4.17.20',
      'pkg:npm/lodash@4.17.20#2',
      'pkg:npm/lodash@4.17.20#3',
      'pkg:npm/lodash@4.17.20#4'
    ])
  })

  it('skips a number a package already holds as its own purl', () => {
    const taken = { ID: 'odd', Name: 'odd', Version: '1', Identifier: { PURL: 'pkg:npm/lodash@4.17.20#2' } }
    const sbom = sbomFromTrivy(
      report([lodash('x/package.json'), taken, lodash('y/package.json')]),
      subject,
      tool
    )
    expect(refsOf(sbom)).toEqual([
      'pkg:npm/lodash@4.17.20',
      'pkg:npm/lodash@4.17.20#2',
      'pkg:npm/lodash@4.17.20#3'
    ])
  })

  it('keeps every ref unique across thousands of copies', () => {
    const copies = Array.from({ length: 5000 }, (_, i) => lodash(`vendor/${i}/lodash/package.json`))
    const refs = refsOf(sbomFromTrivy(report(copies), subject, tool))
    expect(refs).toHaveLength(5000)
    expect(new Set(refs).size).toBe(5000)
    expect(refs.at(-1)).toBe('pkg:npm/lodash@4.17.20#5000')
  })
})

describe('sbomFromTrivy document', () => {
  const digest = `sha256:${'a'.repeat(64)}`
  const layer = `sha256:${'1'.repeat(64)}`
  const sbom = sbomFromTrivy(
    {
      Metadata: { OS: { Family: 'alpine', Name: '3.19.1' } },
      Results: [
        {
          Type: 'alpine',
          Packages: [
            {
              ID: 'musl@1.2.4-r4',
              Name: 'musl',
              Version: '1.2.4-r4',
              Identifier: { PURL: 'pkg:apk/alpine/musl@1.2.4-r4' },
              Licenses: ['MIT'],
              Layer: { DiffID: layer }
            },
            {
              ID: 'busybox@1.36.1-r15',
              Name: 'busybox',
              Version: '1.36.1-r15',
              Identifier: { PURL: 'pkg:apk/alpine/busybox@1.36.1-r15' },
              Licenses: ['GPL-2.0-only', 'LicenseRef-Busybox'],
              DependsOn: ['musl@1.2.4-r4', 'musl@1.2.4-r4', 'not-listed@1'],
              Layer: { DiffID: layer }
            }
          ]
        },
        {
          Type: 'jar',
          Packages: [
            { Name: 'internal', Version: '2', FilePath: 'app/a.jar' },
            { Name: 'internal', Version: '2', FilePath: 'app/b.jar' }
          ]
        }
      ]
    },
    { name: 'ghcr.io/o/app', digest, platform: { os: 'linux', architecture: 'arm64' } },
    tool,
    new Date('2026-01-02T03:04:05.678Z')
  )

  it('describes the image as a container with its OCI purl, Trivy as the tool', () => {
    expect(sbom).toMatchObject({
      $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
      bomFormat: 'CycloneDX',
      specVersion: '1.6',
      version: 1
    })
    expect(sbom.serialNumber).toMatch(/^urn:uuid:[0-9a-f-]{36}$/)
    expect(sbom.metadata).toEqual({
      timestamp: '2026-01-02T03:04:05Z',
      tools: {
        components: [{ type: 'application', group: 'aquasecurity', name: 'trivy', version: '0.69.3' }]
      },
      component: {
        type: 'container',
        'bom-ref': `ghcr.io/o/app@${digest}`,
        name: 'ghcr.io/o/app',
        version: digest,
        purl: `pkg:oci/app@sha256%3A${'a'.repeat(64)}?repository_url=ghcr.io/o/app&arch=arm64`
      }
    })
  })

  it('lists the operating system and every package with its licenses (as names) and place in the image', () => {
    expect(sbom.components).toEqual([
      { type: 'operating-system', 'bom-ref': 'os:alpine@3.19.1', name: 'alpine', version: '3.19.1' },
      {
        type: 'library',
        'bom-ref': 'pkg:apk/alpine/musl@1.2.4-r4',
        name: 'musl',
        version: '1.2.4-r4',
        purl: 'pkg:apk/alpine/musl@1.2.4-r4',
        licenses: [{ license: { name: 'MIT' } }],
        properties: [
          { name: 'aquasecurity:trivy:PkgType', value: 'alpine' },
          { name: 'secure-pipeline:layer-diff-id', value: layer }
        ]
      },
      {
        type: 'library',
        'bom-ref': 'pkg:apk/alpine/busybox@1.36.1-r15',
        name: 'busybox',
        version: '1.36.1-r15',
        purl: 'pkg:apk/alpine/busybox@1.36.1-r15',
        licenses: [{ license: { name: 'GPL-2.0-only' } }, { license: { name: 'LicenseRef-Busybox' } }],
        properties: [
          { name: 'aquasecurity:trivy:PkgType', value: 'alpine' },
          { name: 'secure-pipeline:layer-diff-id', value: layer }
        ]
      },
      {
        type: 'library',
        'bom-ref': 'pkg:jar/internal@2',
        name: 'internal',
        version: '2',
        properties: [
          { name: 'aquasecurity:trivy:PkgType', value: 'jar' },
          { name: 'secure-pipeline:path-in-image', value: '/app/a.jar' }
        ]
      },
      {
        type: 'library',
        'bom-ref': 'pkg:jar/internal@2#2',
        name: 'internal',
        version: '2',
        properties: [
          { name: 'aquasecurity:trivy:PkgType', value: 'jar' },
          { name: 'secure-pipeline:path-in-image', value: '/app/b.jar' }
        ]
      }
    ])
  })

  it('has the image depend on every component, then the edges Trivy saw between listed packages, once each', () => {
    expect(sbom.dependencies).toEqual([
      {
        ref: `ghcr.io/o/app@${digest}`,
        dependsOn: [
          'os:alpine@3.19.1',
          'pkg:apk/alpine/musl@1.2.4-r4',
          'pkg:apk/alpine/busybox@1.36.1-r15',
          'pkg:jar/internal@2',
          'pkg:jar/internal@2#2'
        ]
      },
      { ref: 'pkg:apk/alpine/busybox@1.36.1-r15', dependsOn: ['pkg:apk/alpine/musl@1.2.4-r4'] }
    ])
  })
})
