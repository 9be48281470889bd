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
      { level: 'error', message: 'semgrep exited 0 without writing its report' }
    ])
  })

  it('says a report it cannot read is unreadable, not missing', async () => {
    // A directory where the report goes: reading it fails as a report past Node's longest string does.
    const stub = stubEngine(
      `${VERSION}\nwhile [ $# -gt 0 ]; do [ "$1" = --output ] && mkdir "$2"; shift; done\nexit 0`
    )
    const engine = await SemgrepEngine.create({ engine: 'semgrep', binaryPath: stub, logger: memoryLogger() })
    await expect(runSastScan(engine, options(workspace()))).rejects.toThrow(
      /^semgrep: its report engine\.sarif could not be read: EISDIR/
    )
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

describe('the engine report (stub engine)', () => {
  const writing = (report: string) =>
    stubEngine(
      `${VERSION}\nfor a in "$@"; do if [ "$prev" = "--output" ]; then printf '%s' '${report}' > "$a"; fi; prev=$a; done`
    )
  const sarif = (results: unknown[]) =>
    JSON.stringify({
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'Semgrep OSS', semanticVersion: '1.185.0', rules: [] } },
          invocations: [{ executionSuccessful: true, toolExecutionNotifications: [] }],
          results
        }
      ]
    })

  it('fails the scan when the report is not the SARIF it asked for, never counts it clean', async () => {
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: writing('{"version":"1.185.0","results":[],"errors":[]}'),
      logger: memoryLogger()
    })
    const result = await runSastScan(engine, options(workspace()))
    expect(result.findings).toEqual([])
    expect(result.problems).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('report unreadable') })
    ])
  })

  it('keeps a result the engine marks suppressed in source, as suppressed', async () => {
    const ws = workspace()
    writeFileSync(path.join(ws, 'a.py'), 'import os\nos.system(x)  # nosemgrep\n')
    const result = (suppressions: unknown[]) => ({
      ruleId: 'py-command-injection',
      message: { text: 'm' },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: 'a.py' },
            region: { startLine: 2, startColumn: 1, endLine: 2, endColumn: 13 }
          }
        }
      ],
      suppressions
    })
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: writing(sarif([result([{ kind: 'inSource' }])])),
      logger: memoryLogger()
    })
    const scan = await runSastScan(engine, options(ws))
    expect(scan.problems).toEqual([])
    expect(scan.findings.map(f => [f.ruleId, f.location?.path, f.suppressions])).toEqual([
      ['py-command-injection', 'a.py', [{ kind: 'inSource', justification: 'nosemgrep' }]]
    ])
  })
})
