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
