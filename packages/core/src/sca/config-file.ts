import { mkdtempSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import { goKeyTwin } from '../runtime/go-keys.js'

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
  /** The pull request's own version when it differs: the ignore entries it adds, not applied. */
  proposed?: { origin: string; addedIgnores: string[]; unreadable?: string }
}

/** The `config` value that reads no osv-scanner.toml at all. */
export const NO_CONFIG = 'none'

const TABLE_HEADER = /^\s*\[\[?(.*?)\]\]?\s*(?:#.*)?$/
const KEY =
  /^\s*((?:"[^"\n]*"|'[^'\n]*'|[^=\s"'#]+)(?:\s*\.\s*(?:"[^"\n]*"|'[^'\n]*'|[^=\s"'#.]+))*)\s*=\s*(.*)$/
/** Every key an inline table of the line names (`{ id = "x" }`). */
const INLINE_KEY = /[{,]\s*("[^"\n]*"|'[^'\n]*'|[A-Za-z0-9_-]+)\s*=/g
const STRING_VALUE = /^(?:"([^"\\\n]*)"|'([^'\n]*)')\s*(?:#.*)?$/
const DATE_VALUE = /^(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)\s*(?:#.*)?$/

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

/** Why osv-scanner could read this line otherwise than `ignoredIds` does, or undefined. */
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
  if (!header && keys[0] === 'IgnoredVulns')
    return "an inline 'IgnoredVulns' array, which sca does not read; write each entry as an [[IgnoredVulns]] table"
  return undefined
}

/**
 * The advisory ids the `[[IgnoredVulns]]` entries ignore on `now`: an entry whose `ignoreUntil` has
 * passed ignores nothing, as osv-scanner decides (an exception runs out). Trivy gets these ids as its
 * ignore file, so it must not keep applying an expired one. Throws on a text osv-scanner could read
 * otherwise: a field under a second spelling, an inline array, a multi-line or escaped string.
 */
export function ignoredIds(toml: string, now = new Date()): string[] {
  const entries: { id?: string; until?: string }[] = []
  let table: string | undefined
  toml.split('\n').forEach((line, index) => {
    const why = unreadableLine(line)
    if (why) throw new Error(`line ${index + 1} holds ${why}`)
    const header = TABLE_HEADER.exec(line)
    if (header) {
      table = keySegments(header[1] ?? '').join('.')
      if (table === 'IgnoredVulns' && /^\s*\[\[/.test(line)) entries.push({})
      return
    }
    const entry = entries[entries.length - 1]
    const key = KEY.exec(line)
    if (table !== 'IgnoredVulns' || !entry || !key) return
    const field = keySegments(key[1] ?? '').join('.')
    const value = key[2] ?? ''
    if (field === 'id') {
      const text = STRING_VALUE.exec(value)
      if (!text) throw new Error(`line ${index + 1} holds an id that is not a plain one-line string`)
      entry.id = text[1] ?? text[2]
    } else if (field === 'ignoreUntil') entry.until = DATE_VALUE.exec(value)?.[1]
  })
  return entries.flatMap(({ id, until }) =>
    id && !(until && Date.parse(until.replace(' ', 'T')) <= now.getTime()) ? [id] : []
  )
}

/** ignoredIds, or a ConfigurationError naming the file and the version of it that cannot be read. */
function readIgnoredIds(toml: string, file: string, origin: string): string[] {
  try {
    return ignoredIds(toml)
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
    return { file, path: NO_CONFIG, origin: 'config: none', exists: false, ignored: [] }
  }
  const trusted = await readTrustedFile(options.file, {
    workspace: options.workspace,
    source: options.source,
    base: options.base,
    what: 'osv-scanner config'
  })
  const dir = mkdtempSync(path.join(options.tempDir, 'sca-config-'))
  const file = path.join(dir, 'osv-scanner.toml')
  writeFileSync(file, trusted.deciding.text ?? '')
  const config: ScannerConfig = {
    file,
    path: options.file,
    origin: trusted.deciding.origin,
    exists: trusted.deciding.text !== undefined,
    ignored: readIgnoredIds(trusted.deciding.text ?? '', options.file, trusted.deciding.origin)
  }
  const proposed = trusted.proposed
  if (proposed) {
    const before = new Set(config.ignored)
    config.proposed = {
      origin: proposed.origin,
      addedIgnores: readIgnoredIds(proposed.text ?? '', options.file, proposed.origin).filter(
        id => !before.has(id)
      ),
      ...(proposed.origin !== 'workspace' ? { unreadable: proposed.origin } : {})
    }
  }
  return config
}
