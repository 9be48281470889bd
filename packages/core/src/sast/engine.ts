import { accessSync, constants } from 'node:fs'
import * as path from 'node:path'
import type { Logger } from '../runtime/logger.js'
import { ConfigurationError } from '../runtime/errors.js'
import { runProcess, type ChildEnv, type ProcessOutcome, type RunProcessOptions } from '../runtime/process.js'
import { checkPreProvisioned } from '../tools/locate.js'
import { installTool } from '../tools/install.js'
import { engineEnv, versionArgs, type Engine } from './engine-args.js'

export type ExecOutcome = ProcessOutcome

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
    private readonly env: ChildEnv
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

  run(args: readonly string[], options: Omit<RunProcessOptions, 'env'>): Promise<ExecOutcome> {
    // Only echoed to the log: the report is a file, so the last half MiB of chatter is plenty.
    return runProcess(this.binary, args, { maxStdoutBytes: 512 * 1024, ...options, env: this.env })
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
      inputs: { version: 'opengrep-version', path: 'semgrep-path' },
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
