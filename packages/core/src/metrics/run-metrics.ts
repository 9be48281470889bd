import { createHash } from 'node:crypto'
import { existsSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import type { BranchProtectionFacts } from '../github/branch-protection.js'
import type { PullRequestRecord } from '../github/pull-requests.js'
import { BrokenInputError, ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import { selectFiles } from '../runtime/glob.js'
import { prepareOutputFile, writeOutputFile } from '../runtime/output-files.js'
import { alertMetrics, compareSources } from './alerts.js'
import { buildSuccess } from './build-success.js'
import { collectChanges } from './changes/collect.js'
import { changesCsv } from './changes/export.js'
import { addPromotion, bumpPullRequests, lastPromoted, type BumpPullRequests } from './changes/promotion.js'
import { pushSource, type PushSource } from './changes/pushes.js'
import {
  CHANGE_FLAGS,
  orderRecords,
  toChangeRecord,
  type ChangeRecord,
  type CollectedChange
} from './changes/records.js'
import { sampleChanges, type SampledChange } from './changes/sample.js'
import {
  AGE_BUCKET_LABELS,
  DEFINITIONS,
  METRICS_SCHEMA,
  periodOf,
  type MetricsDocument,
  type SourceStatus
} from './document.js'
import { readGitOpsStatus, type Deployment, type Observation } from './drift/status.js'
import { driftMetrics } from './drift/timeline.js'
import { pullRequestOf, supersede, type EvidenceRun } from './evidence-runs.js'
import { collectEvidence, type BrokenEvidence } from './evidence-source.js'
import { countsOverTime, followFindings, mttrBySeverity, openFindings } from './findings-timeline.js'
import { renderMetricsHtml } from './html.js'
import { buckets, DAY_MS, endedBy, inPeriod, parsePeriod, parsePeriodEnd, type Period } from './period.js'
import type { MetricsOptions, MetricsPorts } from './ports.js'
import { scoreBranchProtection } from './posture.js'
import { metricsSummary } from './summary.js'

export const METRICS_FILES = {
  metrics: 'metrics.json',
  html: 'report.html',
  changesJson: 'change-records.json',
  changesCsv: 'change-records.csv',
  sampleJson: 'sample.json',
  sampleCsv: 'sample.csv',
  coverage: 'coverage.json',
  sums: 'SHA256SUMS'
} as const

const MAX_STATUS_BYTES = 32 * 1024 * 1024
const CODEOWNERS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS']

export interface MetricsResult {
  document: MetricsDocument
  records: ChangeRecord[]
  sample: SampledChange[]
  /** Absolute paths of the files written, by role. */
  files: Record<keyof typeof METRICS_FILES, string>
}

/** A source that failed for a reason the report can state (no permission, no GHAS) does not stop the others. */
async function optional<T>(
  label: string,
  read: () => Promise<T>,
  ports: MetricsPorts
): Promise<{ value?: T; status: SourceStatus }> {
  try {
    return { value: await read(), status: { status: 'read' } }
  } catch (error) {
    if (error instanceof ConfigurationError) throw error
    const reason = getErrorMessage(error)
    ports.logger.warning(`${label}: ${reason}`)
    return { status: { status: 'unavailable', reason } }
  }
}

function readDeployments(options: MetricsOptions) {
  const observations: Observation[] = []
  const deployments: Deployment[] = []
  const broken: BrokenEvidence[] = []
  if (options.deployments.length === 0) return { observations, deployments, broken, files: 0 }
  const { files, unmatched } = selectFiles(
    options.workspace,
    options.deployments,
    options.inputNames.deployments
  )
  for (const pattern of unmatched)
    broken.push({ source: pattern, message: 'no status file matches this pattern' })
  for (const file of files) {
    try {
      const full = path.join(options.workspace, file)
      if (statSync(full).size > MAX_STATUS_BYTES)
        throw new BrokenInputError(file, `is over the ${MAX_STATUS_BYTES}-byte limit`)
      const read = readGitOpsStatus(readFileSync(full, 'utf8'), file)
      observations.push(...read.observations)
      deployments.push(...read.deployments)
    } catch (error) {
      if (!(error instanceof BrokenInputError)) throw error
      broken.push({ source: file, message: error.message.replace(`${error.source}: `, '') })
    }
  }
  return { observations, deployments, broken, files: files.length }
}

function gateRunIndex(runs: readonly EvidenceRun[]) {
  const byCommit = new Map<string, EvidenceRun[]>()
  const byPullRequest = new Map<number, EvidenceRun[]>()
  const add = <K>(map: Map<K, EvidenceRun[]>, key: K, run: EvidenceRun) => {
    const list = map.get(key)
    if (list) list.push(run)
    else map.set(key, [run])
  }
  // Runs come in time order, so each list does too.
  for (const run of runs) {
    const pr = pullRequestOf(run.ref)
    if (pr !== undefined) add(byPullRequest, pr, run)
    else if (run.onBranch && run.commit) add(byCommit, run.commit, run)
  }
  return { byCommit, byPullRequest }
}

/** The merged pull requests by the commit their last run tested: a run of that head may only speak for them. */
function pullRequestsByHead(pulls: readonly PullRequestRecord[]): Map<string, number[]> {
  const byHead = new Map<string, number[]>()
  for (const p of pulls) byHead.set(p.headSha, [...(byHead.get(p.headSha) ?? []), p.number])
  return byHead
}

/**
 * Partial when evidence that exists could not be checked (and so was not read): the measures then come
 * from less than all of it, which the report must say rather than only the log. Unavailable when no run
 * of the branch was read at all.
 */
function evidenceStatus(problems: readonly string[], branchRuns: number) {
  if (problems.length === 0) return { status: 'read' as const }
  // Each problem was logged as a warning where it arose.
  return {
    status: branchRuns === 0 ? ('unavailable' as const) : ('partial' as const),
    reason: problems.join('; ')
  }
}

function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex')
}

export async function runMetrics(options: MetricsOptions, ports: MetricsPorts): Promise<MetricsResult> {
  const { logger } = ports
  const startedAt = ports.now()
  const files = Object.fromEntries(
    Object.entries(METRICS_FILES).map(([role, name]) => [
      role,
      prepareOutputFile(options.workspace, path.join(options.outputDir, name))
    ])
  ) as MetricsResult['files']
  const period: Period = endedBy(
    parsePeriod(
      options.period,
      options.end === undefined ? startedAt : parsePeriodEnd(options.end, options.inputNames.end),
      options.inputNames.period
    ),
    startedAt,
    options.end === undefined ? options.inputNames.period : options.inputNames.end,
    options.end ?? options.period
  )
  const github = ports.github
  const described = github ? await github.describe() : undefined
  const branch = options.branch ?? described?.defaultBranch ?? ports.context.defaultBranch ?? 'main'
  const repository = github
    ? `${github.repository.owner}/${github.repository.repo}`
    : ports.context.repository
  const slices = buckets(period)
  logger.info(
    `metrics for ${repository ?? 'this repository'} ${branch}, ${period.label} (${slices.length} slices)`
  )

  const off = (reason: string): SourceStatus => ({ status: 'off', reason })
  const noToken = off('no token: pass a token to read it from GitHub')

  // Changes first: the merged pull requests' heads say which pull request runs' evidence to download.
  let protectionFacts: BranchProtectionFacts | undefined
  let protectionStatus: SourceStatus = options.branchProtection ? noToken : off('branch-protection is false')
  if (github && options.branchProtection) {
    const r = await logger.group('Branch protection', () =>
      optional('branch protection', () => github.branchProtection(branch), ports)
    )
    protectionFacts = r.value
    protectionStatus = r.status
  }
  let collected: CollectedChange[] | undefined
  let changeStatus: SourceStatus = options.changeRecords ? noToken : off('change-records is false')
  let pushStatus: PushSource = {
    status: 'off',
    reason: options.changeRecords ? 'no token' : 'change-records is false'
  }
  let pulls: PullRequestRecord[] = []
  if (github && options.changeRecords) {
    const r = await logger.group('Changes', () =>
      optional(
        'change records',
        () =>
          collectChanges(github, { branch, window: period, requiredChecks: protectionFacts?.requiredChecks }),
        ports
      )
    )
    collected = r.value?.changes
    changeStatus = r.status
    pushStatus = r.value
      ? pushSource(r.value.pushes, branch, logger)
      : { status: 'unavailable', reason: 'the change records could not be read' }
    pulls = (collected ?? []).flatMap(c => (c.pull ? [c.pull] : []))
  }

  const evidence = await logger.group('Gate evidence', () =>
    collectEvidence(
      {
        workspace: options.workspace,
        patterns: options.evidence,
        inputName: options.inputNames.evidence,
        branch,
        repository,
        artifact:
          described && options.evidenceArtifact
            ? {
                name: options.evidenceArtifact,
                since: new Date(period.from.getTime() - options.evidenceLookbackDays * DAY_MS),
                repositoryId: described.id,
                max: options.maxArtifacts,
                pullRequestHeads: pullRequestsByHead(pulls)
              }
            : undefined
      },
      github,
      logger
    )
  )
  const branchRuns = evidence.runs.filter(r => r.onBranch)
  const { current, superseded } = supersede(branchRuns)
  if (superseded.length > 0)
    logger.info(
      `${superseded.length} gate run(s) of ${branch} finished after a newer run of the same gate and are not followed (a re-run, or a slower run of an older commit): ${superseded.map(r => r.source).join(', ')}`
    )
  const timeline = followFindings(current)
  const mttr = mttrBySeverity(timeline.episodes, period)
  // Without a single run of the branch nothing is known to be open: unknown, never 0 findings.
  const open = branchRuns.length > 0 ? openFindings(timeline.episodes, period) : undefined

  let codeScanning: MetricsDocument['codeScanning'] = null
  let alertCount: number | undefined
  let codeScanningStatus: SourceStatus =
    options.codeScanning === 'false' ? off('code-scanning is false') : noToken
  if (github && options.codeScanning !== 'false') {
    const alerts = await logger.group('Code scanning alerts', () => github.codeScanningAlerts())
    if (alerts.status === 'read') {
      alertCount = alerts.value.length
      const m = alertMetrics(alerts.value, period)
      codeScanning = { ...m, disagreements: compareSources({ mttr, open }, m) }
      codeScanningStatus = { status: 'read' }
    } else {
      if (options.codeScanning === 'true')
        throw new ConfigurationError(`Code scanning alerts are unavailable: ${alerts.reason}`)
      codeScanningStatus = { status: 'unavailable', reason: alerts.reason }
    }
  }

  let builds: MetricsDocument['builds'] = null
  let runsStatus: SourceStatus = options.workflowRuns ? noToken : off('workflow-runs is false')
  let runCount: number | undefined
  if (github && options.workflowRuns) {
    const r = await logger.group('Workflow runs', () =>
      optional('workflow runs', () => github.workflowRuns(period), ports)
    )
    runsStatus = r.status
    if (r.value) {
      runCount = r.value.length
      builds = buildSuccess(r.value, branch, slices)
    }
  }

  const gitops = readDeployments(options)
  const manifests = options.manifestsRepository ?? github?.repository
  let bumps: BumpPullRequests = { counted: [], refused: [] }
  if (github && manifests && collected) {
    const sameRepository =
      manifests.owner === github.repository.owner && manifests.repo === github.repository.repo
    const candidates = sameRepository ? pulls : await github.mergedPullRequests(manifests, undefined, period)
    bumps = bumpPullRequests(candidates, options.bumpBranchPrefix, `${manifests.owner}/${manifests.repo}`)
    for (const { pull, reason } of bumps.refused)
      logger.warning(`Pull request #${pull.number} (${pull.url}) is not counted as a bump: ${reason}.`)
  }
  const promoted = options.promotedRevision ?? lastPromoted(bumps.counted)
  const drift =
    options.deployments.length > 0
      ? { ...driftMetrics(gitops.observations, period, promoted), promotedRevision: promoted }
      : null

  let records: ChangeRecord[] = []
  if (collected) {
    const context = {
      branch,
      protection: protectionFacts,
      gateRuns: gateRunIndex(evidence.runs),
      bypassedCommits: undefined as Set<string> | undefined
    }
    if (github) {
      const bypasses = await github.rulesetBypasses(branch)
      if (bypasses.status === 'read') context.bypassedCommits = new Set(bypasses.value.map(b => b.afterSha))
      else
        logger.info(
          `rule insights unavailable (${bypasses.reason}); admin bypasses are inferred from the branch's current protection`
        )
    }
    records = collected.map(c => toChangeRecord(c, context))
    if (manifests) addPromotion(records, bumps, `${manifests.owner}/${manifests.repo}`, gitops)
    records = orderRecords(records)
  }
  const seed = options.sampleSeed ?? period.label
  const sample = sampleChanges(records, options.sampleSize, seed)

  // Without a checkout (no .git) the workspace says nothing about CODEOWNERS: unknown, not missing.
  const codeOwnersFile = existsSync(path.join(options.workspace, '.git'))
    ? CODEOWNERS.some(f => existsSync(path.join(options.workspace, f)))
    : undefined
  const document: MetricsDocument = {
    schema: METRICS_SCHEMA,
    generatedAt: startedAt.toISOString(),
    repository,
    branch,
    period: periodOf(period),
    definitions: DEFINITIONS,
    sources: {
      evidence: {
        ...evidenceStatus(evidence.problems, branchRuns.length),
        files: evidence.files,
        branchRuns: branchRuns.length,
        pullRequestRuns: evidence.runs.length - branchRuns.length,
        partialRuns: timeline.partialRuns,
        supersededRuns: superseded.length,
        broken: evidence.broken,
        artifacts: evidence.artifacts
      },
      codeScanning: { ...codeScanningStatus, alerts: alertCount },
      workflowRuns: { ...runsStatus, runs: runCount },
      branchProtection: {
        ...protectionStatus,
        sources: protectionFacts?.sources,
        unreadable: protectionFacts?.unreadable
      },
      deployments: {
        ...(options.deployments.length ? { status: 'read' as const } : off('no deployments given')),
        files: gitops.files,
        applications: drift?.apps.length ?? 0,
        broken: gitops.broken
      },
      changeRecords: changeStatus,
      pushes: pushStatus,
      api: github?.usage()
    },
    vulnerabilities: {
      mttr,
      open: open?.open ?? null,
      suppressed: open?.suppressed ?? null,
      ageBuckets: AGE_BUCKET_LABELS,
      ages: open?.ages ?? null,
      oldestOpenDays: open?.oldestDays ?? null,
      openedInPeriod: timeline.episodes.filter(e => e.openedKnown && inPeriod(period, e.openedAt)).length,
      remediatedInPeriod: timeline.episodes.filter(
        e => e.remediatedAt !== undefined && inPeriod(period, e.remediatedAt)
      ).length,
      series: countsOverTime(current, slices)
    },
    codeScanning,
    builds,
    branchProtection: protectionFacts
      ? {
          ...scoreBranchProtection(protectionFacts, {
            pipelineChecks: options.pipelineChecks,
            codeOwnersFile
          }),
          facts: protectionFacts
        }
      : null,
    drift,
    changes: collected
      ? {
          population: records.length,
          flagged: records.filter(r => r.flags.length > 0).length,
          byFlag: Object.fromEntries(
            CHANGE_FLAGS.map(f => [f, records.filter(r => r.flags.includes(f)).length])
          ) as Record<(typeof CHANGE_FLAGS)[number], number>,
          sample: { size: sample.length, seed, commits: sample.map(s => s.record.commit) }
        }
      : null
  }

  const write = (file: string, text: string) => writeOutputFile(options.workspace, file, text)
  write(files.metrics, JSON.stringify(document, null, 2) + '\n')
  write(files.html, renderMetricsHtml(document, records, sample, { runUrl: ports.context.runUrl }))
  write(
    files.changesJson,
    JSON.stringify(
      { schema: 'secure-pipeline/change-records@1', period: document.period, branch, records },
      null,
      2
    ) + '\n'
  )
  write(files.changesCsv, changesCsv(records))
  write(
    files.sampleJson,
    JSON.stringify(
      {
        schema: 'secure-pipeline/change-sample@1',
        seed,
        size: options.sampleSize,
        population: records.length,
        rule: 'the changes with the smallest sha256("<seed>:<commit>")',
        sample: sample.map(s => ({ key: s.key, ...s.record }))
      },
      null,
      2
    ) + '\n'
  )
  write(
    files.sampleCsv,
    changesCsv(
      sample.map(s => s.record),
      { header: 'sample_key', values: sample.map(s => s.key) }
    )
  )
  write(
    files.coverage,
    JSON.stringify(
      {
        period: document.period,
        branch,
        gateRuns: evidence.runs.map(r => ({
          runId: r.runId,
          commit: r.commit,
          ref: r.ref,
          event: r.event,
          at: new Date(r.time).toISOString(),
          outcome: r.outcome,
          evidence: r.source,
          sha256: r.sha256
        })),
        commits: records.flatMap(r => r.commits),
        workflowRuns: runCount ?? null,
        brokenEvidence: evidence.broken
      },
      null,
      2
    ) + '\n'
  )
  const sums = Object.entries(files)
    .filter(([role]) => role !== 'sums')
    .map(([, file]) => `${sha256(file)}  ${path.basename(file)}`)
  write(files.sums, sums.join('\n') + '\n')

  const relative = (file: string) => path.relative(options.workspace, file)
  for (const section of metricsSummary(document, records, {
    html: relative(files.html),
    bundle: relative(options.outputDir)
  }))
    ports.summary.add(section)
  return { document, records, sample, files }
}
