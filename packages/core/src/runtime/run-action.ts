import * as core from './workflow-commands.js'
import { ConfigurationError, getErrorMessage, isUserError } from './errors.js'
import { escapeMarkdown, JobSummary, summaryOverflowFile } from './job-summary.js'
import { actionsLogger, formatDuration, logLine, type Logger } from './logger.js'
import { removeLeftoverOutput } from './output-files.js'
import { workspaceRoot } from './paths.js'

export interface ActionRun {
  logger: Logger
  summary: JobSummary
  /**
   * Registers what to leave behind if the run fails before it wrote its real output: a scanner
   * registers a writer of a failed SARIF, so a crash is never read downstream as "0 findings".
   */
  onFailure(write: (message: string) => void): void
}

/**
 * The one wrapper every action's `run()` goes through: user mistakes become a one-line
 * `::error::`, bugs keep their stack in the debug log, failure reports are written, and the
 * summary is written in `finally` so a failed run still explains itself.
 */
export async function runAction(name: string, body: (run: ActionRun) => Promise<void>): Promise<void> {
  // Date.now(), not performance.now(): the first use of `performance` loads perf_hooks, a cost at every
  // start for a duration that is logged in whole milliseconds anyway.
  const started = Date.now()
  const summary = new JobSummary()
  const failureWriters: ((message: string) => void)[] = []
  try {
    // Written only when the summary is too big: one the pull request committed, or an earlier run left,
    // must not sit beside this run's reports as if this run had written it.
    removeLeftoverOutput(workspaceRoot(), summaryOverflowFile(workspaceRoot(), name))
    await body({ logger: actionsLogger, summary, onFailure: write => void failureWriters.push(write) })
  } catch (error) {
    const message = oneLine(getErrorMessage(error))
    core.setFailed(message)
    if (!isUserError(error) && error instanceof Error && error.stack) core.debug(error.stack)
    // The message may quote what the pull request wrote (a key, a name, a URL): escapeMarkdown keeps it
    // text, never HTML, a mention, a link (bare URLs included) or an image.
    if (error instanceof ConfigurationError) summary.add(`> [!CAUTION]\n> ${escapeMarkdown(message)}`)
    for (const write of failureWriters) {
      try {
        write(message)
      } catch (writeError) {
        core.warning(`Could not write the failure report: ${oneLine(getErrorMessage(writeError))}`)
      }
    }
  } finally {
    try {
      const workspace = workspaceRoot()
      const overflow = summaryOverflowFile(workspace, name)
      if (!summary.isEmpty) summary.write(process.env.GITHUB_STEP_SUMMARY, workspace, overflow)
    } catch (error) {
      core.warning(`Could not write the job summary: ${oneLine(getErrorMessage(error))}`)
    }
    core.info(logLine(`${name} finished in ${formatDuration(Date.now() - started)}`))
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*[\r\n\u0085\u2028\u2029]+\s*/g, ' ').trim()
}
