import { createHash } from 'node:crypto'
import { copyFileSync, mkdirSync } from 'node:fs'
import * as path from 'node:path'
import { EVIDENCE_SCHEMA } from '../../packages/core/src/evidence/names.js'
import type { GateEvidence } from '../../packages/core/src/evidence/schema.js'
import { SEVERITIES, type Severity } from '../../packages/core/src/findings/finding.js'
import { metricsData, putDatedCommit, type AlertSeed, type RunSeed } from './github-api-metrics.js'
import type { DoubleRepo, DoubleUser } from './github-api-state.js'

/*
 * Generated histories with their ground truth: the generator decides when each finding opens and closes,
 * which changes were approved, which runs failed; tests compute every expected metric from these decisions
 * with their own arithmetic, never with the code under test.
 */

export const DAY = 86_400_000

/** mulberry32: small, seedable, good enough to spread test data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const pick = <T>(random: () => number, items: readonly T[]): T => items[Math.floor(random() * items.length)]!
export const sha = (text: string) => createHash('sha1').update(text).digest('hex')
export const iso = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z')

/** One gate run on the branch, as the generator made it. */
export interface GateRunTruth {
  index: number
  time: number
  commit: string
  runId: number
  /** The trivy report was missing: the run is a broken input and says nothing about trivy's findings. */
  broken: boolean
}

/** One finding's life: present in runs open..close-1 (close undefined: never fixed). */
export interface FindingTruth {
  fingerprint: string
  ruleId: string
  scanner: string
  severity: Severity
  open: number
  close?: number
  /** From this run on it is under a policy exception (still present, not counted). */
  exceptedFrom?: number
}

export interface EvidenceHistory {
  branch: string
  runs: GateRunTruth[]
  findings: FindingTruth[]
  document(index: number): GateEvidence
}

const SCANNERS = [
  { scanner: 'semgrep', tool: 'Semgrep OSS' },
  { scanner: 'trivy', tool: 'Trivy' },
  { scanner: 'osv-scanner', tool: 'osv-scanner' }
]

export interface EvidenceHistoryOptions {
  seed: number
  /** First and last gate run. */
  start: number
  end: number
  runs: number
  findings: number
  /** Run indexes whose trivy report is missing (broken input). */
  brokenRuns?: readonly number[]
  /** About this share of findings goes under an exception some time after it opens. */
  exceptionShare?: number
  /** Documents written before `uncounted` existed. */
  legacy?: boolean
  repository?: string
  branch?: string
}

export function evidenceHistory(options: EvidenceHistoryOptions): EvidenceHistory {
  const random = prng(options.seed)
  const branch = options.branch ?? 'main'
  const broken = new Set(options.brokenRuns ?? [])
  const step = options.runs > 1 ? (options.end - options.start) / (options.runs - 1) : 0
  const runs: GateRunTruth[] = Array.from({ length: options.runs }, (_, index) => ({
    index,
    time: Math.round(options.start + index * step),
    commit: sha(`commit-${options.seed}-${index}`),
    runId: 1_000_000 + options.seed * 10_000 + index,
    broken: broken.has(index)
  }))
  const findings: FindingTruth[] = Array.from({ length: options.findings }, (_, i) => {
    // A history starts with findings already there: about a fifth are seen by the first run.
    const open = random() < 0.2 ? 0 : Math.floor(random() * options.runs)
    const life = 1 + Math.floor(random() * Math.max(1, options.runs / 3))
    const close = random() < 0.3 || open + life >= options.runs ? undefined : open + life
    const { scanner } = pick(random, SCANNERS)
    const excepted =
      random() < (options.exceptionShare ?? 0) && (close ?? options.runs) - open > 2 ? open + 1 : undefined
    return {
      fingerprint: sha(`finding-${options.seed}-${i}`).slice(0, 32),
      ruleId: `${scanner}.rule-${i % 37}`,
      scanner,
      severity: pick(random, SEVERITIES),
      open,
      close,
      exceptedFrom: excepted
    }
  })
  const document = (index: number): GateEvidence => {
    const run = runs[index]!
    const present = findings.filter(
      f =>
        f.open <= index &&
        (f.close === undefined || index < f.close) &&
        !(run.broken && f.scanner === 'trivy')
    )
    const counted = present.filter(f => f.exceptedFrom === undefined || index < f.exceptedFrom)
    const excepted = present.filter(f => f.exceptedFrom !== undefined && index >= f.exceptedFrom)
    const counts = (list: FindingTruth[]) => {
      const bySeverity = Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>
      const byScanner: Record<string, Record<Severity, number>> = {}
      for (const f of list) {
        bySeverity[f.severity]++
        byScanner[f.scanner] ??= Object.fromEntries(SEVERITIES.map(s => [s, 0])) as Record<Severity, number>
        byScanner[f.scanner]![f.severity]++
      }
      return { total: list.length, bySeverity, byScanner }
    }
    const blocking = counted.filter(f => f.severity === 'critical' || f.severity === 'high')
    const reports = SCANNERS.filter(s => !(run.broken && s.scanner === 'trivy')).map(s => ({
      file: `secure-pipeline/${s.scanner}.sarif`,
      sha256: sha(`${s.scanner}-${index}`).padEnd(64, '0'),
      bytes: 1000 + index,
      format: 'sarif',
      tools: [{ name: s.tool, version: '1.0.0' }],
      findings: present.filter(f => f.scanner === s.scanner).length
    }))
    const doc: GateEvidence = {
      schema: EVIDENCE_SCHEMA,
      generatedAt: new Date(run.time).toISOString(),
      run: {
        repository: options.repository ?? 'acme/app',
        commit: run.commit,
        ref: `refs/heads/${branch}`,
        event: 'push',
        workflow: 'pipeline',
        runId: String(run.runId),
        runAttempt: '1',
        serverUrl: 'https://github.com'
      },
      verdict: {
        outcome: run.broken ? 'fail-broken-input' : blocking.length > 0 ? 'fail-findings' : 'pass',
        passed: !run.broken && blocking.length === 0,
        warnOnly: false,
        reasons: blocking.length > 0 ? [`${blocking.length} findings at a fail-on severity`] : []
      },
      policy: {
        decidedBy: 'head',
        source: '.github/secure-pipeline.yml',
        origin: 'checkout',
        sha256: 'a'.repeat(64),
        other: null
      },
      tools: reports.flatMap(r => r.tools),
      reports,
      brokenInputs: run.broken
        ? [{ source: 'secure-pipeline/trivy.sarif', message: 'the report does not exist' }]
        : [],
      counts: { all: counts(present), counted: counts(counted), blocking: counts(blocking) },
      baseline: null,
      suppressed: { byException: excepted.length, inReports: 0 },
      inSourceSuppressions: { mode: 'honour', total: 0, inChangedFiles: null },
      exceptions: { used: [], expired: [], stale: [] },
      upload: { status: 'skipped' },
      findings: counted.map(f => ({
        fingerprint: f.fingerprint,
        ruleId: f.ruleId,
        severity: f.severity,
        scanner: f.scanner,
        blocking: f.severity === 'critical' || f.severity === 'high',
        new: true
      }))
    }
    if (!options.legacy)
      doc.uncounted = excepted.map(f => ({
        fingerprint: f.fingerprint,
        ruleId: f.ruleId,
        severity: f.severity,
        scanner: f.scanner,
        reason: 'exception' as const
      }))
    return doc
  }
  return { branch, runs, findings, document }
}

/** Workflow runs across workflows and branches, newest last; the seeds are the truth. */
export function seedWorkflowRuns(
  repo: DoubleRepo,
  options: { seed: number; count: number; start: number; end: number }
): RunSeed[] {
  const random = prng(options.seed)
  const conclusions = [
    ...Array(14).fill('success'),
    'failure',
    'failure',
    'cancelled',
    'skipped',
    'timed_out',
    'startup_failure',
    'neutral',
    'action_required'
  ] as string[]
  const workflows = [
    { workflow: 'CI', path: '.github/workflows/ci.yml' },
    { workflow: 'secure-pipeline', path: '.github/workflows/pipeline.yml' },
    { workflow: 'Release', path: '.github/workflows/release.yml' }
  ]
  const runs: RunSeed[] = Array.from({ length: options.count }, (_, i) => {
    const w = pick(random, workflows)
    const unfinished = random() < 0.01
    return {
      id: 50_000_000 + i,
      ...w,
      branch:
        random() < 0.6 ? repo.defaultBranch : pick(random, ['feature/a', 'feature/b', 'dependabot/npm/x']),
      event: 'push',
      status: unfinished ? 'in_progress' : 'completed',
      conclusion: unfinished ? null : pick(random, conclusions),
      createdAt: iso(options.start + random() * (options.end - options.start)),
      headSha: sha(`run-${i}`)
    }
  })
  metricsData(repo).runs.push(...runs)
  return runs
}

/** Code scanning alerts opened over the history, some fixed, some dismissed. */
export function seedAlerts(
  repo: DoubleRepo,
  options: { seed: number; count: number; start: number; end: number }
): AlertSeed[] {
  const random = prng(options.seed)
  const levels = ['critical', 'high', 'medium', 'low'] as const
  const alerts: AlertSeed[] = Array.from({ length: options.count }, (_, i) => {
    const created = options.start + random() * (options.end - options.start)
    const closed = created + random() * 40 * DAY
    const fate = random()
    const state = closed > options.end || fate < 0.3 ? 'open' : fate < 0.85 ? 'fixed' : 'dismissed'
    return {
      number: i + 1,
      ruleId: `rule-${i % 23}`,
      securitySeverity: pick(random, levels),
      tool: 'Semgrep OSS',
      createdAt: iso(created),
      state,
      fixedAt: state === 'fixed' ? iso(closed) : undefined,
      dismissedAt: state === 'dismissed' ? iso(closed) : undefined,
      dismissedReason: state === 'dismissed' ? "won't fix" : undefined
    }
  })
  metricsData(repo).alerts.push(...alerts)
  return alerts
}

export type ChangeKind =
  | 'approved'
  | 'no-approval'
  | 'approved-after-merge'
  | 'self-approval'
  | 'failing-checks'
  | 'direct-push'
  | 'rebase'
  | 'merge-commit'

/**
 * The flags each kind of change must get under protection that requires one approval and the pipeline's
 * check (what the metrics tests set): known from how each kind is made, never from the code under test.
 */
export const FLAGS_UNDER_PROTECTION: Record<ChangeKind, string[]> = {
  approved: [],
  rebase: [],
  'merge-commit': [],
  'no-approval': ['no-approval', 'admin-bypass'],
  'approved-after-merge': ['no-approval', 'admin-bypass'],
  'self-approval': ['no-approval', 'self-approval', 'admin-bypass'],
  'failing-checks': ['failing-checks', 'admin-bypass'],
  'direct-push': ['direct-push', 'admin-bypass']
}

export interface ChangeTruth {
  kind: ChangeKind
  /** The commit the change left at the tip of the branch, and every commit it put on the first-parent chain. */
  commit: string
  commits: string[]
  pullNumber?: number
  headSha?: string
  at: number
  author: string
}

export const PIPELINE_CHECK = 'secure-pipeline'
/** A direct push reaches GitHub a few minutes after its commit was made. */
const PUSH_DELAY = 5 * 60_000
const user = (login: string, id: number): DoubleUser => ({ login, id, type: 'User' })

/**
 * The commits the gate runs tested, put in the branch's history as GitHub would have them: a line of
 * commits in the order given, dated before `before` so that the change collector, which lists the
 * period's commits, never sees them and the change records stay the generator's. Returns the newest,
 * for `seedChanges` to build on (its `base`): the runs then test commits behind the branch's tip.
 */
export function seedRunCommits(repo: DoubleRepo, commits: readonly string[], before: number): string {
  const line = [...new Set(commits)]
  let parent: string | undefined
  line.forEach((commit, i) => {
    parent = putDatedCommit(repo, {
      sha: commit,
      parents: parent ? [parent] : [],
      date: iso(before - (line.length - i) * 60_000),
      message: `Gate run commit ${i}`,
      author: user('founder', 1)
    })
  })
  if (!parent) throw new Error('seedRunCommits needs at least one commit')
  return parent
}

/**
 * Changes on the default branch, one per kind in order, spread over [start, end], plus pull requests that
 * were closed without merging or are still open. Every merged change has a `secure-pipeline` check on the
 * commit that was tested (failing for `failing-checks`).
 */
export function seedChanges(
  repo: DoubleRepo,
  options: {
    seed: number
    start: number
    end: number
    kinds: readonly ChangeKind[]
    /** The parent of the first commit (see seedRunCommits); none when absent. */
    base?: string
  }
): ChangeTruth[] {
  const data = metricsData(repo)
  const random = prng(options.seed)
  const branch = `refs/heads/${repo.defaultBranch}`
  let tip = putDatedCommit(repo, {
    sha: sha(`base-${options.seed}`),
    parents: options.base ? [options.base] : [],
    date: iso(options.start - 10 * DAY),
    message: 'Initial import',
    author: user('founder', 1)
  })
  repo.push(branch, tip, { at: iso(options.start - 10 * DAY + PUSH_DELAY), actor: user('founder', 1) })
  const truths: ChangeTruth[] = []
  const slot = (options.end - options.start) / options.kinds.length
  options.kinds.forEach((kind, i) => {
    const at = Math.round(options.start + (i + 0.5) * slot)
    const author = user(`dev-${i % 7}`, 100 + (i % 7))
    const reviewer = user(`reviewer-${i % 3}`, 200 + (i % 3))
    const name = `${options.seed}-${i}`
    const commit = (message: string, parents: string[], when: number, who = author) =>
      putDatedCommit(repo, { sha: sha(`${message}-${name}`), parents, date: iso(when), message, author: who })
    const checks = (ref: string, conclusion: string) =>
      data.checkRuns.set(ref, [
        { name: PIPELINE_CHECK, conclusion },
        { name: 'lint', conclusion: 'success' }
      ])
    if (kind === 'direct-push') {
      tip = commit(`Hotfix ${name}`, [tip], at, user('admin-user', 999))
      repo.push(branch, tip, { at: iso(at + PUSH_DELAY), actor: user('admin-user', 999) })
      checks(tip, 'success')
      truths.push({ kind, commit: tip, commits: [tip], at, author: 'admin-user' })
      return
    }
    const head = commit(`Work ${name}`, [tip], at - 2 * 3600_000)
    const onBranch: string[] = []
    if (kind === 'rebase') {
      const first = commit(`Rebased part 1 ${name}`, [tip], at)
      tip = commit(`Rebased part 2 ${name}`, [first], at)
      onBranch.push(tip, first)
    } else if (kind === 'merge-commit') {
      tip = commit(`Merge pull request ${name}`, [tip, head], at)
      onBranch.push(tip)
    } else {
      tip = commit(`Squashed ${name} (#)`, [tip], at)
      onBranch.push(tip)
    }
    // GitHub records the merge a moment after it dates the commits it made.
    repo.push(branch, tip, { at: iso(at + 2000), actor: reviewer, type: 'pr_merge' })
    const pull = repo.seedPullRequest({ head: `feature/${name}`, title: `Change ${name}`, user: author })
    Object.assign(pull, {
      state: 'closed',
      createdAt: iso(at - 3 * DAY),
      updatedAt: iso(at),
      headSha: head,
      merged: { at: iso(at), commitSha: tip, by: reviewer }
    })
    if (kind === 'rebase') data.rebasedCommits.set(onBranch[1]!, pull.number)
    checks(head, kind === 'failing-checks' ? 'failure' : 'success')
    const review = (who: DoubleUser, state: 'APPROVED' | 'COMMENTED', when: number) => ({
      user: who,
      state,
      submittedAt: iso(when),
      commitId: head
    })
    const reviews =
      kind === 'no-approval'
        ? [review(reviewer, 'COMMENTED', at - 3600_000)]
        : kind === 'approved-after-merge'
          ? [review(reviewer, 'APPROVED', at + 3600_000)]
          : kind === 'self-approval'
            ? [review(author, 'APPROVED', at - 3600_000)]
            : [review(reviewer, 'APPROVED', at - 3600_000), review(author, 'COMMENTED', at - 1800_000)]
    data.reviews.set(pull.number, reviews)
    truths.push({
      kind,
      commit: tip,
      commits: onBranch,
      pullNumber: pull.number,
      headSha: head,
      at,
      author: author.login
    })
    // Noise the lists must skip: a pull request closed without merging, one still open.
    if (random() < 0.2) {
      const closed = repo.seedPullRequest({ head: `abandoned/${name}`, user: author })
      Object.assign(closed, { state: 'closed', updatedAt: iso(at), closedAt: iso(at) })
    }
  })
  return truths
}

/**
 * A direct push to the default branch at `at` (GitHub's time) of one commit dated `date`, which whoever
 * pushes sets (`GIT_COMMITTER_DATE`): on top of the tip, or of `parent` (a force push when that is behind
 * it). Its pipeline check passed.
 */
export function pushCommit(
  repo: DoubleRepo,
  options: { message: string; date: number; at: number; author: DoubleUser; parent?: string }
): string {
  const branch = `refs/heads/${repo.defaultBranch}`
  const commit = putDatedCommit(repo, {
    sha: sha(`${options.message}-${options.date}`),
    parents: [options.parent ?? repo.refs.get(branch)!],
    date: iso(options.date),
    message: options.message,
    author: options.author
  })
  repo.push(branch, commit, { at: iso(options.at), actor: options.author })
  metricsData(repo).checkRuns.set(commit, [{ name: PIPELINE_CHECK, conclusion: 'success' }])
  return commit
}

/** The Argo CD and Flux exports of examples/metrics, copied under `<workspace>/status/{argocd,flux}/`. */
export function copyGitOpsExamples(workspace: string, examples: string): void {
  for (const [dir, files] of [
    ['argocd', ['app-list-2026-09-28.json', 'app-list-2026-09-30.json']],
    ['flux', ['kustomizations-2026-09-29.json', 'kustomizations-2026-09-30.json']]
  ] as const) {
    mkdirSync(path.join(workspace, 'status', dir), { recursive: true })
    for (const f of files) copyFileSync(path.join(examples, dir, f), path.join(workspace, 'status', dir, f))
  }
}
