import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import fc from 'fast-check'
import type { BranchProtectionFacts } from '../../github/branch-protection.js'
import type { CheckRecord } from '../../github/checks.js'
import type { CommitRecord } from '../../github/commits.js'
import type { PullRequestRecord, ReviewRecord } from '../../github/pull-requests.js'
import { changesCsv, csvCell } from './export.js'
import { orderRecords, toChangeRecord, type ChangeRecord, type RecordContext } from './records.js'
import { sampleChanges } from './sample.js'

const MERGED = '2026-09-10T12:00:00Z'
const commit = (sha: string, author = 'dev'): CommitRecord => ({
  sha,
  parents: [],
  author,
  authorName: author,
  date: MERGED,
  subject: 's'
})
const pull = (n: number, author = 'dev'): PullRequestRecord => ({
  number: n,
  title: `Change ${n}`,
  author,
  url: `https://github.com/acme/app/pull/${n}`,
  headRef: `feature/${n}`,
  headSha: `head${n}`,
  baseRef: 'main',
  mergedAt: MERGED,
  mergeCommitSha: `merge${n}`,
  body: ''
})
/** A review of `commitId`: by default the head of pull request 7, which most cases merge. */
const review = (reviewer: string, state: string, at: string, commitId = 'head7'): ReviewRecord => ({
  reviewer,
  state,
  submittedAt: at,
  commitId
})
const pipeline = (conclusion: string): CheckRecord[] => [
  { name: 'secure-pipeline', status: 'completed', conclusion, kind: 'check-run' }
]
const PROTECTED: BranchProtectionFacts = {
  pullRequestRequired: true,
  requiredApprovals: 1,
  requiredChecks: ['secure-pipeline'],
  bypassActors: [],
  sources: ['branch protection'],
  unreadable: []
}
const context = (extra: Partial<RecordContext> = {}): RecordContext => ({
  branch: 'main',
  protection: PROTECTED,
  gateRuns: { byCommit: new Map(), byPullRequest: new Map() },
  ...extra
})
const before = '2026-09-10T11:00:00Z'
const after = '2026-09-10T13:00:00Z'

describe('a change record and its flags', () => {
  it.each([
    ['approved by someone else, checks passing', [review('rev', 'APPROVED', before)], 'success', []],
    [
      'approved, then a comment: still approved',
      [review('rev', 'APPROVED', before), review('rev', 'COMMENTED', before)],
      'success',
      []
    ],
    [
      'approved, then changes requested',
      [review('rev', 'APPROVED', '2026-09-10T10:00:00Z'), review('rev', 'CHANGES_REQUESTED', before)],
      'success',
      ['no-approval', 'admin-bypass']
    ],
    [
      'approved only after the merge',
      [review('rev', 'APPROVED', after)],
      'success',
      ['no-approval', 'admin-bypass']
    ],
    [
      'approved by the author only',
      [review('dev', 'APPROVED', before)],
      'success',
      ['no-approval', 'self-approval', 'admin-bypass']
    ],
    [
      'approved, required check failed',
      [review('rev', 'APPROVED', before)],
      'failure',
      ['failing-checks', 'admin-bypass']
    ],
    [
      'an approval that was dismissed',
      [review('rev', 'APPROVED', '2026-09-10T10:00:00Z'), review('rev', 'DISMISSED', before)],
      'success',
      ['no-approval', 'admin-bypass']
    ]
  ])('%s', (_name, reviews, conclusion, flags) => {
    const r = toChangeRecord(
      { commits: [commit('merge7')], pull: pull(7), reviews, checks: pipeline(conclusion) },
      context()
    )
    expect(r.flags).toEqual(flags)
    expect(r.id).toBe('#7')
  })

  it('an approval of an earlier commit is not an approval of what was merged', () => {
    // Approved, then the author pushed again; without "dismiss stale approvals" GitHub still counts it.
    const r = toChangeRecord(
      {
        commits: [commit('merge7')],
        pull: pull(7),
        reviews: [review('rev', 'APPROVED', before, 'c0ffee0123456789')],
        checks: pipeline('success')
      },
      context()
    )
    expect(r.approvals).toEqual([])
    expect(r.flags).toEqual(['no-approval'])
    expect(r.notes).toContain('approved only an earlier commit: rev (c0ffee012345)')
  })

  it('a direct push is flagged, and a bypass when pull requests are required', () => {
    const r = toChangeRecord(
      { commits: [commit('abc123def4567890', 'admin')], reviews: [], checks: pipeline('success') },
      context()
    )
    expect(r.flags).toEqual(['direct-push', 'admin-bypass'])
    expect(r.notes).toContain("against the branch's current protection: pushed without a pull request")
    expect(r.author).toBe('admin')
    const unprotected = toChangeRecord(
      { commits: [commit('abc')], reviews: [], checks: [] },
      context({ protection: undefined })
    )
    expect(unprotected.flags).toEqual(['direct-push'])
  })

  it('a required check that never ran is missing, and a bypass seen in rule insights is named as such', () => {
    const r = toChangeRecord(
      {
        commits: [commit('merge8')],
        pull: pull(8),
        reviews: [review('rev', 'APPROVED', before, 'head8')],
        checks: []
      },
      context({ bypassedCommits: new Set(['merge8']) })
    )
    expect(r.checks).toEqual([{ name: 'secure-pipeline', result: 'missing', required: true }])
    expect(r.flags).toEqual(['failing-checks', 'admin-bypass'])
    expect(r.notes).toContain('a ruleset bypass put it on the branch (rule insights)')
  })

  it('takes the last gate run of the pull request before the merge, else the branch run on its commit', () => {
    const run = (id: string, time: string) =>
      ({
        runId: id,
        time: Date.parse(time),
        sha256: `sha-${id}`,
        source: `ev-${id}`,
        outcome: 'pass'
      }) as never
    const gateRuns = {
      byPullRequest: new Map([[9, [run('1', '2026-09-09T00:00:00Z'), run('2', before), run('3', after)]]]),
      byCommit: new Map([['merge10', [run('4', after)]]])
    }
    const r9 = toChangeRecord(
      { commits: [commit('merge9')], pull: pull(9), reviews: [], checks: [] },
      context({ gateRuns })
    )
    expect(r9.gate).toEqual({
      outcome: 'pass',
      evidence: 'ev-2',
      sha256: 'sha-2',
      runId: '2',
      when: 'before merge'
    })
    const r10 = toChangeRecord(
      { commits: [commit('merge10')], pull: pull(10), reviews: [], checks: [] },
      context({ gateRuns })
    )
    expect(r10.gate?.when).toBe('on the branch')
  })

  it('a change whose gate failed is flagged, even when every required check passed (warn-only, not required)', () => {
    const failed = {
      runId: '5',
      time: Date.parse(before),
      sha256: 'sha-5',
      source: 'ev-5',
      outcome: 'fail-findings'
    } as never
    const r = toChangeRecord(
      {
        commits: [commit('merge11')],
        pull: pull(11),
        reviews: [review('rev', 'APPROVED', before, 'head11')],
        checks: pipeline('success')
      },
      context({ gateRuns: { byPullRequest: new Map([[11, [failed]]]), byCommit: new Map() } })
    )
    expect(r.flags).toEqual(['failing-gate'])
    expect(r.notes).toContain('gate verdict fail-findings (before merge)')
  })

  it('orders flagged records first, most flags first, then newest', () => {
    const make = (id: string, flags: string[], at: string) => ({ id, flags, at }) as unknown as ChangeRecord
    expect(
      orderRecords([
        make('a', [], '2026-01-03'),
        make('b', ['no-approval'], '2026-01-01'),
        make('c', ['no-approval', 'admin-bypass'], '2026-01-02'),
        make('d', [], '2026-01-04')
      ]).map(r => r.id)
    ).toEqual(['c', 'b', 'd', 'a'])
  })
})

describe('the audit sample', () => {
  const records = Array.from(
    { length: 300 },
    (_, i) => ({ id: `#${i}`, commit: createHash('sha1').update(String(i)).digest('hex') }) as ChangeRecord
  )
  const key = (seed: string, c: string) => createHash('sha256').update(`${seed}:${c}`).digest('hex')

  it('is the N changes with the smallest sha256 of seed:commit, whatever order they come in', () => {
    const sample = sampleChanges(records, 25, '2026-07-04..2026-10-01')
    const expected = records
      .map(r => r.commit)
      .sort((a, b) => (key('2026-07-04..2026-10-01', a) < key('2026-07-04..2026-10-01', b) ? -1 : 1))
      .slice(0, 25)
    expect(sample.map(s => s.record.commit)).toEqual(expected)
    expect(sample[0]!.key).toBe(key('2026-07-04..2026-10-01', expected[0]!))
    expect(sampleChanges([...records].reverse(), 25, '2026-07-04..2026-10-01')).toEqual(sample)
    expect(sampleChanges(records, 25, 'another seed').map(s => s.record.commit)).not.toEqual(expected)
    expect(sampleChanges(records.slice(0, 10), 25, 's')).toHaveLength(10)
  })
})

describe('CSV export', () => {
  it('never lets a cell start a spreadsheet formula, and quotes what RFC 4180 says to', () => {
    expect(csvCell('=HYPERLINK("http://x","y")')).toBe(`"'=HYPERLINK(""http://x"",""y"")"`)
    expect(csvCell('+1')).toBe("'+1")
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)")
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
    expect(csvCell(undefined)).toBe('')
  })

  it('quotes a cell holding a semicolon: Excel in a locale whose list separator is ; splits there, and the rest starts a formula', () => {
    expect(csvCell("Fix typo;=cmd|' /C calc'!A0")).toBe(`"Fix typo;=cmd|' /C calc'!A0"`)
  })

  it('reads back, cell for cell, with a strict RFC 4180 parser, for any title', () => {
    const parse = (text: string): string[][] => {
      const rows: string[][] = []
      let row: string[] = []
      let cell = ''
      let quoted = false
      for (let i = 0; i < text.length; i++) {
        const ch = text[i]!
        if (quoted) {
          if (ch === '"' && text[i + 1] === '"') {
            cell += '"'
            i++
          } else if (ch === '"') quoted = false
          else cell += ch
        } else if (ch === '"') quoted = true
        else if (ch === ',') {
          row.push(cell)
          cell = ''
        } else if (ch === '\r' && text[i + 1] === '\n') {
          row.push(cell)
          rows.push(row)
          row = []
          cell = ''
          i++
        } else cell += ch
      }
      return rows
    }
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), title => {
        const record = toChangeRecord(
          { commits: [commit('merge1')], pull: { ...pull(1), title }, reviews: [], checks: [] },
          context()
        )
        const [header, row] = parse(changesCsv([record]))
        expect(row![header!.indexOf('title')]).toBe(/^[=+\-@\t\r]/.test(title) ? `'${title}` : title)
        expect(row).toHaveLength(header!.length)
      }),
      { numRuns: 2000 }
    )
  })
})
