// P10: the sast action's Semgrep install on a fresh runner, cold (every wheel from the package index, as
// without actions/cache) vs warm (the wheels from a local directory standing in for what actions/cache
// restores, keyed by the lock file's hash). Both sides: the action's own installer with its defaults, a
// fresh tool cache and a fresh HOME (no pip cache) per run, runs interleaved. Before any figure, each
// install must run `semgrep --version` from the installed venv and print the locked version.
// Goal: warm ≤ 25% of cold. The cold side downloads ~100 MB per run, so it runs at most 3 times.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryLogger } from '../packages/core/src/runtime/logger.js'
import { installSemgrepVenv, lockedSemgrepVersion } from '../packages/core/src/sast/venv/install.js'
import { formatTable, stats, type BenchModule } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOCK = path.join(ROOT, 'actions', 'sast', 'semgrep-requirements.txt')
const MAX_RUNS = 3

interface Install {
  ms: number
  version: string
}

/** One install into a fresh tool cache with a fresh HOME; returns its wall time and what --version says. */
async function installOnce(wheelCache: string | undefined): Promise<Install> {
  const runner = mkdtempSync(path.join(tmpdir(), 'p10-runner-'))
  try {
    // A fresh HOME: no pip cache from an earlier run (children get only allowlisted variables).
    const env: NodeJS.ProcessEnv = { ...process.env, HOME: path.join(runner, 'home') }
    const started = performance.now()
    const cli = await installSemgrepVenv({
      requirementsFile: LOCK,
      toolCache: path.join(runner, 'tool-cache'),
      bytecodeDir: path.join(runner, 'temp', 'bytecode'),
      wheelCache,
      logger: memoryLogger(),
      env
    })
    const ms = performance.now() - started
    const run = spawnSync(cli.file, [...cli.args, '--version', '--disable-version-check'], {
      encoding: 'utf8',
      env,
      timeout: 120_000
    })
    if (run.status !== 0) throw new Error(`semgrep --version exited ${run.status}: ${run.stderr.slice(-400)}`)
    return { ms, version: run.stdout.trim() }
  } finally {
    rmSync(runner, { recursive: true, force: true })
  }
}

const bench: BenchModule = {
  title: 'P10 Semgrep install: cold (package index) vs warm (cached wheel directory)',
  async run({ runs, log }) {
    const locked = lockedSemgrepVersion(readFileSync(LOCK, 'utf8'))
    const wheels = mkdtempSync(path.join(tmpdir(), 'p10-wheels-'))
    try {
      log('filling the wheel directory (untimed: a first install with the cache empty)')
      await installOnce(wheels)
      const cached = readdirSync(wheels).filter(name => name.endsWith('.whl')).length
      const n = Math.min(runs, MAX_RUNS)
      const cold: Install[] = []
      const warm: Install[] = []
      for (let i = 0; i < n; i++) {
        cold.push(await installOnce(undefined))
        warm.push(await installOnce(wheels))
        log(
          `run ${i + 1}/${n}: cold ${(cold[i]!.ms / 1000).toFixed(1)} s, warm ${(warm[i]!.ms / 1000).toFixed(1)} s`
        )
      }
      const wrong = [...cold, ...warm].filter(install => install.version !== locked)
      if (wrong.length > 0)
        throw new Error(`semgrep --version said ${wrong.map(w => w.version).join(', ')}, not ${locked}`)
      const c = stats(cold.map(s => s.ms))
      const w = stats(warm.map(s => s.ms))
      const ratio = w.median / c.median
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
      return [
        `semgrep ${locked} from ${path.basename(LOCK)}; ${cached} wheels cached; ${n} runs each, interleaved`,
        ...formatTable(
          ['install', 'median', 'min', 'max', 'semgrep --version'],
          [
            [
              'cold: wheels from the index',
              seconds(c.median),
              seconds(c.min),
              seconds(c.max),
              cold[0]!.version
            ],
            [
              'warm: wheels from the cache',
              seconds(w.median),
              seconds(w.min),
              seconds(w.max),
              warm[0]!.version
            ]
          ]
        ),
        `warm / cold: ${(ratio * 100).toFixed(0)}% (goal ≤ 25%): ${ratio <= 0.25 ? 'met' : 'NOT met'}`
      ]
    } finally {
      rmSync(wheels, { recursive: true, force: true })
    }
  }
}

export default bench
