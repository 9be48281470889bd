import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { loadReports, selectReports, type LoadOptions } from './load-reports.js'

const ws = mkdtempSync(path.join(tmpdir(), 'load-reports-'))
afterAll(() => rmSync(ws, { recursive: true, force: true }))

const run = (name: string, results: unknown[], invocations?: unknown[]) => ({
  tool: { driver: { name } },
  results,
  ...(invocations ? { invocations } : {})
})

/** What the gate does: select, then read. */
const load = (patterns: string[], options: LoadOptions) =>
  loadReports(ws, selectReports(ws, patterns, options.label), options)

function write(name: string, runs: unknown[]): void {
  mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
  writeFileSync(path.join(ws, name), JSON.stringify({ version: '2.1.0', runs }))
}

describe('loadReports', () => {
  it('says a report path is a link, or under one, rather than that the scanner did not run', () => {
    write('real/sca.sarif', [run('osv-scanner', [])])
    mkdirSync(path.join(ws, 'links'), { recursive: true })
    symlinkSync(path.join(ws, 'real/sca.sarif'), path.join(ws, 'links/sca.sarif'))
    symlinkSync(path.join(ws, 'real'), path.join(ws, 'linked-dir'))
    const loaded = load(
      ['links/sca.sarif', 'linked-dir/sca.sarif', 'absent/sca.sarif', 'real/sca.sarif/under-a-file'],
      {
        label: 'report'
      }
    )
    expect(loaded.reports).toEqual([])
    const link =
      'the path is, or lies under, a symbolic link; links are never followed (a pull request can plant them), so write the report itself there'
    expect(loaded.broken).toEqual([
      { source: 'links/sca.sarif', message: link },
      { source: 'linked-dir/sca.sarif', message: link },
      ...['absent/sca.sarif', 'real/sca.sarif/under-a-file'].map(source => ({
        source,
        message: 'no report file matches this pattern: the scanner did not run or wrote elsewhere'
      }))
    ])
  })

  it('lists a report with several scanner errors once, with every error', () => {
    write('a/sast.sarif', [
      run(
        'Semgrep OSS',
        [],
        [
          {
            executionSuccessful: false,
            toolExecutionNotifications: [
              { level: 'error', message: { text: 'Invalid scanning root: github/x.yml' } },
              { level: 'error', message: { text: 'rule parse error' } }
            ]
          }
        ]
      )
    ])
    const loaded = load(['a/*.sarif'], { label: 'report' })
    expect(loaded.broken).toEqual([
      {
        source: 'a/sast.sarif',
        message:
          'the scanner reported an error: Semgrep OSS: Invalid scanning root: github/x.yml; Semgrep OSS: rule parse error'
      }
    ])
    expect(loaded.reports.map(r => r.file)).toEqual(['a/sast.sarif'])
  })

  it('refuses, unread, a report the pull request itself commits, and reads the others', () => {
    write('b/committed.sarif', [run('Semgrep OSS', [])])
    write('b/fresh.sarif', [run('Semgrep OSS', [{ ruleId: 'r', message: { text: 'm' } }])])
    const loaded = load(['b/*.sarif'], {
      label: 'report',
      changedByPullRequest: file => file === 'b/committed.sarif'
    })
    expect(loaded.broken).toEqual([
      {
        source: 'b/committed.sarif',
        message:
          'the pull request itself adds or changes this report in git; a change never vouches for itself, so remove the file from the pull request',
        providedByChange: true
      }
    ])
    expect(loaded.reports.map(r => [r.file, r.report.findings.length])).toEqual([['b/fresh.sarif', 1]])
  })

  it('refuses, unread, a report git tracks: a committed file stands in for a scan that did not run', () => {
    write('d/sca.sarif', [run('osv-scanner', [])])
    write('d/sast.sarif', [run('Semgrep OSS', [{ ruleId: 'r', message: { text: 'm' } }])])
    const loaded = load(['d/*.sarif'], { label: 'report', committed: new Set(['d/sca.sarif']) })
    expect(loaded.broken).toEqual([
      {
        source: 'd/sca.sarif',
        message:
          'this report is committed to the repository (git tracks it), so no scan of this run wrote it; remove it from git (git rm --cached) and let the scanner step write it'
      }
    ])
    expect(loaded.reports.map(r => r.file)).toEqual(['d/sast.sarif'])
  })

  it('keeps each SARIF run’s category and result count for the upload', () => {
    write('c/two.sarif', [
      {
        ...run('Trivy', [{ ruleId: 'CVE-1', message: { text: 'x' } }]),
        automationDetails: { id: 'image/api' }
      },
      run('Grype', [])
    ])
    const [loaded] = load(['c/two.sarif'], { label: 'report' }).reports
    expect(loaded!.shells?.map(s => [s.toolName, s.category, s.resultCount])).toEqual([
      ['Trivy', 'image', 1],
      ['Grype', undefined, 0]
    ])
  })
})
