import { describe, expect, it } from '@jest/globals'
import { ignoredIds } from './config-file.js'

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
    // osv-scanner drops an entry whose ignoreUntil has passed; Trivy gets these ids as its ignore file.
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
