import { chmodSync } from 'node:fs'
import * as path from 'node:path'
import { writeOutputFile } from '../runtime/output-files.js'
import { buildChange, checkPlan, type Change } from './change.js'
import type { BumpRunOptions } from './options.js'
import type { BumpRequest } from './plan.js'
import { localManifests } from './sources.js'

/**
 * The dry-run path: finds and edits the files of a local checkout in place (never through a link: the
 * walk follows none and the writes refuse them), so the workflow can look at the result; nothing is
 * committed, pushed or sent to any API.
 */
export function editCheckout(checkout: string, options: BumpRunOptions, request: BumpRequest): Change {
  const change = buildChange(() => localManifests(checkout, options.paths, options.inputNames.paths), request)
  checkPlan(change.plan, request.target, options)
  for (const edit of change.plan.edits) {
    const file = path.join(checkout, edit.file)
    writeOutputFile(options.workspace, file, edit.after)
    if (change.set.modes.get(edit.file) === '100755') chmodSync(file, 0o755)
  }
  return change
}
