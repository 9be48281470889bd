import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { memoryLogger } from '../runtime/logger.js'
import { SemgrepEngine } from './engine.js'
import { loadCompiledPack } from './pack.js'
import { runSastScan } from './scan.js'
import { renderSastSummary } from './summary.js'
import { RULES_DIR, semgrepBinary } from '../../../../test/support/sast.js'
import { git, writeFiles } from '../../../../test/support/git-repo.js'

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-coverage-'))
  git(dir, 'init', '-q', '-b', 'main')
  writeFiles(dir, files)
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'files')
  return dir
}

const notifications = (result: { sarif: unknown }) =>
  (result.sarif as { runs: { invocations: { toolExecutionNotifications?: unknown[] }[] }[] }).runs[0]
    ?.invocations[0]?.toolExecutionNotifications ?? []

describe('a full scan that found nothing says how many files it covered (real git and semgrep)', () => {
  let engine: SemgrepEngine
  const pack = loadCompiledPack(RULES_DIR)
  beforeAll(async () => {
    engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
  })

  const scan = async (workspace: string, scanPath: string) => {
    const logger = memoryLogger()
    const result = await runSastScan(engine, {
      workspace,
      scanPath,
      pack,
      userConfigs: [],
      languages: pack.rules.flatMap(r => r.languages),
      exclude: [],
      mode: { kind: 'full', reason: "input 'diff' is false" },
      ruleTimeoutSeconds: 30,
      deadlineMs: 120_000,
      logger
    })
    return { result, warnings: logger.lines.filter(line => line.startsWith('warning: ')) }
  }

  it('warns, notes it in the SARIF and says "0 files scanned" when the path holds nothing the scan reads', async () => {
    // Semgrep's built-in ignore list skips tests/: the engine exits 0 with a clean-looking SARIF.
    const repo = repository({ 'tests/README.md': '# fixtures\n', 'src/app.py': 'x = 1\n' })
    const { result, warnings } = await scan(repo, 'tests')
    expect(result.findings).toEqual([])
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain("Nothing was scanned: input 'path' ('tests')")
    expect(notifications(result)).toEqual([
      { level: 'warning', message: { text: expect.stringContaining("input 'path' ('tests')") } }
    ])
    // A repository with nothing to scan would fail every push: this is a warning, never an error.
    expect(result.problems.filter(p => p.level === 'error')).toEqual([])
    expect(renderSastSummary(result, 'sast.sarif')).toContain(
      '0 files scanned; 1 skipped by the exclude input, the ignore patterns or as links'
    )
  })

  it('counts a doc as scanned: the bundled secrets rule reads any text file', async () => {
    const repo = repository({ 'docs/README.md': '# docs\n' })
    const { result, warnings } = await scan(repo, 'docs')
    expect(warnings).toEqual([])
    expect(notifications(result)).toEqual([])
    expect(renderSastSummary(result, 'sast.sarif')).toContain('): 1 file(s) scanned.')
  })

  it('counts nothing when the scan has results: no warning, the summary as before', async () => {
    const repo = repository({ 'src/app.py': 'import os\n\n\ndef run(arg):\n    os.system("ls " + arg)\n' })
    const { result, warnings } = await scan(repo, 'src')
    expect(result.findings.length).toBeGreaterThan(0)
    expect(warnings).toEqual([])
    expect(result.coverage).toBeUndefined()
    expect(renderSastSummary(result, 'sast.sarif')).toContain(
      "**Full scan** of the repository (input 'diff' is false).\n"
    )
  })
})
