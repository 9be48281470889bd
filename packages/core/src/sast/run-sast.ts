import { mkdtempSync, realpathSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { countBySeverity } from '../findings/counts.js'
import { refuseChangedBinary, workspacePlaces } from '../github/changed-runner-path.js'
import { Git } from '../github/git.js'
import type { ActionsContext } from '../github/context.js'
import { isChangeEvent, resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { TrustSource } from '../github/trusted-file.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'
import { givenBinary } from '../tools/locate.js'
import { resolveUserConfigs, type UserConfigs } from './configs.js'
import type { Engine } from './engine-args.js'
import { givenEngineBinary, SemgrepEngine, siblingPythonCli } from './engine.js'
import { decideIgnoreRules, type IgnoreRules } from './ignore.js'
import { MAX_BASE_BLOB_BYTES } from './base-tree.js'
import { baseRuleFiles, type BaseRuleFile } from './base-rules.js'
import { decideScanMode } from './mode.js'
import { loadCompiledPack } from './pack.js'
import { runSastScan, type SastScanResult } from './scan.js'

/** The caller's names for what its users set, for messages that say what to change. */
export interface SastInputNames {
  path: string
  binaryPath: string
  opengrepVersion: string
  config: string
  diff: string
  deadline: string
}

/** Everything a SAST run needs to know, parsed and validated by the caller. */
export interface SastOptions {
  workspace: string
  /** Repository-relative path to scan (`.` for all). */
  scanPath: string
  configs: readonly string[]
  engine: Engine
  /** Path patterns to skip besides the ignore file's. */
  exclude: readonly string[]
  diff: TriState
  /** Which `.semgrepignore` decides on pull requests and merge queues: the merge-base's or the PR's. */
  ignoreSource: TrustSource
  deadlineMs: number
  ruleTimeoutSeconds: number
  /** A pre-provisioned engine binary, used as is. */
  binaryPath?: string
  opengrepVersion?: string
  /** The bundled rule pack (its compiled `pack.json`). */
  rulesDir: string
  /** The hash-locked Semgrep requirements the venv is installed and verified from. */
  requirementsFile: string
  /** A wheel directory kept between jobs (actions/cache), which the install reads and fills. */
  wheelCache?: string
  inputs: SastInputNames
}

/** What a SAST run takes from its surroundings. */
export interface SastPorts {
  logger: Logger
  context: ActionsContext
  /** The runner's environment: RUNNER_TOOL_CACHE and RUNNER_TEMP, and what child processes may see. */
  env: NodeJS.ProcessEnv
  /** Receives the engine's own output, for the log. */
  echo?: (text: string) => void
}

function describeIgnore(ignore: IgnoreRules): string[] {
  const lines = [`Ignore patterns: ${ignore.patterns.length} from ${ignore.origin}`]
  const proposed = ignore.proposed
  if (proposed)
    lines.push(
      `This change proposes another .semgrepignore (${proposed.unreadable ? `unreadable: ${proposed.unreadable}` : `${proposed.added.length} pattern(s) added, ${proposed.removed.length} removed`}); it is not applied until merged.`
    )
  return lines
}

/**
 * A whole SAST run: rule pack, user configs, the change's base (pull requests, merge queues), the
 * ignore file that decides, full or diff mode, the engine (a given binary, or the verified venv), and
 * the scan. Engine failures come back inside the result; the caller writes it and then fails.
 */
export async function runSast(options: SastOptions, ports: SastPorts): Promise<SastScanResult> {
  const { logger, context: ctx, env } = ports
  const { workspace, inputs } = options
  const pack = loadCompiledPack(options.rulesDir)
  const user = await resolveUserConfigs(options.configs, workspace, inputs.config)
  if (user.registry.length > 0)
    logger.info(
      `Registry configs named in '${inputs.config}' (fetched at run time): ${user.registry.join(', ')}`
    )
  const given = givenEngineBinary({ ...options, binaryPathInput: inputs.binaryPath }, env)
  // Without a Semgrep binary, the install runs uv: SECURE_PIPELINE_UV_PATH's when set.
  const uv = options.engine === 'semgrep' && !given ? givenBinary('uv', undefined, env) : undefined
  const needsBase =
    isChangeEvent(ctx) &&
    (options.ignoreSource === 'base' ||
      options.diff !== 'false' ||
      [given?.path, uv?.path].some(target => workspacePlaces(workspace, target).length > 0))
  const base = needsBase ? await resolvePullRequestBase(ctx, workspace, logger) : undefined
  const runsInstead =
    given && options.engine === 'semgrep' ? [pythonCliBeside(path.resolve(workspace, given.path))] : []
  refuseChangedBinary(base, workspace, options.engine, given, runsInstead)
  refuseChangedBinary(base, workspace, options.engine, uv)
  const ignore = await decideIgnoreRules({ workspace, source: options.ignoreSource, base })
  for (const line of describeIgnore(ignore)) logger.info(line)
  const baseRules = options.ignoreSource === 'base' ? await rulesOfTheBase(user, base, options, logger) : []
  const mode = await decideScanMode({
    diff: options.diff,
    diffInput: inputs.diff,
    ctx,
    workspace,
    logger,
    base
  })
  logger.info(`${mode.kind === 'diff' ? 'Diff' : 'Full'} scan: ${mode.reason}`)
  const engine = await SemgrepEngine.create({
    engine: options.engine,
    binaryPath: options.binaryPath,
    binaryPathInput: inputs.binaryPath,
    versionInput: inputs.opengrepVersion,
    version: options.opengrepVersion,
    logger,
    env,
    // The installer and its verifier (zip, hashing) load only when there is no binary to run.
    installSemgrep: async () =>
      (await import('./venv/install.js')).installSemgrepVenv({
        requirementsFile: options.requirementsFile,
        toolCache: toolCacheOf(env, inputs.binaryPath),
        bytecodeDir: bytecodeDirOf(env),
        wheelCache: options.wheelCache,
        logger,
        env
      })
  })
  const languages = user.languages
    ? [...new Set([...pack.rules.flatMap(r => r.languages), ...user.languages])]
    : undefined
  const result = await logger.group(`${options.engine} scan`, () =>
    runSastScan(engine, {
      workspace,
      scanPath: options.scanPath,
      pack,
      userConfigs: user.configs,
      baseRules,
      languages,
      exclude: options.exclude,
      ignore,
      mode,
      ruleTimeoutSeconds: options.ruleTimeoutSeconds,
      deadlineMs: options.deadlineMs,
      deadlineInput: inputs.deadline,
      scopeInputs: { path: inputs.path, config: inputs.config },
      tempRoot: env.RUNNER_TEMP || tmpdir(),
      logger,
      echo: ports.echo
    })
  )
  return { ...result, editedRules: baseRules.filter(file => file.edited).map(file => file.path) }
}

/**
 * Semgrep's Python CLI beside the given binary, which runs in its place when there is one
 * (`siblingPythonCli`, next to the binary's real path): a change must not bring that one either.
 */
function pythonCliBeside(binary: string): string {
  try {
    return siblingPythonCli(realpathSync(binary))
  } catch {
    return siblingPythonCli(binary)
  }
}

/**
 * On a change, the base branch tip's versions of the repository's own rule files (local entries of
 * `config`), marked where the change edits or removes them. They run after the change's versions (the
 * engine keeps the last rule of an id), so the change may add rules but cannot drop or weaken one for
 * itself, by editing its file or by adding one under its id, before it is reviewed and merged; nor does a
 * branch that forked before the base added or tightened a rule escape it.
 */
async function rulesOfTheBase(
  user: UserConfigs,
  base: PullRequestBase | undefined,
  options: SastOptions,
  logger: Logger
): Promise<BaseRuleFile[]> {
  const local = user.configs.filter(config => path.isAbsolute(config))
  if (!base || local.length === 0) return []
  const found = await baseRuleFiles(
    await Git.create(options.workspace),
    { deciding: (base.reviewed ?? base).commit, mergeBase: base.commit },
    local.map(file => ({ file, directory: statSync(file).isDirectory() })),
    options.workspace
  )
  if (found.tooLarge.length > 0)
    logger.warning(
      `Base branch rule file(s) over ${MAX_BASE_BLOB_BYTES} bytes were not read, so this change's own version decides: ${found.tooLarge.join(', ')}`
    )
  const edited = found.files.filter(file => file.edited)
  if (edited.length > 0)
    logger.info(
      `This change edits or removes ${edited.length} rule file(s) of '${options.inputs.config}' (${edited.map(f => f.path).join(', ')}): their base branch versions run as well until it is merged.`
    )
  return found.files
}

/**
 * Tools are kept only in the runner's tool cache (created when missing), never in the shared temp dir,
 * where another user could plant them first.
 */
function toolCacheOf(env: NodeJS.ProcessEnv, binaryPathInput: string): string {
  const cache = env.RUNNER_TOOL_CACHE?.trim()
  if (!cache || !path.isAbsolute(cache))
    throw new ConfigurationError(
      `RUNNER_TOOL_CACHE is not set to an absolute path, so there is no private place to install semgrep; run on an Actions runner, set it, or give a binary with input '${binaryPathInput}'.`
    )
  return cache
}

/** This job's directory (RUNNER_TEMP is emptied at every job's start), else a private one for this run. */
function bytecodeDirOf(env: NodeJS.ProcessEnv): string {
  const jobTemp = env.RUNNER_TEMP?.trim()
  if (jobTemp && path.isAbsolute(jobTemp)) return path.join(jobTemp, 'secure-pipeline-semgrep-bytecode')
  return mkdtempSync(path.join(tmpdir(), 'secure-pipeline-semgrep-bytecode-'))
}

/** The action's count outputs for a complete result: they leave suppressed findings out. */
export function sastCounts(result: SastScanResult): Record<'findings' | 'by-severity', string> {
  const counts = countBySeverity(result.findings, f => f.suppressions.length === 0)
  return {
    findings: String(Object.values(counts).reduce((sum, n) => sum + n, 0)),
    'by-severity': JSON.stringify(counts)
  }
}

/** A scan with engine errors is incomplete: never a clean result. */
export function assertComplete(result: SastScanResult): void {
  const errors = result.problems.filter(p => p.level === 'error')
  if (errors.length > 0)
    throw new BrokenInputError(
      result.engine.name,
      `scan failed, results are incomplete: ${errors.map(p => p.message).join('; ')}`
    )
}
