import type { WorkflowRunRecord } from '../github/workflow-runs.js'
import { CHANGE_EVENTS } from './evidence-runs.js'
import { bucketIndex, type Bucket } from './period.js'

export interface SuccessCounts {
  runs: number
  success: number
  failure: number
  timedOut: number
  startupFailure: number
  cancelled: number
  skipped: number
  /** neutral, action_required, stale: finished without a verdict. */
  other: number
  /** Queued or in progress at the time of reading. */
  unfinished: number
  /** success / (success + failure + timed out + startup failure); null when that is 0. */
  rate: number | null
}

export interface SuccessRow extends SuccessCounts {
  workflow: string
  branch: string
}

export interface BuildSuccess {
  /** Per workflow and branch, most runs first. */
  rows: SuccessRow[]
  /** Every workflow's runs on the measured branch. */
  branch: SuccessCounts
  /** The measured branch per bucket of the period. */
  series: Array<{ label: string } & SuccessCounts>
}

function empty(): SuccessCounts {
  return {
    runs: 0,
    success: 0,
    failure: 0,
    timedOut: 0,
    startupFailure: 0,
    cancelled: 0,
    skipped: 0,
    other: 0,
    unfinished: 0,
    rate: null
  }
}

function add(counts: SuccessCounts, run: WorkflowRunRecord): void {
  counts.runs++
  if (run.status !== 'completed') counts.unfinished++
  else if (run.conclusion === 'success') counts.success++
  else if (run.conclusion === 'failure') counts.failure++
  else if (run.conclusion === 'timed_out') counts.timedOut++
  else if (run.conclusion === 'startup_failure') counts.startupFailure++
  else if (run.conclusion === 'cancelled') counts.cancelled++
  else if (run.conclusion === 'skipped') counts.skipped++
  else counts.other++
}

function withRate<T extends SuccessCounts>(counts: T): T {
  const denominator = counts.success + counts.failure + counts.timedOut + counts.startupFailure
  counts.rate = denominator === 0 ? null : Math.round((counts.success / denominator) * 10_000) / 10_000
  return counts
}

export function buildSuccess(
  runs: readonly WorkflowRunRecord[],
  branch: string,
  slices: readonly Bucket[]
): BuildSuccess {
  const rows = new Map<string, SuccessRow>()
  const onBranch = empty()
  const series = slices.map(b => ({ label: b.label, ...empty() }))
  for (const run of runs) {
    // A pull request's run carries its head branch's name, and a fork's is often the measured one: its
    // runs judge the change, not the branch, and get a row of their own. So do runs of a fork's commit
    // under another event (a workflow_run its pull request's run triggered names the fork's branch).
    const change = CHANGE_EVENTS.has(run.event)
    const label = `${run.branch ?? ''}${change ? ' (pull requests)' : run.fromFork ? ' (forks)' : ''}`
    const key = `${run.workflow}\u0000${label}`
    let row = rows.get(key)
    if (!row) rows.set(key, (row = { workflow: run.workflow, branch: label, ...empty() }))
    add(row, run)
    if (change || run.fromFork || run.branch !== branch) continue
    add(onBranch, run)
    const slice = bucketIndex(slices, Date.parse(run.createdAt))
    if (slice >= 0) add(series[slice]!, run)
  }
  return {
    rows: [...rows.values()]
      .map(withRate)
      .sort((a, b) => b.runs - a.runs || a.workflow.localeCompare(b.workflow)),
    branch: withRate(onBranch),
    series: series.map(withRate)
  }
}
