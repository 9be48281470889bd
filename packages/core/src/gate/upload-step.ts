import * as path from 'node:path'
import { escapeMarkdown } from '../report/markdown.js'
import type { TriState } from '../runtime/inputs.js'
import { writeOutputFile } from '../runtime/output-files.js'
import {
  CODE_SCANNING_LIMITS,
  droppedTotal,
  fitToBudget,
  uploadSources,
  type BudgetReport
} from './combined-sarif.js'
import type { LoadedReports } from './load-reports.js'
import type { GateConfig, GatePorts, ReportingStatus } from './ports.js'

export interface UploadOutcome {
  upload: ReportingStatus
  sarifFile?: string
  /** Sections for the job summary: the budget account, and what to do when the upload did not happen. */
  notes: string[]
}

/**
 * Writes the combined, budget-checked SARIF next to the evidence and uploads it when it can.
 * Reporting is separate from gating: every way this can go wrong is a note, never a failure.
 */
export async function runUploadStep(
  loaded: LoadedReports,
  uploadMode: TriState,
  config: Pick<GateConfig, 'outputDir' | 'workspace'>,
  ports: Pick<GatePorts, 'logger' | 'github'>
): Promise<UploadOutcome> {
  if (uploadMode === 'false') return { upload: { status: 'skipped', detail: 'upload is off' }, notes: [] }
  if (loaded.reports.length === 0)
    return { upload: { status: 'skipped', detail: 'no report could be read' }, notes: [] }
  const { logger } = ports
  const notes: string[] = []
  const sarifFile = path.join(config.outputDir, 'combined.sarif')
  const upload = await logger.group('Code scanning upload', async (): Promise<ReportingStatus> => {
    const { log, text, report } = fitToBudget(
      loaded.reports.flatMap(r => uploadSources(r.report, r.shells)),
      { measureCompressed: ports.github !== undefined }
    )
    writeOutputFile(config.workspace, sarifFile, text)
    notes.push(budgetNote(report))
    if (!ports.github) return { status: 'unavailable', detail: 'no token or repository context' }
    // Loaded only for an upload: the schema and its validator are a fifth of the bundle.
    const { validateSarifSchema } = await import('./sarif-schema.js')
    const schemaProblems = validateSarifSchema(log)
    if (schemaProblems.length > 0)
      return {
        status: 'failed',
        detail: `the combined SARIF does not validate: ${schemaProblems.map(p => `${p.path} ${p.message}`).join('; ')}`
      }
    return ports.github.uploadSarif(text)
  })
  if (upload.status !== 'done') {
    notes.push(
      `Code scanning upload ${upload.status}: ${escapeMarkdown(upload.detail)}. The combined SARIF is in \`${path.relative(config.workspace, sarifFile)}\`; upload it as an artifact.`
    )
    if (uploadMode === 'true') logger.warning(`SARIF upload ${upload.status}: ${upload.detail}`)
  }
  return { upload, sarifFile, notes }
}

function budgetNote(r: BudgetReport): string {
  const dropped = droppedTotal(r)
  const size = r.gzipped
    ? `${(r.bytes / 1024).toFixed(0)} KiB gzipped`
    : r.bytes > CODE_SCANNING_LIMITS.gzipBytes
      ? `${(r.bytes / 1024).toFixed(0)} KiB before compression (measured against the 10 MB gzip limit only when uploading)`
      : `${(r.bytes / 1024).toFixed(0)} KiB`
  const parts = [`SARIF for code scanning: ${r.resultsOut} result(s) in ${r.runsOut} run(s), ${size}`]
  if (r.duplicatesRemoved) parts.push(`${r.duplicatesRemoved} duplicate(s) removed`)
  if (r.renamedCategories.length)
    parts.push(`categories split: ${escapeMarkdown(r.renamedCategories.join(', '))}`)
  let note = parts.join('; ') + '.'
  if (dropped > 0) {
    const rows = r.dropped.map(
      d =>
        `- ${escapeMarkdown(d.category)} (${d.reason}): ${Object.entries(d.bySeverity)
          .map(([s, n]) => `${n} ${s}`)
          .join(', ')}`
    )
    note += `\n\n**${dropped} result(s) were left out of the upload to fit GitHub's limits** (least severe first):\n${rows.join('\n')}`
  }
  return note
}
