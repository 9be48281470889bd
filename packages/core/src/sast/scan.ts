import { lstatSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { severityRank, type Finding, type ToolProblem } from '../findings/finding.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { SarifLog } from '../findings/sarif/types.js'
import type { Logger } from '../runtime/logger.js'
import { byCodeUnits } from '../runtime/order.js'
import { classifyRun } from './classify.js'
import { countFullScanFiles, fullScanNotice, type FullScanCoverage } from './coverage.js'
import type { SemgrepEngine } from './engine.js'
import type { BaseRuleFile } from './base-rules.js'
import { executeScan } from './execute.js'
import { DEFAULT_SEMGREPIGNORE, type IgnoreRules } from './ignore.js'
import type { ScanMode } from './mode.js'
import { engineUri } from './normalize.js'
import { ruleDescriptor, type RulePack } from './pack.js'
import { planScan, type ScanPlan } from './plan.js'
import { workspaceSource } from './sources.js'
import type { TargetPlan } from './targets.js'

export interface SastScanOptions {
  /** Repository root: the engine's working directory; report paths are relative to it. */
  workspace: string
  /** Repository-relative path to scan (`.` for all). */
  scanPath: string
  pack: RulePack
  /** User configs after validation: workspace paths (absolute) or explicitly named registry configs. */
  userConfigs: readonly string[]
  /** The base branch tip's versions of the repository's own rule files: run after the checkout's. */
  baseRules?: readonly BaseRuleFile[]
  /** Languages of all configured rules, or undefined when a config could not be read (registry). */
  languages: readonly string[] | undefined
  /** The `exclude` input's patterns. */
  exclude: readonly string[]
  /** The deciding ignore patterns (default: Semgrep's built-in list, as for a repository without one). */
  ignore?: IgnoreRules
  mode: ScanMode
  ruleTimeoutSeconds: number
  deadlineMs: number
  /** The caller's name for the deadline, for the message when it passes (default `timeout`). */
  deadlineInput?: string
  /** The caller's names for the scan path and the rule configs, for the warning of a scan of nothing. */
  scopeInputs?: { path: string; config: string }
  jobs?: number
  /** A private directory for the run's files (default RUNNER_TEMP, else the OS temp dir). */
  tempRoot?: string
  logger: Logger
  /** Receives the engine's own stdout/stderr, to be echoed with workflow commands stopped. */
  echo?: (text: string) => void
}

export interface SastScanResult {
  mode: ScanMode['kind']
  modeReason: string
  engine: { name: string; version: string }
  /** Sorted most severe first; suppressed ones (nosemgrep) included, with their suppression. */
  findings: Finding[]
  /** Engine problems; any `error` one means the scan is incomplete and the action fails. */
  problems: ToolProblem[]
  ignore: IgnoreRules
  plan?: TargetPlan
  /** Diff scan with no changed file any rule applies to: the engine was not started. */
  skipped: boolean
  /** Diff scan: findings also present in the merge-base version of their file, left out as not new. */
  preExisting: number
  durationMs: number
  sarif: SarifLog
  /** Rule files of the repository's own configs the change edited or removed: their base branch versions ran too. */
  editedRules?: readonly string[]
  /** Full scan without results only: the files it could read (never counted when there are results). */
  coverage?: FullScanCoverage
  /** Full scan that could read no file: the warning, also in the log and the SARIF. */
  nothingScanned?: string
}

function isLinkIn(workspace: string): (file: string) => boolean {
  return file => {
    try {
      return lstatSync(path.join(workspace, file)).isSymbolicLink()
    } catch {
      return false
    }
  }
}

const BUILT_IN: IgnoreRules = { patterns: DEFAULT_SEMGREPIGNORE, origin: "Semgrep's built-in list" }

/**
 * One SAST scan: plan (what to scan), execute (one engine run, with a wall-clock deadline), classify
 * (what it found, and what is new against the merge-base). Engine failures do not throw: they come back
 * as `problems` (and in the SARIF) so the caller writes everything and fails.
 */
export async function runSastScan(engine: SemgrepEngine, options: SastScanOptions): Promise<SastScanResult> {
  const started = Date.now()
  const ignore = options.ignore ?? BUILT_IN
  const plan = planScan({
    mode: options.mode,
    scanPath: options.scanPath,
    exclude: options.exclude,
    ignore,
    languages: options.languages,
    isLink: isLinkIn(options.workspace)
  })
  if (plan.diff)
    options.logger.info(
      `Diff scan: ${plan.diff.targets.length} of ${options.mode.kind === 'diff' ? options.mode.changes.length : 0} changed file(s) to scan (${plan.diff.outsidePath} outside '${options.scanPath}', ${plan.diff.excluded} excluded, ignored or links, ${plan.diff.unsupported} in no rule's language)`
    )
  const finish = async (
    classified: { findings: Finding[]; problems: ToolProblem[]; preExisting: number; version?: string },
    skipped: boolean
  ) => {
    // The version comes from the report (a separate `--version` costs a second of Python start-up);
    // only when there is none is the engine asked, best effort.
    const version = classified.version ?? (await engine.version(options.workspace).catch(() => 'unknown'))
    const covered = await fullScanCoverage(options, classified, ignore)
    return scanResult(engine, options, { ...classified, ...covered, version, skipped, plan, ignore, started })
  }
  if (plan.skip) return finish({ findings: [], problems: [], preExisting: 0 }, true)
  const run = await executeScan(engine, plan, {
    ...options,
    tempRoot: options.tempRoot ?? (process.env.RUNNER_TEMP || tmpdir())
  })
  const classified = classifyRun(run, {
    engine: engine.engine,
    pack: options.pack,
    plan,
    readHead: workspaceSource(options.workspace),
    deadline: { ms: options.deadlineMs, input: options.deadlineInput ?? 'timeout' }
  })
  return finish(classified, false)
}

/**
 * A full scan that ended complete and without a single result may have read nothing: count what it could
 * read. Scans with results, diff scans and failed scans are never counted (a git call and a pass over
 * every tracked file, for nothing).
 */
async function fullScanCoverage(
  options: SastScanOptions,
  classified: { findings: readonly Finding[]; problems: readonly ToolProblem[] },
  ignore: IgnoreRules
): Promise<{ coverage?: FullScanCoverage; notice?: string }> {
  if (options.mode.kind !== 'full' || classified.findings.length > 0) return {}
  if (classified.problems.some(problem => problem.level === 'error')) return {}
  const coverage = await countFullScanFiles(options.workspace, {
    scanPath: options.scanPath,
    exclude: options.exclude,
    ignore: ignore.patterns,
    languages: options.languages,
    isLink: isLinkIn(options.workspace)
  })
  if (!coverage.known) options.logger.info(`Files scanned: unknown (${coverage.reason})`)
  else options.logger.info(`Files scanned: ${coverage.plan.targets.length}`)
  const notice = fullScanNotice(coverage, options.scanPath, options.scopeInputs ?? DEFAULT_SCOPE_INPUTS)
  if (notice) options.logger.warning(notice)
  return notice ? { coverage, notice } : { coverage }
}

const DEFAULT_SCOPE_INPUTS = { path: 'path', config: 'config' }

function scanResult(
  engine: SemgrepEngine,
  options: SastScanOptions,
  parts: {
    findings: Finding[]
    problems: ToolProblem[]
    preExisting: number
    version: string
    coverage?: FullScanCoverage
    notice?: string
    skipped: boolean
    plan: ScanPlan
    ignore: IgnoreRules
    started: number
  }
): SastScanResult {
  const findings = [...parts.findings].sort(
    (a, b) =>
      severityRank(a.severity) - severityRank(b.severity) ||
      byCodeUnits(a.location?.path ?? '', b.location?.path ?? '') ||
      (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0)
  )
  const sarif = buildSarifLog([
    {
      tool: { name: engine.engine, version: parts.version, informationUri: engineUri(engine.engine) },
      category: 'sast',
      rules: options.pack.rules.map(ruleDescriptor),
      findings,
      // The gate lists warnings as "Scanner warnings"; the summary says it in its own callout instead.
      problems: parts.notice
        ? [...parts.problems, { level: 'warning', message: parts.notice }]
        : parts.problems,
      srcRoot: options.workspace
    }
  ])
  return {
    mode: options.mode.kind,
    modeReason: options.mode.reason,
    engine: { name: engine.engine, version: parts.version },
    findings,
    problems: parts.problems,
    ignore: parts.ignore,
    ...(parts.plan.diff ? { plan: parts.plan.diff } : {}),
    skipped: parts.skipped,
    preExisting: parts.preExisting,
    durationMs: Date.now() - parts.started,
    sarif,
    ...(parts.coverage ? { coverage: parts.coverage } : {}),
    ...(parts.notice ? { nothingScanned: parts.notice } : {})
  }
}
