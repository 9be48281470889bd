import { realpathSync } from 'node:fs'
import * as path from 'node:path'
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
