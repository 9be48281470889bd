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

const saved = { ...process.env }
let root: string
let dev: string

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'sast-own-rules-shadow-'))
  dev = cloneWithOrigin(root).clone
  writeFiles(dev, {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt')}`,
    'svc/handler.py': 'import legacy\n'
  })
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'rules')
  git(dev, 'push', '-q', 'origin', 'main')
  const base = git(dev, 'rev-parse', 'HEAD')
  git(dev, 'checkout', '-q', '-b', 'feature')
  // The change leaves rules.yml alone and adds a file, loaded after it, with a weaker rule of its id.
  writeFiles(dev, {
    '.semgrep/zz-more.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt_v0')}`,
    'svc/handler.py': 'import legacy\n\n\ndef seal(data):\n    return legacy.encrypt(data)\n'
  })
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'handler')
  const event = path.join(root, 'event.json')
  writeFileSync(
    event,
    JSON.stringify({
      pull_request: {
        number: 5,
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

describe('sast: a rule file a pull request adds under a taken id', () => {
  it('cannot replace the merge-base rule of that id', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/'
    })
    expect(exitCode).toBe(0)
    expect(outputs.findings).toBe('1')
    const sarif = JSON.parse(readFileSync(path.join(dev, 'secure-pipeline', 'sast.sarif'), 'utf8')) as {
      runs: { results: { ruleId: string }[] }[]
    }
    expect(sarif.runs[0]!.results.map(r => r.ruleId)).toEqual(['no-legacy-encrypt'])
    // rules.yml was not edited: the summary names no edited rule file.
    expect(summary).not.toContain('own rule file')
  }, 120_000)
})
