import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { getErrorMessage } from '../runtime/errors.js'
import type { TriState } from '../runtime/inputs.js'
import { writeOutputFile } from '../runtime/output-files.js'
import type { Logger } from '../runtime/logger.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { LoadedReports } from './load-reports.js'
import type { GateConfig, GatePorts, ReportingStatus } from './ports.js'
import { droppedTotal, fitSarifToBudget, type BudgetReport } from './sarif-budget.js'
import { validateSarifSchema } from './sarif-schema.js'
import { rawResultSeverity } from './upload-severity.js'

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

/**
 * Writes the combined, budget-checked SARIF next to the evidence and uploads it when it can.
 * Reporting is separate from gating: every way this can go wrong is a note, never a failure.
 */
export async function runUploadStep(
  loaded: LoadedReports,
  uploadMode: TriState,
  config: Pick<GateConfig, 'outputDir' | 'workspace'>,
  ports: Pick<GatePorts, 'logger' | 'github'>,
  notes: string[]
): Promise<{ upload: ReportingStatus; sarifFile?: string }> {
  const { logger } = ports
  let upload: ReportingStatus = { status: 'skipped', detail: 'upload is off' }
  let sarifFile: string | undefined
  if (uploadMode !== 'false' && loaded.reports.length > 0) {
    const outcome = await logger.group('Code scanning upload', async () => {
      const { log, report } = combinedSarif(loaded, logger)
      sarifFile = path.join(config.outputDir, 'combined.sarif')
      const text = JSON.stringify(log)
      writeOutputFile(config.workspace, sarifFile, text)
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

  return { upload, sarifFile }
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
