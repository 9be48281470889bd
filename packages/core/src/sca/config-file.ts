import { mkdtempSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import { goKeyTwin } from '../runtime/go-keys.js'
import {
  packageIgnoreKey,
  packageIgnores,
  readOverrideField,
  type OverrideEntry,
  type PackageIgnore
} from './package-overrides.js'
import { hasPassed, plainString, tomlDate } from './toml-values.js'

/** The osv-scanner.toml that decides this run, and what the pull request would change in it. */
export interface ScannerConfig {
  /** A private copy the engine reads with `--config` (empty when the repository has none). */
  file: string
  /** The repository path it was read from. */
  path: string
  origin: string
  exists: boolean
  /** The advisory ids its `[[IgnoredVulns]]` name. */
  ignored: string[]
  /** Those entries, with their line and reason: sca applies them itself (the engine's copy has none). */
  ignores: IdIgnore[]
  /** What its `[[PackageOverrides]]` hide: whole packages, or every advisory of them. */
  packageIgnores: PackageIgnore[]
  /** The pull request's own version when it differs: the ignore entries it adds, not applied. */
  proposed?: {
    origin: string
    addedIgnores: string[]
    /** Those entries, to name what each would hide. */
    addedIgnoreEntries: IdIgnore[]
    addedPackageIgnores: PackageIgnore[]
    unreadable?: string
  }
}

/** A live `[[IgnoredVulns]]` entry: the first one for its id, its date not passed. */
export interface IdIgnore {
  id: string
  /** The line of its `[[IgnoredVulns]]` header. */
  line: number
  reason?: string
  until?: string
}

/** The ignores of one version of an osv-scanner.toml. */
export interface OsvIgnores {
  ids: string[]
  entries: IdIgnore[]
  packages: PackageIgnore[]
}

/** The `config` value that reads no osv-scanner.toml at all. */
export const NO_CONFIG = 'none'

const TABLE_HEADER = /^\s*\[\[?(.*?)\]\]?\s*(?:#.*)?$/
const KEY =
  /^\s*((?:"[^"\n]*"|'[^'\n]*'|[^=\s"'#]+)(?:\s*\.\s*(?:"[^"\n]*"|'[^'\n]*'|[^=\s"'#.]+))*)\s*=\s*(.*)$/
/** Every key an inline table of the line names (`{ id = "x" }`). */
const INLINE_KEY = /[{,]\s*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=/g

/**
 * The fields osv-scanner's config decodes (internal/config/config.go of the pinned v2). BurntSushi/toml
 * matches a key to one of them case-insensitively when no key is spelt exactly (`[[ignoredvulns]]`,
 * `ID`, `IgnoreUntil` are obeyed), a later table replacing an earlier one.
 */
const OSV_FIELDS = [
  'IgnoredVulns',
  'PackageOverrides',
  'GoVersionOverride',
  'ScanGoModVersion',
  'id',
  'ignoreUntil',
  'reason',
  'name',
  'version',
  'ecosystem',
  'group',
  'nameIsRegex',
  'ignore',
  'vulnerability',
  'license',
  'effectiveUntil',
  'override'
]

/** The segments of a dotted TOML key, unquoted (`"a". b` is `a`, `b`). */
const keySegments = (key: string) =>
  (key.match(/"[^"\n]*"|'[^'\n]*'|[^.\s]+/g) ?? []).map(part => part.replace(/^(["'])(.*)\1$/, '$2'))

/** Why osv-scanner could read this line otherwise than `readOsvIgnores` does, or undefined. */
function unreadableLine(line: string): string | undefined {
  if (/"""|'''/.test(line)) return 'a multi-line string, which sca does not read; write it on one line'
  const header = TABLE_HEADER.exec(line)
  const key = header ? undefined : KEY.exec(line)
  const keys = header ? keySegments(header[1] ?? '') : key ? keySegments(key[1] ?? '') : []
  const value = key?.[2] ?? ''
  if (value.includes('{'))
    for (const inline of value.matchAll(INLINE_KEY)) keys.push(...keySegments(inline[1] ?? ''))
  const twin = goKeyTwin(Object.fromEntries(keys.map(k => [k, true])), OSV_FIELDS)
  if (twin)
    return `the fields ${twin}, which osv-scanner reads as one (it matches keys regardless of case); spell it ${twin.split(' and ')[0]}`
  if (!header && (keys[0] === 'IgnoredVulns' || keys[0] === 'PackageOverrides'))
    return `an inline '${keys[0]}' array, which sca does not read; write each entry as a [[${keys[0]}]] table`
  if (header && keys[0] === 'PackageOverrides' && !overrideHeader(line, keys))
    return `a [${keys.join('.')}] table, which sca does not read; write its keys dotted in the [[PackageOverrides]] entry (vulnerability.ignore = true)`
  return undefined
}

/** `[[PackageOverrides]]`, or `[PackageOverrides.license]`, which sets only license fields. */
const overrideHeader = (line: string, keys: readonly string[]) =>
  /^\s*\[\[/.test(line) ? keys.length === 1 : keys.length === 2 && keys[1] === 'license'

/**
 * The advisory ids the `[[IgnoredVulns]]` entries ignore on `now`, and what the `[[PackageOverrides]]`
 * hide, as osv-scanner decides: the first entry for an id (or the first matching override) decides,
 * and one whose date has passed ignores nothing (an exception runs out). sca applies the ids to both
 * engines' findings, so it must not keep applying an expired one. Throws on a text osv-scanner could read
 * otherwise: a field under a second spelling, an inline array or table, a sub-table, a multi-line or
 * escaped string, a date that is not a TOML date, a regular-expression name.
 */
export function readOsvIgnores(toml: string, now = new Date()): OsvIgnores {
  const entries: { id?: string; until?: string; line: number; reason?: string }[] = []
  const overrides: OverrideEntry[] = []
  let table: string | undefined
  toml.split('\n').forEach((line, index) => {
    const why = unreadableLine(line)
    if (why) throw new Error(`line ${index + 1} holds ${why}`)
    const header = TABLE_HEADER.exec(line)
    if (header) {
      table = keySegments(header[1] ?? '').join('.')
      const array = /^\s*\[\[/.test(line)
      if (array && table === 'IgnoredVulns') entries.push({ line: index + 1 })
      if (array && table === 'PackageOverrides') overrides.push({ line: index + 1 })
      return
    }
    const key = KEY.exec(line)
    if (!key) return
    const field = keySegments(key[1] ?? '').join('.')
    const value = key[2] ?? ''
    const override = overrides[overrides.length - 1]
    if (table === 'PackageOverrides' && override) readOverrideField(override, field, value, index + 1)
    const entry = entries[entries.length - 1]
    if (table !== 'IgnoredVulns' || !entry) return
    if (field === 'id') entry.id = plainString(value, 'id', index + 1)
    else if (field === 'ignoreUntil') entry.until = tomlDate(value, 'ignoreUntil', index + 1)
    else if (field === 'reason') entry.reason = reasonText(value)
  })
  // osv-scanner looks up the first entry with the id and checks its date alone.
  const first = new Map<string, IdIgnore>()
  for (const { id, ...rest } of entries)
    if (id !== undefined && !first.has(id)) first.set(id, { id, ...rest })
  const live = [...first.values()].filter(entry => !hasPassed(entry.until, now))
  return { ids: live.map(e => e.id), entries: live, packages: packageIgnores(overrides, now) }
}

/** A reason is only shown, never decides: one osv-scanner reads otherwise (escapes) is shown as written. */
function reasonText(value: string): string {
  try {
    return plainString(value, 'reason', 0)
  } catch {
    return value.trim()
  }
}

/**
 * The text with every `[[IgnoredVulns]]` table blanked, line numbers kept (osv-scanner's errors still
 * name the right line): sca applies those ignores itself, to both engines' findings, so it can name
 * what each one hid. osv-scanner would otherwise drop whole alias groups before sca sees them.
 */
export function withoutIgnoredVulns(toml: string): string {
  let inIgnores = false
  return toml
    .split('\n')
    .map(line => {
      const header = TABLE_HEADER.exec(line)
      if (header)
        inIgnores = /^\s*\[\[/.test(line) && keySegments(header[1] ?? '').join('.') === 'IgnoredVulns'
      return inIgnores ? '' : line
    })
    .join('\n')
}

/** The advisory ids `[[IgnoredVulns]]` ignore on `now` (readOsvIgnores). */
export const ignoredIds = (toml: string, now = new Date()): string[] => readOsvIgnores(toml, now).ids

/** readOsvIgnores, or a ConfigurationError naming the file and the version of it that cannot be read. */
function readIgnores(toml: string, file: string, origin: string): OsvIgnores {
  try {
    return readOsvIgnores(toml)
  } catch (error) {
    throw new ConfigurationError(
      `${file} (${origin}): ${getErrorMessage(error)}; sca refuses it rather than report other ignores than osv-scanner applies`
    )
  }
}

/**
 * osv-scanner reads an `osv-scanner.toml` beside every lockfile unless it is given one with
 * `--config`; its `[[IgnoredVulns]]` hide vulnerabilities. The pull request controls the checkout,
 * so on a change the merge-base version decides (four eyes) and the engine always gets a copy of
 * the deciding one: a file the pull request adds anywhere in the tree is never read.
 */
export async function resolveScannerConfig(options: {
  workspace: string
  file: string | undefined
  source: TrustSource
  base: PullRequestBase | undefined
  tempDir: string
}): Promise<ScannerConfig> {
  if (options.file === undefined) {
    // The engine still gets a config of ours: without --config osv-scanner reads one beside each lockfile.
    const file = path.join(mkdtempSync(path.join(options.tempDir, 'sca-config-')), 'osv-scanner.toml')
    writeFileSync(file, '')
    return {
      file,
      path: NO_CONFIG,
      origin: 'config: none',
      exists: false,
      ignored: [],
      ignores: [],
      packageIgnores: []
    }
  }
  const trusted = await readTrustedFile(options.file, {
    workspace: options.workspace,
    source: options.source,
    base: options.base,
    what: 'osv-scanner config'
  })
  const dir = mkdtempSync(path.join(options.tempDir, 'sca-config-'))
  const file = path.join(dir, 'osv-scanner.toml')
  const deciding = readIgnores(trusted.deciding.text ?? '', options.file, trusted.deciding.origin)
  // [[PackageOverrides]] and the rest stay for osv-scanner to apply; the id ignores sca applies itself.
  writeFileSync(file, withoutIgnoredVulns(trusted.deciding.text ?? ''))
  const config: ScannerConfig = {
    file,
    path: options.file,
    origin: trusted.deciding.origin,
    exists: trusted.deciding.text !== undefined,
    ignored: deciding.ids,
    ignores: deciding.entries,
    packageIgnores: deciding.packages
  }
  const proposed = trusted.proposed
  if (proposed) {
    const wanted = readIgnores(proposed.text ?? '', options.file, proposed.origin)
    const ids = new Set(deciding.ids)
    const rules = new Set(deciding.packages.map(packageIgnoreKey))
    config.proposed = {
      origin: proposed.origin,
      addedIgnores: wanted.ids.filter(id => !ids.has(id)),
      addedIgnoreEntries: wanted.entries.filter(entry => !ids.has(entry.id)),
      addedPackageIgnores: wanted.packages.filter(rule => !rules.has(packageIgnoreKey(rule))),
      ...(proposed.origin !== 'workspace' ? { unreadable: proposed.origin } : {})
    }
  }
  return config
}
