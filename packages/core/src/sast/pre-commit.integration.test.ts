import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
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

describe('.pre-commit-hooks.yaml with the real semgrep', () => {
  const run = (
    files: string[],
    cwd: string,
    env = childEnv({ SECURE_PIPELINE_SEMGREP_PATH: semgrepBinary() })
  ) => runProcess(path.join(REPO_ROOT, String(hook?.entry)), files, { cwd, deadlineMs: 110_000, env })

  it('fails a commit that adds a flaw and passes a clean one, with the real semgrep', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sast-hook-'))
    writeFileSync(path.join(dir, 'bad.py'), 'import os\n\n\ndef f(x):\n    os.system("ls " + x)\n')
    writeFileSync(path.join(dir, 'good.py'), 'print("hello")\n')
    const bad = await run(['bad.py', 'good.py'], dir)
    expect(bad.exitCode).toBe(1)
    expect(bad.stdout + bad.stderr).toContain('py-command-injection')
    const good = await run(['good.py'], dir)
    expect(good.exitCode).toBe(0)
  }, 120_000)
})
