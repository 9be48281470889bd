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
