import type { Finding, ToolProblem } from '../findings/finding.js'
import { getErrorMessage } from '../runtime/errors.js'
import { lastWords } from '../runtime/process.js'
import { splitBaseResults } from './base-tree.js'
import { exitCodeMeaning, type Engine } from './engine-args.js'
import type { ExecOutcome } from './engine.js'
import { engineReportFromSarif, withRuleSeverities } from './engine-sarif.js'
import type { EngineRun } from './execute.js'
import { normalizeEngineObject, parseEngineJson, type ReadSource } from './normalize.js'
import type { RulePack } from './pack.js'
import type { ScanPlan } from './plan.js'

export interface ClassifyContext {
  engine: Engine
  pack: RulePack
  plan: ScanPlan
  /** The checkout's files, for the matched lines in fingerprints. */
  readHead: ReadSource
  /** What the deadline is called where the user sets it (the sast action's `timeout-minutes`). */
  deadline: { ms: number; input: string }
}

export interface Classified {
  /** New findings on a diff scan (every finding on a full scan), suppressed ones included and marked. */
  findings: Finding[]
  /** Any `error` one means the scan is incomplete. */
  problems: ToolProblem[]
  /** Diff scans: findings also present in the merge-base version of their file, left out as not new. */
  preExisting: number
  /** The engine version its report names. */
  version?: string
}

/** Problems that describe a failed engine run, from its exit status; empty for a normal exit. */
export function outcomeProblems(
  engine: string,
  outcome: ExecOutcome,
  deadline: { ms: number; input: string }
): ToolProblem[] {
  const tail = lastWords(outcome)
  if (outcome.timedOut) {
    return [
      {
        level: 'error',
        message: `${engine} did not finish within ${Math.round(deadline.ms / 1000)} s (${deadline.input}) and was killed; the scan is incomplete`
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

/**
 * What an engine run found, without further I/O: its exit status and report read as problems, results
 * split into the checkout's and the merge-base versions', `nosemgrep` marks kept, both normalized, and
 * on a diff scan only the findings in planned files whose fingerprint the merge-base version lacks kept.
 */
export function classifyRun(run: EngineRun, context: ClassifyContext): Classified {
  const { engine } = context
  const problems = outcomeProblems(engine, run.outcome, context.deadline)
  if (run.report === undefined) {
    if (problems.length === 0)
      problems.push({
        level: 'error',
        message: `${engine} exited ${run.outcome.exitCode} without writing its report`
      })
    return { findings: [], problems, preExisting: 0 }
  }
  try {
    const fromSarif = engineReportFromSarif(parseEngineJson(run.report, run.reportFile), run.reportFile)
    const { severities } = run
    // Asked for and missing, the user's rules would read CRITICAL as high: the report is incomplete.
    if (severities && severities.text === undefined)
      throw new Error(`${engine} wrote its SARIF but not the JSON asked for beside it (${severities.file})`)
    const raw = severities
      ? withRuleSeverities(fromSarif, parseEngineJson(severities.text!, severities.file), severities.file)
      : fromSarif
    const parts =
      run.base && raw !== null && typeof raw === 'object'
        ? splitBaseResults(raw, run.base.dir)
        : { head: raw, base: undefined }
    const normalize = (part: unknown, readSource: ReadSource) =>
      normalizeEngineObject(part, run.reportFile, { engine, pack: context.pack, readSource })
    const head = normalize(parts.head, context.readHead)
    const baseFiles = run.base?.files
    const base = baseFiles && parts.base ? normalize(parts.base, file => baseFiles.get(file)) : undefined
    const old = new Set(base?.findings.map(finding => finding.fingerprint))
    const planned = context.plan.diff ? new Set(context.plan.diff.targets) : undefined
    // A diff scan that had to scan the whole path (too many files for one command line) keeps changed files only.
    const changed = planned
      ? head.findings.filter(f => f.location && planned.has(f.location.path))
      : head.findings
    const fresh = changed.filter(finding => !old.has(finding.fingerprint))
    // A merge-base version the engine could not fully read only makes more findings count as new.
    const baseProblems = (base?.problems ?? []).map(problem => ({
      level: 'warning' as const,
      message: `merge-base version: ${problem.message} (findings in this file all count as new)`
    }))
    return {
      findings: fresh,
      problems: [...problems, ...head.problems, ...baseProblems],
      preExisting: changed.length - fresh.length,
      version: head.tools[0]?.version
    }
  } catch (error) {
    // A crash can leave half a report: keep the exit-status problem and say the report is unreadable.
    return {
      findings: [],
      problems: [
        ...problems,
        { level: 'error', message: `${engine} report unreadable: ${getErrorMessage(error)}` }
      ],
      preExisting: 0
    }
  }
}
