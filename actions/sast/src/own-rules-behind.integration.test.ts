import { beforeAll, describe, expect, it } from '@jest/globals'
import * as path from 'node:path'
import { run } from './main.js'
import { git, writeFiles } from '../../../test/support/git-repo.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import {
  pullRequestWorkspace,
  pythonCallRule as rule,
  sarifRuleIds
} from '../../../test/support/sast-pull-request.js'
import { toolPath } from '../../../test/support/tools-path.js'

// The branch forked before the base tightened one rule and added another; it adds code both now catch.
const workspace = pullRequestWorkspace({
  prefix: 'sast-own-rules-behind-',
  number: 6,
  base: {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt_v0')}`,
    'svc/handler.py': 'import legacy\n\n\ndef old(data):\n    return legacy.sign(data)\n'
  },
  head: {
    'svc/handler.py':
      'import legacy\n\n\ndef old(data):\n    return legacy.sign(data)\n\n\ndef seal(data):\n    return legacy.encrypt(data) + legacy.sign(data + 1)\n'
  }
})

beforeAll(() => {
  const tip = path.join(path.dirname(workspace()), 'tip')
  git(workspace(), 'worktree', 'add', '-q', tip, 'main')
  writeFiles(tip, {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt')}`,
    '.semgrep/signing.yml': `rules:\n${rule('no-legacy-sign', 'legacy.sign')}`
  })
  git(tip, 'add', '-A')
  git(tip, 'commit', '-q', '-m', 'tighten one rule, add another')
  git(tip, 'push', '-q', 'origin', 'main')
  git(workspace(), 'fetch', '-q', 'origin')
})

describe('sast: a pull request branched before the base changed its own rules', () => {
  it('runs the base branch tip’s rules, and counts only what the change adds', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/'
    })
    expect(exitCode).toBe(0)
    expect(sarifRuleIds(workspace()).sort()).toEqual(['no-legacy-encrypt', 'no-legacy-sign'])
    expect(outputs.findings).toBe('2')
    // The new rule's finding in code the merge-base already had is not the change's.
    expect(summary).toContain(
      '1 finding(s) already in the merge-base version of these files are not repeated'
    )
    // The change touched no rule file: the base moved on, the branch did not edit anything.
    expect(summary).not.toContain('own rule file')
  }, 120_000)
})
