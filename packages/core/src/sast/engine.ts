import { accessSync, constants } from 'node:fs'
import * as path from 'node:path'
import type { Logger } from '../runtime/logger.js'
import { ConfigurationError } from '../runtime/errors.js'
import { runProcess, type ChildEnv, type ProcessOutcome, type RunProcessOptions } from '../runtime/process.js'
import { checkPreProvisioned, givenBinary, type GivenBinary } from '../tools/locate.js'
import { engineEnv, versionArgs, type Engine } from './engine-args.js'
import type { PythonCli } from './venv/install.js'

export type ExecOutcome = ProcessOutcome

export interface EngineOptions {
  engine: Engine
  /** A pre-provisioned binary, used as is. */
  binaryPath?: string
  /** The caller's name for `binaryPath`, for messages (the sast action's `semgrep-path`). */
  binaryPathInput?: string
  /** The input that names the Opengrep version, for messages. */
  versionInput?: string
  /** Pinned Opengrep version from the tool catalog (Semgrep's is fixed by its hash-locked requirements). */
  version?: string
  logger: Logger
  env?: NodeJS.ProcessEnv
  /** How to get Semgrep when no binary is given (the verified venv on runners). */
  installSemgrep?: () => Promise<PythonCli>
}

export const SEMGREP_PATH_ENV = 'SECURE_PIPELINE_SEMGREP_PATH'

/** One engine and the one way this code runs it. */
export class SemgrepEngine {
  private constructor(
    readonly engine: Engine,
    /** The program started, and the arguments it gets before the engine's own. */
    readonly command: PythonCli,
    private readonly env: ChildEnv
  ) {}

  static async create(options: EngineOptions): Promise<SemgrepEngine> {
    const env = options.env ?? process.env
    const command = await resolveCommand(options, env)
    return new SemgrepEngine(options.engine, command, engineEnv(env))
  }

  /** What the log and errors call it. */
  get binary(): string {
    return this.command.file
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

  run(args: readonly string[], options: Omit<RunProcessOptions, 'env'>): Promise<ExecOutcome> {
    // Only echoed to the log: the report is a file, so the last half MiB of chatter is plenty.
    return runProcess(this.command.file, [...this.command.args, ...args], {
      maxStdoutBytes: 512 * 1024,
      ...options,
      env: this.env
    })
  }
}

/**
 * `semgrep` is a launcher: a Python script that execs semgrep-core as the new CLI, which hands `scan`
 * back to the Python CLI, `pysemgrep`, installed beside it by the same wheel. Calling that one directly
 * skips two process starts (~0.2 s, an eighth of a diff scan); a binary without it is used as given.
 */
export function siblingPythonCli(binary: string): string {
  if (path.basename(binary) !== 'semgrep') return binary
  const sibling = path.join(path.dirname(binary), 'pysemgrep')
  try {
    accessSync(sibling, constants.X_OK)
    return sibling
  } catch {
    return binary
  }
}

/**
 * The binary resolveCommand will run instead of installing one: the input, else SECURE_PIPELINE_SEMGREP_PATH
 * (either engine), else, for Opengrep, its installer's SECURE_PIPELINE_OPENGREP_PATH.
 */
export function givenEngineBinary(
  options: Pick<EngineOptions, 'engine' | 'binaryPath' | 'binaryPathInput'>,
  env: NodeJS.ProcessEnv
): GivenBinary | undefined {
  const given = givenBinary('semgrep', options.binaryPath, env, options.binaryPathInput)
  return given ?? (options.engine === 'opengrep' ? givenBinary('opengrep', undefined, env) : undefined)
}

async function resolveCommand(options: EngineOptions, env: NodeJS.ProcessEnv): Promise<PythonCli> {
  const { engine, logger } = options
  const fromInput = options.binaryPath?.trim()
  const given = fromInput || env[SEMGREP_PATH_ENV]?.trim()
  if (given) {
    const origin = fromInput ? `Input '${options.binaryPathInput ?? 'binary path'}'` : SEMGREP_PATH_ENV
    const binary = await checkPreProvisioned(engine, given, origin)
    logger.info(
      `${engine}: using the pre-provisioned binary ${binary} (from ${origin}); it is not hash-verified by this action.`
    )
    const file = engine === 'semgrep' ? siblingPythonCli(binary) : binary
    if (file !== binary) logger.debug(`semgrep: running its Python CLI ${file} directly`)
    return { file, args: [] }
  }
  if (engine === 'opengrep') {
    // The installer and its catalog (zod) load only here: a Semgrep run never pays for them.
    const { installTool } = await import('../tools/install.js')
    const tool = await installTool({
      tool: 'opengrep',
      version: options.version,
      inputs: { version: options.versionInput, path: options.binaryPathInput },
      logger,
      env
    })
    return { file: tool.path, args: [] }
  }
  if (!options.installSemgrep) {
    throw new ConfigurationError(
      `No semgrep binary: give one (${options.binaryPathInput ? `input '${options.binaryPathInput}' or ` : ''}${SEMGREP_PATH_ENV}), or let the action install it.`
    )
  }
  return options.installSemgrep()
}
