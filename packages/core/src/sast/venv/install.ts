import { copyFileSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError } from '../../runtime/errors.js'
import type { Logger } from '../../runtime/logger.js'
import { childEnv, runProcess } from '../../runtime/process.js'
import { sha256File } from '../../tools/download.js'
import { lockedWheels, venvProblems, type BasePython, type LockedWheels } from './verify.js'

export interface SemgrepVenvOptions {
  /** Hash-locked requirements (`--hash=sha256:` on every line), e.g. actions/sast/semgrep-requirements.txt. */
  requirementsFile: string
  /** Parent of the install; RUNNER_TOOL_CACHE on runners. Created when missing. */
  toolCache: string
  /**
   * Where the engine's Python keeps its bytecode: a directory of this job (RUNNER_TEMP), never the
   * shared cache, where planted bytecode would run in place of the verified sources.
   */
  bytecodeDir: string
  python?: string
  /**
   * A directory of wheels kept between jobs (what actions/cache restores and saves, keyed by the lock
   * file's hash). Wheels whose sha256 the lock lists are installed from it without asking the index; the
   * wheels of a fresh install are added to it. Anything else in it is ignored, and pip checks every
   * hash again on install.
   */
  wheelCache?: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  deadlineMs?: number
}

/** How to start Semgrep's Python CLI from the venv: the interpreter and the arguments before the CLI's. */
export interface PythonCli {
  file: string
  args: string[]
}

export interface Step {
  file: string
  args: string[]
}

/** The pinned version is the one the lock file names; the install directory is keyed by it. */
export function lockedSemgrepVersion(requirements: string): string {
  const version = /^semgrep==([0-9][0-9A-Za-z.]*)\s/m.exec(requirements)?.[1]
  if (!version)
    throw new ConfigurationError(
      'The semgrep requirements file pins no semgrep==<version>; regenerate it with pip-compile --generate-hashes.'
    )
  return version
}

/** Every requirement must carry a hash, otherwise pip's hash-checking mode is not what protects us. */
export function assertHashLocked(requirements: string, source: string): void {
  const entries = requirements
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map(line => line.replace(/#.*$/, '').trim())
    .filter(line => line !== '')
  const unhashed = entries.filter(line => !line.startsWith('-') && !/--hash=sha256:[0-9a-f]{64}/.test(line))
  if (entries.length === 0 || unhashed.length > 0) {
    throw new BrokenInputError(
      source,
      `requirements without --hash=sha256: ${unhashed.slice(0, 3).join('; ') || '(empty file)'}`
    )
  }
}

/** `<toolCache>/secure-pipeline-semgrep-<version>`, holding `wheels/` and `venv/`. */
export function installRoot(toolCache: string, version: string): string {
  return path.join(toolCache, `secure-pipeline-semgrep-${version}`)
}

/** The venv's interpreter (POSIX layout: Semgrep has no Windows build). */
export function venvPython(root: string): string {
  return path.join(root, 'venv', 'bin', 'python')
}

const PIP = ['--disable-pip-version-check', '--no-input', '--quiet']

/**
 * The install, as argv only: a private venv; the locked wheels downloaded by pip in hash-checking mode
 * (wheels only: a wheel's RECORD is what the venv is verified against later) and kept; installed from
 * them alone, without bytecode; then pip and setuptools, which the lock did not pin, taken out again.
 */
export function semgrepVenvSteps(root: string, requirementsFile: string, python = 'python3'): Step[] {
  const venv = path.join(root, 'venv')
  const wheels = path.join(root, 'wheels')
  const pip = (...args: string[]) => ({ file: venvPython(root), args: ['-m', 'pip', ...args, ...PIP] })
  return [
    { file: python, args: ['-m', 'venv', '--clear', '--symlinks', venv] },
    pip(
      'download',
      '--require-hashes',
      '--no-deps',
      '--only-binary=:all:',
      '--dest',
      wheels,
      '-r',
      requirementsFile
    ),
    pip(
      'install',
      '--require-hashes',
      '--no-deps',
      '--no-index',
      '--find-links',
      wheels,
      '--no-compile',
      '-r',
      requirementsFile
    ),
    pip('uninstall', '--yes', 'pip', 'setuptools')
  ]
}

/**
 * The Python CLI (`pysemgrep`) started by the venv's interpreter in isolated mode (no PYTHON* variable,
 * no user site, no script directory on the path), with bytecode in `bytecodeDir`. The console scripts
 * pip generates are not used: they are not in any wheel, so nothing could verify them.
 */
export function pythonCli(root: string, bytecodeDir: string): PythonCli {
  const main =
    'import sys\nfrom semgrep.console_scripts.pysemgrep import main\nsys.argv[0] = "pysemgrep"\nsys.exit(main())'
  return { file: venvPython(root), args: ['-I', '-X', `pycache_prefix=${bytecodeDir}`, '-c', main] }
}

async function basePython(python: string, env: NodeJS.ProcessEnv, cwd: string): Promise<BasePython> {
  const outcome = await runProcess(python, ['-I', '-S', '-c', 'import sys; print(sys._base_executable)'], {
    cwd,
    deadlineMs: 60_000,
    env: childEnv({}, env)
  })
  const executable = outcome.stdout.trim()
  if (outcome.exitCode !== 0 || !path.isAbsolute(executable))
    throw new BrokenInputError(
      'semgrep install',
      `${python} did not say where it is: ${outcome.stderr.trim().slice(-300)}`
    )
  return { executable }
}

/** Everything in bin/ but the interpreter links and activate scripts: pip's generated console scripts. */
function removeConsoleScripts(root: string): void {
  const bin = path.join(root, 'venv', 'bin')
  for (const entry of readdirSync(bin, { withFileTypes: true }))
    if (entry.isFile() && !/^(activate(\.csh|\.fish)?|Activate\.ps1)$/.test(entry.name))
      rmSync(path.join(bin, entry.name))
}

/**
 * Installs (or reuses, after verifying it file by file) the hash-pinned Semgrep venv and returns how to
 * start its CLI. A cached install that fails verification is never run: it is removed and rebuilt.
 */
export async function installSemgrepVenv(options: SemgrepVenvOptions): Promise<PythonCli> {
  const { logger } = options
  let requirements: string
  try {
    requirements = readFileSync(options.requirementsFile, 'utf8')
  } catch {
    throw new BrokenInputError(
      options.requirementsFile,
      'the semgrep requirements lock file is missing from the action'
    )
  }
  assertHashLocked(requirements, options.requirementsFile)
  const version = lockedSemgrepVersion(requirements)
  const lock = lockedWheels(requirements)
  const root = installRoot(options.toolCache, version)
  const env = options.env ?? process.env
  const python = options.python ?? 'python3'
  mkdirSync(options.toolCache, { recursive: true })
  mkdirSync(options.bytecodeDir, { recursive: true })
  const base = await basePython(python, env, options.toolCache)
  if (existsSync(root)) {
    const problems = await venvProblems(root, lock, base)
    if (problems.length === 0) {
      logger.info(`semgrep ${version}: reusing ${root}, every file verified against its locked wheel`)
      return pythonCli(root, options.bytecodeDir)
    }
    logger.warning(
      `semgrep ${version}: the cached install in ${root} failed verification and is not used (${problems.slice(0, 3).join('; ')}); reinstalling`
    )
    rmSync(root, { recursive: true, force: true })
  }
  logger.info(
    `semgrep ${version}: installing into ${root} from wheels pip checks against ${path.basename(options.requirementsFile)}`
  )
  const [createVenv, download, install, removePip] = semgrepVenvSteps(root, options.requirementsFile, python)
  const run = (step: Step & { tolerate?: boolean }) => runStep(step, root, options, env)
  await run(createVenv!)
  const seeded = options.wheelCache
    ? await seedWheels(options.wheelCache, path.join(root, 'wheels'), lock)
    : 0
  if (seeded > 0 && (await run({ ...install!, tolerate: true }))) {
    logger.info(`semgrep ${version}: installed from ${seeded} cached wheel(s) in ${options.wheelCache}`)
  } else {
    await run(download!)
    await run(install!)
  }
  await run(removePip!)
  if (options.wheelCache) keepWheels(path.join(root, 'wheels'), options.wheelCache, logger)
  removeConsoleScripts(root)
  const problems = await venvProblems(root, lock, base)
  if (problems.length > 0) {
    rmSync(root, { recursive: true, force: true })
    throw new BrokenInputError('semgrep install', `the fresh install does not verify: ${problems.join('; ')}`)
  }
  return pythonCli(root, options.bytecodeDir)
}

/** Runs one install step; a failure removes the half-made install. With `tolerate`, says whether it worked. */
async function runStep(
  step: Step & { tolerate?: boolean },
  root: string,
  options: SemgrepVenvOptions,
  env: NodeJS.ProcessEnv
): Promise<boolean> {
  const outcome = await runProcess(step.file, step.args, {
    cwd: options.toolCache,
    deadlineMs: options.deadlineMs ?? 10 * 60_000,
    // An organisation's package mirror is configured the usual way; nothing else of the runner passes.
    env: childEnv(
      {
        PIP_NO_INPUT: '1',
        PIP_INDEX_URL: env.PIP_INDEX_URL,
        PIP_TRUSTED_HOST: env.PIP_TRUSTED_HOST,
        PYTHONDONTWRITEBYTECODE: '1'
      },
      env
    )
  })
  if (outcome.exitCode === 0) return true
  if (step.tolerate) return false
  rmSync(root, { recursive: true, force: true })
  const why = outcome.timedOut ? 'timed out' : `exited ${outcome.exitCode ?? outcome.signal}`
  throw new BrokenInputError(
    'semgrep install',
    `${path.basename(step.file)} ${step.args.slice(0, 3).join(' ')} ${why}: ${outcome.stderr.trim().slice(-500)}`
  )
}

/** Regular `.whl` files of a directory (no links), by name; none when it does not exist. */
function wheelFiles(dir: string): string[] {
  let names: string[]
  try {
    names = readdirSync(dir)
  } catch {
    return []
  }
  return names.filter(name => name.endsWith('.whl') && lstatSync(path.join(dir, name)).isFile())
}

/** Copies the cached wheels the lock lists into the install's wheels/; returns how many. */
async function seedWheels(cache: string, wheels: string, lock: LockedWheels): Promise<number> {
  mkdirSync(wheels, { recursive: true })
  let seeded = 0
  for (const name of wheelFiles(cache)) {
    if (!lock.byDigest.has(await sha256File(path.join(cache, name)))) continue
    copyFileSync(path.join(cache, name), path.join(wheels, name))
    seeded++
  }
  return seeded
}

/** Adds the install's wheels to the cache directory, for the next job. */
function keepWheels(wheels: string, cache: string, logger: Logger): void {
  mkdirSync(cache, { recursive: true })
  const cached = new Set(wheelFiles(cache))
  const added = wheelFiles(wheels).filter(name => !cached.has(name))
  for (const name of added) copyFileSync(path.join(wheels, name), path.join(cache, name))
  if (added.length > 0) logger.info(`semgrep: ${added.length} wheel(s) kept in ${cache} for the next job`)
}
