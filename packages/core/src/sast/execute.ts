import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { Git } from '../github/git.js'
import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import type { BaseRuleFile } from './base-rules.js'
import { writeBaseTree, type BaseTree } from './base-tree.js'
import { buildScanArgs } from './engine-args.js'
import type { ExecOutcome, SemgrepEngine } from './engine.js'
import type { ScanMode } from './mode.js'
import { packConfigJson, type RulePack } from './pack.js'
import type { ScanPlan } from './plan.js'
import { fitsArgv } from './targets.js'

export interface ExecuteOptions {
  /** Repository root: the engine's working directory; report paths are relative to it. */
  workspace: string
  pack: RulePack
  /** User configs after validation: workspace paths (absolute) or explicitly named registry configs. */
  userConfigs: readonly string[]
  /** The base branch tip's versions of the repository's own rule files: run after the checkout's. */
  baseRules?: readonly BaseRuleFile[]
  mode: ScanMode
  ruleTimeoutSeconds: number
  deadlineMs: number
  jobs?: number
  /** A private directory for this run's files (RUNNER_TEMP on runners); removed contents afterwards. */
  tempRoot: string
  logger: Logger
  /** Receives the engine's own stdout/stderr, to be echoed with workflow commands stopped. */
  echo?: (text: string) => void
}

/** What one engine run left: its exit, its report's text, and the merge-base versions it also scanned. */
export interface EngineRun {
  outcome: ExecOutcome
  /** Where the report (the engine's SARIF) was written, to name it in errors. */
  reportFile: string
  /** The report; undefined when the engine wrote none. */
  report?: string
  /** With the user's own rules: the engine's JSON, for their severities (`undefined` if not written). */
  severities?: { file: string; text?: string }
  /** Diff scans: the merge-base versions scanned beside the changed files. */
  base?: BaseTree
}

/**
 * The file's text, or undefined when the engine wrote none. Any other failure (a report past the longest
 * string Node holds, a directory in its place) is said as it is, never taken for "no report".
 */
function readIfPresent(engine: string, file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new BrokenInputError(
      engine,
      `its report ${path.basename(file)} could not be read: ${getErrorMessage(error)}`
    )
  }
}

/**
 * Runs the engine once over the plan, with the merge-base versions of the changed files beside them on a
 * diff scan, in a private directory that is removed afterwards. The checkout is never written to.
 */
export async function executeScan(
  engine: SemgrepEngine,
  plan: ScanPlan,
  options: ExecuteOptions
): Promise<EngineRun> {
  const work = mkdtempSync(path.join(options.tempRoot, 'sast-'))
  try {
    const reportFile = path.join(work, 'engine.sarif')
    const severitiesFile = options.userConfigs.length > 0 ? path.join(work, 'engine.json') : undefined
    const packConfig = path.join(work, 'rule-pack.json')
    writeFileSync(packConfig, packConfigJson(options.pack))
    let base: BaseTree | undefined
    let targets = plan.targets
    if (options.mode.kind === 'diff' && plan.previous.length > 0) {
      base = await writeBaseTree(
        await Git.create(options.workspace),
        path.join(work, 'merge-base'),
        plan.previous
      )
      // By name when they fit, like the changed files: named targets bypass the excludes on both sides.
      const named = [...base.files.keys()].map(file => path.join(base!.dir, file))
      if (named.length > 0) targets = [...targets, ...(fitsArgv([...targets, ...named]) ? named : [base.dir])]
      options.logger.info(
        `${engine.engine}: ${plan.targets.length} target(s) and the merge-base (${options.mode.baseline.slice(0, 12)}) version of ${base.files.size}`
      )
    } else options.logger.info(`${engine.engine}: ${plan.targets.length} target(s)`)
    const baseRules = writeBaseRules(options.baseRules ?? [], path.join(work, 'base-rules'))
    const args = buildScanArgs({
      engine: engine.engine,
      // The engine keeps one rule per id, the last loaded: the base branch's rules come after the change's
      // own, and the bundled pack last of all, so no rule a change adds under a taken id can replace them.
      configs: [...options.userConfigs, ...baseRules, packConfig],
      targets,
      report: reportFile,
      ...(severitiesFile ? { severities: severitiesFile } : {}),
      exclude: plan.exclude,
      ruleTimeoutSeconds: options.ruleTimeoutSeconds,
      jobs: options.jobs
    })
    const outcome = await engine.run(args, { cwd: options.workspace, deadlineMs: options.deadlineMs })
    options.echo?.(`${outcome.stdout}${outcome.stderr}`)
    return {
      outcome,
      reportFile,
      report: readIfPresent(engine.engine, reportFile),
      ...(severitiesFile
        ? { severities: { file: severitiesFile, text: readIfPresent(engine.engine, severitiesFile) } }
        : {}),
      base
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/**
 * Writes the base branch's rule files where the engine reads them as configs of their own. Rule ids stay
 * as written (`--no-rewrite-rule-ids`), so a base branch rule's findings carry the id the checkout's would.
 */
function writeBaseRules(files: readonly BaseRuleFile[], dir: string): string[] {
  return files.map(file => {
    // Repository paths from git: relative, no `..`, so this stays inside `dir`.
    const written = path.join(dir, file.path)
    mkdirSync(path.dirname(written), { recursive: true })
    writeFileSync(written, file.content)
    return written
  })
}
