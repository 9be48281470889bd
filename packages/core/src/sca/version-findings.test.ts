import { describe, expect, it } from '@jest/globals'
import type { LockfileText } from './enrich.js'
import type { ScannedPackage } from './model.js'
import { versionUnknownFindings } from './version-findings.js'

const pkg = (lockfile: string, ecosystem: string, name: string, extra: Partial<ScannedPackage> = {}) => ({
  lockfile,
  ecosystem,
  name,
  licenses: [],
  ...extra
})

/** Lines by name, as a lockfile would declare them; 0 for one it does not find. */
const text = (lines: Record<string, number>): LockfileText => ({
  text: () => '',
  line: (_file, p) => lines[p.name] || undefined
})

describe('versionUnknownFindings', () => {
  it('reports each package no entry of its file gives a version or a commit, once', () => {
    const findings = versionUnknownFindings(
      [
        pkg('api/requirements.txt', 'PyPI', 'flask'),
        pkg('api/requirements.txt', 'PyPI', 'flask'),
        pkg('api/requirements.txt', 'PyPI', 'requests', { version: '2.25.0' }),
        pkg('java/pom.xml', 'Maven', 'org.example:managed'),
        pkg('web/package-lock.json', 'GIT', 'https://github.com/getsentry/raven-js', { commit: 'c2b377e' }),
        pkg('web/package-lock.json', 'npm', 'a'),
        pkg('web/package-lock.json', 'npm', 'a', { version: '1.0.0' }),
        pkg('rust/Cargo.lock', 'crates.io', 'serde')
      ],
      text({ flask: 3, 'org.example:managed': 12 })
    )
    expect(
      findings.map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine ?? '-'}`)
    ).toEqual([
      'flask api/requirements.txt:3',
      'org.example:managed java/pom.xml:12',
      'serde rust/Cargo.lock:-'
    ])
    expect(findings.map(f => [f.ruleId, f.severity, f.kind, f.tags])).toEqual(
      Array(3).fill(['dependency-version-unknown', 'medium', 'dependency', ['dependency-version']])
    )
    expect(findings[1]!.message).toBe(
      'org.example:managed has no version in java/pom.xml, so no advisory was checked against it: declare its version in this file (a version from a parent POM or an imported BOM is not resolved), or scan a gradle.lockfile.'
    )
    expect(findings[2]!.message).toContain('pin it to one version, or scan the lockfile')
  })

  it('keeps one name in two files apart, and the same package at another line gets the same fingerprint', () => {
    const twoFiles = versionUnknownFindings(
      [
        pkg('a/requirements.txt', 'PyPI', 'flask'),
        pkg('b/requirements.txt', 'PyPI', 'flask', { version: '3.0.0' })
      ],
      text({})
    )
    expect(twoFiles.map(f => f.location?.path)).toEqual(['a/requirements.txt'])
    // A line moved by an edit above it is the same finding: the baseline and the change's split hold.
    const at = (name: string, line: number) =>
      versionUnknownFindings([pkg('a/requirements.txt', 'PyPI', name)], text({ [name]: line }))[0]!
        .fingerprint
    expect(at('flask', 3)).toBe(at('flask', 9))
    expect(at('flask', 3)).not.toBe(at('jinja2', 3))
  })
})
