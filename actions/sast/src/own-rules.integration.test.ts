import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { run } from './main.js'
import { cloneWithOrigin, git, writeFiles } from '../../../test/support/git-repo.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import { toolPath } from '../../../test/support/tools-path.js'

const rule = (id: string, call: string) => `  - id: ${id}
    languages: [python]
    severity: ERROR
    message: ${call} on untrusted data
    pattern: ${call}(...)
`
const RULES = `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt')}${rule('no-legacy-sign', 'legacy.sign')}`

const saved = { ...process.env }
let root: string
let dev: string
let event: string

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sast-own-rules-'))
  dev = cloneWithOrigin(root).clone
  writeFiles(dev, { '.semgrep/rules.yml': RULES, 'svc/handler.py': 'import legacy\n' })
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'rules')
  git(dev, 'push', '-q', 'origin', 'main')
  const base = git(dev, 'rev-parse', 'HEAD')
  git(dev, 'checkout', '-q', '-b', 'feature')
  // The change weakens the rule that would catch the flaw it adds, under the same id.
  writeFiles(dev, {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt_v0')}${rule('no-legacy-sign', 'legacy.sign')}`,
    'svc/handler.py': 'import legacy\n\n\ndef seal(data):\n    return legacy.encrypt(data)\n'
  })
  git(dev, 'commit', '-q', '-am', 'handler')
  event = path.join(root, 'event.json')
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: {
        number: 4,
        base: { ref: 'main', sha: base },
        head: { ref: 'feature', sha: git(dev, 'rev-parse', 'HEAD') }
      }
    })
  )
  Object.assign(process.env, {
    GITHUB_WORKSPACE: dev,
    GITHUB_OUTPUT: path.join(root, 'output'),
    GITHUB_STEP_SUMMARY: path.join(root, 'summary'),
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_EVENT_PATH: event,
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_TEMP: root
  })
})
afterAll(() => {
  process.env = saved
  rmSync(root, { recursive: true, force: true })
})

const ruleIds = () =>
  (
    JSON.parse(readFileSync(path.join(dev, 'secure-pipeline', 'sast.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[]
    }
  ).runs[0]!.results.map(r => r.ruleId)

describe('sast: the repository’s own rules on a pull request', () => {
  it('runs the merge-base version of a rule file the change edited, under its own id', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/'
    })
    expect(exitCode).toBe(0)
    expect(outputs.findings).toBe('1')
    // Rule ids as written (--no-rewrite-rule-ids): the merge-base rule's findings are the checkout's rule's.
    expect(ruleIds()).toEqual(['no-legacy-encrypt'])
    expect(summary).toContain("edits or removes 1 of the repository's own rule file(s) (.semgrep/rules.yml)")
  }, 120_000)

  it('lets the change’s own rules alone decide with policy-source head', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/rules.yml',
      'policy-source': 'head'
    })
    expect(exitCode).toBe(0)
    expect(outputs.findings).toBe('0')
    expect(ruleIds()).toEqual([])
    expect(summary).not.toContain('own rule file')
  }, 120_000)
})
