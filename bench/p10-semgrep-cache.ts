// P10: the sast action's Semgrep install on a fresh runner, cold (every wheel from the package index, as
// without actions/cache) vs warm (the wheels from a local directory standing in for what actions/cache
// restores, keyed by the lock file's hash). Both sides: the action's own installer with its defaults (pip
// downloads what is missing, the catalog's uv installs), a fresh tool cache, HOME and RUNNER_TEMP (no pip,
// uv or tool cache) per run, runs interleaved. uv is provided per run as on a hosted runner, inside the
// timed install: the catalog's archive downloaded, sha256-checked, kept in the tool cache and unpacked by
// installTool. This machine cannot reach GitHub, so a loopback mirror serves an archive of the same uv
// release (this machine's, from scripts/install-tools.sh), whose sha256 stands in for the catalog's; the
// transfer from GitHub is not in the figures. Before any figure, each install must run
// `semgrep --version` from the installed venv and print the locked version, and every run must have
// installed with uv.
// Goal: warm ≤ 25% of cold. The cold side downloads ~100 MB per run, so it runs at most 3 times.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { memoryLogger } from '../packages/core/src/runtime/logger.js'
import { installSemgrepVenv, lockedSemgrepVersion } from '../packages/core/src/sast/venv/install.js'
import { currentPlatform, defaultCatalog, type ToolCatalog } from '../packages/core/src/tools/catalog.js'
import { sha256File } from '../packages/core/src/tools/download.js'
import { installTool } from '../packages/core/src/tools/install.js'
import { startHttpFileServer, type HttpFileServer } from '../test/support/http-file-server.js'
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

/** A loopback mirror serving the catalog's uv archive path, and the catalog pinning what it serves. */
interface UvMirror {
  server: HttpFileServer
  catalog: ToolCatalog
  archiveBytes: number
}

/** Packs this machine's uv the way its release archive is laid out and serves it at the release's path. */
async function uvMirror(scratch: string): Promise<UvMirror> {
  const platform = currentPlatform()
  const catalog = structuredClone(defaultCatalog())
  const version = catalog.tools.uv?.default ?? ''
  const asset = catalog.tools.uv?.versions[version]?.[platform as 'linux-x64']
  if (!asset) throw new Error(`the catalog pins no uv for ${platform}`)
  const uv = realpathSync(process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv'))
  const said = spawnSync(uv, ['--version'], { encoding: 'utf8' }).stdout.trim()
  if (!said.startsWith(`uv ${version} `)) throw new Error(`${uv} says '${said}', not uv ${version}`)
  const layout = path.join(scratch, 'uv-archive')
  mkdirSync(path.join(layout, path.dirname(asset.binary)), { recursive: true })
  spawnSync('cp', [uv, path.join(layout, asset.binary)])
  const archive = path.join(scratch, path.posix.basename(new URL(asset.url).pathname))
  const tar = spawnSync('tar', ['-C', layout, '-czf', archive, path.dirname(asset.binary)])
  if (tar.status !== 0) throw new Error(`tar exited ${tar.status}`)
  asset.sha256 = await sha256File(archive)
  const body = readFileSync(archive)
  const server = await startHttpFileServer({ [new URL(asset.url).pathname]: body })
  return { server, catalog, archiveBytes: body.length }
}

/** One install into a fresh tool cache with a fresh HOME; returns its wall time and what --version says. */
async function installOnce(wheelCache: string | undefined, mirror: UvMirror): Promise<Install> {
  const runner = mkdtempSync(path.join(tmpdir(), 'p10-runner-'))
  const toolCache = path.join(runner, 'tool-cache')
  // installTool keeps the verified archive in the runner's tool cache, as on a runner.
  const previousToolCache = process.env.RUNNER_TOOL_CACHE
  process.env.RUNNER_TOOL_CACHE = toolCache
  try {
    // A fresh HOME: no pip cache from an earlier run (children get only allowlisted variables). No
    // SECURE_PIPELINE_UV_PATH: uv comes from the mirror below.
    const env: NodeJS.ProcessEnv = {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([name]) => name !== 'SECURE_PIPELINE_UV_PATH')
      ),
      HOME: path.join(runner, 'home'),
      RUNNER_TEMP: path.join(runner, 'temp'),
      RUNNER_TOOL_CACHE: toolCache
    }
    const logger = memoryLogger()
    const started = performance.now()
    const cli = await installSemgrepVenv({
      requirementsFile: LOCK,
      toolCache,
      bytecodeDir: path.join(runner, 'temp', 'bytecode'),
      wheelCache,
      // The default, with the loopback mirror and the catalog pinning what it serves.
      uv: async () =>
        (
          await installTool({
            tool: 'uv',
            catalog: mirror.catalog,
            mirror: mirror.server.origin,
            logger,
            env
          })
        ).path,
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
    if (previousToolCache === undefined) delete process.env.RUNNER_TOOL_CACHE
    else process.env.RUNNER_TOOL_CACHE = previousToolCache
    rmSync(runner, { recursive: true, force: true })
  }
}

const bench: BenchModule = {
  title: 'P10 Semgrep install: cold (package index) vs warm (cached wheel directory)',
  async run({ runs, log }) {
    const locked = lockedSemgrepVersion(readFileSync(LOCK, 'utf8'))
    const scratch = mkdtempSync(path.join(tmpdir(), 'p10-'))
    const wheels = path.join(scratch, 'wheels')
    const mirror = await uvMirror(scratch)
    try {
      log('filling the wheel directory (untimed: a first install with the cache empty)')
      await installOnce(wheels, mirror)
      const cached = readdirSync(wheels).filter(name => name.endsWith('.whl')).length
      const n = Math.min(runs, MAX_RUNS)
      const cold: Install[] = []
      const warm: Install[] = []
      for (let i = 0; i < n; i++) {
        cold.push(await installOnce(undefined, mirror))
        warm.push(await installOnce(wheels, mirror))
        log(
          `run ${i + 1}/${n}: cold ${(cold[i]!.ms / 1000).toFixed(1)} s, warm ${(warm[i]!.ms / 1000).toFixed(1)} s`
        )
      }
      const wrong = [...cold, ...warm].filter(install => install.version !== locked)
      if (wrong.length > 0)
        throw new Error(`semgrep --version said ${wrong.map(w => w.version).join(', ')}, not ${locked}`)
      const notUv = [...cold, ...warm].filter(install => !install.installer.startsWith('uv '))
      if (notUv.length > 0)
        throw new Error(`runs installed without uv: ${notUv.map(install => install.installer).join(', ')}`)
      const c = stats(cold.map(s => s.ms))
      const w = stats(warm.map(s => s.ms))
      const ratio = w.median / c.median
      const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`
      return [
        `semgrep ${locked} from ${path.basename(LOCK)}; ${cached} wheels cached; ${n} runs each, interleaved`,
        `uv provided per run by installTool from a loopback mirror (${(mirror.archiveBytes / 1e6).toFixed(1)} MB archive; no transfer time from GitHub)`,
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
      await mirror.server.close()
      rmSync(scratch, { recursive: true, force: true })
    }
  }
}

export default bench
