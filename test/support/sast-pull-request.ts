import { afterAll, beforeAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { cloneWithOrigin, git, writeFiles } from './git-repo.js'

/** One Semgrep rule of `id` that matches any call of `call` in Python. */
export const pythonCallRule = (id: string, call: string) => `  - id: ${id}
    languages: [python]
    severity: ERROR
    message: ${call} on untrusted data
    pattern: ${call}(...)
`

/**
 * For one test file: a clone whose main holds `base` and whose branch `feature` adds `head` on top, checked
 * out as the workspace of pull request `number`, with the runner's files in a scratch directory. The
 * environment is restored and the scratch removed after the file's tests. Returns the workspace, once set.
 */
export function pullRequestWorkspace(options: {
  prefix: string
  number: number
  base: Record<string, string>
  head: Record<string, string>
}): () => string {
  const saved = { ...process.env }
  let root = ''
  let dev = ''
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), options.prefix))
    dev = cloneWithOrigin(root).clone
    writeFiles(dev, options.base)
    git(dev, 'add', '-A')
    git(dev, 'commit', '-q', '-m', 'base')
    git(dev, 'push', '-q', 'origin', 'main')
    const base = git(dev, 'rev-parse', 'HEAD')
    git(dev, 'checkout', '-q', '-b', 'feature')
    writeFiles(dev, options.head)
    git(dev, 'add', '-A')
    git(dev, 'commit', '-q', '-m', 'feature')
    const event = path.join(root, 'event.json')
    writeFileSync(
      event,
      JSON.stringify({
        pull_request: {
          number: options.number,
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
  return () => dev
}

/** The rule ids of the SARIF the sast step wrote at its default path. */
export function sarifRuleIds(workspace: string): string[] {
  const sarif = JSON.parse(readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8')) as {
    runs: { results: { ruleId: string }[] }[]
  }
  return sarif.runs[0]!.results.map(r => r.ruleId)
}
