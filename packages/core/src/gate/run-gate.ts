import { checkExceptionHorizon } from '../policy/exceptions.js'
import * as path from 'node:path'
import type { Finding } from '../findings/finding.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import {
  ANNOTATIONS_PER_LEVEL,
  formatAnnotation,
  selectAnnotations,
  type Annotation
} from '../report/annotations.js'
import { escapeMarkdown } from '../report/markdown.js'
import { ConfigurationError } from '../runtime/errors.js'
import type { TriState } from '../runtime/inputs.js'
import { prepareOutputFile, removeLinksUnder, writeOutputFile } from '../runtime/output-files.js'
import { policyEvidence, writeEvidenceFile } from './evidence.js'
import { renderGateHtml } from './html/page.js'
import { allFindings, loadReports, selectReports, type LoadedReports } from './load-reports.js'
import {
  reviewOwnChecks,
  suppressionsAddedByChange,
  type OwnChecksReview,
  type SuppressionsByChange
} from './own-checks.js'
import { findingsOnAliasedPaths } from './path-aliases.js'
import { resolvePolicySources, type PolicySources } from '../policy-source/resolve.js'
import type { GateConfig, GatePorts, ReportingStatus, RunIdentity } from './ports.js'
import { renderGateSections } from './render.js'
import { unmatchedScannerWarnings } from './scanner-entries.js'
import { runUploadStep } from './upload-step.js'
import { evaluateGate, type BrokenInput, type GateInputs, type GateVerdict } from './verdict.js'

const HTML_REPORT_ROWS = 1000
const DEFAULT_TOP_FINDINGS = 50
/** A PR comment stays readable, and far under GitHub's 65,536 characters. */
const COMMENT_TOP_FINDINGS = 20
const GATE_OUTPUT_FILES = ['evidence.json', 'report.html', 'combined.sarif']

export interface GateResult {
  verdict: GateVerdict
  /** On a change that edits the policy: the verdict of the version that did not decide. */
  otherVerdict?: GateVerdict
  evidenceFile: string
  htmlFile: string
  sarifFile?: string
  upload: ReportingStatus
  comment: ReportingStatus
}

function resolveToggle(input: TriState | undefined, fromPolicy: boolean | 'auto'): TriState {
  if (input !== undefined) return input
  return fromPolicy === 'auto' ? 'auto' : fromPolicy ? 'true' : 'false'
}

/**
 * The first ANNOTATIONS_PER_LEVEL errors and warnings in report order, the same selection
 * selectAnnotations makes, built without an Annotation per finding (reports can hold 100,000).
 */
function annotationsFor(verdict: GateVerdict): Annotation[] {
  const items: Annotation[] = []
  let errors = 0
  let warnings = 0
  for (const e of verdict.findings) {
    if (errors >= ANNOTATIONS_PER_LEVEL && warnings >= ANNOTATIONS_PER_LEVEL) break
    const location = e.finding.location
    if (!e.counted || location?.startLine === undefined) continue
    if ((e.blocking ? errors++ : warnings++) >= ANNOTATIONS_PER_LEVEL) continue
    items.push({
      level: e.blocking ? 'error' : 'warning',
      title: `${e.finding.severity} ${e.finding.ruleId} (${e.finding.scanner})`,
      message: e.finding.message,
      file: location.path,
      startLine: location.startLine,
      endLine: location.endLine,
      startColumn: location.startColumn,
      endColumn: location.endColumn
    })
  }
  return selectAnnotations(items)
}

async function readReports(
  config: GateConfig,
  ports: GatePorts,
  base: PullRequestBase | undefined
): Promise<{ loaded: LoadedReports; baseline?: Finding[]; refusedBaselines: BrokenInput[] }> {
  const { logger } = ports
  const changedByPullRequest = base ? (file: string) => base.changed(file) : undefined
  const loaded = await logger.group('Reports', async () => {
    const selection = selectReports(config.workspace, config.reports, 'report')
    const committed = await ports.committedFiles(selection.files)
    const l = loadReports(config.workspace, selection, { label: 'report', changedByPullRequest, committed })
    for (const r of l.reports)
      logger.info(`report ${r.file}: ${r.report.format}, ${r.report.findings.length} findings`)
    for (const b of l.broken) logger.warning(`report ${b.source}: ${b.message}`)
    return l
  })
  if (config.baseline.length === 0) return { loaded, refusedBaselines: [] }
  return logger.group('Baseline', async () => {
    const b = loadReports(config.workspace, selectReports(config.workspace, config.baseline, 'baseline'), {
      label: 'baseline',
      changedByPullRequest
    })
    refuseReportsAsBaseline(loaded, b)
    // A baseline the PR wrote itself is refused outright. Any other missing or broken baseline only
    // makes every finding new: stricter, never looser.
    const refusedBaselines = b.broken.filter(problem => problem.providedByChange)
    for (const problem of b.broken)
      logger.warning(
        `baseline ${problem.source}: ${problem.message}${problem.providedByChange ? '' : '; findings are compared with what could be read'}`
      )
    if (b.reports.length === 0) {
      logger.warning('No baseline could be read: every finding counts as new.')
      return { loaded, refusedBaselines }
    }
    return { loaded, baseline: allFindings(b), refusedBaselines }
  })
}

/** A report that is also its own baseline makes every finding known: the gate would pass anything. */
function refuseReportsAsBaseline(reports: LoadedReports, baseline: LoadedReports): void {
  const reportFiles = new Set(reports.reports.map(r => r.file))
  const both = baseline.reports.find(r => reportFiles.has(r.file))
  if (both)
    throw new ConfigurationError(
      `Input 'baseline' matches ${both.file}, which input 'reports' reads too; point 'baseline' at the base branch's reports only.`
    )
}

function commentBody(
  verdict: GateVerdict,
  sources: PolicySources,
  ownChecks: OwnChecksReview | undefined,
  topFindings: number
): string {
  return renderGateSections(verdict, {
    topFindings: Math.min(COMMENT_TOP_FINDINGS, topFindings),
    notes: [],
    policy: sources,
    ownChecks
  }).join('\n\n')
}

async function postComment(mode: TriState, body: () => string, ports: GatePorts): Promise<ReportingStatus> {
  if (mode === 'false') return { status: 'skipped', detail: 'comments are off' }
  const github = ports.github
  const comment: ReportingStatus =
    github && github.canComment
      ? await ports.logger.group('PR comment', () => github.upsertComment(body()))
      : { status: 'skipped', detail: 'not a pull request, or no token' }
  if (comment.status !== 'done' && mode === 'true')
    ports.summary.add(`> PR comment ${comment.status}: ${comment.detail}`)
  return comment
}

function runUrlOf(run: RunIdentity): string | undefined {
  if (!run.serverUrl || !run.repository || !run.runId) return undefined
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`
}

/**
 * With `reviewed` on a change event: the findings whose in-source suppression the change adds, read from
 * git and the workspace here so that the verdict stays a pure function. Undefined otherwise.
 */
async function suppressionsOfChange(
  config: GateConfig,
  ports: GatePorts,
  base: PullRequestBase | undefined,
  findings: Finding[]
): Promise<SuppressionsByChange | undefined> {
  if (!base || config.inSourceSuppressions !== 'reviewed') return undefined
  const byChange = await suppressionsAddedByChange(base, config.workspace, findings)
  for (const u of byChange.unread)
    ports.logger.warning(`in-source suppressions in ${u.path} count as this change's: ${u.problem}`)
  return byChange
}

export async function runGate(config: GateConfig, ports: GatePorts): Promise<GateResult> {
  const { logger } = ports
  const startedAt = ports.now()
  const today = startedAt.toISOString().slice(0, 10)
  const topFindings = config.topFindings ?? DEFAULT_TOP_FINDINGS
  // Outputs of an earlier run, or committed by the pull request, never stand in for this run's.
  for (const name of GATE_OUTPUT_FILES) prepareOutputFile(config.workspace, path.join(config.outputDir, name))
  for (const link of removeLinksUnder(config.workspace, config.outputDir, 'output-dir'))
    logger.warning(
      `${link} is a symbolic link in the output directory; it is removed, never uploaded as evidence.`
    )
  const base = await ports.changeBase()
  if (base) logger.info(`change base: ${base.event} on ${base.commit} (${base.changes.length} changed files)`)

  const sources = await logger.group('Policy', async () => {
    const github = ports.github
    const s = await resolvePolicySources(config.policy, {
      workspace: config.workspace,
      base,
      readCentralFile:
        github && ((repository, file, ref) => github.readRepositoryFile(repository, file, ref)),
      finish: policy => {
        checkExceptionHorizon(policy.exceptions, today, policy.maxExceptionDays)
        return config.warnOnly === undefined ? policy : { ...policy, warnOnly: config.warnOnly }
      }
    })
    const { policy, origin } = s.deciding
    logger.info(
      `policy: ${policy.source} from ${origin} (sha256 ${policy.digest.slice(0, 12)}…), ${s.decidedBy} decides, fail on ${policy.defaults.failOn.join(', ')}`
    )
    if (s.other) logger.warning(`This pull request changes the policy; the ${s.decidedBy} version decides.`)
    return s
  })

  const { loaded, baseline, refusedBaselines } = await readReports(config, ports, base)
  const aliased = base ? findingsOnAliasedPaths(base.changes, loaded.reports) : []
  for (const a of aliased) logger.warning(`report ${a.source}: ${a.message}`)
  const findings = allFindings(loaded)
  if (loaded.warnings.length > 0)
    logger.warning(
      `${loaded.warnings.length} scanner warning(s) in ${new Set(loaded.warnings.map(w => w.source)).size} report(s): the scans left something out; see the job summary.`
    )
  const scannerWarnings = unmatchedScannerWarnings(sources.deciding.policy, loaded.reports)
  for (const warning of scannerWarnings) logger.warning(warning)
  const byChange = await suppressionsOfChange(config, ports, base, findings)
  const inputs: Omit<GateInputs, 'policy'> = {
    findings,
    brokenInputs: [...loaded.broken, ...aliased, ...refusedBaselines],
    scannerWarnings: loaded.warnings,
    baseline,
    today,
    inSourceSuppressions: config.inSourceSuppressions,
    inSourceByChange: byChange?.findings
  }
  const verdict = evaluateGate({ ...inputs, policy: sources.deciding.policy })
  const otherPolicy = sources.other?.policy
  const otherVerdict = otherPolicy ? evaluateGate({ ...inputs, policy: otherPolicy }) : undefined
  const ownChecks = base
    ? await reviewOwnChecks({
        sources,
        otherVerdict,
        verdict,
        base,
        workspace: config.workspace,
        suppressionFilesUnread: byChange?.unread
      })
    : undefined
  if (ownChecks && ownChecks.suppressionsInChangedFiles.length > 0)
    logger.warning(
      `${ownChecks.suppressionsInChangedFiles.length} in-source suppression(s) sit in files this pull request changes; see the job summary.`
    )
  if (verdict.inSourceByChange)
    logger.warning(
      `${verdict.inSourceByChange} in-source suppression(s) are added by this change and count until it is merged (in-source-suppressions: reviewed).`
    )

  const upload = await runUploadStep(
    loaded,
    resolveToggle(config.upload, sources.deciding.policy.upload),
    config,
    ports
  )

  const htmlFile = path.join(config.outputDir, 'report.html')
  writeOutputFile(
    config.workspace,
    htmlFile,
    renderGateHtml(verdict, {
      generatedAt: startedAt.toISOString(),
      repository: ports.run.repository,
      commit: ports.run.commit,
      runUrl: runUrlOf(ports.run),
      // A page people open: the first 1,000 findings (new and blocking first); all are in the SARIF and evidence.
      maxRows: HTML_REPORT_ROWS
    })
  )

  if (config.annotations) for (const a of annotationsFor(verdict)) ports.writeLine(formatAnnotation(a))

  const notes = [
    ...scannerWarnings.map(warning => `> [!WARNING]\n> ${escapeMarkdown(warning)}`),
    ...upload.notes,
    `The full report for people is \`${path.relative(config.workspace, htmlFile)}\`: keep it as an artifact.`
  ]
  const changed = base ? (file: string) => base.changed(file) : undefined
  for (const s of renderGateSections(verdict, { topFindings, notes, policy: sources, ownChecks, changed }))
    ports.summary.add(s)

  const comment = await postComment(
    resolveToggle(config.comment, sources.deciding.policy.comment),
    () => commentBody(verdict, sources, ownChecks, topFindings),
    ports
  )

  const evidenceFile = path.join(config.outputDir, 'evidence.json')
  writeEvidenceFile(config.workspace, evidenceFile, {
    verdict,
    policy: policyEvidence(sources, otherVerdict),
    reports: loaded.reports.map(r => r.evidence),
    run: ports.run,
    generatedAt: startedAt.toISOString(),
    uploaded: { status: upload.upload.status },
    inSourceInChangedFiles: ownChecks?.suppressionsInChangedFiles.length,
    ignoreFiles: ownChecks?.ignoreFiles
  })
  return {
    verdict,
    otherVerdict,
    evidenceFile,
    htmlFile,
    sarifFile: upload.sarifFile,
    upload: upload.upload,
    comment
  }
}
