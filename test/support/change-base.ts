import type { FileChange } from '../../packages/core/src/github/git.js'
import type { PullRequestBase } from '../../packages/core/src/github/pull-request-base.js'

/**
 * A change base from plain data: the base commit's files, and the paths the change added or modified.
 * Unit tests use it; the bundle tests get the real one from git.
 */
export function fakeChangeBase(
  baseFiles: Record<string, string>,
  changes: (string | FileChange)[],
  commit = '0123456789abcdef0123456789abcdef01234567'
): PullRequestBase {
  const list: FileChange[] = changes.map(c =>
    typeof c !== 'string'
      ? c
      : c in baseFiles
        ? { path: c, status: 'M', previous: { path: c, blob: 'b'.repeat(40), mode: '100644' } }
        : { path: c, status: 'A' }
  )
  const changed = new Set(list.map(c => c.path))
  return {
    event: 'pull_request',
    commit,
    head: 'f'.repeat(40),
    changes: list,
    changed: file => changed.has(file.replace(/^\.\//, '')),
    read: async file => baseFiles[file]
  }
}
