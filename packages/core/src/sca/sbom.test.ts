import { describe, expect, it } from '@jest/globals'
import type { LockfileText } from './enrich.js'
import { sbomComponents } from './sbom.js'

const noText: LockfileText = { text: () => undefined, line: () => undefined }

const licensesIn = (...declared: string[]) =>
  sbomComponents(
    declared.map((license, i) => ({
      lockfile: 'package-lock.json',
      ecosystem: 'npm',
      name: `p${i}`,
      version: '1.0.0',
      licenses: [license]
    })),
    noText
  ).map(component => component.licenses)

describe('sbomComponents licenses', () => {
  it('gives one SPDX id as an id, an SPDX expression as an expression, anything else as a name', () => {
    expect(licensesIn('MIT', 'MIT OR ISC', 'GPL-2.0+', 'SEE LICENSE IN LICENSE')).toEqual([
      [{ id: 'MIT' }],
      [{ expression: 'MIT OR ISC' }],
      [{ expression: 'GPL-2.0+' }],
      [{ name: 'SEE LICENSE IN LICENSE' }]
    ])
  })
  it('gives an expression with 2^30 ways to comply as an expression, quickly', () => {
    // A pull request writes this in package-lock.json; expanded, it ran the action out of memory.
    const thirtyClauses = Array.from({ length: 30 }, () => '(MIT OR ISC)').join(' AND ')
    const started = Date.now()
    expect(licensesIn(thirtyClauses)).toEqual([[{ expression: thirtyClauses }]])
    expect(Date.now() - started).toBeLessThan(1000)
  })
})
