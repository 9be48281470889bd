import * as core from './workflow-commands.js'
import * as path from 'node:path'
import { ConfigurationError, getErrorMessage, isUserError } from './errors.js'
import { actionsLogger, formatDuration, type Logger } from './logger.js'
import { JobSummary } from '../report/summary.js'
import { workspaceRoot } from './paths.js'

export interface ActionRun {
  logger: Logger
  summary: JobSummary
}

/**
 * The one wrapper every action's `run()` goes through: user mistakes become a one-line
 * `::error::`, bugs keep their stack in the debug log, and the summary is written in
 * `finally` so a failed run still explains itself.
 */
export async function runAction(name: string, body: (run: ActionRun) => Promise<void>): Promise<void> {
  const started = performance.now()
  const summary = new JobSummary()
  try {
    await body({ logger: actionsLogger, summary })
  } catch (error) {
    core.setFailed(oneLine(getErrorMessage(error)))
    if (!isUserError(error) && error instanceof Error && error.stack) core.debug(error.stack)
    if (error instanceof ConfigurationError) summary.add(`> [!CAUTION]\n> ${oneLine(error.message)}`)
  } finally {
    try {
      const overflow = path.join(workspaceRoot(), 'secure-pipeline', `${name}-summary.md`)
      if (!summary.isEmpty) summary.write(process.env.GITHUB_STEP_SUMMARY, overflow)
    } catch (error) {
      core.warning(`Could not write the job summary: ${getErrorMessage(error)}`)
    }
    core.info(`${name} finished in ${formatDuration(performance.now() - started)}`)
  }
}

function oneLine(message: string): string {
  return message.replace(/\s*\n\s*/g, ' ').trim()
}
