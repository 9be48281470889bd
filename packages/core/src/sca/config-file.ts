import { mkdtempSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { readTrustedFile, type TrustSource } from '../github/trusted-file.js'

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

const TABLE_HEADER = /^\s*\[\[?\s*([^\]\s]+)\s*\]\]?\s*(?:#.*)?$/
const ID = /^\s*id\s*=\s*["']([^"'\n]+)["']/m
const IGNORE_UNTIL = /^\s*ignoreUntil\s*=\s*(\d{4}-\d{2}-\d{2}(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:\d{2})?)?)/m

/**
 * The advisory ids the `[[IgnoredVulns]]` entries ignore on `now`: an entry whose `ignoreUntil` has
 * passed ignores nothing, as osv-scanner decides (an exception runs out). Trivy gets these ids as its
 * ignore file, so it must not keep applying an expired one.
 */
export function ignoredIds(toml: string, now = new Date()): string[] {
  const entries: string[] = []
  let table: string | undefined
  for (const line of toml.split('\n')) {
    const header = TABLE_HEADER.exec(line)
    if (header) {
      table = header[1]
      if (table === 'IgnoredVulns') entries.push('')
    } else if (table === 'IgnoredVulns') entries[entries.length - 1] += `${line}\n`
  }
  return entries.flatMap(entry => {
    const id = ID.exec(entry)?.[1]
    const until = IGNORE_UNTIL.exec(entry)?.[1]
    return id && !(until && Date.parse(until.replace(' ', 'T')) <= now.getTime()) ? [id] : []
  })
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
    ignored: ignoredIds(trusted.deciding.text ?? '')
  }
  const proposed = trusted.proposed
  if (proposed) {
    const before = new Set(ignoredIds(trusted.deciding.text ?? ''))
    config.proposed = {
      origin: proposed.origin,
      addedIgnores: ignoredIds(proposed.text ?? '').filter(id => !before.has(id)),
      ...(proposed.origin !== 'workspace' ? { unreadable: proposed.origin } : {})
    }
  }
  return config
}
