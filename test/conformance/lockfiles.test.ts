import { beforeAll, expect, it } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { buildActionsContext } from '../../packages/core/src/github/context.js'
import { memoryLogger } from '../../packages/core/src/runtime/logger.js'
import { runSca, type ScaResult } from '../../packages/core/src/sca/run-sca.js'
import { pep503Name } from '../../packages/core/src/sbom/purl.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'
import { advisoryDb, scaOptions } from '../support/sca.js'

// For every lockfile fixture (osv-scalibr's own test data), the action's SBOM lists each package its
// EXPECTED.md names (name, version, ecosystem), found in that lockfile: one real osv-scanner run over
// the fixtures in place, with the offline database of the real advisories.

interface Expected {
  name: string
  version?: string
  ecosystem: string
  commit?: string
}

function expectedPackages(dir: string): { lockfile: string; packages: Expected[] } {
  const text = readFileSync(path.join(dir, 'EXPECTED.md'), 'utf8')
  const lockfile = /saved here as `([^`]+)`/.exec(text)![1]!
  const packages = [...text.matchAll(/^- (.+?), (.+?), ([^\s,]+)(.*)$/gm)].map(
    ([, name, version, ecosystem, notes]) => ({
      name: name!,
      ...(version === '(none)' ? {} : { version: version! }),
      ecosystem: ecosystem!,
      ...(/\[commit: (\w+)\]/.test(notes!) ? { commit: /\[commit: (\w+)\]/.exec(notes!)![1]! } : {})
    })
  )
  // The list must parse whole: a line the pattern missed would be a package never checked.
  expect(packages).toHaveLength(Number(/^Count: (\d+)$/m.exec(text)![1]))
  return { lockfile, packages }
}

describeWithSharedFixtures('the SBOM lists every package of every lockfile fixture', () => {
  const root = sharedFixture('lockfiles')
  const cases = readdirSync(root, { withFileTypes: true })
    .filter(e => e.isDirectory())
    .flatMap(e => readdirSync(path.join(root, e.name)).map(c => `${e.name}/${c}`))
    .sort()
  let result: ScaResult

  beforeAll(async () => {
    const context = buildActionsContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' }, {})
    result = await runSca(scaOptions(root, advisoryDb(), { diff: 'false', deadlineMs: 300_000 }), {
      logger: memoryLogger(),
      context,
      env: { ...process.env, RUNNER_TEMP: mkdtempSync(path.join(tmpdir(), 'lockfiles-')) }
    })
  }, 300_000)

  it('covers the 25 fixture cases of 10 ecosystems', () => {
    expect(cases).toHaveLength(25)
    expect(result.lockfiles).toEqual(
      expect.arrayContaining(cases.map(c => `${c}/${expectedPackages(path.join(root, c)).lockfile}`))
    )
  })

  it.each(cases)('%s', fixture => {
    const { lockfile, packages } = expectedPackages(path.join(root, fixture))
    const where = `${fixture}/${lockfile}`
    // The components found in this lockfile, as name (group joined back as the ecosystem writes it), version, ecosystem.
    const found = result
      .sbom!.components.filter(c =>
        (c.evidence as { occurrences: { location: string }[] } | undefined)?.occurrences.some(
          o => o.location === where
        )
      )
      .map(c => {
        const ecosystem = (c.properties as { name: string; value: string }[])[0]!.value
        const separator = ecosystem === 'Maven' ? ':' : '/'
        const name = c.group ? `${String(c.group)}${separator}${String(c.name)}` : String(c.name)
        return `${ecosystem === 'PyPI' ? pep503Name(name) : name}@${String(c.version ?? '')} ${ecosystem}`
      })
    for (const pkg of packages) {
      const name = pkg.ecosystem === 'PyPI' ? pep503Name(pkg.name) : pkg.name
      expect(found).toContain(`${name}@${pkg.version ?? ''} ${pkg.ecosystem}`)
    }
  })

  // Upstream expects no version for these (a bare `pytest` in a requirements.txt): osv-scanner then
  // checks no advisory against them, and each must come out as such, not as a clean package. Upstream
  // expects no package at all for the two lines of requirements-example that install from a URL
  // (lines 10 and 28, read off the fixture): they are added by hand.
  it('reports every package the fixtures name without a version or commit as unchecked, and no other', () => {
    const expected = cases.flatMap(fixture => {
      const { lockfile, packages } = expectedPackages(path.join(root, fixture))
      return packages
        .filter(p => !p.version && !p.commit)
        .map(p => `${fixture}/${lockfile} ${p.ecosystem === 'PyPI' ? pep503Name(p.name) : p.name}`)
    })
    expect(expected.length).toBeGreaterThan(0)
    const fromUrls = { urllib3: 10, wxPython_Phoenix: 28 }
    const where = 'pypi/requirements-example/requirements.txt'
    expected.push(...Object.keys(fromUrls).map(name => `${where} ${name}`))
    const reported = result.reported.filter(f => f.ruleId === 'dependency-version-unknown')
    expect(reported.map(f => `${f.location?.path} ${f.package?.name}`).sort()).toEqual(expected.sort())
    for (const [name, line] of Object.entries(fromUrls))
      expect(reported.find(f => f.package?.name === name)?.location).toEqual({ path: where, startLine: line })
  })
})
