import { describe, expect, it } from '@jest/globals'
import { accessSync, constants, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { childEnv, runProcess } from '../runtime/process.js'
import { REPO_ROOT, semgrepBinary } from '../../../../test/support/sast.js'

const hooks = parse(readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Record<
  string,
  unknown
>[]
const hook = hooks.find(h => h.id === 'secure-pipeline-sast')

describe('.pre-commit-hooks.yaml', () => {
  it('declares the hook with an executable script entry from this repository', () => {
    expect(hook).toMatchObject({
      language: 'script',
      entry: 'actions/sast/pre-commit.sh',
      name: expect.any(String)
    })
    expect(() => accessSync(path.join(REPO_ROOT, String(hook?.entry)), constants.X_OK)).not.toThrow()
  })

  const run = (
    files: string[],
    cwd: string,
    env = childEnv({ SECURE_PIPELINE_SEMGREP_PATH: semgrepBinary() })
  ) => runProcess(path.join(REPO_ROOT, String(hook?.entry)), files, { cwd, deadlineMs: 110_000, env })

  it('explains how to install semgrep when it is missing', async () => {
    const outcome = await run(
      ['x.py'],
      tmpdir(),
      childEnv({ PATH: '/usr/bin:/bin', SECURE_PIPELINE_SEMGREP_PATH: '/nonexistent/semgrep' })
    )
    expect(outcome.exitCode).toBe(2)
    expect(outcome.stderr).toContain('--require-hashes')
  })
})
