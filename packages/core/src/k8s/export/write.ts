import * as path from 'node:path'
import type { JobSummary } from '../../runtime/job-summary.js'
import type { Logger } from '../../runtime/logger.js'
import { removeStaleOutput, writeOutputFile } from '../../runtime/output-files.js'
import type { AdmissionExport } from './export.js'
import { exceptionLine, FORMAT_FILES } from './export.js'

// What a run that exports loads in one chunk (k8s/run.ts imports it on demand).
export { exportAdmission } from './export.js'
import { EXPORT_FORMATS, type ExportFormat } from './format-option.js'

/**
 * Writes the export into `dir` (inside the workspace, never through a link) and removes the files of
 * formats not chosen, so the directory never holds a stale policy beside a fresh one.
 */
export function writeAdmissionExport(
  workspace: string,
  dir: string,
  formats: readonly ExportFormat[],
  exported: AdmissionExport
): string[] {
  for (const format of EXPORT_FORMATS.filter(f => !formats.includes(f)))
    removeStaleOutput(workspace, path.join(dir, ...FORMAT_FILES[format].split('/')))
  return exported.files.map(file => {
    const target = path.join(dir, ...file.path.split('/'))
    writeOutputFile(workspace, target, file.content)
    return path.relative(workspace, target).split(path.sep).join('/')
  })
}

/** What the export holds and, above all, what it does not: never dropped silently. */
export function summarizeExport(
  summary: JobSummary,
  logger: Logger,
  shownDir: string,
  formats: readonly ExportFormat[],
  exported: AdmissionExport
): void {
  logger.info(
    `Exported ${exported.exported.length} rule(s) as ${formats.join(', ')} admission policies into ${shownDir}: ${exported.exported.join(', ')}`
  )
  const missing = exported.notExportable.map(n => `${n.id} (${n.reason})`)
  if (missing.length > 0)
    logger.warning(
      `${missing.length} enabled rule(s) are checked in CI but not in the exported admission policies; see ${shownDir}/README.md: ${exported.notExportable.map(n => n.id).join(', ')}`
    )
  summary.heading('Admission export', 3)
  summary.add(
    `${exported.exported.length} rule(s) exported to \`${shownDir}\` as ${formats.join(', ')}: ${exported.exported.map(id => `\`${id}\``).join(', ') || 'none'}.`
  )
  if (missing.length > 0)
    summary.add(
      `Not exported (checked in CI only):\n\n${exported.notExportable.map(n => `- \`${n.id}\`: ${n.reason}`).join('\n')}`
    )
  if (exported.exceptionsExported.length > 0)
    summary.add(
      `Policy-file exceptions exported as exclusions:\n\n${exported.exceptionsExported
        .map(e => `- ${exceptionLine(e.entry)}: ${e.rules.map(id => `\`${id}\``).join(', ')}`)
        .join('\n')}`
    )
  if (exported.exceptionsNotExported.length > 0)
    summary.add(
      `Policy-file exceptions not exported (the cluster enforces these rules without them):\n\n${exported.exceptionsNotExported
        .map(e => `- ${exceptionLine(e.entry)}: ${e.reason}`)
        .join('\n')}`
    )
}
