import { describe, expect, it } from '@jest/globals'
import { ignoredIds, readOsvIgnores, withoutIgnoredVulns } from './config-file.js'

const CONFIG = `[[IgnoredVulns]]
id = "GHSA-live-live-live"
ignoreUntil = 2027-01-31
reason = "fix scheduled"

[[IgnoredVulns]]
id = "GHSA-past-past-past"
ignoreUntil = 2026-06-30T12:00:00Z # the exception ran out
reason = "was waiting for upstream"

[[IgnoredVulns]]
id = "GHSA-ever-ever-ever"

[[PackageOverrides]]
name = "lodash"
ecosystem = "npm"
`

describe('ignoredIds', () => {
  it('names the advisories an [[IgnoredVulns]] entry still ignores on the day of the run', () => {
    // osv-scanner drops an entry whose ignoreUntil has passed; sca applies these ids to both engines.
    expect(ignoredIds(CONFIG, new Date('2026-12-02T19:00:00Z'))).toEqual([
      'GHSA-live-live-live',
      'GHSA-ever-ever-ever'
    ])
    expect(ignoredIds(CONFIG, new Date('2026-06-30T11:00:00Z'))).toEqual([
      'GHSA-live-live-live',
      'GHSA-past-past-past',
      'GHSA-ever-ever-ever'
    ])
  })
  it('reads an id only inside an [[IgnoredVulns]] table', () => {
    expect(ignoredIds('[[PackageOverrides]]\nname = "x"\nid = "GHSA-xxxx-xxxx-xxxx"\n')).toEqual([])
  })
})

describe('ignoredIds on a text osv-scanner reads otherwise', () => {
  // Each of these made osv-scanner 2.6.0 hide GHSA-xvch-5gv4-984h while the reader listed no ignore
  // (or listed one osv-scanner did not apply): BurntSushi/toml matches keys regardless of case.
  const ID = 'GHSA-xvch-5gv4-984h'
  it.each([
    [`[[ignoredvulns]]\nid = "${ID}"\n`, "line 1 holds the fields 'IgnoredVulns' and 'ignoredvulns'"],
    [`[[IgnoredVulns]]\nID = "${ID}"\n`, "line 2 holds the fields 'id' and 'ID'"],
    [`[[IgnoredVulns]]\nid = "${ID}"\nIgnoreUntil = 2020-01-31\n`, "'ignoreUntil' and 'IgnoreUntil'"],
    [
      `[[IgnoredVulns]]\nid = "${ID}"\n[[ignoredVulns]]\nid = "GHSA-zzzz-zzzz-zzzz"\n`,
      "line 3 holds the fields 'IgnoredVulns' and 'ignoredVulns'"
    ],
    [`[["IgnoredVulnſ"]]\nid = "${ID}"\n`, "'IgnoredVulns' and 'IgnoredVulnſ'"],
    [`[[PacKageOverrides]]\nname = "minimist"\nignore = true\n`, "'PackageOverrides' and 'PacKageOverrides'"],
    [`IgnoredVulns = [{ID = "${ID}"}]\n`, "'id' and 'ID'"],
    [`IgnoredVulns = [{id = "${ID}"}]\n`, "an inline 'IgnoredVulns' array"],
    [`[[IgnoredVulns]]\nid = """${ID}"""\n`, 'a multi-line string'],
    [`[[IgnoredVulns]]\nreason = """\n[[Other]]\n"""\nid = "${ID}"\n`, 'a multi-line string'],
    [
      `[[IgnoredVulns]]\nid = "GHSA-\\u0078vch-5gv4-984h"\n`,
      'line 2 holds an id that is not a plain one-line string'
    ]
  ])('refuses %j', (toml, why) => {
    expect(() => ignoredIds(toml)).toThrow(why)
  })

  it('reads quoted table names and keys as osv-scanner does, and changes nothing for the usual spelling', () => {
    expect(ignoredIds(`[[ "IgnoredVulns" ]]\n"id" = '${ID}' # reviewed\nreason = "a, ID = b"\n`)).toEqual([
      ID
    ])
    expect(ignoredIds(CONFIG, new Date('2026-12-02T19:00:00Z'))).toHaveLength(2)
  })
})

describe('readOsvIgnores on [[PackageOverrides]]', () => {
  const NOW = new Date('2026-12-02T19:00:00Z')
  it('lists entries that skip a package or hide its advisories, with their filters, and no license override', () => {
    const toml = [
      '[[PackageOverrides]]',
      'name = "lodash"',
      'version = "4.17.11"',
      'ecosystem = "npm"',
      'group = "dev"',
      'vulnerability.ignore = true # not reachable',
      'effectiveUntil = 2027-01-31',
      '[[PackageOverrides]]',
      'name = "left-pad"',
      'ignore = true',
      'vulnerability.ignore = true',
      '[[PackageOverrides]]',
      'name = "requests"',
      'license.override = ["Apache-2.0"]',
      '[[PackageOverrides]]',
      'name = "x.*"',
      'nameIsRegex = true',
      '[PackageOverrides.license]',
      'ignore = true',
      '[[PackageOverrides]]',
      'name = "off"',
      'ignore = false',
      'vulnerability.ignore = false'
    ].join('\n')
    expect(readOsvIgnores(toml, NOW)).toEqual({
      ids: [],
      entries: [],
      packages: [
        {
          line: 1,
          hides: 'advisories',
          name: 'lodash',
          version: '4.17.11',
          ecosystem: 'npm',
          group: 'dev',
          until: '2027-01-31',
          except: []
        },
        { line: 8, hides: 'package', name: 'left-pad', except: [] }
      ]
    })
  })

  it('honours effectiveUntil as osv-scanner does: the first matching entry decides, even when it ran out', () => {
    const entry = (lines: string[]) => ['[[PackageOverrides]]', ...lines, 'vulnerability.ignore = true']
    const toml = [
      ...entry(['name = "a"', 'effectiveUntil = 2026-01-01']), // 1: ran out
      ...entry(['name = "a"', 'ecosystem = "npm"']), // 5: "a" is matched by line 1 first
      ...entry(['ecosystem = "npm"']), // 9: all of npm but "a"
      ...entry(['name = "b"', 'ecosystem = "Debian"', 'effectiveUntil = 2026-01-01T00:00:00Z']), // 12
      ...entry(['name = "b"', 'ecosystem = "Debian:12"']), // 17: Debian covers Debian:12
      ...entry(['name = "c"', 'group = "dev"', 'effectiveUntil = 2026-01-01']), // 21
      ...entry(['name = "c"', 'group = "prod"']) // 26: a package can be in both groups
    ].join('\n')
    expect(readOsvIgnores(toml, NOW).packages).toEqual([
      { line: 9, hides: 'advisories', ecosystem: 'npm', except: [1] },
      { line: 26, hides: 'advisories', name: 'c', group: 'prod', except: [21] }
    ])
    expect(readOsvIgnores(toml, new Date('2025-06-01T00:00:00Z')).packages.map(r => r.line)).toEqual([
      1, 5, 9, 12, 17, 21, 26
    ])
  })

  it.each([
    [
      '[PackageOverrides.vulnerability]\nignore = true\n',
      'line 1 holds a [PackageOverrides.vulnerability] table'
    ],
    ['[[PackageOverrides]]\nname = "a"\n[PackageOverrides.vulnerability]\nignore = true\n', 'line 3 holds a'],
    [
      '[[PackageOverrides]]\nname = "a"\nvulnerability = { ignore = true }\n',
      "line 3 holds an inline 'vulnerability' table"
    ],
    ['PackageOverrides = [{ name = "a", ignore = true }]\n', "an inline 'PackageOverrides' array"],
    [
      '[[PackageOverrides]]\nname = "a"\nVulnerability.ignore = true\n',
      "'vulnerability' and 'Vulnerability'"
    ],
    [
      '[[PackageOverrides]]\nname = "a"\nignore = "true"\n',
      'line 3 holds an ignore that is not true or false'
    ],
    [
      '[[PackageOverrides]]\nname = "lod\\u0061sh"\nignore = true\n',
      'line 2 holds a name that is not a plain'
    ],
    ['[[PackageOverrides]]\nname = """a"""\nignore = true\n', 'a multi-line string'],
    [
      '[[PackageOverrides]]\nname = "a"\nignore = true\neffectiveUntil = "2020-01-01T00:00:00Z"\n',
      'line 4 holds an effectiveUntil that is not a TOML date; write it bare, as effectiveUntil = 2027-01-31'
    ],
    [
      '[[PackageOverrides]]\nname = "lo.*"\nnameIsRegex = true\nignore = true\n',
      'line 3 holds a regular-expression name (nameIsRegex) in a [[PackageOverrides]] entry that ignores'
    ],
    ['[[IgnoredVulns]]\nid = "GHSA-a"\nignoreUntil = "2020-01-01T00:00:00Z"\n', 'line 3 holds an ignoreUntil']
  ])('refuses %j', (toml, why) => {
    expect(() => readOsvIgnores(toml)).toThrow(why)
  })
})

describe('ignoredIds with two entries for one id', () => {
  it('lets the first decide, as osv-scanner does', () => {
    const toml =
      '[[IgnoredVulns]]\nid = "GHSA-a"\nignoreUntil = 2020-01-01\n[[IgnoredVulns]]\nid = "GHSA-a"\n'
    expect(ignoredIds(toml)).toEqual([])
  })
})

describe('readOsvIgnores entries', () => {
  it('gives each live id its header line, reason and date, for the summary and the SARIF justification', () => {
    expect(readOsvIgnores(CONFIG, new Date('2026-12-02T19:00:00Z')).entries).toEqual([
      { id: 'GHSA-live-live-live', line: 1, until: '2027-01-31', reason: 'fix scheduled' },
      { id: 'GHSA-ever-ever-ever', line: 11 }
    ])
  })
  it('shows a reason osv-scanner reads with escapes as written, rather than refuse it: it decides nothing', () => {
    expect(readOsvIgnores('[[IgnoredVulns]]\nid = "A"\nreason = "say \\"no\\""\n').entries).toEqual([
      { id: 'A', line: 1, reason: '"say \\"no\\""' }
    ])
  })
})

describe('withoutIgnoredVulns', () => {
  it('blanks every [[IgnoredVulns]] table and keeps the rest, line for line', () => {
    const kept = withoutIgnoredVulns(CONFIG)
    expect(kept.split('\n')).toHaveLength(CONFIG.split('\n').length)
    expect(readOsvIgnores(kept).ids).toEqual([])
    expect(kept).toBe(`${'\n'.repeat(13)}[[PackageOverrides]]\nname = "lodash"\necosystem = "npm"\n`)
  })
  it('keeps a table that follows, and a file without ignores as it is', () => {
    const toml =
      'GoVersionOverride = "1.22"\n[[IgnoredVulns]]\nid = "A"\n[[PackageOverrides]]\nname = "x"\nignore = true\n'
    expect(withoutIgnoredVulns(toml)).toBe(
      'GoVersionOverride = "1.22"\n\n\n[[PackageOverrides]]\nname = "x"\nignore = true\n'
    )
    expect(withoutIgnoredVulns(CONFIG.slice(CONFIG.indexOf('[[PackageOverrides]]')))).toBe(
      CONFIG.slice(CONFIG.indexOf('[[PackageOverrides]]'))
    )
  })
})
