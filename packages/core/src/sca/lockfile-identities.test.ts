import { describe, expect, it } from '@jest/globals'
import { lockfileIdentities } from './lockfile-identities.js'
import type { ScannedPackage } from './model.js'

const commitOf = (i: number) => `c0ffee${i.toString(16).padStart(34, '0')}`

/** A package-lock.json of `count` packages, every tenth installed from a git commit, as osv-scanner lists them. */
function bigLockfile(count: number): { text: string; packages: ScannedPackage[] } {
  const entries: Record<string, unknown> = { '': { name: 'app' } }
  const packages: ScannedPackage[] = []
  for (let i = 0; i < count; i++) {
    const git = i % 10 === 0
    entries[`node_modules/p${i}`] = {
      version: '1.0.0',
      resolved: git
        ? `git+ssh://git@github.com/o/p${i}.git#${commitOf(i)}`
        : `https://registry.npmjs.org/p${i}/-/p${i}-1.0.0.tgz`
    }
    packages.push(
      git
        ? {
            lockfile: 'package-lock.json',
            ecosystem: 'GIT',
            name: `https://github.com/o/p${i}.git`,
            commit: commitOf(i),
            licenses: []
          }
        : { lockfile: 'package-lock.json', ecosystem: 'npm', name: `p${i}`, version: '1.0.0', licenses: [] }
    )
  }
  return { text: JSON.stringify({ lockfileVersion: 3, packages: entries }), packages }
}

describe('lockfileIdentities', () => {
  it('names each git-sourced package of a lockfile of 50,000 as the npm package it declares', () => {
    // Grouping by lockfile and finding commits used to cost the square of the count: minutes at this size.
    const { text, packages } = bigLockfile(50_000)
    const identities = lockfileIdentities(packages, () => text)
    expect(identities).toHaveLength(50_000)
    expect(identities.filter(p => p.ecosystem === 'GIT')).toEqual([])
    // 49,990 is 0xc346.
    expect(identities.find(p => p.name === 'p49990')).toEqual({
      lockfile: 'package-lock.json',
      ecosystem: 'npm',
      name: 'p49990',
      version: '1.0.0',
      commit: 'c0ffee000000000000000000000000000000c346',
      licenses: []
    })
  })
})
