import { describe, expect, it } from '@jest/globals'
import { run } from './main.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import {
  pullRequestWorkspace,
  pythonCallRule as rule,
  sarifRuleIds
} from '../../../test/support/sast-pull-request.js'
import { toolPath } from '../../../test/support/tools-path.js'

// The change weakens the rule that would catch the flaw it adds, under the same id.
const workspace = pullRequestWorkspace({
  prefix: 'sast-own-rules-',
  number: 4,
  base: {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt')}${rule('no-legacy-sign', 'legacy.sign')}`,
    'svc/handler.py': 'import legacy\n'
  },
  head: {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt_v0')}${rule('no-legacy-sign', 'legacy.sign')}`,
    'svc/handler.py': 'import legacy\n\n\ndef seal(data):\n    return legacy.encrypt(data)\n'
  }
})

describe('sast: the repository’s own rules on a pull request', () => {
  it('runs the merge-base version of a rule file the change edited, under its own id', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/'
    })
    expect(exitCode).toBe(0)
    expect(outputs.findings).toBe('1')
    // Rule ids as written (--no-rewrite-rule-ids): the merge-base rule's findings are the checkout's rule's.
    expect(sarifRuleIds(workspace())).toEqual(['no-legacy-encrypt'])
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
    expect(sarifRuleIds(workspace())).toEqual([])
    expect(summary).not.toContain('own rule file')
  }, 120_000)
})
