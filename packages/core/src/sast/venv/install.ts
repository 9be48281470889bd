import {
  copyFileSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError, IntegrityError } from '../../runtime/errors.js'
import type { Logger } from '../../runtime/logger.js'
import { childEnv, runProcess } from '../../runtime/process.js'
import { sha256File } from '../../tools/download.js'
import { installTool } from '../../tools/install.js'
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
  /**
   * The uv binary that installs the locked wheels into the venv: pip's per-package work was most of a
   * warm install. Default: the tool catalog's pinned uv release, sha256-checked by installTool (or
   * SECURE_PIPELINE_UV_PATH). When it cannot be had, pip installs instead and the log says why; a uv
   * whose sha256 does not match stops the install.
   */
  uv?: () => Promise<string>
  /** Where uv's cache for this one install goes (a fresh directory, removed after); default RUNNER_TEMP. */
  tempDir?: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  deadlineMs?: number
}

/** uv, and the cache directory of this one install (never the shared tool cache). */
export interface UvInstaller {
  file: string
  cacheDir: string
}

/** How to start Semgrep's Python CLI from the venv: the interpreter and the arguments before the CLI's. */
export interface PythonCli {
  file: string
  args: string[]
}

export interface Step {
  /** What the step is, for messages: `python -m venv`, `pip download`, … */
  label: string
  file: string
  args: string[]
}

/** The install's steps in order; `removePip` only when the venv had to get a pip of its own. */
export interface InstallSteps {
  createVenv: Step
  download: Step
  install: Step
  removePip?: Step
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

/** pip 22.3 added `--python`, which installs into another environment: the venv then needs no pip. */
export function pipInstallsElsewhere(pipVersion: string | undefined): boolean {
  const [major = Number.NaN, minor = Number.NaN] = (pipVersion ?? '')
    .split('.')
    .map(part => parseInt(part, 10))
  return major > 22 || (major === 22 && minor >= 3)
}

/**
 * Which pip does pip's part. `elsewhere`: the interpreter's own pip, 22.3 or later, working on the venv
 * through `--python`. `download`: the interpreter's own older pip, which only downloads (the same
 * interpreter, so the same wheel tags), uv installing. `venv`: a pip seeded into the venv with ensurepip
 * and taken out again after the install. Seeding a pip into every venv was most of a warm install, so
 * the venv gets one only when nothing else can do pip's part.
 */
export type PipRole = 'elsewhere' | 'download' | 'venv'

export function pipRole(pipVersion: string | undefined, uv: boolean): PipRole {
  if (pipInstallsElsewhere(pipVersion)) return 'elsewhere'
  return uv && pipVersion ? 'download' : 'venv'
}

/**
 * The install, as argv only: a private venv; the locked wheels downloaded by pip in hash-checking mode
 * (wheels only: a wheel's RECORD is what the venv is verified against later) and kept; installed from
 * them alone, without bytecode, by `uv` when given (in hash-checking mode too), else by pip. The venv is
 * made without pip unless `pip` is `venv`; then pip and setuptools, which the lock does not pin, are
 * taken out again. pip runs isolated (`-I`: no PYTHON* variable, no user site, nothing from the working
 * directory), and `-B` keeps the bytecode off that -I would otherwise let it write
 * (PYTHONDONTWRITEBYTECODE is one of the variables it ignores).
 */
export function semgrepVenvSteps(
  root: string,
  requirementsFile: string,
  { python = 'python3', pip: role = 'venv', uv }: { python?: string; pip?: PipRole; uv?: UvInstaller } = {}
): InstallSteps {
  if (role === 'download' && !uv) throw new Error('a pip that only downloads needs uv to install')
  const venv = path.join(root, 'venv')
  const wheels = path.join(root, 'wheels')
  const pipPrefix =
    role === 'venv'
      ? [venvPython(root), '-I', '-B', '-m', 'pip']
      : [python, '-I', '-B', '-m', 'pip', ...(role === 'elsewhere' ? ['--python', venvPython(root)] : [])]
  const pip = (...args: string[]): Step => ({
    label: `pip ${args[0]}`,
    file: pipPrefix[0]!,
    args: [...pipPrefix.slice(1), ...args, ...PIP]
  })
  return {
    createVenv: {
      label: 'python -m venv',
      file: python,
      args: ['-m', 'venv', '--clear', '--symlinks', ...(role === 'venv' ? [] : ['--without-pip']), venv]
    },
    download: pip(
      'download',
      '--require-hashes',
      '--no-deps',
      '--only-binary=:all:',
      '--dest',
      wheels,
      '-r',
      requirementsFile
    ),
    install: uv
      ? uvInstall(uv, root, requirementsFile)
      : pip(
          'install',
          '--require-hashes',
          '--no-deps',
          '--no-index',
          '--find-links',
          wheels,
          '--no-compile',
          // pip's after-install check of every installed distribution's requirements: the lock is complete
          // and installed with --no-deps, and the venv is verified file by file afterwards anyway.
          '--no-warn-conflicts',
          '-r',
          requirementsFile
        ),
    ...(role === 'venv' ? { removePip: pip('uninstall', '--yes', 'pip', 'setuptools') } : {})
  }
}

/**
 * uv's install from the wheel directory alone, with the same guarantees as pip's: every requirement's
 * hash checked (`--require-hashes`), no dependency of its own, no index and no network at all, wheels
 * only (`--no-build`), no bytecode. `--no-config` keeps any uv.toml (working directory, user config)
 * out, and the child environment carries no UV_* variable. Its cache is this install's own directory,
 * removed once the install is done, so the venv's hard links into it are then the files' only names.
 */
function uvInstall(uv: UvInstaller, root: string, requirementsFile: string): Step {
  return {
    label: 'uv pip install',
    file: uv.file,
    args: [
      'pip',
      'install',
      '--python',
      venvPython(root),
      '--require-hashes',
      '--no-deps',
      '--no-index',
      '--find-links',
      path.join(root, 'wheels'),
      '--no-build',
      '--offline',
      '--no-compile-bytecode',
      '--no-config',
      '--no-python-downloads',
      '--cache-dir',
      uv.cacheDir,
      '--link-mode',
      'hardlink',
      '--quiet',
      '-r',
      requirementsFile
    ]
  }
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

/** What the interpreter that makes the venv is, and the version of its own pip if it has one. */
interface Interpreter {
  base: BasePython
  pipVersion?: string
}

const PROBE =
  'import sys\nprint(sys._base_executable)\ntry:\n  import pip\n  print(pip.__version__)\nexcept ImportError:\n  print("")'

async function probeInterpreter(python: string, env: NodeJS.ProcessEnv, cwd: string): Promise<Interpreter> {
  const outcome = await runProcess(python, ['-I', '-c', PROBE], {
    cwd,
    deadlineMs: 60_000,
    env: childEnv({}, env)
  })
  const [executable = '', pipVersion = ''] = outcome.stdout.split(/\r?\n/).map(line => line.trim())
  if (outcome.exitCode !== 0 || !path.isAbsolute(executable))
    throw new BrokenInputError(
      'semgrep install',
      `${python} did not say where it is: ${outcome.stderr.trim().slice(-300)}`
    )
  return { base: { executable }, ...(pipVersion !== '' ? { pipVersion } : {}) }
}

/**
 * What the installer writes that no wheel accounts for, and nothing here runs: the console scripts in
 * bin/ (everything there but the interpreter links and activate scripts), and uv's bookkeeping, its
 * venv lock file and a uv_cache.json in each dist-info. Verification then holds either installer to
 * the same list of files.
 */
function removeInstallerLeftovers(root: string): void {
  const venv = path.join(root, 'venv')
  const bin = path.join(venv, 'bin')
  for (const entry of readdirSync(bin, { withFileTypes: true }))
    if (entry.isFile() && !/^(activate(\.csh|\.fish)?|Activate\.ps1)$/.test(entry.name))
      rmSync(path.join(bin, entry.name))
  rmSync(path.join(venv, '.lock'), { force: true })
  for (const python of readdirSync(path.join(venv, 'lib'))) {
    const sitePackages = path.join(venv, 'lib', python, 'site-packages')
    for (const name of existsSync(sitePackages) ? readdirSync(sitePackages) : [])
      if (name.endsWith('.dist-info')) rmSync(path.join(sitePackages, name, 'uv_cache.json'), { force: true })
  }
}

/** A directory nobody else has seen (mode 0700), inside `parent`, which is made when missing. */
function freshDir(parent: string, prefix: string): string {
  mkdirSync(parent, { recursive: true })
  return mkdtempSync(path.join(parent, prefix))
}

/** This job's temp directory (RUNNER_TEMP is emptied at every job's start), else the OS one. */
function jobTemp(env: NodeJS.ProcessEnv): string {
  const temp = env.RUNNER_TEMP?.trim()
  return temp && path.isAbsolute(temp) ? temp : tmpdir()
}

/**
 * The pinned uv, or undefined when it cannot be had (no download, no asset for this platform): pip then
 * installs, which is slower and checks the same hashes. A uv whose sha256 does not match is an attack
 * or a corrupted cache, never a reason to carry on quietly.
 */
async function findUv(options: SemgrepVenvOptions, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  const { logger } = options
  const find =
    options.uv ??
    (async () => (await installTool({ tool: 'uv', logger, env, tempDir: options.tempDir })).path)
  try {
    return await find()
  } catch (error) {
    if (error instanceof IntegrityError) throw error
    logger.warning(
      `semgrep: uv is not available (${(error as Error).message}); pip installs the wheels instead, with the same hash checks, only slower`
    )
    return undefined
  }
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
  const { base, pipVersion } = await probeInterpreter(python, env, options.toolCache)
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
  const uv = await findUv(options, env)
  const pip = pipRole(pipVersion, uv !== undefined)
  logger.info(
    `semgrep ${version}: installing into ${root} from wheels checked against ${path.basename(options.requirementsFile)}` +
      (pip === 'venv'
        ? ` (${python} has ${pipVersion ? `pip ${pipVersion}, older than 22.3` : 'no pip'}: the venv gets its own, removed after)`
        : ` (pip ${pipVersion} of ${python} downloads for a venv without pip)`) +
      (uv ? `; uv ${uv} installs them` : '; pip installs them')
  )
  const run = (step: Step & { tolerate?: boolean }) => runStep(step, root, options, env)
  const uvCache = uv ? freshDir(options.tempDir ?? jobTemp(env), 'secure-pipeline-uv-cache-') : ''
  try {
    const { createVenv, download, install, removePip } = semgrepVenvSteps(root, options.requirementsFile, {
      python,
      pip,
      ...(uv ? { uv: { file: uv, cacheDir: uvCache } } : {})
    })
    await run(createVenv)
    const seeded = options.wheelCache
      ? await seedWheels(options.wheelCache, path.join(root, 'wheels'), lock)
      : 0
    if (seeded > 0 && (await run({ ...install, tolerate: true }))) {
      logger.info(`semgrep ${version}: installed from ${seeded} cached wheel(s) in ${options.wheelCache}`)
    } else {
      await run(download)
      await run(install)
    }
    if (removePip) await run(removePip)
  } finally {
    if (uv) rmSync(uvCache, { recursive: true, force: true })
  }
  if (options.wheelCache) keepWheels(path.join(root, 'wheels'), options.wheelCache, logger)
  removeInstallerLeftovers(root)
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
  const why = outcome.timedOut ? 'timed out' : `exited ${outcome.exitCode ?? outcome.signal}`
  const failure = `${step.label} ${why}: ${outcome.stderr.trim().slice(-500)}`
  if (step.tolerate) {
    options.logger.warning(`semgrep: ${failure}; falling back to the package index`)
    return false
  }
  rmSync(root, { recursive: true, force: true })
  throw new BrokenInputError('semgrep install', failure)
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
