import { lstatSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { severityRank, type Finding, type ToolProblem } from '../findings/finding.js'
import { Git } from '../github/git.js'
import { getErrorMessage } from '../runtime/errors.js'
import { lastWords } from '../runtime/process.js'
import type { Logger } from '../runtime/logger.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { buildScanArgs, exitCodeMeaning } from './engine-args.js'
import type { ExecOutcome, SemgrepEngine } from './engine.js'
import type { ScanMode } from './mode.js'
import { splitBaseResults, writeBaseTree, type BaseTree } from './base-tree.js'
import { engineUri, normalizeEngineObject, parseEngineJson } from './normalize.js'
import { packConfigJson, ruleDescriptor, type RulePack } from './rule-pack.js'
import {
  fitsArgv,
  normalizeRepoPath,
  planDiffTargets,
  semgrepIgnorePatterns,
  type TargetPlan
} from './targets.js'

export interface SastScanOptions {
  /** Repository root: the engine's working directory; report paths are relative to it. */
  workspace: string
  /** Repository-relative path to scan (`.` for all). */
  scanPath: string
  pack: RulePack
  /** User configs after validation: workspace paths (absolute) or explicitly named registry configs. */
  userConfigs: readonly string[]
  /** Languages of all configured rules, or undefined when a config could not be read (registry). */
  languages: readonly string[] | undefined
  exclude: readonly string[]
  mode: ScanMode
  ruleTimeoutSeconds: number
  deadlineMs: number
  jobs?: number
  logger: Logger
  /** Receives the engine's own stdout/stderr, to be echoed with workflow commands stopped. */
  echo?: (text: string) => void
}

export interface SastScanResult {
  mode: ScanMode['kind']
  modeReason: string
  engine: { name: string; version: string }
  findings: Finding[]
  /** Engine problems; any `error` one means the scan is incomplete and the action fails. */
  problems: ToolProblem[]
  plan?: TargetPlan
  /** Diff scan with no changed file any rule applies to: the engine was not started. */
  skipped: boolean
  /** Diff scan: findings also present in the merge-base version of their file, left out as not new. */
  preExisting: number
  durationMs: number
  sarif: SarifLog
}

/** Problems that describe a failed engine run, from its exit status; empty for a normal exit. */
export function outcomeProblems(engine: string, outcome: ExecOutcome, deadlineMs: number): ToolProblem[] {
  const tail = lastWords(outcome)
  if (outcome.timedOut) {
    return [
      {
        level: 'error',
        message: `${engine} did not finish within ${Math.round(deadlineMs / 1000)} s (timeout-minutes) and was killed; the scan is incomplete`
      }
    ]
  }
  if (outcome.signal)
    return [
      { level: 'error', message: `${engine} crashed (killed by ${outcome.signal})${tail ? `: ${tail}` : ''}` }
    ]
  const meaning = exitCodeMeaning(outcome.exitCode ?? -1)
  if (meaning)
    return [
      {
        level: 'error',
        message: `${engine} exited ${outcome.exitCode} (${meaning})${tail ? `: ${tail}` : ''}`
      }
    ]
  return []
}

function isSymlink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}

/**
 * One SAST scan: plan targets (diff: changed files under `scanPath` that a rule can apply to), run the
 * engine once with a wall-clock deadline, read its JSON, normalize, and build our SARIF. Engine failures
 * do not throw: they come back as `problems` (and in the SARIF) so the caller writes everything and fails.
 */
export async function runSastScan(engine: SemgrepEngine, options: SastScanOptions): Promise<SastScanResult> {
  const started = performance.now()
  const { logger, mode } = options
  // The version comes from the report (a separate `--version` costs a second of Python start-up per scan);
  // only when there is no report is the binary asked, best effort.
  let version = 'unknown'
  const scanPath = normalizeRepoPath(options.scanPath)
  let plan: TargetPlan | undefined
  let targets = [scanPath === '' ? '.' : scanPath]
  if (mode.kind === 'diff') {
    plan = planDiffTargets({
      changed: mode.changes.map(change => change.path),
      scanPath,
      exclude: options.exclude,
      ignore: semgrepIgnorePatterns(options.workspace),
      languages: options.languages
    })
    // A directory scan does not follow symlinks; a changed symlink must not make the diff scan read
    // whatever it points to (possibly outside the workspace).
    const links = plan.targets.filter(target => isSymlink(path.join(options.workspace, target)))
    if (links.length > 0) {
      plan.targets = plan.targets.filter(target => !links.includes(target))
      plan.excluded += links.length
    }
    logger.info(
      `Diff scan: ${plan.targets.length} of ${mode.changes.length} changed file(s) to scan (${plan.outsidePath} outside '${options.scanPath}', ${plan.excluded} excluded or .semgrepignore'd, ${plan.unsupported} in no rule's language)`
    )
    // Too many files for one command line: scan the path, then keep the findings in changed files.
    if (plan.targets.length > 0 && fitsArgv(plan.targets)) targets = plan.targets
  }
  const result = (
    findings: Finding[],
    problems: ToolProblem[],
    skipped: boolean,
    preExisting = 0
  ): SastScanResult => {
    const sorted = [...findings].sort(
      (a, b) =>
        severityRank(a.severity) - severityRank(b.severity) ||
        (a.location?.path ?? '').localeCompare(b.location?.path ?? '') ||
        (a.location?.startLine ?? 0) - (b.location?.startLine ?? 0)
    )
    const sarif = buildSarifLog([
      {
        tool: { name: engine.engine, version, informationUri: engineUri(engine.engine) },
        category: 'sast',
        rules: options.pack.rules.map(ruleDescriptor),
        findings: sorted,
        problems,
        srcRoot: options.workspace
      }
    ])
    return {
      mode: mode.kind,
      modeReason: mode.reason,
      engine: { name: engine.engine, version },
      findings: sorted,
      problems,
      plan,
      skipped,
      preExisting,
      durationMs: performance.now() - started,
      sarif
    }
  }
  if (plan && plan.targets.length === 0) {
    version = await engine.version(options.workspace).catch(() => 'unknown')
    return result([], [], true)
  }

  const work = mkdtempSync(path.join(process.env.RUNNER_TEMP || tmpdir(), 'sast-'))
  try {
    const jsonOutput = path.join(work, 'engine.json')
    const packConfig = path.join(work, 'rule-pack.json')
    writeFileSync(packConfig, packConfigJson(options.pack))
    let baseTree: BaseTree | undefined
    let baseNote = ''
    if (mode.kind === 'diff' && plan) {
      const git = await Git.create(options.workspace)
      baseTree = await writeBaseTree(git, path.join(work, 'merge-base'), plan.targets, mode.changes)
      baseNote = ` and the merge-base (${mode.baseline.slice(0, 12)}) version of ${baseTree.files.length}`
    }
    const engineTargets = baseTree?.files.length ? [...targets, baseTree.dir] : targets
    const args = buildScanArgs({
      engine: engine.engine,
      configs: [packConfig, ...options.userConfigs],
      targets: engineTargets,
      jsonOutput,
      exclude: options.exclude,
      ruleTimeoutSeconds: options.ruleTimeoutSeconds,
      jobs: options.jobs
    })
    logger.info(`${engine.engine}: ${targets.length} target(s)${baseNote}`)
    const outcome = await engine.run(args, { cwd: options.workspace, deadlineMs: options.deadlineMs })
    options.echo?.(`${outcome.stdout}${outcome.stderr}`)
    const problems = outcomeProblems(engine.engine, outcome, options.deadlineMs)
    let text: string | undefined
    try {
      text = readFileSync(jsonOutput, 'utf8')
    } catch {
      if (problems.length === 0)
        problems.push({
          level: 'error',
          message: `${engine.engine} exited ${outcome.exitCode} without writing its JSON report`
        })
    }
    const askVersion = async () => {
      version = await engine.version(options.workspace).catch(() => 'unknown')
    }
    if (text === undefined) {
      await askVersion()
      return result([], problems, false)
    }
    try {
      const raw = parseEngineJson(text, jsonOutput)
      const normalize = (part: unknown, workspace: string) =>
        normalizeEngineObject(part, jsonOutput, { engine: engine.engine, pack: options.pack, workspace })
      const parts =
        baseTree && raw !== null && typeof raw === 'object'
          ? splitBaseResults(raw as Record<string, unknown>, baseTree.dir)
          : { head: raw, base: undefined }
      const head = normalize(parts.head, options.workspace)
      const base = baseTree && parts.base ? normalize(parts.base, baseTree.dir) : undefined
      version = head.tools[0]?.version ?? version
      if (version === 'unknown') await askVersion()
      const old = new Set(base?.findings.map(finding => finding.fingerprint))
      const changed = onlyPlanned(head.findings, plan)
      const fresh = changed.filter(finding => !old.has(finding.fingerprint))
      // A base version the engine could not fully read only makes more findings count as new.
      const baseProblems = (base?.problems ?? []).map(problem => ({
        level: 'warning' as const,
        message: `merge-base version: ${problem.message} (findings in this file all count as new)`
      }))
      return result(
        fresh,
        [...problems, ...head.problems, ...baseProblems],
        false,
        changed.length - fresh.length
      )
    } catch (error) {
      await askVersion()
      // A crash can leave half a report: keep the exit-status problem and say the report is unreadable.
      return result(
        [],
        [
          ...problems,
          { level: 'error', message: `${engine.engine} report unreadable: ${getErrorMessage(error)}` }
        ],
        false
      )
    }
  } finally {
    rmSync(work, { recursive: true, force: true })
  }
}

/** A diff scan that had to scan the whole path (too many targets for one command line) keeps only changed files. */
function onlyPlanned(findings: Finding[], plan: TargetPlan | undefined): Finding[] {
  if (!plan) return findings
  const planned = new Set(plan.targets)
  return findings.filter(finding => finding.location && planned.has(finding.location.path))
}
