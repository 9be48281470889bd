import { describe, expect, it } from '@jest/globals'
import { run } from './main.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import {
  pullRequestWorkspace,
  pythonCallRule as rule,
  sarifRuleIds
} from '../../../test/support/sast-pull-request.js'
import { toolPath } from '../../../test/support/tools-path.js'

// The change leaves rules.yml alone and adds a file, loaded after it, with a weaker rule of its id.
const workspace = pullRequestWorkspace({
  prefix: 'sast-own-rules-shadow-',
  number: 5,
  base: {
    '.semgrep/rules.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt')}`,
    'svc/handler.py': 'import legacy\n'
  },
  head: {
    '.semgrep/zz-more.yml': `rules:\n${rule('no-legacy-encrypt', 'legacy.encrypt_v0')}`,
    'svc/handler.py': 'import legacy\n\n\ndef seal(data):\n    return legacy.encrypt(data)\n'
  }
})

describe('sast: a rule file a pull request adds under a taken id', () => {
  it('cannot replace the merge-base rule of that id', async () => {
    const { outputs, exitCode, summary } = await runInProcess(run, {
      'semgrep-path': toolPath('semgrep'),
      config: '.semgrep/'
    })
    expect(exitCode).toBe(0)
    expect(outputs.findings).toBe('1')
    expect(sarifRuleIds(workspace())).toEqual(['no-legacy-encrypt'])
    // rules.yml was not edited: the summary names no edited rule file.
    expect(summary).not.toContain('own rule file')
  }, 120_000)
})
