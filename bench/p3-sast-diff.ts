// P3: SAST on a generated repository of 5,000 source files with a PR commit touching 10 of them:
// the diff-aware scan (changed files and their merge-base versions in one engine run) vs a full scan,
// both with the real pinned semgrep and the bundled rule pack. Goal: full / diff wall time ≥ 10×.
import { mkdtempSync, rmSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { Git } from '../packages/core/src/github/git.js'
import { changedFiles } from '../packages/core/src/github/merge-base.js'
import { memoryLogger } from '../packages/core/src/runtime/logger.js'
import { SemgrepEngine } from '../packages/core/src/sast/engine.js'
import type { ScanMode } from '../packages/core/src/sast/mode.js'
import { loadCompiledPack } from '../packages/core/src/sast/pack.js'
import { runSastScan, type SastScanResult } from '../packages/core/src/sast/scan.js'
import { formatTable, stats, type BenchModule } from './measure.js'
import { git, writeFiles } from '../test/support/git-repo.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const FILES = 5000
export const CHANGED = 10

/** One deterministic module of ~60 lines; every 250th carries a flaw our rules find (pre-existing findings). */
function source(i: number, revision = 0): { name: string; text: string } {
  const kind = i % 10
  const flawed = i % 250 === 0
  const body = Array.from({ length: 12 }, (_, k) => k)
  if (kind < 6) {
    const fns = body.map(
      k =>
        `def handler_${i}_${k}(request, db):\n    rows = db.execute("SELECT * FROM t WHERE id = ?", (request.args.get("id"),))\n    total = sum(r[${k % 3}] for r in rows)\n    return {"total": total + ${k + revision}}\n`
    )
    if (flawed) fns.push('def unsafe(cmd):\n    import os\n    os.system("run " + cmd)\n')
    return { name: `svc${i % 50}/mod_${i}.py`, text: `import json\n\n${fns.join('\n')}` }
  }
  if (kind < 8) {
    const fns = body.map(
      k =>
        `export async function handler${i}_${k}(req, pool) {\n  const r = await pool.query('SELECT * FROM t WHERE id = $1', [req.params.id])\n  return r.rows.length + ${k + revision}\n}\n`
    )
    if (flawed) fns.push("export function unsafe(req) {\n  return eval('(' + req.body.x + ')')\n}\n")
    return { name: `web${i % 50}/mod_${i}.js`, text: fns.join('\n') }
  }
  if (kind < 9) {
    const fns = body.map(
      k =>
        `func Handler${i}_${k}(db *sql.DB, id string) (int, error) {\n\trows, err := db.Query("SELECT n FROM t WHERE id = $1", id)\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\tdefer rows.Close()\n\treturn ${k + revision}, nil\n}\n`
    )
    return {
      name: `go${i % 50}/mod_${i}.go`,
      text: `package mod${i}\n\nimport "database/sql"\n\n${fns.join('\n')}`
    }
  }
  const methods = body.map(
    k =>
      `    public int handler${k}(java.sql.PreparedStatement ps, String id) throws java.sql.SQLException {\n        ps.setString(1, id);\n        return ps.executeUpdate() + ${k + revision};\n    }\n`
  )
  return { name: `java${i % 50}/Mod${i}.java`, text: `public class Mod${i} {\n${methods.join('\n')}}\n` }
}

function writeSource(root: string, file: { name: string; text: string }): void {
  writeFiles(root, { [file.name]: file.text })
}

/** A repository with FILES modules on `main`, then one PR commit editing 9 modules and adding 1 with a new flaw. */
export function generateRepo(root: string, files = FILES): { base: string; head: string } {
  git(root, 'init', '-q', '-b', 'main')
  for (let i = 0; i < files; i++) writeSource(root, source(i))
  git(root, 'add', '-A')
  git(root, 'commit', '-q', '-m', 'base')
  const base = git(root, 'rev-parse', 'HEAD')
  // Edited modules include a flawed one (i = 0): its old flaw must not be reported as new.
  for (let n = 0; n < CHANGED - 1; n++) writeSource(root, source(n * 37, 1))
  writeSource(root, {
    name: 'svc0/new_feature.py',
    text: 'import subprocess\n\n\ndef export(fmt):\n    subprocess.run(f"./export.sh {fmt}", shell=True)\n'
  })
  git(root, 'add', '-A')
  git(root, 'commit', '-q', '-m', 'pr')
  return { base, head: git(root, 'rev-parse', 'HEAD') }
}

/** The flaw the PR commit adds, as `rule path:line`. */
export const NEW_FLAW = 'py-command-injection svc0/new_feature.py:5'
/** The flaws on `main`: every 250th module is a Python one with an os.system call. */
export const PRE_EXISTING = Array.from({ length: FILES / 250 }, (_, n) => {
  const i = n * 250
  return `py-command-injection svc${i % 50}/mod_${i}.py:${source(i).text.split('\n').indexOf('    os.system("run " + cmd)') + 1}`
})

/** Throws unless the scan ran clean and reported exactly `expected`. */
export function checkScan(kind: string, result: SastScanResult, expected: readonly string[]): void {
  const errors = result.problems.filter(p => p.level === 'error')
  if (errors.length > 0)
    throw new Error(`${kind} scan: engine errors: ${errors.map(p => p.message).join('; ')}`)
  const found = result.findings.map(f => `${f.ruleId} ${f.location?.path}:${f.location?.startLine}`).sort()
  const want = [...expected].sort()
  if (JSON.stringify(found) !== JSON.stringify(want))
    throw new Error(
      `${kind} scan reported ${found.length} finding(s), not the ${want.length} expected: ${found.slice(0, 5).join(', ')}`
    )
}

function semgrepPath(): string {
  const tools =
    process.env.SECURE_PIPELINE_TOOLS_DIR ?? path.join(homedir(), '.cache', 'secure-pipeline', 'tools')
  return process.env.SECURE_PIPELINE_SEMGREP_PATH ?? path.join(tools, 'bin', 'semgrep')
}

const p3: BenchModule = {
  title: `P3: SAST diff-aware vs full scan, ${FILES} files, PR touching ${CHANGED}`,
  async run({ runs, log }) {
    const root = mkdtempSync(path.join(tmpdir(), 'sp-bench-p3-'))
    try {
      const started = performance.now()
      const { base, head } = generateRepo(root)
      log(
        `generated ${FILES} files and a ${CHANGED}-file PR commit in ${((performance.now() - started) / 1000).toFixed(1)} s`
      )
      const pack = loadCompiledPack(path.join(ROOT, 'rules'))
      const engine = await SemgrepEngine.create({
        engine: 'semgrep',
        binaryPath: semgrepPath(),
        logger: memoryLogger()
      })
      const scan = (mode: ScanMode) =>
        runSastScan(engine, {
          workspace: root,
          scanPath: '.',
          pack,
          userConfigs: [],
          languages: pack.rules.flatMap(r => r.languages),
          exclude: [],
          mode,
          ruleTimeoutSeconds: 30,
          deadlineMs: 15 * 60_000,
          logger: memoryLogger()
        })
      // Diff: what the action does on a PR once the merge-base is known (git diff + engine on the changed files).
      const diffRun = async () => {
        const t0 = performance.now()
        const changes = await changedFiles(await Git.create(root), base, head)
        const result = await scan({ kind: 'diff', baseline: base, head, changes, reason: 'bench' })
        return { ms: performance.now() - t0, result }
      }
      const fullRun = async () => {
        const t0 = performance.now()
        const result = await scan({ kind: 'full', reason: 'bench' })
        return { ms: performance.now() - t0, result }
      }
      // A full scan takes ~15 s on 2 cores: cap its repetitions so P3 stays near a minute. Diff and full
      // runs are interleaved (three diffs, then a full scan, three times) so a change in machine load
      // during the bench weighs on both sides of the ratio alike; both sides are warmed up first.
      const fullRuns = Math.min(runs, 3)
      const diffsPerFull = Math.max(1, Math.min(3, Math.floor(runs / fullRuns)))
      log('warm-up: one diff and one full scan (page cache, the engine’s first start)')
      const warm = [await diffRun(), await fullRun()]
      const diffs: Awaited<ReturnType<typeof diffRun>>[] = []
      const fulls: Awaited<ReturnType<typeof fullRun>>[] = []
      for (let round = 0; round < fullRuns; round++) {
        for (let i = 0; i < diffsPerFull; i++) diffs.push(await diffRun())
        fulls.push(await fullRun())
        log(`round ${round + 1}/${fullRuns}: full scan ${(fulls[round]!.ms / 1000).toFixed(1)} s`)
      }
      // No figure unless every run found what it must: the diff scan the new flaw and only it, the full
      // scan that flaw and every pre-existing one.
      for (const { result } of [warm[0]!, ...diffs]) checkScan('diff', result, [NEW_FLAW])
      for (const { result } of [warm[1]!, ...fulls]) checkScan('full', result, [...PRE_EXISTING, NEW_FLAW])
      const diffRuns = diffs.length
      const diffStats = stats(diffs.map(d => d.ms))
      const fullStats = stats(fulls.map(f => f.ms))
      const ratio = fullStats.median / diffStats.median
      const lastDiff = diffs[diffs.length - 1]!.result
      const lastFull = fulls[fulls.length - 1]!.result
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
      return [
        ...formatTable(
          ['scan', 'runs', 'files scanned', 'findings', 'median', 'p90', 'min', 'max'],
          [
            [
              'diff (merge-base)',
              String(diffRuns),
              String(lastDiff.plan?.targets.length ?? 0),
              String(lastDiff.findings.length),
              s(diffStats.median),
              s(diffStats.p90),
              s(diffStats.min),
              s(diffStats.max)
            ],
            [
              'full',
              String(fullRuns),
              String(FILES + 1),
              String(lastFull.findings.length),
              s(fullStats.median),
              s(fullStats.p90),
              s(fullStats.min),
              s(fullStats.max)
            ]
          ]
        ),
        '',
        `full / diff wall-time ratio (medians): ${ratio.toFixed(1)}× (goal ≥ 10×: ${ratio >= 10 ? 'met' : 'NOT met'})`,
        `diff reports only the new finding (checked in every run): ${lastDiff.findings.map(f => `${f.ruleId} ${f.location?.path}:${f.location?.startLine}`).join(', ') || 'none'} (${lastDiff.preExisting} already in the merge-base versions, not repeated)`
      ]
    } finally {
      rmSync(root, { recursive: true, force: true })
    }
  }
}

export default p3
