import { realpathSync } from 'node:fs'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import type { FileChange } from './git.js'
import type { PullRequestBase } from './pull-request-base.js'

/**
 * Where a path the workflow gave (an engine binary, a database directory) lies in the workspace, as
 * given and as the links on its way resolve: repository-relative ('' for the root), none when outside.
 * Inside, the pull request controls what it holds.
 */
export function workspacePlaces(workspace: string, target: string | undefined): string[] {
  if (!target) return []
  const inside = (root: string, file: string): string | undefined => {
    const relative = path.relative(root, file).split(path.sep).join('/')
    return relative === '..' || relative.startsWith('../') || path.isAbsolute(relative) ? undefined : relative
  }
  const found = new Set<string>()
  const given = inside(workspace, path.resolve(workspace, target))
  if (given !== undefined) found.add(given)
  try {
    const real = inside(realpathSync(workspace), realpathSync(path.resolve(workspace, target)))
    if (real !== undefined) found.add(real)
  } catch {
    // Missing: the caller's own check of the path says so.
  }
  return [...found]
}

/**
 * The change's first file in or above `target` (a file in a database, the binary itself, or a
 * directory on its way the change made a link to a tree of its own): a tool or data that judges the
 * change must not come from it. Undefined outside change events or when nothing there changed.
 */
export function changeReaching(
  base: PullRequestBase | undefined,
  workspace: string,
  target: string | undefined
): FileChange | undefined {
  if (!base) return undefined
  for (const at of workspacePlaces(workspace, target)) {
    const touched = base.changes.find(
      c => at === '' || c.path === at || c.path.startsWith(`${at}/`) || at.startsWith(`${c.path}/`)
    )
    if (touched) return touched
  }
  return undefined
}

/**
 * Refuses a binary the workflow gave (an input or a SECURE_PIPELINE_<TOOL>_PATH variable) that the
 * change reaches: the change would bring the tool it is judged with. `alsoRuns`: files the binary
 * hands the work to (semgrep's pysemgrep), which the change must not reach either.
 */
export function refuseChangedBinary(
  base: PullRequestBase | undefined,
  workspace: string,
  tool: string,
  given: { path: string; setting: string } | undefined,
  alsoRuns: readonly string[] = []
): void {
  if (!given) return
  for (const target of [given.path, ...alsoRuns]) {
    const touched = changeReaching(base, workspace, target)
    if (touched)
      throw new BrokenInputError(
        tool,
        `this ${base!.event} changes ${touched.path}, which ${given.setting} (${given.path}) names: a change cannot bring the tool it is judged with; point it at a binary outside the workspace, or leave it unset for the pinned release`
      )
  }
}
