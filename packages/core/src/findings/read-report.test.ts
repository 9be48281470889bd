import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../test/support/shared-fixtures.js'
import { BrokenInputError } from '../runtime/errors.js'
import { detectFormat, parseReport } from './detect.js'
import { readReportFile } from './read-report.js'

const fixture = (name: string) => path.join(REPO_ROOT, 'test', 'unit', 'fixtures', 'reports', name)

function brokenMessage(run: () => unknown): string {
  try {
    run()
  } catch (error) {
    expect(error).toBeInstanceOf(BrokenInputError)
    return (error as Error).message
  }
  throw new Error('expected a BrokenInputError')
}

describe('detectFormat', () => {
  it.each([
    [{ version: '2.1.0', runs: [] }, 'sarif'],
    [{ SchemaVersion: 2, ArtifactName: 'x' }, 'trivy-json'],
    [{ matches: [], descriptor: {} }, 'grype-json'],
    [{ results: [], errors: [], paths: {} }, 'semgrep-json'],
    // osv-scanner writes no `errors`: a report with them is Semgrep's, whose errors must not be dropped.
    [{ results: [], errors: [{ level: 'error', message: 'x' }] }, 'semgrep-json'],
    [{ results: [{ packages: [] }] }, 'osv-scanner-json'],
    [{ results: [] }, 'osv-scanner-json'],
    [{ bomFormat: 'CycloneDX' }, 'cyclonedx-json'],
    [{ hello: 'world' }, undefined],
    [[], undefined],
    [null, undefined]
  ])('%j → %s', (report, format) => {
    expect(detectFormat(report)).toBe(format)
  })
})

describe('parseReport', () => {
  it('keeps the errors of Semgrep JSON without `paths` instead of reading it as a clean osv-scanner run', () => {
    const report = parseReport(
      JSON.stringify({ results: [], errors: [{ level: 'error', type: 'Fatal', message: 'out of memory' }] }),
      'semgrep.json'
    )
    expect(report.format).toBe('semgrep-json')
    expect(report.problems).toEqual([{ level: 'error', message: 'semgrep Fatal: out of memory' }])
  })
})

describe('readReportFile', () => {
  it('refuses an empty file', () => {
    expect(brokenMessage(() => readReportFile(fixture('empty-report.txt')))).toMatch(/empty/)
  })
  it('refuses truncated JSON and says where', () => {
    expect(brokenMessage(() => readReportFile(fixture('truncated-sarif.txt')))).toMatch(
      /truncated or malformed JSON.*position \d+/
    )
  })
  it('names the accepted formats for an unknown shape', () => {
    expect(brokenMessage(() => readReportFile(fixture('unknown.json'), { source: 'u.json' }))).toBe(
      'u.json: not a report format we read (expected SARIF 2.1.0, Trivy JSON, Grype JSON, Semgrep/Opengrep JSON, osv-scanner JSON or CycloneDX JSON)'
    )
  })
  it('refuses a missing file and a file over the size cap', () => {
    expect(brokenMessage(() => readReportFile(fixture('nope.json')))).toMatch(/does not exist/)
    expect(brokenMessage(() => readReportFile(fixture('semgrep.json'), { maxBytes: 100 }))).toMatch(
      /over the 100-byte limit/
    )
  })
  it('refuses a directory', () => {
    expect(brokenMessage(() => readReportFile(path.dirname(fixture('x'))))).toMatch(/not a regular file/)
  })
  it('accepts a UTF-8 BOM and whitespace', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'))
    const file = path.join(dir, 'r.json')
    writeFileSync(file, '\ufeff\n{"matches":[],"descriptor":{"name":"grype"}}\n')
    expect(readReportFile(file).format).toBe('grype-json')
  })
  it('refuses a UTF-16 report by name, with or without its byte order mark, instead of calling it cut off', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'report-'))
    const json = '{"matches":[],"descriptor":{"name":"grype"}}'
    const le = Buffer.from(`\ufeff${json}`, 'utf16le')
    const be = Buffer.from(le).swap16()
    for (const [name, bytes] of [
      ['le.json', le],
      ['be.json', be],
      ['nobom.json', Buffer.from(json, 'utf16le')]
    ] as const) {
      writeFileSync(path.join(dir, name), bytes)
      expect(brokenMessage(() => readReportFile(path.join(dir, name), { source: name }))).toBe(
        `${name}: the report is UTF-16 text; the gate reads UTF-8 only, so have the scanner write the file itself, or write it as UTF-8 (PowerShell: Out-File -Encoding utf8)`
      )
    }
  })
  it('treats whitespace-only text as empty', () => {
    expect(brokenMessage(() => parseReport('  \n', 's'))).toMatch(/empty/)
  })
})

describe('readReportFile digest', () => {
  it('is the sha256 of the exact bytes read, which are decoded as UTF-8 (BOM and non-ASCII included)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'read-report-digest-'))
    const file = path.join(dir, 'r.sarif')
    const log = {
      version: '2.1.0',
      runs: [
        { tool: { driver: { name: 'Semgrep' } }, results: [{ ruleId: 'r', message: { text: 'ünï ✓' } }] }
      ]
    }
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(log), 'utf8')])
    writeFileSync(file, bytes)
    const report = readReportFile(file)
    expect(report.digest).toEqual({
      sha256: createHash('sha256').update(bytes).digest('hex'),
      bytes: bytes.length
    })
    expect(report.findings[0]!.message).toBe('ünï ✓')
  })
})
