import { isObject } from '../findings/json.js'
import { Glob, GlobSyntaxError } from '../runtime/glob-match.js'
import type { TomlEntry } from './manifest-dependencies.js'
import {
  besideLockfile,
  plainPath,
  rootManifest,
  tomlOf,
  type Members,
  type ReadText
} from './workspace-reading.js'

// The lockfiles that do not name the directories they hold: their workspace's root manifest does, by globs.

/** More workspace globs, or more of their text, than any real workspace has: each manifest is matched against all. */
const MAX_PATTERNS = 1000
const MAX_PATTERN_CHARS = 64 * 1024

/** yarn.lock: the `workspaces` globs (an array, or `{ packages: […] }`) of the package.json beside it. */
export function yarnWorkspaces(lockfile: string, read: ReadText): Members {
  const file = besideLockfile(lockfile, 'package.json')
  const body = rootManifest(file, read)
  if (typeof body !== 'string') return body
  let manifest: unknown
  try {
    manifest = JSON.parse(body)
  } catch {
    return { why: `${file} is not valid JSON` }
  }
  if (!isObject(manifest)) return { why: `${file} is not a JSON object` }
  const workspaces = isObject(manifest.workspaces) ? manifest.workspaces.packages : manifest.workspaces
  if (workspaces === undefined) return () => false
  if (!Array.isArray(workspaces) || !workspaces.every(p => typeof p === 'string'))
    return { why: `${file} has \`workspaces\` that are not a list of globs` }
  const positive = workspaces.filter(p => !p.startsWith('!'))
  const negated = globMembers(
    file,
    workspaces.filter(p => p.startsWith('!')).map(p => p.slice(1)),
    () => false
  )
  if (typeof negated !== 'function') return negated
  return globMembers(file, positive, negated)
}

/** Cargo.lock: the `[workspace] members` globs of the Cargo.toml beside it, less what `exclude` names. */
export function cargoMembers(lockfile: string, read: ReadText): Members {
  const file = besideLockfile(lockfile, 'Cargo.toml')
  const members = tomlLists(file, read, ['workspace'], ['members', 'exclude'])
  if (!Array.isArray(members)) return members
  const [include, exclude] = members
  const excess = patternExcess(file, exclude!)
  if (excess) return excess
  // Cargo's `exclude` names directories (what is under one is out too), not globs.
  const excluded = exclude!.map(plainPath)
  return globMembers(file, include!, dir => excluded.some(ex => dir === ex || dir.startsWith(`${ex}/`)))
}

/**
 * uv.lock: the `[tool.uv.workspace] members` globs of the pyproject.toml beside it, less its `exclude`
 * globs, and the directories uv.lock locks as local projects (`source = { editable | directory | virtual
 * = "…" }`): a path dependency outside the members is locked with them.
 */
export function uvMembers(lockfile: string, read: ReadText): Members {
  const file = besideLockfile(lockfile, 'pyproject.toml')
  const members = tomlLists(file, read, ['tool', 'uv', 'workspace'], ['members', 'exclude'])
  if (!Array.isArray(members)) return members
  const excluded = globMembers(file, members[1]!, () => false)
  if (typeof excluded !== 'function') return excluded
  const globbed = globMembers(file, members[0]!, excluded)
  if (typeof globbed !== 'function') return globbed
  const local = uvLocalProjects(lockfile, read)
  return dir => local.has(dir) || globbed(dir)
}

/**
 * The strings of uv.lock's `[[package]] source` tables, as plain paths: a local project's directory, or a
 * registry, URL or file no directory is named as. Empty when uv.lock is not read (the engine says so).
 */
function uvLocalProjects(lockfile: string, read: ReadText): ReadonlySet<string> {
  const text = read(lockfile)
  const entries = text === undefined ? [] : tomlOf(lockfile, text)
  if (!Array.isArray(entries)) return new Set()
  const sources = entries.filter(
    e => e.path.length === 2 && e.path[0] === 'package' && e.path[1] === 'source'
  )
  return new Set(sources.flatMap(e => e.strings.map(plainPath)))
}

/**
 * The string lists at `table.key` for each key (empty when absent), or why they cannot be read: the
 * file is not read or not TOML, or the table is written inline, where this reading does not look.
 */
function tomlLists(
  file: string,
  read: ReadText,
  table: readonly string[],
  keys: readonly string[]
): string[][] | { why: string } {
  const body = rootManifest(file, read)
  if (typeof body !== 'string') return body
  const entries = tomlOf(file, body)
  if (!Array.isArray(entries)) return entries
  const within = (entry: TomlEntry, steps: readonly string[]) =>
    entry.path.length === steps.length && steps.every((step, k) => entry.path[k] === step)
  const inline = entries.find(
    e => e.value.startsWith('{') && table.some((_, k) => within(e, table.slice(0, k + 1)))
  )
  if (inline) return { why: `${file} writes ${inline.path.join('.')} as an inline table, which is not read` }
  return keys.map(key => entries.filter(e => within(e, [...table, key])).flatMap(e => e.strings))
}

/**
 * The directories the globs match (`*` within a name, `**` across them, as npm, Yarn, Cargo and uv read
 * them), less the excluded. A glob that leaves the directory (`../lib`, `/abs`) takes in none below it.
 */
function globMembers(file: string, patterns: readonly string[], excluded: (dir: string) => boolean): Members {
  const excess = patternExcess(file, patterns)
  if (excess) return excess
  const globs: Glob[] = []
  for (const raw of patterns) {
    const pattern = plainPath(raw)
    if (pattern === '' || pattern === '.' || pattern.startsWith('/') || pattern.split('/').includes('..'))
      continue
    try {
      globs.push(new Glob(pattern))
    } catch (error) {
      if (!(error instanceof GlobSyntaxError)) throw error
      return { why: `${file} names a workspace glob that is not read: ${error.message}` }
    }
  }
  return dir => globs.some(glob => glob.matches(dir)) && !excluded(dir)
}

/** Why a list of workspace globs or paths is not read: more of them than any real workspace has. */
function patternExcess(file: string, patterns: readonly string[]): { why: string } | undefined {
  if (patterns.length > MAX_PATTERNS || patterns.reduce((sum, p) => sum + p.length, 0) > MAX_PATTERN_CHARS)
    return { why: `${file} names more than ${MAX_PATTERNS} workspace globs, or more than 64 KiB of them` }
  return undefined
}
