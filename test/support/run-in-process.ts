import { afterAll, beforeAll } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { captureStdout } from '../../packages/core/src/runtime/stdout.js'
import { parseCommandFile } from './run-bundle.js'

export interface InProcessRun {
  outputs: Record<string, string>
  stdout: string
  exitCode: number
  summary: string
}

/**
 * Calls an action's run() in this process the way the runner would drive it: inputs in INPUT_*
 * variables, and the real GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files named by the environment.
 */
export async function runInProcess(
  run: () => Promise<void>,
  inputs: Record<string, string>
): Promise<InProcessRun> {
  const outputFile = process.env.GITHUB_OUTPUT
  const summaryFile = process.env.GITHUB_STEP_SUMMARY
  if (!outputFile || !summaryFile) throw new Error('set GITHUB_OUTPUT and GITHUB_STEP_SUMMARY first')
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs)) process.env[`INPUT_${name.toUpperCase()}`] = value
  writeFileSync(outputFile, '')
  writeFileSync(summaryFile, '')
  const lines: string[] = []
  const restore = captureStdout(chunk => void lines.push(chunk))
  try {
    await run()
  } finally {
    restore()
  }
  const exitCode = Number(process.exitCode ?? 0)
  process.exitCode = 0
  return {
    outputs: parseCommandFile(readFileSync(outputFile, 'utf8')),
    stdout: lines.join(''),
    exitCode,
    summary: readFileSync(summaryFile, 'utf8')
  }
}

/**
 * A runner's files for in-process runs of one test file, offline (no event payload): GITHUB_OUTPUT,
 * GITHUB_STEP_SUMMARY and RUNNER_TEMP in a scratch directory, with `event` on top. The environment is
 * restored and the scratch removed after the file's tests. Returns the scratch directory, once set.
 */
export function offlineRunner(prefix: string, event: Record<string, string>): () => string {
  const saved = { ...process.env }
  let scratch = ''
  beforeAll(() => {
    scratch = mkdtempSync(path.join(tmpdir(), prefix))
    Object.assign(process.env, {
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      RUNNER_TEMP: scratch,
      ...event
    })
    delete process.env.GITHUB_EVENT_PATH
  })
  afterAll(() => {
    process.env = saved
    rmSync(scratch, { recursive: true, force: true })
  })
  return () => scratch
}
