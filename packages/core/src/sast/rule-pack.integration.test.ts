import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runProcess } from '../runtime/process.js'
import { engineEnv } from './engine-args.js'
import { loadRulePack } from './rule-pack.js'
import { RULES_DIR, semgrepBinary } from '../../../../test/support/sast.js'

const pack = loadRulePack(RULES_DIR)

describe('bundled rule pack with the real semgrep', () => {
  it('passes semgrep --test with the real engine', async () => {
    const outcome = await runProcess(
      semgrepBinary(),
      ['--test', '--metrics=off', '--disable-version-check', RULES_DIR],
      {
        cwd: RULES_DIR,
        deadlineMs: 170_000,
        env: engineEnv(process.env)
      }
    )
    const output = outcome.stdout + outcome.stderr
    expect(output).toMatch(new RegExp(`${pack.rules.length}/${pack.rules.length}: ✓ All tests passed`))
    expect(outcome.exitCode).toBe(0)
  }, 180_000)

  it('loads as one config directory without errors (rule files only, test targets skipped)', async () => {
    const empty = mkdtempSync(path.join(tmpdir(), 'sast-empty-'))
    writeFileSync(path.join(empty, 'ok.py'), 'print("hello")\n')
    const output = path.join(empty, 'out.json')
    const outcome = await runProcess(
      semgrepBinary(),
      [
        'scan',
        '--metrics=off',
        '--disable-version-check',
        '--json',
        '--output',
        output,
        '--config',
        RULES_DIR,
        empty
      ],
      { cwd: empty, deadlineMs: 110_000, env: engineEnv(process.env) }
    )
    const report = JSON.parse(readFileSync(output, 'utf8')) as { errors: unknown[]; results: unknown[] }
    expect(report.errors).toEqual([])
    expect(report.results).toEqual([])
    expect(outcome.exitCode).toBe(0)
  }, 120_000)
})
