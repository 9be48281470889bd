import type { ToolInfo } from '../finding.js'
import { prepareOutputFile, writeOutputFile } from '../../runtime/output-files.js'
import type { SarifLog } from './types.js'
import { buildSarifLog, serializeSarif } from './write.js'

/**
 * A scanner's SARIF output file. Created when the action starts: whatever a previous step or the pull
 * request left at the path is removed at once, so it can never stand in for this run's report. If the
 * run fails before `write`, `writeFailure` leaves a run with `executionSuccessful: false` and the error
 * as a notification: the gate then reads a broken scan, never "0 findings".
 */
export class SarifOutput {
  private written = false

  constructor(
    private readonly workspace: string,
    readonly file: string,
    private readonly identity: { tool: ToolInfo; category: string }
  ) {
    prepareOutputFile(workspace, file)
  }

  write(log: SarifLog): void {
    writeOutputFile(this.workspace, this.file, serializeSarif(log))
    this.written = true
  }

  writeFailure(message: string): void {
    if (this.written) return
    this.write(
      buildSarifLog([
        {
          ...this.identity,
          findings: [],
          problems: [{ level: 'error', message: `the scan failed: ${message}` }]
        }
      ])
    )
  }
}
