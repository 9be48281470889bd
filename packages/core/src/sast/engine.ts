import { spawn } from 'node:child_process'
import { accessSync, constants } from 'node:fs'
import * as path from 'node:path'
import type { Logger } from '../runtime/logger.js'
import { ConfigurationError } from '../runtime/errors.js'
import { checkPreProvisioned } from '../tools/locate.js'
import { installTool } from '../tools/install.js'
import { engineEnv, versionArgs, type Engine } from './engine-args.js'

export interface ExecOutcome {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The wall-clock deadline passed and the process group was killed. */
  timedOut: boolean
  stdout: string
  stderr: string
  durationMs: number
}

export interface RunOptions {
  cwd: string
  deadlineMs: number
  env?: NodeJS.ProcessEnv
  /** Grace between SIGTERM and SIGKILL once the deadline passes. */
  killGraceMs?: number
}

/** Keep the last bytes of engine output for the log; a runaway engine must not exhaust memory. */
const OUTPUT_CAP_BYTES = 512 * 1024

function capped(): { push(chunk: Buffer): void; text(): string } {
  const chunks: Buffer[] = []
  let size = 0
  return {
    push(chunk) {
      chunks.push(chunk)
      size += chunk.length
      while (size > OUTPUT_CAP_BYTES && chunks.length > 1) size -= (chunks.shift() as Buffer).length
    },
    text: () => Buffer.concat(chunks).toString('utf8')
  }
}

/**
 * Runs a command in its own process group with a wall-clock deadline. On the deadline the whole group
 * gets SIGTERM, then SIGKILL: Semgrep forks its OCaml core and a kill of the parent alone leaves it running.
 */
export function execWithDeadline(
  file: string,
  args: readonly string[],
  options: RunOptions
): Promise<ExecOutcome> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    })
    const out = capped()
    const err = capped()
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
    let timedOut = false
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal)
        else child.kill(signal)
      } catch {
        // Already gone.
      }
    }
    let hardKill: NodeJS.Timeout | undefined
    const deadline = setTimeout(() => {
      timedOut = true
      killGroup('SIGTERM')
      hardKill = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000)
    }, options.deadlineMs)
    child.on('error', error => {
      clearTimeout(deadline)
      reject(new ConfigurationError(`Could not start ${file}: ${error.message}`))
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline)
      if (hardKill) clearTimeout(hardKill)
      // The group may outlive its leader (e.g. a forked core); make sure nothing keeps running.
      if (timedOut) killGroup('SIGKILL')
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: out.text(),
        stderr: err.text(),
        durationMs: performance.now() - started
      })
    })
  })
}

export interface EngineOptions {
  engine: Engine
  /** `semgrep-path` input: a pre-provisioned binary, used as is. */
  binaryPath?: string
  /** Pinned engine version (Opengrep: from the tool catalog; Semgrep: the hash-locked requirements). */
  version?: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  /** How to get Semgrep when no binary is given (the hash-pinned venv install on runners). */
  installSemgrep?: () => Promise<string>
}

export const SEMGREP_PATH_ENV = 'SECURE_PIPELINE_SEMGREP_PATH'

/** One engine binary and the one way this code runs it. */
export class SemgrepEngine {
  private constructor(
    readonly engine: Engine,
    readonly binary: string,
    private readonly env: NodeJS.ProcessEnv
  ) {}

  static async create(options: EngineOptions): Promise<SemgrepEngine> {
    const env = options.env ?? process.env
    const binary = await resolveBinary(options, env)
    const command = options.engine === 'semgrep' ? pythonCli(binary) : binary
    if (command !== binary) options.logger.debug(`semgrep: running its Python CLI ${command} directly`)
    return new SemgrepEngine(options.engine, command, engineEnv(env))
  }

  async version(cwd: string): Promise<string> {
    const outcome = await this.run(versionArgs(this.engine), { cwd, deadlineMs: 60_000 })
    const version = /\d+\.\d+\.\d+/.exec(outcome.stdout)?.[0]
    if (outcome.exitCode !== 0 || !version) {
      throw new ConfigurationError(
        `${this.binary} --version failed (exit ${outcome.exitCode ?? outcome.signal}): ${outcome.stderr.trim().slice(-300) || 'no output'}; is it a ${this.engine} binary?`
      )
    }
    return version
  }

  run(args: readonly string[], options: Omit<RunOptions, 'env'>): Promise<ExecOutcome> {
    return execWithDeadline(this.binary, args, { ...options, env: this.env })
  }
}

/**
 * `semgrep` is a launcher: a Python script that execs semgrep-core as the new CLI, which hands `scan`
 * back to the Python CLI, `pysemgrep`, installed beside it by the same wheel. Calling that one directly
 * skips two process starts (~0.2 s, an eighth of a diff scan); a binary without it is used as given.
 */
export function pythonCli(binary: string): string {
  if (path.basename(binary) !== 'semgrep') return binary
  const sibling = path.join(path.dirname(binary), 'pysemgrep')
  try {
    accessSync(sibling, constants.X_OK)
    return sibling
  } catch {
    return binary
  }
}

async function resolveBinary(options: EngineOptions, env: NodeJS.ProcessEnv): Promise<string> {
  const { engine, logger } = options
  if (engine === 'opengrep') {
    const tool = await installTool({
      tool: 'opengrep',
      version: options.version,
      preProvisionedPath: options.binaryPath,
      logger,
      env
    })
    return tool.path
  }
  const given = options.binaryPath?.trim() || env[SEMGREP_PATH_ENV]?.trim()
  if (given) {
    const origin = options.binaryPath?.trim() ? "Input 'semgrep-path'" : SEMGREP_PATH_ENV
    const binary = await checkPreProvisioned('semgrep', given, origin)
    logger.info(
      `semgrep: using the pre-provisioned binary ${binary} (from ${origin}); it is not hash-verified by this action.`
    )
    return binary
  }
  if (!options.installSemgrep) {
    throw new ConfigurationError(
      `No semgrep binary: set input 'semgrep-path' or ${SEMGREP_PATH_ENV}, or let the action install it.`
    )
  }
  return options.installSemgrep()
}
