import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { RecordingGitHub, testConfig, testPorts } from '../../../../test/support/gate-ports.js'
import type { GateConfig } from './ports.js'
import { runGate } from './run-gate.js'
import { validateSarifSchema } from './sarif-schema.js'

const root = mkdtempSync(path.join(tmpdir(), 'run-gate-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

/** 60 results: odd ones high (blocking), even ones medium; every 7th without a line, every 5th nosemgrep'd. */
function sarif(): string {
  const results = Array.from({ length: 60 }, (_, i) => ({
    ruleId: i % 2 ? 'r.high' : 'r.medium',
    message: { text: `finding ${i}` },
    locations:
      i % 7 === 0
        ? [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.ts` } } }]
        : [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.ts` }, region: { startLine: i + 1 } } }],
    ...(i % 5 === 0 ? { suppressions: [{ kind: 'inSource' }] } : {})
  }))
  const rules = [
    { id: 'r.high', defaultConfiguration: { level: 'error' } },
    { id: 'r.medium', defaultConfiguration: { level: 'warning' } }
  ]
  return JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Semgrep OSS', rules } }, automationDetails: { id: 'sast/' }, results }]
  })
}

let n = 0
function workspace(files: Record<string, string> = { 'reports/sast.sarif': sarif() }): string {
  const ws = path.join(root, `ws-${n++}`)
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
    writeFileSync(path.join(ws, name), text)
  }
  return ws
}

describe('runGate annotations', () => {
  it('writes the first ten blocking and ten other counted findings that have a line, in report order', async () => {
    const ws = workspace()
    const { ports, lines } = testPorts()
    await runGate(testConfig(ws, { annotations: true }), ports)
    // Counted = not nosemgrep'd (i % 5); with a line = i % 7; high = odd i, medium = even i.
    const errors = [1, 3, 9, 11, 13, 17, 19, 23, 27, 29]
    const warnings = [2, 4, 6, 8, 12, 16, 18, 22, 24, 26]
    expect(lines).toEqual([
      ...errors.map(i => `::error title=high r.high (semgrep),file=src/f${i}.ts,line=${i + 1}::finding ${i}`),
      ...warnings.map(
        i => `::warning title=medium r.medium (semgrep),file=src/f${i}.ts,line=${i + 1}::finding ${i}`
      )
    ])
  })
})

describe('runGate with its one clock', () => {
  const policy = (expires: string) =>
    `exceptions:\n  - rule: r.high\n    reason: accepted for the release\n    owner: sec\n    expires: ${expires}\n`

  it('takes today from now(): an exception is good through its expiry day and not a day longer', async () => {
    const files = (expires: string) => ({
      'reports/sast.sarif': sarif(),
      '.github/secure-pipeline.yml': policy(expires)
    })
    const lastDay = await runGate(testConfig(workspace(files('2026-11-25'))), testPorts().ports)
    expect(lastDay.verdict.outcome).toBe('pass')
    const dayAfter = await runGate(
      testConfig(workspace(files('2026-11-25'))),
      testPorts({ now: () => new Date('2026-11-26T00:00:01Z') }).ports
    )
    expect(dayAfter.verdict.outcome).toBe('fail-findings')
    expect(dayAfter.verdict.exceptions.expired.map(u => u.entry.rule)).toEqual(['r.high'])
    const evidence = JSON.parse(readFileSync(dayAfter.evidenceFile, 'utf8'))
    expect(evidence.generatedAt).toBe('2026-11-26T00:00:01.000Z')
  })
})

describe('runGate output directory', () => {
  it('removes the links a pull request committed there: the directory is uploaded as evidence', async () => {
    const ws = workspace({ 'reports/sast.sarif': sarif(), 'out/notes.md': 'kept' })
    symlinkSync('/proc/self/environ', path.join(ws, 'out', 'env'))
    const { ports, logger } = testPorts()
    await runGate(testConfig(ws), ports)
    expect(existsSync(path.join(ws, 'out', 'env'))).toBe(false)
    expect(readFileSync(path.join(ws, 'out', 'notes.md'), 'utf8')).toBe('kept')
    expect(existsSync(path.join(ws, 'out', 'evidence.json'))).toBe(true)
    expect(logger.lines).toContainEqual(
      expect.stringMatching(/^warning: out\/env is a symbolic link in the output directory; it is removed/)
    )
  })
})

describe('runGate summary', () => {
  it('shows as many findings rows as topFindings asks, and the policy that decided', async () => {
    const { ports } = testPorts()
    await runGate(testConfig(workspace(), { topFindings: 3 }), ports)
    const summary = ports.summary.render()
    expect(summary).toContain('### Top findings (3 of 60, new first)')
    const table = summary.slice(summary.indexOf('### Top findings'))
    expect(table.split('\n').filter(line => line.startsWith('| 🟧 high | **blocks** |'))).toHaveLength(3)
    expect(summary).toContain(
      'Policy: the built-in defaults (fail on critical and high); there is no policy file.'
    )
  })
})

describe('runGate upload branches', () => {
  const config = (ws: string, over: Partial<GateConfig> = {}) => testConfig(ws, { upload: 'auto', ...over })

  it('uploads the combined SARIF it wrote, once, and notes the budget', async () => {
    const github = new RecordingGitHub()
    const ws = workspace()
    const { ports } = testPorts({ github })
    const result = await runGate(config(ws), ports)
    expect(result.upload).toEqual({ status: 'done', detail: 'uploaded as 1' })
    const uploads = github.of('upload')
    expect(uploads).toHaveLength(1)
    expect(readFileSync(result.sarifFile!, 'utf8')).toBe(uploads[0]!.sarif)
    const sent = JSON.parse(uploads[0]!.sarif)
    expect(validateSarifSchema(sent)).toEqual([])
    expect(sent.runs.map((r: { automationDetails: { id: string } }) => r.automationDetails.id)).toEqual([
      'sast/'
    ])
    expect(sent.runs[0].results).toHaveLength(60)
    expect(ports.summary.render()).toContain('SARIF for code scanning: 60 result(s) in 1 run(s)')
    expect(ports.summary.render()).not.toContain('Code scanning upload')
  })

  it('without a token writes the file and says where it is', async () => {
    const ws = workspace()
    const { ports, logger } = testPorts()
    const result = await runGate(config(ws), ports)
    expect(result.upload).toEqual({ status: 'unavailable', detail: 'no token or repository context' })
    expect(existsSync(path.join(ws, 'out', 'combined.sarif'))).toBe(true)
    expect(ports.summary.render()).toContain(
      'Code scanning upload unavailable: no token or repository context. The combined SARIF is in `out/combined.sarif`'
    )
    // auto: a missing upload is a note, not a warning.
    expect(logger.lines.filter(l => l.startsWith('warning: SARIF upload'))).toEqual([])
  })

  it('warns when upload is true and GitHub declines it', async () => {
    const github = new RecordingGitHub()
    github.uploadAnswer = { status: 'unavailable', detail: 'Code scanning is not available here' }
    const { ports, logger } = testPorts({ github })
    await runGate(config(workspace(), { upload: 'true' }), ports)
    expect(logger.lines).toContain('warning: SARIF upload unavailable: Code scanning is not available here')
  })

  it('neither writes nor uploads when upload is off, by input or by the policy', async () => {
    const github = new RecordingGitHub()
    const off = await runGate(config(workspace(), { upload: 'false' }), testPorts({ github }).ports)
    expect(off.upload.status).toBe('skipped')
    expect(off.sarifFile).toBeUndefined()
    const ws = workspace({
      'reports/sast.sarif': sarif(),
      '.github/secure-pipeline.yml': 'gate:\n  upload: false\n'
    })
    const byPolicy = await runGate(testConfig(ws, { upload: undefined }), testPorts({ github }).ports)
    expect(byPolicy.upload.status).toBe('skipped')
    expect(existsSync(path.join(ws, 'out', 'combined.sarif'))).toBe(false)
    expect(github.of('upload')).toEqual([])
  })
})

describe('runGate comment branches', () => {
  it('comments on a pull request with the verdict and at most 20 findings', async () => {
    const github = new RecordingGitHub()
    const { ports } = testPorts({ github })
    const result = await runGate(testConfig(workspace(), { comment: 'auto' }), ports)
    expect(result.comment.status).toBe('done')
    const [comment] = github.of('comment')
    expect(comment!.body).toMatch(/^## secure-pipeline gate\n\n❌ \*\*Failed: findings exceed the policy\*\*/)
    expect(comment!.body).toContain('### Top findings (20 of 60, new first)')
    expect(ports.summary.render()).not.toContain('PR comment')
  })

  it('skips quietly on auto outside a pull request, and says so when the comment was asked for', async () => {
    const github = new RecordingGitHub({ canComment: false })
    const auto = testPorts({ github })
    expect((await runGate(testConfig(workspace(), { comment: 'auto' }), auto.ports)).comment.status).toBe(
      'skipped'
    )
    expect(auto.ports.summary.render()).not.toContain('PR comment')
    const asked = testPorts()
    await runGate(testConfig(workspace(), { comment: 'true' }), asked.ports)
    expect(asked.ports.summary.render()).toContain('> PR comment skipped: not a pull request, or no token')
    expect(github.of('comment')).toEqual([])
  })

  it('puts a failed comment in the summary when it was asked for, and never comments when off', async () => {
    const github = new RecordingGitHub()
    github.commentAnswer = { status: 'failed', detail: 'HTTP 500' }
    const { ports } = testPorts({ github })
    await runGate(testConfig(workspace(), { comment: 'true' }), ports)
    expect(ports.summary.render()).toContain('> PR comment failed: HTTP 500')
    const ws = workspace({
      'reports/sast.sarif': sarif(),
      '.github/secure-pipeline.yml': 'gate:\n  comment: false\n'
    })
    const quiet = new RecordingGitHub()
    await runGate(testConfig(ws, { comment: undefined }), testPorts({ github: quiet }).ports)
    expect(quiet.calls).toEqual([])
  })
})

describe('runGate with gate.scanners entries', () => {
  // A report without results still names its scanner: an entry for it matches, though it judges nothing.
  const quiet = JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Trivy' } }, results: [] }]
  })
  const files = (scanners: string) => ({
    'reports/sast.sarif': sarif(),
    'reports/image.sarif': quiet,
    '.github/secure-pipeline.yml': `gate:\n  scanners:\n${scanners}`
  })

  it('warns about an entry no report’s scanner matches, naming it, the scanners read and what to do', async () => {
    const ws = workspace(files('    SEMGREP: { fail-on: [critical] }\n    semgerp: { fail-on: [low] }\n'))
    const { ports, logger } = testPorts()
    const result = await runGate(testConfig(ws), ports)
    const warning =
      "policy gate.scanners.semgerp matches no scanner of this gate's reports (semgrep, trivy), so its thresholds judge nothing here: if the name is misspelt, write it as a report names its scanner (case does not matter); if only another gate reads that scanner's report, nothing is wrong."
    expect(logger.lines.filter(l => l.includes('gate.scanners'))).toEqual([`warning: ${warning}`])
    expect(ports.summary.render()).toContain(warning)
    // Warned, not failed: the stricter misspelt entry judges nothing, as it always has.
    expect(result.verdict.outcome).toBe('pass')
  })

  it('says nothing when every entry names a scanner of the reports, in any case', async () => {
    const { ports, logger } = testPorts()
    await runGate(
      testConfig(workspace(files('    Semgrep: { fail-on: [critical] }\n    trivy: { max: { high: 0 } }\n'))),
      ports
    )
    expect(logger.lines.filter(l => l.includes('gate.scanners'))).toEqual([])
    expect(ports.summary.render()).not.toContain('gate.scanners')
  })
})
