import { describe, expect, it } from '@jest/globals'
import type { FileChange } from '../github/git.js'
import type { ScanReport } from '../findings/finding.js'
import { makeFinding } from '../../../../test/support/findings.js'
import type { LoadedReport } from './load-reports.js'
import { findingsOnAliasedPaths } from './path-aliases.js'

const added = (path: string): FileChange => ({ path, status: 'A' })

function loaded(file: string, paths: string[]): LoadedReport {
  const report: ScanReport = {
    source: file,
    format: 'sarif',
    tools: [{ name: 'semgrep' }],
    findings: paths.map(path => makeFinding({ location: { path, startLine: 1 } })),
    problems: []
  }
  return { file, report, evidence: { file, sha256: '', bytes: 0, format: 'sarif', tools: [], findings: 0 } }
}

describe('findings at a path that may be another name of a file the change made', () => {
  it('names each report with a finding at the decoded or slashed name of a changed file, once', () => {
    const changes = [added('src%2Flegacy%2Fx.js'), added('lib\\a.js'), added('src/plain.js')]
    expect(
      findingsOnAliasedPaths(changes, [
        loaded('a.sarif', ['src/plain.js', 'src/legacy/x.js', 'lib/a.js']),
        loaded('b.sarif', ['lib/a.js']),
        loaded('c.sarif', ['src/plain.js', 'src%2Flegacy%2Fx.js', 'lib\\a.js'])
      ])
    ).toEqual([
      {
        source: 'a.sarif',
        message:
          'a finding at src/legacy/x.js may be in src%2Flegacy%2Fx.js, which this change adds or changes: readers decode percent-escapes and backslashes in file names, so the two cannot be told apart; rename the file without them'
      },
      { source: 'b.sarif', message: expect.stringMatching(/^a finding at lib\/a\.js may be in lib\\a\.js,/) }
    ])
  })

  it('says nothing when no changed file has a name a reader would read otherwise', () => {
    const changes = [added('src/db.js'), added('100%.txt'), added('src/a b.js')]
    expect(
      findingsOnAliasedPaths(changes, [loaded('a.sarif', ['src/db.js', '100%.txt', 'src/a b.js'])])
    ).toEqual([])
  })
})
