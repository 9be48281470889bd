import { describe, expect, it } from '@jest/globals'
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { memoryLogger } from '../../runtime/logger.js'
import { childEnv, runProcess } from '../../runtime/process.js'
import { REPO_ROOT } from '../../../../../test/support/sast.js'
import { toolPath } from '../../../../../test/support/tools-path.js'
import { installRoot, installSemgrepVenv, type PythonCli } from './install.js'

const LOCK = path.join(REPO_ROOT, 'actions', 'sast', 'semgrep-requirements.txt')
/** Nothing listens here: an install that asks the package index fails. */
const NO_INDEX = { PIP_INDEX_URL: 'http://127.0.0.1:9/simple' }

const version = (cli: PythonCli, cwd: string) =>
  runProcess(cli.file, [...cli.args, '--version', '--disable-version-check'], {
    cwd,
    deadlineMs: 120_000,
    env: childEnv()
  })

/**
 * python3 as ubuntu-22.04 runners have it: its pip (22.0.2) predates --python, so the install falls back
 * to a venv with its own pip. Everything but the pip version comes from the real interpreter.
 */
function pythonWithOldPip(dir: string): string {
  const file = path.join(dir, 'python3')
  writeFileSync(
    file,
    `#!/bin/sh
if [ "$1" = -I ] && [ "$2" = -c ]; then python3 -I -c "$3" | head -n 1; echo 22.0.2; exit; fi
exec python3 "$@"
`,
    { mode: 0o755 }
  )
  return file
}

/** What the install in a tool cache has in its site-packages. */
function sitePackages(toolCache: string): string[] {
  const lib = path.join(installRoot(toolCache, '1.185.0'), 'venv', 'lib')
  return readdirSync(path.join(lib, readdirSync(lib)[0]!, 'site-packages'))
}

const wheelsIn = (dir: string) =>
  readdirSync(dir)
    .filter(name => name.endsWith('.whl'))
    .sort()

describe('installSemgrepVenv with a wheel directory (what actions/cache keeps between jobs)', () => {
  it('fills it on a fresh install, installs from it alone on the next runner, ignores what the lock does not list', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), 'sast-wheels-'))
    const runner = (name: string) => ({
      requirementsFile: LOCK,
      toolCache: path.join(scratch, name, 'tool-cache'),
      bytecodeDir: path.join(scratch, name, 'temp', 'bytecode')
    })
    const cache = path.join(scratch, 'cache', 'semgrep-wheels')
    try {
      // The first runner has the catalog's uv (here as tests provide tools: SECURE_PIPELINE_UV_PATH).
      const fill = memoryLogger()
      await installSemgrepVenv({
        ...runner('first'),
        wheelCache: cache,
        logger: fill,
        env: {
          ...process.env,
          SECURE_PIPELINE_UV_PATH: process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv')
        }
      })
      expect(fill.lines.find(line => line.includes('installing into'))).toMatch(
        /; uv \/\S+\/uv installs them$/
      )
      const kept = wheelsIn(cache)
      expect(kept.some(name => name.startsWith('semgrep-1.185.0-'))).toBe(true)
      expect(fill.lines).toContain(`semgrep: ${kept.length} wheel(s) kept in ${cache} for the next job`)

      // A poisoned cache entry: a wheel of a locked project whose digest the lock does not list; copied
      // into the install it would fail the venv's verification.
      const planted = 'attrs-99.0.0-py3-none-any.whl'
      const poisoned = path.join(scratch, 'poisoned')
      mkdirSync(poisoned)
      for (const name of kept) copyFileSync(path.join(cache, name), path.join(poisoned, name))
      writeFileSync(path.join(poisoned, planted), 'not the locked wheel')
      // A warm runner: every wheel from the cache, installed by uv with no index to fall back on. Its
      // python3's pip predates --python: with uv the venv still gets no pip.
      const warm = memoryLogger()
      const warmCli = await installSemgrepVenv({
        ...runner('warm'),
        python: pythonWithOldPip(scratch),
        uv: () => Promise.resolve(process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv')),
        wheelCache: poisoned,
        logger: warm,
        env: { ...process.env, ...NO_INDEX }
      })
      expect(warm.lines).toContain(
        `semgrep 1.185.0: installed from ${kept.length} cached wheel(s) in ${poisoned}`
      )
      expect(warm.lines.find(line => line.includes('installing into'))).toMatch(
        /\(pip 22\.0\.2 of \S+python3 downloads for a venv without pip\); uv \S+ installs them$/
      )
      expect(sitePackages(runner('warm').toolCache).filter(name => /^(pip|setuptools)\b/.test(name))).toEqual(
        []
      )
      expect((await version(warmCli, scratch)).stdout.trim()).toBe('1.185.0')

      // The second runner takes both fallbacks: no uv, so pip installs, into a venv with its own pip,
      // removed after the install.
      const offline = memoryLogger()
      const cli = await installSemgrepVenv({
        ...runner('second'),
        python: pythonWithOldPip(scratch),
        uv: () => Promise.reject(new Error('no uv download on this runner')),
        wheelCache: poisoned,
        logger: offline,
        env: { ...process.env, ...NO_INDEX }
      })
      expect(offline.lines).toContain(
        `semgrep 1.185.0: installed from ${kept.length} cached wheel(s) in ${poisoned}`
      )
      expect(offline.lines.find(line => line.includes('installing into'))).toMatch(
        /\(.*python3 has pip 22\.0\.2, older than 22\.3: the venv gets its own, removed after\); pip installs them$/
      )
      expect((await version(cli, scratch)).stdout.trim()).toBe('1.185.0')

      // Without the cache, the same offline runner cannot install: the wheels above came from the cache.
      await expect(
        installSemgrepVenv({
          ...runner('third'),
          uv: () => Promise.resolve(toolPath('uv')),
          logger: memoryLogger(),
          env: { ...process.env, ...NO_INDEX }
        })
      ).rejects.toThrow(/semgrep install.*exited/)
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 900_000)
})
