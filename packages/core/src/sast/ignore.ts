import { getErrorMessage } from '../runtime/errors.js'
import { readWorkspaceFile } from '../runtime/paths.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'
import { normalizeRepoPath } from './targets.js'

export const SEMGREPIGNORE = '.semgrepignore'

/**
 * What Semgrep skips in a directory scan when the repository has no `.semgrepignore` (the list built into
 * semgrep-core 1.185, checked against the engine by a test). The engine is told to read no ignore file
 * itself, so these go to it as `--exclude` patterns like any others.
 */
export const DEFAULT_SEMGREPIGNORE = [
  '.git',
  '.svn',
  '.hg',
  '_darcs',
  'CVS',
  'build/',
  'vendor/',
  'dist/',
  '*.min.js',
  '.env/',
  '.tox/',
  'node_modules/',
  '.npm/',
  '.yarn/',
  '.venv/',
  '_opam/',
  '_build/',
  '_cargo/',
  'test/',
  'tests/',
  'testsuite/',
  '*_test.go'
]

/** The ignore patterns a scan applies, and where they came from. */
export interface IgnoreRules {
  /** gitignore-style patterns anchored at the repository root, in order (a later `!x` re-includes). */
  patterns: string[]
  /** `merge-base <sha>` or `workspace` for a `.semgrepignore`; Semgrep's built-in list when there is none. */
  origin: string
  /** The pull request's own `.semgrepignore` when it differs from the one that decided; never applied. */
  proposed?: ProposedIgnore
}

export interface ProposedIgnore {
  origin: string
  /** Patterns the proposal adds and drops, compared with the deciding ones. */
  added: string[]
  removed: string[]
  /** Why the proposed file could not be read (a directory or a link in its place). */
  unreadable?: string
}

type Reader = (file: string) => Promise<string | undefined>

/**
 * One `.semgrepignore` as patterns: comments and blank lines dropped, `:include <file>` replaced by that
 * file's lines (read from the same version of the repository, one level deep, as Semgrep does).
 */
export async function ignorePatterns(text: string, read: Reader): Promise<string[]> {
  const lines = (body: string) =>
    body
      .split(/\r?\n/)
      .map(line => line.trimEnd())
      .filter(line => line.trim() !== '' && !line.trimStart().startsWith('#'))
  const out: string[] = []
  for (const line of lines(text)) {
    const include = /^:include\s+(.+)$/.exec(line.trim())
    if (!include) out.push(line)
    else
      out.push(...lines((await read(normalizeRepoPath(include[1]!))) ?? '').filter(l => !l.startsWith(':')))
  }
  return out
}

export interface IgnoreDecisionInput {
  workspace: string
  /** `base`: on change events the base branch's version decides; `head`: the checkout's. */
  source: TrustSource
  base: PullRequestBase | undefined
}

/**
 * The `.semgrepignore` that decides this scan. On a pull request or merge queue entry it is the base
 * branch's version (its tip) by default: the change cannot widen what is skipped to hide its own files
 * (four eyes: an ignore change is reviewed and merged first). The pull request's version is returned as
 * proposed. Elsewhere the checkout's version decides; a directory or a link in its place is an error.
 */
export async function decideIgnoreRules(input: IgnoreDecisionInput): Promise<IgnoreRules> {
  const file = await readTrustedFile(SEMGREPIGNORE, {
    workspace: input.workspace,
    source: input.source,
    base: input.base,
    what: 'Ignore file'
  })
  const fromWorkspace: Reader = async name => readWorkspaceFile(input.workspace, name, 'Ignore file')
  // :include files are read from the version that decides: the base branch's tip (reviewed), not the
  // older merge-base a pull request forked from.
  const fromBase =
    input.base && file.deciding.origin !== 'workspace' ? (input.base.reviewed ?? input.base).read : undefined
  const deciding =
    file.deciding.text === undefined
      ? undefined
      : await ignorePatterns(file.deciding.text, fromBase ?? fromWorkspace)
  const rules: IgnoreRules = deciding
    ? { patterns: deciding, origin: `${SEMGREPIGNORE} (${file.deciding.origin})` }
    : {
        patterns: DEFAULT_SEMGREPIGNORE,
        origin: `Semgrep's built-in list (no ${SEMGREPIGNORE} at ${file.deciding.origin})`
      }
  if (!file.proposed) return rules
  const proposed: ProposedIgnore = { origin: file.proposed.origin, added: [], removed: [] }
  let patterns: string[] = DEFAULT_SEMGREPIGNORE
  try {
    if (file.proposed.text !== undefined) patterns = await ignorePatterns(file.proposed.text, fromWorkspace)
    else if (file.proposed.origin !== 'workspace') proposed.unreadable = file.proposed.origin
  } catch (error) {
    proposed.unreadable = getErrorMessage(error)
  }
  proposed.added = patterns.filter(p => !rules.patterns.includes(p))
  proposed.removed = rules.patterns.filter(p => !patterns.includes(p))
  return { ...rules, proposed }
}
