// P10: the sast action's Semgrep install on a fresh runner, cold (every wheel from the package index, as
// without actions/cache) vs warm (the wheels from a local directory standing in for what actions/cache
// restores, keyed by the lock file's hash). Both sides: the action's own installer with its defaults (pip
// downloads what is missing, the catalog's uv installs), a fresh tool cache, HOME and RUNNER_TEMP (no pip
// or uv cache) per run, runs interleaved. uv comes pre-provisioned as the tests provide tools
// (SECURE_PIPELINE_UV_PATH, from scripts/install-tools.sh): on a hosted runner its verified download adds
// the same to both sides. Before any figure, each install must run `semgrep --version` from the installed
// venv and print the locked version, and both sides must have used the same installer.
// Goal: warm ≤ 25% of cold. The cold side downloads ~100 MB per run, so it runs at most 3 times.
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryLogger } from '../packages/core/src/runtime/logger.js'
import { installSemgrepVenv, lockedSemgrepVersion } from '../packages/core/src/sast/venv/install.js'
import { toolPath } from '../test/support/tools-path.js'
import { formatTable, stats, type BenchModule } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const LOCK = path.join(ROOT, 'actions', 'sast', 'semgrep-requirements.txt')
const MAX_RUNS = 3

interface Install {
  ms: number
  version: string
  /** What installed the wheels, as the install's log line says: `uv <path>` or `pip`. */
  installer: string
}

const UV = process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv')

/** One install into a fresh tool cache with a fresh HOME; returns its wall time and what --version says. */
async function installOnce(wheelCache: string | undefined): Promise<Install> {
  const runner = mkdtempSync(path.join(tmpdir(), 'p10-runner-'))
  try {
    // A fresh HOME: no pip cache from an earlier run (children get only allowlisted variables).
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      HOME: path.join(runner, 'home'),
      RUNNER_TEMP: path.join(runner, 'temp'),
      SECURE_PIPELINE_UV_PATH: UV
    }
    const logger = memoryLogger()
    const started = performance.now()
    const cli = await installSemgrepVenv({
      requirementsFile: LOCK,
      toolCache: path.join(runner, 'tool-cache'),
      bytecodeDir: path.join(runner, 'temp', 'bytecode'),
      wheelCache,
      logger,
      env
    })
    const ms = performance.now() - started
    const said = logger.lines.find(line => line.includes(': installing into '))
    const installer = / (uv \S+|pip) installs them$/.exec(said ?? '')?.[1] ?? `unknown (${said})`
    const run = spawnSync(cli.file, [...cli.args, '--version', '--disable-version-check'], {
      encoding: 'utf8',
      env,
      timeout: 120_000
    })
    if (run.status !== 0) throw new Error(`semgrep --version exited ${run.status}: ${run.stderr.slice(-400)}`)
    return { ms, version: run.stdout.trim(), installer }
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
      const installers = new Set([...cold, ...warm].map(install => install.installer))
      if (installers.size !== 1)
        throw new Error(`the runs used different installers: ${[...installers].join(', ')}`)
      const c = stats(cold.map(s => s.ms))
      const w = stats(warm.map(s => s.ms))
      const ratio = w.median / c.median
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
      return [
        `semgrep ${locked} from ${path.basename(LOCK)}; ${cached} wheels cached; ${n} runs each, interleaved; installed by ${[...installers][0]}`,
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
