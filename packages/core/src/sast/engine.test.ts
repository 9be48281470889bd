import { afterAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { siblingPythonCli, SemgrepEngine } from './engine.js'
import { loadCompiledPack } from './pack.js'
import { runSastScan, type SastScanOptions } from './scan.js'
import { RULES_DIR, stubEngine } from '../../../../test/support/sast.js'

const VERSION = 'if [ "$1" = "--version" ]; then echo 1.185.0; exit 0; fi'

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-ws-'))
  writeFileSync(path.join(dir, 'a.py'), 'print(1)\n')
  return dir
}

function options(ws: string, overrides: Partial<SastScanOptions> = {}): SastScanOptions {
  return {
    workspace: ws,
    scanPath: '.',
    pack: loadCompiledPack(RULES_DIR),
    userConfigs: [],
    languages: undefined,
    exclude: [],
    mode: { kind: 'full', reason: 'test' },
    ruleTimeoutSeconds: 5,
    deadlineMs: 20_000,
    logger: memoryLogger(),
    ...overrides
  }
}

const notifications = (sarif: unknown) =>
  (
    sarif as {
      runs: {
        invocations: {
          executionSuccessful: boolean
          toolExecutionNotifications?: { level: string; message: { text: string } }[]
        }[]
      }[]
    }
  ).runs[0]?.invocations[0]

describe('engine error paths (stub executables)', () => {
  const pidFile = path.join(mkdtempSync(path.join(tmpdir(), 'sast-pid-')), 'child.pid')
  afterAll(async () => {
    // The stub's background `sleep` is in the engine's process group: the deadline kill must end it too.
    // A killed child can linger as a zombie until init reaps it, so "alive" means present and not Z.
    await new Promise(resolve => setTimeout(resolve, 200))
    const pid = readFileSync(pidFile, 'utf8').trim()
    let state = 'gone'
    try {
      state = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] ?? 'gone'
    } catch {
      // No such process.
    }
    expect(['gone', 'Z', 'X']).toContain(state)
  })

  it('reports a crash (exit 139, garbage output) as an error problem in the SARIF', async () => {
    const ws = workspace()
    const stub = stubEngine(
      `${VERSION}\nfor a in "$@"; do if [ "$prev" = "--output" ]; then printf 'Segmentation fault {"resu' > "$a"; fi; prev=$a; done\necho 'core dumped' >&2\nexit 139`
    )
    const engine = await SemgrepEngine.create({ engine: 'semgrep', binaryPath: stub, logger: memoryLogger() })
    const result = await runSastScan(engine, options(ws))
    expect(result.findings).toEqual([])
    expect(result.problems.map(p => p.level)).toEqual(['error', 'error'])
    expect(result.problems[0]?.message).toBe('semgrep exited 139 (killed by signal 11): core dumped')
    expect(result.problems[1]?.message).toMatch(/report unreadable: .*not JSON/)
    const invocation = notifications(result.sarif)
    expect(invocation?.executionSuccessful).toBe(false)
    expect(invocation?.toolExecutionNotifications?.[0]).toMatchObject({
      level: 'error',
      message: { text: expect.stringContaining('exited 139') }
    })
  })

  it('kills the whole process group at the deadline and says it timed out', async () => {
    const ws = workspace()
    const stub = stubEngine(`${VERSION}\nsleep 60 &\necho $! > '${pidFile}'\nwait`)
    const engine = await SemgrepEngine.create({ engine: 'semgrep', binaryPath: stub, logger: memoryLogger() })
    const result = await runSastScan(
      engine,
      options(ws, { deadlineMs: 1500, deadlineInput: 'timeout-minutes' })
    )
    expect(result.problems[0]).toEqual({
      level: 'error',
      message: 'semgrep did not finish within 2 s (timeout-minutes) and was killed; the scan is incomplete'
    })
    expect(notifications(result.sarif)?.executionSuccessful).toBe(false)
  }, 30_000)

  it('reports an engine that exits 0 without a report', async () => {
    const stub = stubEngine(`${VERSION}\nexit 0`)
    const engine = await SemgrepEngine.create({ engine: 'semgrep', binaryPath: stub, logger: memoryLogger() })
    const result = await runSastScan(engine, options(workspace()))
    expect(result.problems).toEqual([
      { level: 'error', message: 'semgrep exited 0 without writing its JSON report' }
    ])
  })
})

describe('SemgrepEngine.create', () => {
  it('refuses a semgrep-path that is not an executable', async () => {
    await expect(
      SemgrepEngine.create({ engine: 'semgrep', binaryPath: '/nonexistent/semgrep', logger: memoryLogger() })
    ).rejects.toThrow(ConfigurationError)
  })

  it('says which binary failed --version', async () => {
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: stubEngine('echo nope >&2; exit 3'),
      logger: memoryLogger()
    })
    await expect(engine.version(tmpdir())).rejects.toThrow(/--version failed \(exit 3\): nope/)
  })

  it('needs a binary or an installer', async () => {
    await expect(
      SemgrepEngine.create({
        engine: 'semgrep',
        binaryPathInput: 'semgrep-path',
        logger: memoryLogger(),
        env: {}
      })
    ).rejects.toThrow("No semgrep binary: give one (input 'semgrep-path' or SECURE_PIPELINE_SEMGREP_PATH)")
  })
})

describe('siblingPythonCli', () => {
  it('calls pysemgrep beside a semgrep launcher when it is executable, else the binary as given', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sast-bin-'))
    const semgrep = path.join(dir, 'semgrep')
    writeFileSync(semgrep, '#!/bin/sh\n', { mode: 0o755 })
    expect(siblingPythonCli(semgrep)).toBe(semgrep)
    writeFileSync(path.join(dir, 'pysemgrep'), '#!/bin/sh\n', { mode: 0o644 })
    expect(siblingPythonCli(semgrep)).toBe(semgrep)
    chmodSync(path.join(dir, 'pysemgrep'), 0o755)
    expect(siblingPythonCli(semgrep)).toBe(path.join(dir, 'pysemgrep'))
    const other = path.join(dir, 'my-semgrep')
    expect(siblingPythonCli(other)).toBe(other)
  })
})

describe('nosemgrep marks on a diff scan (stub engine)', () => {
  const argsFile = () => path.join(mkdtempSync(path.join(tmpdir(), 'sast-args-')), 'args')
  const recording = (file: string) =>
    stubEngine(
      `${VERSION}\necho "$@" > '${file}'\nfor a in "$@"; do if [ "$prev" = "--output" ]; then echo '{"version":"1.185.0","results":[],"errors":[],"paths":{"scanned":[]}}' > "$a"; fi; prev=$a; done`
    )
  const added = (ws: string) =>
    options(ws, {
      mode: {
        kind: 'diff',
        baseline: 'b'.repeat(40),
        head: 'h'.repeat(40),
        changes: [{ path: 'a.py', status: 'A' }],
        reason: 't'
      }
    })

  it('asks the engine for its SARIF only when a changed file mentions nosemgrep, and says when it wrote none', async () => {
    const plain = argsFile()
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: recording(plain),
      logger: memoryLogger()
    })
    const clean = await runSastScan(engine, added(workspace()))
    expect(readFileSync(plain, 'utf8')).not.toContain('--sarif-output')
    expect(clean.problems).toEqual([])

    const marked = argsFile()
    const ws = workspace()
    writeFileSync(path.join(ws, 'a.py'), 'import os\nos.system(x)  # NOSEMGREP\n')
    const withMarks = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: recording(marked),
      logger: memoryLogger()
    })
    const result = await runSastScan(withMarks, added(ws))
    expect(readFileSync(marked, 'utf8')).toMatch(/--sarif-output=\S+engine\.sarif/)
    expect(result.problems).toEqual([
      {
        level: 'warning',
        message: 'semgrep wrote no SARIF, so nosemgrep comments could not be told apart: every finding counts'
      }
    ])
  })
})
