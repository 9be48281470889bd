import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'

/*
 * The gate bundle against a workspace a pull request controls: links planted where it writes or reads,
 * report names and contents built to forge workflow commands, reports that say nothing was checked.
 */

function sarif(level: 'error' | 'warning' = 'error', extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: { name: 'Semgrep OSS', rules: [{ id: 'js.sqli', defaultConfiguration: { level } }] }
        },
        results: [
          {
            ruleId: 'js.sqli',
            message: { text: 'SQL built from input' },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 12 } } }
            ]
          }
        ],
        ...extra
      }
    ]
  })
}

function workspace(files: Record<string, string>): { ws: string; outside: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'gate-hostile-'))
  const ws = path.join(root, 'ws')
  const outside = path.join(root, 'outside')
  mkdirSync(outside)
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
    writeFileSync(path.join(ws, name), content)
  }
  return { ws, outside }
}

function link(ws: string, name: string, target: string): void {
  mkdirSync(path.dirname(path.join(ws, name)), { recursive: true })
  symlinkSync(target, path.join(ws, name))
}

const isRegularFile = (file: string) => lstatSync(file).isFile()

describe.each(nodeRuntimes())('gate bundle in a hostile workspace on $label', ({ node }) => {
  it('writes evidence, report and combined SARIF in place of links planted there, never through them', async () => {
    const { ws, outside } = workspace({ 'secure-pipeline/sast.sarif': sarif() })
    writeFileSync(path.join(outside, 'bashrc'), 'untouched\n')
    link(ws, 'secure-pipeline/gate/evidence.json', path.join(outside, 'bashrc'))
    link(ws, 'secure-pipeline/gate/report.html', path.join(outside, 'report.html'))
    link(ws, 'secure-pipeline/gate/combined.sarif', path.join(outside, 'combined.sarif'))
    const r = await runBundle('gate', { node, workspace: ws })
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-findings')
    expect(readdirSync(outside)).toEqual(['bashrc'])
    expect(readFileSync(path.join(outside, 'bashrc'), 'utf8')).toBe('untouched\n')
    for (const name of ['evidence.json', 'report.html', 'combined.sarif'])
      expect(isRegularFile(path.join(ws, 'secure-pipeline/gate', name))).toBe(true)
    expect(
      JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/gate/evidence.json'), 'utf8')).verdict.outcome
    ).toBe('fail-findings')
  })

  it('writes the summary overflow file in place of a planted link, never through it', async () => {
    // One report of 12,000 runs, each its own scanner: the counts table has a row per scanner, which takes
    // the summary over 1 MiB (the broken-input and warning tables stop at 20 rows).
    const runs = Array.from({ length: 12_000 }, (_, i) => ({
      tool: { driver: { name: `scanner-${String(i).padStart(5, '0')}-${'s'.repeat(60)}` } },
      results: [
        {
          ruleId: 'r1',
          level: 'error',
          message: { text: 'found' },
          locations: [
            { physicalLocation: { artifactLocation: { uri: 'src/a.js' }, region: { startLine: 1 } } }
          ]
        }
      ]
    }))
    const { ws, outside } = workspace({
      'secure-pipeline/many.sarif': JSON.stringify({ version: '2.1.0', runs })
    })
    link(ws, 'secure-pipeline/gate-summary.md', path.join(outside, 'summary.md'))
    const r = await runBundle('gate', { node, workspace: ws })
    expect(r.outputs.outcome).toBe('fail-findings')
    expect(readdirSync(outside)).toEqual([])
    const overflow = path.join(ws, 'secure-pipeline/gate-summary.md')
    expect(isRegularFile(overflow)).toBe(true)
    expect(Buffer.byteLength(readFileSync(overflow, 'utf8'))).toBeGreaterThan(1024 * 1024)
    expect(r.summary).toContain('written whole to `secure-pipeline/gate-summary.md`')
    expect(Buffer.byteLength(r.summary)).toBeLessThanOrEqual(1024 * 1024)
  }, 120_000)

  it('removes a summary overflow file the pull request committed, and writes none when the summary fits', async () => {
    const { ws } = workspace({
      'secure-pipeline/sast.sarif': sarif(),
      'secure-pipeline/gate-summary.md': '## ✅ pass\n\nNo findings.\n'
    })
    const r = await runBundle('gate', { node, workspace: ws })
    expect(r.outputs.outcome).toBe('fail-findings')
    expect(existsSync(path.join(ws, 'secure-pipeline/gate-summary.md'))).toBe(false)
    expect(r.summary).not.toContain('gate-summary.md')
  })

  it('does not follow a linked reports directory: it says so, and the gate fails closed', async () => {
    const { ws, outside } = workspace({ 'src/app.js': 'x' })
    writeFileSync(path.join(outside, 'sast.sarif'), sarif('warning'))
    link(ws, 'secure-pipeline', outside)
    const r = await runBundle('gate', { node, workspace: ws, inputs: { 'output-dir': 'out' } })
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-broken-input')
    expect(r.summary).toContain('the path is, or lies under, a symbolic link; links are never followed')
    expect(JSON.parse(readFileSync(path.join(ws, 'out/evidence.json'), 'utf8')).reports).toEqual([])
  })

  it('does not follow a linked baseline directory: a baseline outside cannot make findings known', async () => {
    const { ws, outside } = workspace({ 'secure-pipeline/sast.sarif': sarif() })
    writeFileSync(path.join(outside, 'sast.sarif'), sarif())
    link(ws, 'base', outside)
    const r = await runBundle('gate', { node, workspace: ws, inputs: { baseline: 'base/*.sarif' } })
    expect(r.status).toBe(1)
    expect(r.outputs).toMatchObject({ outcome: 'fail-findings', new: '1' })
    expect(r.stdout).toMatch(
      /^::warning::baseline base\/\*\.sarif: the path is, or lies under, a symbolic link; links are never followed/m
    )
  })

  it('refuses a baseline pattern that also selects a report: a report compared with itself passes anything', async () => {
    const { ws } = workspace({ 'secure-pipeline/sast.sarif': sarif() })
    const r = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { baseline: 'secure-pipeline/*.sarif' }
    })
    expect(r.status).toBe(1)
    expect(r.outputs.passed).toBeUndefined()
    expect(r.stdout).toMatch(
      /^::error::Input 'baseline' matches secure-pipeline\/sast\.sarif, which input 'reports' reads too; point 'baseline' at the base branch's reports only\.$/m
    )
  })

  it('keeps report names that carry workflow commands on one harmless line', async () => {
    const forged = 'x\n::add-mask::hunter2\n::error title=forged::pwned'
    const { ws } = workspace({
      [`secure-pipeline/${forged}.sarif`]: sarif('warning'),
      [`secure-pipeline/${forged} cut.sarif`]: sarif('warning').slice(0, 60)
    })
    const r = await runBundle('gate', { node, workspace: ws })
    expect(r.outputs.outcome).toBe('fail-broken-input')
    const lines = r.stdout.split('\n')
    expect(lines.filter(l => /^\s*::(add-mask|error title=forged)/.test(l))).toEqual([])
    // Each name was logged, flattened or escaped, so the test saw the real paths.
    expect(lines.some(l => l.startsWith('report secure-pipeline/x⏎::add-mask::hunter2⏎'))).toBe(true)
    expect(
      lines.some(l => l.startsWith('::warning::report secure-pipeline/x%0A::add-mask::hunter2%0A'))
    ).toBe(true)
    expect(r.summary).not.toMatch(/^::/m)
  })

  it('reads a SARIF with no runs as a broken report, not as zero findings', async () => {
    const { ws } = workspace({ 'secure-pipeline/sast.sarif': JSON.stringify({ version: '2.1.0', runs: [] }) })
    const r = await runBundle('gate', { node, workspace: ws, inputs: { 'warn-only': 'true' } })
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-broken-input')
    expect(r.summary).toContain('SARIF has no runs: no tool reported, so nothing was checked')
  })

  it('names a report with several scanner errors once', async () => {
    const invocations = [
      {
        executionSuccessful: false,
        toolExecutionNotifications: [
          { level: 'error', message: { text: 'Invalid scanning root' } },
          { level: 'error', message: { text: 'rule parse error' } }
        ]
      }
    ]
    const { ws } = workspace({ 'secure-pipeline/sast.sarif': sarif('warning', { invocations }) })
    const r = await runBundle('gate', { node, workspace: ws })
    const failures = r.stdout.split('\n').filter(l => l.startsWith('::error::gate:'))
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatch(
      /^::error::gate: 1 report\(s\) missing or broken \(secure-pipeline\/sast\.sarif: the scanner reported an error: .*Invalid scanning root.*rule parse error\); a broken report is never read as 0 findings: fix the step that writes it, then run the gate again\.$/
    )
    expect(existsSync(path.join(ws, 'secure-pipeline/gate/evidence.json'))).toBe(true)
  })
})

describe.each(nodeRuntimes())('gate bundle away from the repository on $label', ({ node }) => {
  let api: GitHubApiDouble
  beforeAll(async () => {
    api = await startGitHubApiDouble()
  })
  afterAll(async () => api.close())

  it('validates and uploads with nothing but its own files: no node_modules where a runner unpacks it', async () => {
    const distDir = mkdtempSync(path.join(tmpdir(), 'gate-dist-'))
    cpSync(path.join(REPO_ROOT, 'dist', 'gate'), path.join(distDir, 'gate'), { recursive: true })
    const { ws } = workspace({ 'secure-pipeline/sast.sarif': sarif('warning') })
    const r = await runBundle('gate', {
      node,
      workspace: ws,
      distDir,
      inputs: { token: 'ghs_isolated', upload: 'true', comment: 'false' },
      env: { GITHUB_API_URL: api.url }
    })
    expect(r.stdout).not.toMatch(/Cannot find module/)
    expect(r.status).toBe(0)
    expect(api.requestsFor('code-scanning/upload-sarif')).toHaveLength(1)
    api.assertNoSpecViolations()
  }, 60_000)
})
