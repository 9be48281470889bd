import { mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Finding, ScanReport } from '../findings/finding.js'
import { checkExceptionHorizon } from '../policy/exceptions.js'
import { loadPolicy } from '../policy/load.js'
import { formatAnnotation, selectAnnotations, type Annotation } from '../report/annotations.js'
import type { JobSummary } from '../report/summary.js'
import { BrokenInputError, getErrorMessage } from '../runtime/errors.js'
import { selectFiles } from '../runtime/glob.js'
import type { TriState } from '../runtime/inputs.js'
import type { Logger } from '../runtime/logger.js'
import { buildSarifLog } from '../sarif/write.js'
import type { SarifLog } from '../sarif/types.js'
import { readReportFile } from '../findings/read-report.js'
import { buildEvidence, type ReportEvidence, type RunIdentity } from './evidence.js'
import { renderGateSections } from './render.js'
import { droppedTotal, fitSarifToBudget, type BudgetReport } from './sarif-budget.js'
import { validateSarifSchema } from './sarif-schema.js'
import { rawResultSeverity } from './upload-severity.js'
import { evaluateGate, type BrokenInput, type GateVerdict } from './verdict.js'

export interface GateConfig {
  workspace: string
  reports: string[]
  baseline: string[]
  policyPath: string
  policyExplicit: boolean
  /** Overrides the policy file for this run when set. */
  warnOnly?: boolean
  upload?: TriState
  comment?: TriState
  annotations: boolean
  outputDir: string
  topFindings: number
  today: string
}

export type ReportingStatus = { status: 'done' | 'skipped' | 'unavailable' | 'failed'; detail: string }

/** The GitHub side effects; absent when there is no token or repository context. */
export interface GateGitHub {
  canComment: boolean
  upsertComment(body: string): Promise<ReportingStatus>
  uploadSarif(sarif: string): Promise<ReportingStatus>
}

export interface GatePorts {
  logger: Logger
  summary: JobSummary
  writeLine(line: string): void
  github?: GateGitHub
  run: RunIdentity
  now: () => Date
}

export interface GateResult {
  verdict: GateVerdict
  evidenceFile: string
  sarifFile?: string
  upload: ReportingStatus
  comment: ReportingStatus
}

interface LoadedReports {
  reports: { file: string; absolute: string; report: ScanReport; evidence: ReportEvidence }[]
  broken: BrokenInput[]
}

function loadReports(workspace: string, patterns: string[], label: string): LoadedReports {
  const { files, unmatched } = selectFiles(workspace, patterns)
  const broken: BrokenInput[] = unmatched.map(p => ({
    source: p,
    message: `no ${label} file matches this pattern: the scanner did not run or wrote elsewhere`
  }))
  const reports: LoadedReports['reports'] = []
  for (const file of files) {
    const absolute = path.join(workspace, file)
    try {
      const report = readReportFile(absolute, { source: file, workspace })
      reports.push({
        file,
        absolute,
        report,
        evidence: {
          file,
          sha256: report.digest?.sha256 ?? '',
          bytes: report.digest?.bytes ?? 0,
          format: report.format,
          tools: report.tools,
          findings: report.findings.length
        }
      })
      for (const problem of report.problems.filter(p => p.level === 'error')) {
        broken.push({ source: file, message: `the scanner reported an error: ${problem.message}` })
      }
    } catch (error) {
      if (!(error instanceof BrokenInputError)) throw error
      broken.push({ source: file, message: error.message.replace(`${error.source}: `, '') })
    }
  }
  return { reports, broken }
}

function resolveToggle(input: TriState | undefined, fromPolicy: boolean | 'auto'): TriState {
  if (input !== undefined) return input
  return fromPolicy === 'auto' ? 'auto' : fromPolicy ? 'true' : 'false'
}

function annotationsFor(verdict: GateVerdict): Annotation[] {
  const items = verdict.findings
    .filter(e => e.counted && e.finding.location?.startLine !== undefined)
    .map(e => ({
      level: e.blocking ? ('error' as const) : ('warning' as const),
      title: `${e.finding.severity} ${e.finding.ruleId} (${e.finding.scanner})`,
      message: e.finding.message,
      file: e.finding.location!.path,
      startLine: e.finding.location!.startLine,
      endLine: e.finding.location!.endLine,
      startColumn: e.finding.location!.startColumn,
      endColumn: e.finding.location!.endColumn
    }))
  return selectAnnotations(items)
}

function combinedSarif(loaded: LoadedReports, logger: Logger): { log: SarifLog; report: BudgetReport } {
  const logs: SarifLog[] = loaded.reports.map(({ file, absolute, report }) => {
    if (report.format === 'sarif') {
      try {
        return JSON.parse(readFileSync(absolute, 'utf8')) as SarifLog
      } catch (error) {
        logger.warning(`${file}: re-reading for upload failed: ${getErrorMessage(error)}`)
      }
    }
    return buildSarifLog([{ tool: report.tools[0] ?? { name: report.format }, findings: report.findings }])
  })
  return fitSarifToBudget(logs, rawResultSeverity)
}

export async function runGate(config: GateConfig, ports: GatePorts): Promise<GateResult> {
  const { logger } = ports
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
      logger.info(`${r.file}: ${r.report.format}, ${r.report.findings.length} findings`)
    for (const b of l.broken) logger.warning(`${b.source}: ${b.message}`)
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
      return b.reports.flatMap(r => r.report.findings)
    })
  }

  const verdict = evaluateGate({
    findings: loaded.reports.flatMap(r => r.report.findings),
    brokenInputs: loaded.broken,
    baseline,
    policy,
    today: config.today
  })

  mkdirSync(config.outputDir, { recursive: true })
  const notes: string[] = []
  const uploadMode = resolveToggle(config.upload, policy.upload)
  let upload: ReportingStatus = { status: 'skipped', detail: 'upload is off' }
  let sarifFile: string | undefined
  if (uploadMode !== 'false' && loaded.reports.length > 0) {
    const outcome = await logger.group('Code scanning upload', async () => {
      const { log, report } = combinedSarif(loaded, logger)
      sarifFile = path.join(config.outputDir, 'combined.sarif')
      const text = JSON.stringify(log)
      writeFileSync(sarifFile, text)
      notes.push(budgetNote(report))
      if (!ports.github)
        return { status: 'unavailable', detail: 'no token or repository context' } as ReportingStatus
      const schemaProblems = validateSarifSchema(log)
      if (schemaProblems.length > 0) {
        return {
          status: 'failed',
          detail: `the combined SARIF does not validate: ${schemaProblems.map(p => `${p.path} ${p.message}`).join('; ')}`
        } as ReportingStatus
      }
      return ports.github.uploadSarif(text)
    })
    upload = outcome
    if (upload.status !== 'done') {
      notes.push(
        `Code scanning upload ${upload.status}: ${upload.detail}. The combined SARIF is in \`${path.relative(config.workspace, sarifFile ?? config.outputDir)}\`; upload it as an artifact.`
      )
      if (uploadMode === 'true') logger.warning(`SARIF upload ${upload.status}: ${upload.detail}`)
    }
  }

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
  const evidence = buildEvidence({
    verdict,
    policy,
    reports: loaded.reports.map(r => r.evidence),
    run: ports.run,
    generatedAt: ports.now().toISOString(),
    uploaded: { status: upload.status }
  })
  writeFileSync(evidenceFile, JSON.stringify(evidence))
  return { verdict, evidenceFile, sarifFile, upload, comment }
}

function budgetNote(r: BudgetReport): string {
  const dropped = droppedTotal(r)
  const parts = [
    `SARIF for code scanning: ${r.resultsOut} result(s) in ${r.runsOut} run(s), ${(r.gzipBytes / 1024).toFixed(0)} KiB gzipped`
  ]
  if (r.duplicatesRemoved) parts.push(`${r.duplicatesRemoved} duplicate(s) removed`)
  if (r.fingerprintsAdded) parts.push(`fingerprints added to ${r.fingerprintsAdded}`)
  if (r.locationsTrimmed) parts.push(`${r.locationsTrimmed} extra location(s) trimmed`)
  if (r.renamedCategories.length) parts.push(`categories split: ${r.renamedCategories.join(', ')}`)
  let note = parts.join('; ') + '.'
  if (dropped > 0) {
    const rows = r.dropped.map(
      d =>
        `- ${d.category} (${d.reason}): ${Object.entries(d.bySeverity)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')}`
    )
    note += `\n\n**${dropped} result(s) were left out of the upload to fit GitHub's limits** (least severe first):\n${rows.join('\n')}`
  }
  return note
}
