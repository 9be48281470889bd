import { createHash } from 'node:crypto'
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv, runProcess } from '../runtime/process.js'

export interface SemgrepVenvOptions {
  /** Hash-locked requirements (`--hash=sha256:` on every line), e.g. actions/sast/semgrep-requirements.txt. */
  requirementsFile: string
  /** Parent of the venv; RUNNER_TOOL_CACHE on runners. */
  toolCache: string
  python?: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  deadlineMs?: number
}

export interface Step {
  file: string
  args: string[]
}

/** The pinned version is the one the lock file names; the venv directory is keyed by it. */
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

export function venvDir(toolCache: string, version: string): string {
  return path.join(toolCache, `secure-pipeline-semgrep-${version}`)
}

/**
 * The install, as argv only: a private venv, then pip in hash-checking mode with `--no-deps` so nothing
 * outside the lock file can be pulled in, from PyPI's index only.
 */
export function semgrepVenvSteps(dir: string, requirementsFile: string, python = 'python3'): Step[] {
  const bin = process.platform === 'win32' ? path.join(dir, 'Scripts') : path.join(dir, 'bin')
  return [
    { file: python, args: ['-m', 'venv', '--clear', dir] },
    {
      file: path.join(bin, 'python'),
      args: [
        '-m',
        'pip',
        'install',
        '--require-hashes',
        '--no-deps',
        '--disable-pip-version-check',
        '--no-input',
        '--quiet',
        '-r',
        requirementsFile
      ]
    }
  ]
}

const STAMP = '.secure-pipeline-requirements.sha256'

/** Installs (or reuses) the hash-pinned Semgrep venv and returns the `semgrep` entry point. */
export async function installSemgrepVenv(options: SemgrepVenvOptions): Promise<string> {
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
  const dir = venvDir(options.toolCache, version)
  const entry = path.join(dir, process.platform === 'win32' ? 'Scripts/semgrep.exe' : 'bin/semgrep')
  const digest = createHash('sha256').update(requirements).digest('hex')
  const stamp = path.join(dir, STAMP)
  if (existsSync(entry) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === digest) {
    logger.info(`semgrep ${version}: reusing the hash-pinned venv in ${dir}`)
    return entry
  }
  logger.info(`semgrep ${version}: installing into ${dir} with pip --require-hashes`)
  const env = options.env ?? process.env
  for (const step of semgrepVenvSteps(dir, options.requirementsFile, options.python)) {
    const outcome = await runProcess(step.file, step.args, {
      cwd: options.toolCache,
      deadlineMs: options.deadlineMs ?? 10 * 60_000,
      // An organisation's package mirror is configured the usual way; nothing else of the runner passes.
      env: childEnv(
        { PIP_NO_INPUT: '1', PIP_INDEX_URL: env.PIP_INDEX_URL, PIP_TRUSTED_HOST: env.PIP_TRUSTED_HOST },
        env
      )
    })
    if (outcome.exitCode !== 0) {
      rmSync(dir, { recursive: true, force: true })
      const why = outcome.timedOut ? 'timed out' : `exited ${outcome.exitCode ?? outcome.signal}`
      throw new BrokenInputError(
        'semgrep install',
        `${path.basename(step.file)} ${step.args.slice(0, 3).join(' ')} ${why}: ${outcome.stderr.trim().slice(-500)}`
      )
    }
  }
  writeFileSync(stamp, `${digest}\n`)
  return entry
}
