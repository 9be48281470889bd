import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { run } from './main.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import { demoAppExpected } from '../../../test/support/demo-app.js'
import { cloneWithOrigin, git } from '../../../test/support/git-repo.js'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const SEMGREP = path.join(
  process.env.SECURE_PIPELINE_TOOLS_DIR ??
    path.join(process.env.HOME ?? '', '.cache', 'secure-pipeline', 'tools'),
  'bin',
  'semgrep'
)
const EXPECTED = demoAppExpected().length
const saved = { ...process.env }
let workspace: string
let outputFile: string
let summaryFile: string

const runWith = (inputs: Record<string, string>) => runInProcess(run, inputs)

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'sast-action-'))
  cpSync(path.join(REPO, 'examples', 'app'), workspace, { recursive: true })
  outputFile = `${workspace}-output`
  summaryFile = `${workspace}-summary`
  Object.assign(process.env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_TEMP: tmpdir()
  })
  delete process.env.GITHUB_EVENT_PATH
})
afterAll(() => {
  process.env = saved
  rmSync(workspace, { recursive: true, force: true })
})

describe('sast action', () => {
  it('scans the demo app in full on push and writes SARIF, outputs and a summary', async () => {
    const { outputs, exitCode, summary } = await runWith({ 'semgrep-path': SEMGREP })
    expect(exitCode).toBe(0)
    expect(outputs).toMatchObject({
      'sarif-file': 'secure-pipeline/sast.sarif',
      findings: String(EXPECTED),
      mode: 'full'
    })
    const bySeverity = JSON.parse(outputs['by-severity'] ?? '{}') as Record<string, number>
    expect(Object.values(bySeverity).reduce((a, b) => a + b, 0)).toBe(EXPECTED)
    expect(bySeverity.critical).toBeGreaterThan(0)
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8'))
    expect(sarif.runs[0].results).toHaveLength(EXPECTED)
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true)
    expect(summary).toContain('**Full scan**')
    expect(summary).toContain('gha-script-injection')
  }, 120_000)

  it('scans only what a pull request changed and says so in the summary', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'sast-action-pr-'))
    const { clone: dev } = cloneWithOrigin(root)
    cpSync(path.join(REPO, 'examples', 'app'), dev, { recursive: true })
    git(dev, 'add', '-A')
    git(dev, 'commit', '-q', '-m', 'app with known flaws')
    git(dev, 'push', '-q', 'origin', 'main')
    const frozenBase = git(dev, 'rev-parse', 'HEAD')
    git(dev, 'checkout', '-q', '-b', 'feature')
    mkdirSync(path.join(dev, 'api'), { recursive: true })
    writeFileSync(
      path.join(dev, 'api', 'report.py'),
      'import os\n\n\ndef report(name):\n    os.system("lp " + name)\n'
    )
    // Edited files keep their old flaws: compared with their merge-base versions, they are not new.
    const edits = { 'api/app.py': '# edited\n', 'web/server.js': '// edited\n' }
    for (const [file, line] of Object.entries(edits))
      writeFileSync(path.join(dev, file), line + readFileSync(path.join(dev, file), 'utf8'))
    git(dev, 'add', '-A')
    git(dev, 'commit', '-q', '-m', 'report')
    git(dev, 'push', '-q', 'origin', 'feature')
    const event = path.join(root, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: 3,
          base: { ref: 'main', sha: frozenBase },
          head: { ref: 'feature', sha: git(dev, 'rev-parse', 'HEAD') }
        }
      })
    )
    Object.assign(process.env, {
      GITHUB_WORKSPACE: dev,
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_EVENT_PATH: event
    })
    try {
      const { outputs, exitCode, summary } = await runWith({ 'semgrep-path': SEMGREP })
      expect(exitCode).toBe(0)
      // The known flaws exist on main; only the one the PR adds is reported.
      expect(outputs).toMatchObject({ mode: 'diff', findings: '1' })
      expect(summary).toContain('**Diff scan**')
      expect(summary).toContain('3 changed file(s) scanned')
      expect(summary).toMatch(
        /\d+ finding\(s\) already in the merge-base version of these files are not repeated/
      )
      expect(summary).toContain('py-command-injection')
    } finally {
      Object.assign(process.env, { GITHUB_WORKSPACE: workspace, GITHUB_EVENT_NAME: 'push' })
      delete process.env.GITHUB_EVENT_PATH
      rmSync(root, { recursive: true, force: true })
    }
  }, 120_000)
})
