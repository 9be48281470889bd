import type { BumpPorts, BumpResult } from './options.js'
import { targetReference } from './target.js'

/** One line that says what the run did. */
export function describeBump(result: BumpResult): string {
  const pr = result.pullRequest ? `#${result.pullRequest.number} (${result.pullRequest.url})` : ''
  const image = result.target.image
  const changed = result.plan.edits.reduce((n, e) => n + e.changes.length, 0)
  switch (result.operation) {
    case 'no-change':
      return `No change: the ${result.plan.current.length} value(s) naming ${image} in ${result.repository} already hold what was asked; nothing was written.`
    case 'created':
      return `Opened ${pr} on ${result.branch}: ${changed} value(s) in ${result.plan.edits.length} file(s).`
    case 'updated':
      return `Updated ${pr}: ${result.branch} now holds this run's change (${changed} value(s) in ${result.plan.edits.length} file(s)).`
    case 'unchanged':
      return `${pr || result.branch} already holds this change; nothing was written.`
    case 'declined':
      return `${targetReference(result.target)} was declined in ${pr}: that pull request proposed exactly this change and was closed without merging, so it was not opened again and nothing was written. A new digest proposes it again; to take this one after all, reopen #${result.pullRequest!.number} (restore its branch first if it was deleted).`
    case 'superseded':
      return `${result.branch} already holds a newer version of ${image} than this run's; it was left as it is${pr ? ` (${pr})` : ''}.`
    case 'pushed':
      return `Pushed ${result.branch} (${result.commit?.sha}); without a token no pull request was opened: open one from it.`
    case 'dry-run':
      return `Dry run: edited ${result.plan.edits.length} file(s) (${changed} value(s)) in the checkout; nothing was committed, pushed or sent to GitHub.`
  }
}

/** The log (what changed, the diff, on a dry run the planned pull request) and the job summary. */
export function reportBump(result: BumpResult, ports: Pick<BumpPorts, 'logger' | 'summary'>): void {
  const { logger, summary } = ports
  const { plan } = result
  const message = describeBump(result)
  // A decline holds this digest back on every later run: it must stand out, not pass as a routine line.
  if (result.operation === 'declined') logger.warning(message)
  else logger.info(message)
  logger.info(
    `Found and edited ${plan.edits.length} file(s) among ${plan.filesSeen} (${plan.filesParsed} parsed) in ${Math.round(result.findEditMs)} ms, by ${plan.strategies.join(' and ')}.`
  )
  for (const [strategy, count] of Object.entries(plan.passedOver))
    logger.info(
      `${count} value(s) ${strategy} would set were left alone: ${plan.strategies.join(' and ')} sets this image here (strategy: auto).`
    )
  for (const left of plan.leftAlone)
    logger.warning(`Left alone: ${left.file}:${left.line} ${left.field} ${left.reason}.`)
  for (const note of plan.edits.flatMap(e => e.changes).filter(c => c.note))
    logger.warning(`${note.file}:${note.line} ${note.field} ${note.note}.`)
  for (const file of plan.unreadable.filter(u => u.mentionsImage))
    logger.warning(`Not edited: ${file.file} names the image but keeps its old version: ${file.reason}.`)
  for (const file of plan.unreadable.filter(u => !u.mentionsImage).slice(0, 20))
    logger.info(`Not read: ${file.file}: ${file.reason}`)
  if (result.diff) {
    logger.info('Diff:')
    for (const line of result.diff.replace(/\n$/, '').split('\n')) logger.info(line)
  }
  if (result.operation === 'dry-run' && result.text) {
    logger.info(`Planned pull request on branch ${result.branch} into ${result.base}:`)
    logger.info(`Title: ${result.text.title}`)
    for (const line of result.text.body.split('\n')) logger.info(line)
  }
  summary.heading('Manifest bump').add(message)
  if (result.text)
    summary.add(`**${result.text.title.replace(/[*_`<>[\]\\]/g, c => `\\${c}`)}**\n\n${result.text.body}`)
}
