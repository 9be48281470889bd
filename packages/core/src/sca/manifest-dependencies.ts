import type { ManifestName } from './lockfiles.js'
import { cutAtMarker } from './blanks.js'

/** Far larger than any real manifest; a larger one is not parsed, and reported as unreadable. */
export const MANIFEST_CHARS = 1024 * 1024

/** What a manifest's text says about its dependencies. */
export type ManifestReading =
  | { kind: 'none' }
  /** `tool`: the pyproject.toml's `[tool.poetry]`/`[tool.pdm]`, which decides the lockfile to commit. */
  | { kind: 'declares'; tool?: 'poetry' | 'pdm' }
  | { kind: 'unreadable'; why: string }

class ManifestSyntaxError extends Error {}

/**
 * Whether a manifest declares any dependency, read from its text (a pull request writes it): bounded in
 * size, parsed without recursion or backtracking patterns, never throwing. A manifest that cannot be
 * parsed is `unreadable`: what it declares is unknown. For the files that are programs (Gemfile, Gradle
 * and Mix scripts, Package.swift), the calls that declare a dependency are looked for line by line.
 */
export function readManifest(name: ManifestName, text: string | undefined): ManifestReading {
  const body = manifestBody(text)
  if (typeof body !== 'string') return { kind: 'unreadable', why: body.why }
  try {
    return READERS[name](body)
  } catch (error) {
    if (error instanceof ManifestSyntaxError) return { kind: 'unreadable', why: error.message }
    // JSON.parse's SyntaxError, or a RangeError on a pathological nesting: the same, unknown.
    return { kind: 'unreadable', why: `it is not valid ${name.endsWith('.json') ? 'JSON' : 'text'}` }
  }
}

/** A manifest's text to parse, without its byte-order mark, or why it is not parsed. */
export function manifestBody(text: string | undefined): string | { why: string } {
  if (text === undefined) return { why: 'the file could not be read' }
  if (text.length > MANIFEST_CHARS) return { why: `it is over ${MANIFEST_CHARS / 1024 / 1024} MiB` }
  if (text.includes('\0')) return { why: 'it holds a NUL byte' }
  return text.startsWith('\ufeff') ? text.slice(1) : text
}

const declares = (yes: boolean): ManifestReading => (yes ? { kind: 'declares' } : { kind: 'none' })

const READERS: Readonly<Record<ManifestName, (text: string) => ManifestReading>> = {
  'package.json': text =>
    declares(
      ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'].some(
        field => jsonKeys(jsonObject(text)[field]).length > 0
      )
    ),
  // `php`, `ext-*`, `lib-*`, `composer-plugin-api`: platform requirements; every package is `vendor/name`.
  'composer.json': text => {
    const manifest = jsonObject(text)
    return declares(
      ['require', 'require-dev'].some(field => jsonKeys(manifest[field]).some(key => key.includes('/')))
    )
  },
  'Cargo.toml': text => declares(tomlDeclares(tomlEntries(text), CARGO)),
  'pyproject.toml': text => {
    const entries = tomlEntries(text)
    if (!tomlDeclares(entries, PYPROJECT)) return { kind: 'none' }
    const tool = entries.find(e => e.path[0] === 'tool' && (e.path[1] === 'poetry' || e.path[1] === 'pdm'))
    return { kind: 'declares', ...(tool ? { tool: tool.path[1] as 'poetry' | 'pdm' } : {}) }
  },
  Pipfile: text => declares(tomlDeclares(tomlEntries(text), PIPFILE)),
  'pubspec.yaml': text => declares(yamlDeclares(text)),
  Gemfile: text => declares(anyLine(text, '#', line => /^\s*gem(?:spec)?\b/.test(line))),
  'build.gradle': text => declares(gradleDeclares(text)),
  'build.gradle.kts': text => declares(gradleDeclares(text)),
  // `{:phoenix, "~> 1.7"}` in `deps`; `mix new` writes its examples commented out.
  'mix.exs': text => declares(anyLine(text, '#', line => /\{\s*:[A-Za-z_]/.test(line))),
  'Package.swift': text => declares(anyLine(text, '//', line => line.includes('.package(')))
}

function jsonObject(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text)
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new ManifestSyntaxError('it is not a JSON object')
  return value as Record<string, unknown>
}

function jsonKeys(value: unknown): string[] {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? Object.keys(value) : []
}

/** A line up to its first `comment` marker. */
function beforeComment(line: string, comment: string): string {
  const cut = line.indexOf(comment)
  return cut < 0 ? line : line.slice(0, cut)
}

/** Whether a line, cut at its first `comment` marker, passes `test`. */
function anyLine(text: string, comment: string, test: (line: string) => boolean): boolean {
  return text.split('\n').some(line => test(beforeComment(line, comment)))
}

/** A `dependencies { … }` block (the project's or the buildscript's) with anything in it. */
function gradleDeclares(text: string): boolean {
  const code = text
    .split('\n')
    .map(line => beforeComment(line, '//'))
    .join('\n')
  for (let at = code.indexOf('dependencies'); at >= 0; at = code.indexOf('dependencies', at + 1)) {
    if (/\w/.test(code[at - 1] ?? '')) continue
    let i = skipBlank(code, at + 'dependencies'.length)
    if (code[i] !== '{') continue
    i = skipBlank(code, i + 1)
    if (i < code.length && code[i] !== '}') return true
  }
  return false
}

function skipBlank(text: string, from: number): number {
  let i = from
  while (i < text.length && /\s/.test(text[i]!)) i++
  return i
}

/** pubspec.yaml: a top-level `dependencies:` or `dev_dependencies:` holding a mapping that is not empty. */
function yamlDeclares(text: string): boolean {
  const lines = text.split('\n')
  for (const [i, line] of lines.entries()) {
    const key = /^(?:dependencies|dev_dependencies)[ \t]*:/.exec(line)
    if (!key) continue
    const rest = uncommented(line.slice(key[0].length)).trim()
    if (rest !== '') {
      if (!['{}', '~', 'null'].includes(rest)) return true
      continue
    }
    // The next line with content: indented, it is the first key of the mapping. Each key looks only as
    // far as the next content, so a million `dependencies:` lines cost one pass.
    let next = i + 1
    while (next < lines.length && uncommented(lines[next]!).trim() === '') next++
    if (next < lines.length && /^[ \t]/.test(lines[next]!)) return true
  }
  return false
}

/** YAML's blanks: a `#` at the start of a line or after one of these starts a comment. */
const YAML_BLANKS: ReadonlySet<string> = new Set([' ', '\t'])

/** A YAML line without its comment (and the blanks before it). */
function uncommented(line: string): string {
  return cutAtMarker(line, ['#'], YAML_BLANKS)
}

/** A step of a TOML key path: a name, any name (`*`), or any name but these (compared without case). */
type Step = string | { not: readonly string[] }
const ANY: Step = { not: [] }

const CARGO_TABLES = [
  'dependencies',
  'dev-dependencies',
  'dev_dependencies',
  'build-dependencies',
  'build_dependencies'
]
/** Cargo's own and per-target dependency tables; `[workspace.dependencies]` only offers versions to members. */
const CARGO: readonly Step[][] = CARGO_TABLES.flatMap(table => [
  [table, ANY],
  ['target', ANY, table, ANY]
])
/** PEP 621, PEP 735, Poetry (but its `python`), uv and PDM; `[build-system]` requires only build tools. */
const PYPROJECT: readonly Step[][] = [
  ['project', 'dependencies'],
  ['project', 'optional-dependencies', ANY],
  ['dependency-groups', ANY],
  ['tool', 'poetry', 'dependencies', { not: ['python'] }],
  ['tool', 'poetry', 'dev-dependencies', ANY],
  ['tool', 'poetry', 'group', ANY, 'dependencies', { not: ['python'] }],
  ['tool', 'uv', 'dev-dependencies'],
  ['tool', 'pdm', 'dev-dependencies', ANY]
]
/** `[packages]`, `[dev-packages]` and Pipenv's own categories: every table but these. */
const PIPFILE: readonly Step[][] = [[{ not: ['source', 'requires', 'pipenv', 'scripts'] }, ANY]]

/**
 * Whether an entry fills one of the dependency tables: a key in it, a `[table.name]` under it, or a
 * value that is not empty at its path. An inline table on the way (`dependencies = { serde = "1" }`,
 * `tool = { poetry = … }`) counts when it is not empty: this reading does not look inside it.
 */
function tomlDeclares(entries: readonly TomlEntry[], patterns: readonly Step[][]): boolean {
  return entries.some(({ path, value }) =>
    patterns.some(pattern => {
      for (let k = 0; k < Math.min(path.length, pattern.length); k++) {
        const step = pattern[k]!
        const key = path[k]!
        if (typeof step === 'string' ? step !== key : step.not.includes(key.toLowerCase())) return false
      }
      if (path.length > pattern.length) return true
      if (path.length === pattern.length) return value !== '[]' && value !== '{}' && value !== ''
      return value.startsWith('{') && value !== '{}'
    })
  )
}

/** A TOML key and the start of its value with blanks and comments left out (`[]`, `["s"`, `{x=`), or `table` for a header. */
export interface TomlEntry {
  path: string[]
  value: string
  /** The strings in the value, in order, as written (escapes not decoded): `members = ["a", "b/*"]`. */
  strings: string[]
}

/** Kept of each value: enough to tell an empty array or table from one that holds something. */
const VALUE_CHARS = 16

/**
 * Every key of a TOML document with its full path (table and dotted key), read in one pass without
 * recursion: headers, bare and quoted keys, and values only as far as their extent (strings, arrays and
 * inline tables over several lines, comments). Throws ManifestSyntaxError where a key or header is not
 * TOML or a string, array or table does not end.
 */
export function tomlEntries(text: string): TomlEntry[] {
  const entries: TomlEntry[] = []
  let table: string[] = []
  let i = 0
  const fail = (what: string): never => {
    const line = text.slice(0, i).split('\n').length
    throw new ManifestSyntaxError(`it is not valid TOML: ${what} on line ${line}`)
  }
  const skipSpace = () => {
    while (text[i] === ' ' || text[i] === '\t') i++
  }
  const skipComment = () => {
    while (i < text.length && text[i] !== '\n') i++
  }
  const endLine = () => {
    skipSpace()
    if (text[i] === '#') skipComment()
    if (text[i] === '\r') i++
    if (i < text.length && text[i] !== '\n') fail('more after a header or value')
  }
  const readString = (): string => {
    const quote = text[i]!
    const multi = text.startsWith(quote.repeat(3), i)
    i += multi ? 3 : 1
    const start = i
    for (; i < text.length; i++) {
      const c = text[i]
      if (c === '\\' && quote === '"') i++
      else if (c === '\n' && !multi) break
      else if (c === quote && (!multi || text.startsWith(quote.repeat(3), i))) {
        const value = text.slice(start, i)
        i += multi ? 3 : 1
        // A multi-line string may end in up to two more quotes of its own.
        while (multi && text[i] === quote) i++
        return value
      }
    }
    return fail('a string that does not end')
  }
  const readKey = (): string[] => {
    const parts: string[] = []
    for (;;) {
      skipSpace()
      if (text[i] === '"' || text[i] === "'") parts.push(readString())
      else {
        const start = i
        while (i < text.length && /[A-Za-z0-9_-]/.test(text[i]!)) i++
        if (i === start) fail('a key expected')
        parts.push(text.slice(start, i))
      }
      skipSpace()
      if (text[i] !== '.') return parts
      i++
    }
  }
  const readValue = (strings: string[]): string => {
    let kept = ''
    let depth = 0
    const keep = (s: string) => {
      if (kept.length < VALUE_CHARS) kept += s
    }
    while (i < text.length) {
      const c = text[i]!
      if (c === '"' || c === "'") {
        strings.push(readString())
        keep('"s"')
        continue
      }
      if (c === '#') {
        skipComment()
        continue
      }
      if (c === '\n' && depth === 0) break
      if (c === '[' || c === '{') depth++
      else if (c === ']' || c === '}') {
        if (--depth < 0) fail(`an unmatched '${c}'`)
      }
      if (!/\s/.test(c)) keep(c)
      i++
    }
    if (depth > 0) fail('an array or table that does not end')
    return kept
  }
  while (i < text.length) {
    const c = text[i]!
    if (/\s/.test(c)) {
      i++
    } else if (c === '#') {
      skipComment()
    } else if (c === '[') {
      const array = text[i + 1] === '['
      i += array ? 2 : 1
      table = readKey()
      if (!text.startsWith(array ? ']]' : ']', i)) fail('a header that does not end')
      i += array ? 2 : 1
      endLine()
      entries.push({ path: table, value: 'table', strings: [] })
    } else {
      const key = readKey()
      if (text[i] !== '=') fail("'=' expected after a key")
      i++
      skipSpace()
      if (i >= text.length || text[i] === '\n' || text[i] === '\r' || text[i] === '#')
        fail('a key without a value')
      const strings: string[] = []
      const value = readValue(strings)
      entries.push({ path: [...table, ...key], value, strings })
    }
  }
  return entries
}
