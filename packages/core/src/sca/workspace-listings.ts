import { isObject } from '../findings/json.js'
import { jsoncToJson } from './jsonc.js'
import { notRead, plainPath, tomlOf, type Members, type ReadText } from './workspace-reading.js'

// The lockfiles that name each directory whose dependencies they hold.

/** package-lock.json v2/v3 and npm-shrinkwrap.json: the `packages` keys (`packages/a`, a `file:` directory). */
export const npmPackages = (lockfile: string, read: ReadText) =>
  keysOf(read, lockfile, 'packages', JSON.parse)

/** bun.lock (JSONC): the `workspaces` keys. */
export const bunWorkspaces = (lockfile: string, read: ReadText) =>
  keysOf(read, lockfile, 'workspaces', text => JSON.parse(jsoncToJson(text)))

/** The keys of a top-level object of a JSON lockfile (package-lock.json `packages`, bun.lock `workspaces`). */
function keysOf(read: ReadText, lockfile: string, field: string, parse: (text: string) => unknown): Members {
  const lock = jsonLock(read, lockfile, parse)
  if ('why' in lock) return lock
  const keys = isObject(lock.value[field]) ? lock.value[field] : {}
  return dir => Object.hasOwn(keys, dir)
}

/**
 * composer.lock: the directories of the path repository packages it locks (`dist: { type: "path", url }`
 * in `packages` or `packages-dev`). Composer has no workspace: what it locks below it is the project
 * beside it and those packages.
 */
export function composerPathPackages(lockfile: string, read: ReadText): Members {
  const lock = jsonLock(read, lockfile, JSON.parse)
  if ('why' in lock) return lock
  const directories = new Set<string>()
  for (const list of [lock.value.packages, lock.value['packages-dev']])
    for (const pkg of Array.isArray(list) ? list : []) {
      const dist: unknown = isObject(pkg) ? pkg.dist : undefined
      if (isObject(dist) && dist.type === 'path' && typeof dist.url === 'string')
        directories.add(plainPath(dist.url))
    }
  return dir => directories.has(dir)
}

/** A JSON lockfile's top-level object, or why it is not read. */
function jsonLock(
  read: ReadText,
  lockfile: string,
  parse: (text: string) => unknown
): { value: Record<string, unknown> } | { why: string } {
  const text = read(lockfile)
  if (text === undefined) return notRead(lockfile)
  let lock: unknown
  try {
    lock = parse(text)
  } catch {
    // SyntaxError, or a RangeError on a pathological nesting.
    return { why: `${lockfile} is not valid JSON` }
  }
  return isObject(lock) ? { value: lock } : { why: `${lockfile} is not a JSON object` }
}

/**
 * pnpm-lock.yaml's `importers:` keys (`.`, `packages/a`), read line by line: pnpm writes them two spaces
 * in, as block keys, quoted when they need it. A lockfile of one project has no `importers:`.
 */
export function pnpmImporters(lockfile: string, read: ReadText): Members {
  const text = read(lockfile)
  if (text === undefined) return notRead(lockfile)
  const importers = new Set<string>()
  let inImporters = false
  let versioned = false
  for (const raw of text.split('\n')) {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw
    if (line !== '' && line[0] !== ' ' && line[0] !== '#') {
      versioned ||= line.startsWith('lockfileVersion:')
      inImporters = line.startsWith('importers:')
      if (inImporters && line.slice('importers:'.length).trim() !== '')
        return { why: `${lockfile} writes its importers on one line, which is not read` }
      continue
    }
    if (!inImporters || !line.startsWith('  ') || line[2] === ' ' || line[2] === '#' || line.length < 3)
      continue
    const key = yamlKey(line.slice(2))
    if (key === undefined)
      return { why: `${lockfile} has an importer key that is not read: ${line.slice(0, 80)}` }
    importers.add(key)
  }
  if (!versioned) return { why: `${lockfile} has no lockfileVersion, so it is no pnpm lockfile` }
  return dir => importers.has(dir)
}

/** A block mapping key at the start of `text`: plain up to `:`, or quoted; undefined when it is neither. */
function yamlKey(text: string): string | undefined {
  const quote = text[0]
  if (quote === "'" || quote === '"') {
    const close = text.indexOf(quote, 1)
    // Escapes (`''`, `\"`) are not undone: no directory pnpm writes needs them.
    if (close < 0 || text[close + 1] !== ':' || text.slice(1, close).includes('\\')) return undefined
    return text.slice(1, close)
  }
  const colon = text.indexOf(': ')
  const end = colon >= 0 ? colon : text.trimEnd().endsWith(':') ? text.trimEnd().length - 1 : -1
  return end > 0 ? text.slice(0, end) : undefined
}

/**
 * poetry.lock: the directories of the path dependencies it locks (a `[package.source]` table of `type =
 * "directory"`, its `url` relative to the lockfile's directory). Poetry has no workspace: what it locks
 * below it is the project beside it and those directories.
 */
export function poetryPathDependencies(lockfile: string, read: ReadText): Members {
  const text = read(lockfile)
  if (text === undefined) return notRead(lockfile)
  const entries = tomlOf(lockfile, text)
  if (!Array.isArray(entries)) return entries
  const directories = new Set<string>()
  let type: string | undefined
  let url: string | undefined
  const endTable = () => {
    if (type === 'directory' && url !== undefined) directories.add(plainPath(url))
    type = url = undefined
  }
  for (const { path, value, strings } of entries) {
    if (value === 'table') endTable()
    else if (path.length === 3 && path[0] === 'package' && path[1] === 'source') {
      if (path[2] === 'type') type = strings[0]
      else if (path[2] === 'url') url = strings[0]
    }
  }
  endTable()
  return dir => directories.has(dir)
}
