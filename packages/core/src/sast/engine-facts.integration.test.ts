import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { memoryLogger } from '../runtime/logger.js'
import { runProcess } from '../runtime/process.js'
import { engineEnv } from './engine-args.js'
import { SemgrepEngine } from './engine.js'
import { DEFAULT_SEMGREPIGNORE, ignorePatterns } from './ignore.js'
import { engineReportFromSarif } from './engine-sarif.js'
import { normalizeEngineObject } from './normalize.js'
import { loadCompiledPack, packConfigJson } from './pack.js'
import { runSastScan, type SastScanOptions } from './scan.js'
import { workspaceSource } from './sources.js'
import { REPO_ROOT, RULES_DIR, semgrepBinary } from '../../../../test/support/sast.js'
import { git, writeFiles } from '../../../../test/support/git-repo.js'

// What this code relies on about the pinned Semgrep (1.185), checked against the real engine.

const ANY_FILE_RULE =
  'rules:\n  - id: any\n    languages: [generic]\n    severity: INFO\n    message: m\n    pattern: x\n'
const FLAW = 'import os\n\n\ndef run(arg):\n    os.system("ls " + arg)\n'

function repository(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-facts-'))
  writeFiles(dir, files)
  git(dir, 'init', '-q')
  git(dir, 'add', '-A')
  git(dir, 'commit', '-q', '-m', 'tree')
  return dir
}

/** The files a scan selects, from the engine's own `paths.scanned`. */
async function scanned(dir: string, extra: string[]): Promise<string[]> {
  const config = path.join(dir, '..', `${path.basename(dir)}-rule.yaml`)
  const output = path.join(dir, '..', `${path.basename(dir)}-out.json`)
  writeFileSync(config, ANY_FILE_RULE)
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
      config,
      ...extra,
      '.'
    ],
    { cwd: dir, deadlineMs: 110_000, env: engineEnv(process.env) }
  )
  expect(outcome.exitCode).toBe(0)
  return (JSON.parse(readFileSync(output, 'utf8')) as { paths: { scanned: string[] } }).paths.scanned.sort()
}

const ours = (patterns: readonly string[]) => [
  '--x-ignore-semgrepignore-files',
  ...patterns.map(pattern => `--exclude=${pattern}`)
]

describe('Semgrep 1.185 file selection, as this action drives it', () => {
  const tree: Record<string, string> = {
    'ok.py': 'x\n',
    'src/a.py': 'x\n',
    'a.min.js': 'x\n',
    'pkg/b_test.go': 'x\n'
  }
  // Each listed directory, and a near miss beside it that must stay selected.
  for (const dir of DEFAULT_SEMGREPIGNORE.filter(p => !p.includes('*') && p !== '.git')) {
    tree[`${dir.replace(/\/$/, '')}/f.py`] = 'x\n'
    tree[`${dir.replace(/\/$/, '')}x/f.py`] = 'x\n'
  }

  it("selects the same files with DEFAULT_SEMGREPIGNORE as --exclude as with the engine's built-in list", async () => {
    const dir = repository(tree)
    const native = await scanned(dir, [])
    expect(native).toContain('ok.py')
    expect(native).not.toContain('tests/f.py')
    expect(await scanned(dir, ours(DEFAULT_SEMGREPIGNORE))).toEqual(native)
  }, 120_000)

  it('reads no .semgrepignore itself, root or nested, and applies the patterns it is given like the root file', async () => {
    const ignore = 'src/*.py\n!src/keep.py\n/abs.py\n:include extra\n'
    const files = {
      ...tree,
      'src/keep.py': 'x\n',
      'abs.py': 'x\n',
      'web/abs.py': 'x\n',
      extra: 'docs/**\n',
      'docs/d.py': 'x\n'
    }
    const withFile = repository({ ...files, '.semgrepignore': ignore })
    const native = await scanned(withFile, [])
    const patterns = await ignorePatterns(ignore, async file => (file === 'extra' ? files.extra : undefined))
    const planted = repository({ ...files, '.semgrepignore': '*\n', 'web/.semgrepignore': '*\n' })
    const notIgnoreFiles = (files: string[]) => files.filter(f => path.basename(f) !== '.semgrepignore')
    expect(notIgnoreFiles(await scanned(planted, ours(patterns)))).toEqual(notIgnoreFiles(native))
    expect(native).toEqual(expect.arrayContaining(['src/keep.py', 'web/abs.py']))
    expect(native).not.toEqual(expect.arrayContaining(['src/a.py']))
  }, 120_000)
})

/** A full scan of `scanPath` in `dir` with the bundled pack and `userConfigs`. */
function fullScan(dir: string, scanPath: string, userConfigs: string[] = []): SastScanOptions {
  return {
    workspace: dir,
    scanPath,
    pack: loadCompiledPack(RULES_DIR),
    userConfigs,
    languages: undefined,
    exclude: [],
    mode: { kind: 'full', reason: 'test' },
    ruleTimeoutSeconds: 30,
    deadlineMs: 110_000,
    logger: memoryLogger()
  }
}

describe('nosemgrep with the real engine', () => {
  let engine: SemgrepEngine
  beforeAll(async () => {
    engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
  })

  it('keeps results a nosemgrep comment suppresses, marked inSource, and only those', async () => {
    const dir = repository({
      'plain.py': FLAW,
      'all.py': FLAW.replace('+ arg)', '+ arg)  # nosemgrep'),
      'rule.py': FLAW.replace('+ arg)', '+ arg)  # nosemgrep: py-command-injection'),
      'other.py': FLAW.replace('+ arg)', '+ arg)  # nosemgrep: some-other-rule'),
      'space dir/ünï.py': FLAW.replace('+ arg)', '+ arg)  # nosemgrep')
    })
    const result = await runSastScan(engine, fullScan(dir, '.'))
    expect(result.problems).toEqual([])
    const marks = Object.fromEntries(result.findings.map(f => [f.location?.path, f.suppressions]))
    expect(marks).toEqual({
      'plain.py': [],
      'other.py': [],
      'all.py': [{ kind: 'inSource', justification: 'nosemgrep' }],
      'rule.py': [{ kind: 'inSource', justification: 'nosemgrep' }],
      'space dir/ünï.py': [{ kind: 'inSource', justification: 'nosemgrep' }]
    })
    const results = (result.sarif as { runs: { results: { suppressions?: unknown }[] }[] }).runs[0]!.results
    expect(results.filter(r => r.suppressions).length).toBe(3)
  }, 120_000)
})

describe('the SARIF the action reads, against the JSON it used to read', () => {
  it('gives the same findings from both outputs of one real scan of examples/app', async () => {
    const out = mkdtempSync(path.join(tmpdir(), 'sast-formats-'))
    const pack = loadCompiledPack(RULES_DIR)
    const config = path.join(out, 'pack.json')
    writeFileSync(config, packConfigJson(pack))
    const [json, sarif] = [path.join(out, 'engine.json'), path.join(out, 'engine.sarif')]
    // One run writing both, so the two can only differ in how they are written; --disable-nosem keeps
    // every result in the JSON (examples/app has no nosemgrep comment, so the SARIF marks none).
    const outcome = await runProcess(
      semgrepBinary(),
      [
        'scan',
        '--metrics=off',
        '--disable-version-check',
        '--no-rewrite-rule-ids',
        '--json',
        '--output',
        json,
        `--sarif-output=${sarif}`,
        '--disable-nosem',
        '--config',
        config,
        'examples/app'
      ],
      { cwd: REPO_ROOT, deadlineMs: 110_000, env: engineEnv(process.env) }
    )
    expect(outcome.exitCode).toBe(0)
    const normalize = (raw: unknown) =>
      normalizeEngineObject(raw, 'engine', {
        engine: 'semgrep',
        pack,
        readSource: workspaceSource(REPO_ROOT)
      })
    const fromJson = normalize(JSON.parse(readFileSync(json, 'utf8')))
    const fromSarif = normalize(engineReportFromSarif(JSON.parse(readFileSync(sarif, 'utf8')), 'engine'))
    expect(fromJson.findings.length).toBeGreaterThanOrEqual(18)
    expect(fromSarif.findings).toEqual(fromJson.findings)
    expect(fromSarif.problems).toEqual(fromJson.problems)
    expect(fromSarif.tools).toEqual(fromJson.tools)
  }, 120_000)
})

describe('the severities of the user’s own rules', () => {
  it('reads CRITICAL as critical and LOW as low, which the engine’s SARIF alone cannot tell', async () => {
    const rules =
      'rules:\n' +
      '  - id: user-critical\n    languages: [python]\n    severity: CRITICAL\n    message: c\n    pattern: os.system(...)\n' +
      '  - id: user-low\n    languages: [python]\n    severity: LOW\n    message: l\n    pattern: import os\n'
    const dir = repository({ 'a.py': FLAW, 'rules.yml': rules })
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
    const result = await runSastScan(engine, fullScan(dir, 'a.py', [path.join(dir, 'rules.yml')]))
    expect(result.problems).toEqual([])
    const severity = Object.fromEntries(result.findings.map(f => [f.ruleId, f.severity]))
    expect(severity).toMatchObject({ 'user-critical': 'critical', 'user-low': 'low' })
  }, 120_000)
})

describe('results the engine drops', () => {
  it('fails the scan when a rule matches too often in one file: the engine drops every match there, warning only', async () => {
    // Past 10,000 matches of a rule in a file, Semgrep reports none of them (a flaw among them included)
    // and says so only as a warning, with executionSuccessful: true.
    const dir = repository({ 'gen.txt': 'x\n'.repeat(10_001), 'rules.yml': ANY_FILE_RULE })
    const engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
    const result = await runSastScan(engine, fullScan(dir, 'gen.txt', [path.join(dir, 'rules.yml')]))
    expect(result.findings).toEqual([])
    expect(result.problems).toEqual([
      expect.objectContaining({ level: 'error', message: expect.stringContaining('Too many matches') })
    ])
  }, 120_000)
})
