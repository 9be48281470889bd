import * as path from 'node:path'
import type { Finding } from '../findings/finding.js'
import { checkExceptionHorizon } from '../policy/exceptions.js'
import { loadPolicy } from '../policy/load.js'
import {
  ANNOTATIONS_PER_LEVEL,
  formatAnnotation,
  selectAnnotations,
  type Annotation
} from '../report/annotations.js'
import { renderGateHtml } from './html/page.js'
import type { TriState } from '../runtime/inputs.js'
import { prepareOutputFile, writeOutputFile } from '../runtime/output-files.js'
import { writeEvidenceFile, type RunIdentity } from './evidence.js'
import { allFindings, loadReports } from './load-reports.js'
import { renderGateSections } from './render.js'
import { runUploadStep } from './upload-step.js'
import { evaluateGate, type GateVerdict } from './verdict.js'
import type { GateConfig, GatePorts, ReportingStatus } from './ports.js'

const HTML_REPORT_ROWS = 1000
const GATE_OUTPUT_FILES = ['evidence.json', 'report.html', 'combined.sarif']

export interface GateResult {
  verdict: GateVerdict
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

export async function runGate(config: GateConfig, ports: GatePorts): Promise<GateResult> {
  const { logger } = ports
  // Outputs of an earlier run, or committed by the pull request, never stand in for this run's.
  for (const name of GATE_OUTPUT_FILES) prepareOutputFile(config.workspace, path.join(config.outputDir, name))
  const policy = await logger.group('Policy', async () => {
    const p = loadPolicy(path.resolve(config.workspace, config.policyPath), {
      explicit: config.policyExplicit
    })
    checkExceptionHorizon(p.exceptions, config.today, p.maxExceptionDays)
    if (config.warnOnly !== undefined) p.warnOnly = config.warnOnly
    logger.info(
      `policy: ${p.source} (sha256 ${p.digest.slice(0, 12)}…), fail on ${p.defaults.failOn.join(', ')}`
    )
    return p
  })

  const loaded = await logger.group('Reports', async () => {
    const l = loadReports(config.workspace, config.reports, 'report')
    for (const r of l.reports)
      logger.info(`report ${r.file}: ${r.report.format}, ${r.report.findings.length} findings`)
    for (const b of l.broken) logger.warning(`report ${b.source}: ${b.message}`)
    return l
  })

  let baseline: Finding[] | undefined
  if (config.baseline.length > 0) {
    baseline = await logger.group('Baseline', async () => {
      const b = loadReports(config.workspace, config.baseline, 'baseline')
      // A missing or broken baseline only makes every finding new: stricter, never looser.
      for (const problem of b.broken)
        logger.warning(
          `baseline ${problem.source}: ${problem.message}; findings are compared with what could be read`
        )
      if (b.reports.length === 0) {
        logger.warning('No baseline could be read: every finding counts as new.')
        return undefined
      }
      return allFindings(b)
    })
  }

  const verdict = evaluateGate({
    findings: allFindings(loaded),
    brokenInputs: loaded.broken,
    baseline,
    policy,
    today: config.today
  })

  const notes: string[] = []
  const uploadMode = resolveToggle(config.upload, policy.upload)
  const { upload, sarifFile } = await runUploadStep(loaded, uploadMode, config, ports, notes)

  const htmlFile = path.join(config.outputDir, 'report.html')
  writeOutputFile(
    config.workspace,
    htmlFile,
    renderGateHtml(verdict, {
      generatedAt: ports.now().toISOString(),
      repository: ports.run.repository,
      commit: ports.run.commit,
      runUrl: runUrlOf(ports.run),
      // A page people open: the first 1,000 findings (new and blocking first); all are in the SARIF and evidence.
      maxRows: HTML_REPORT_ROWS
    })
  )
  notes.push(
    `The full report for people is \`${path.relative(config.workspace, htmlFile)}\`: keep it as an artifact.`
  )

  if (config.annotations) {
    for (const a of annotationsFor(verdict)) ports.writeLine(formatAnnotation(a))
  }

  const sections = renderGateSections(verdict, { topFindings: 50, notes })
  for (const s of sections) ports.summary.add(s)

  const commentMode = resolveToggle(config.comment, policy.comment)
  let comment: ReportingStatus = { status: 'skipped', detail: 'comments are off' }
  if (commentMode !== 'false') {
    if (!ports.github || !ports.github.canComment)
      comment = { status: 'skipped', detail: 'not a pull request, or no token' }
    else {
      const body = renderGateSections(verdict, { topFindings: 20, notes: [] }).join('\n\n')
      comment = await logger.group('PR comment', () => ports.github!.upsertComment(body))
    }
    if (comment.status !== 'done' && commentMode === 'true')
      ports.summary.add(`> PR comment ${comment.status}: ${comment.detail}`)
  }

  const evidenceFile = path.join(config.outputDir, 'evidence.json')
  writeEvidenceFile(config.workspace, evidenceFile, {
    verdict,
    policy,
    reports: loaded.reports.map(r => r.evidence),
    run: ports.run,
    generatedAt: ports.now().toISOString(),
    uploaded: { status: upload.status }
  })
  return { verdict, evidenceFile, htmlFile, sarifFile, upload, comment }
}

function runUrlOf(run: RunIdentity): string | undefined {
  if (!run.serverUrl || !run.repository || !run.runId) return undefined
  return `${run.serverUrl}/${run.repository}/actions/runs/${run.runId}`
}
