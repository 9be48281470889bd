import type { PackageRef, Suppression } from '../finding.js'
import { aliasesOf } from '../ids.js'
import { containedPath } from '../readers/common.js'
import { asObject, asString, type JsonObject } from '../json.js'
import type { RuleInfo } from './rules.js'
import { FINGERPRINT_KEY } from './types.js'

const NO_SUPPRESSIONS = Object.freeze([]) as unknown as Suppression[]
const NO_FINGERPRINTS = Object.freeze({}) as Record<string, string>
const NO_ALIASES = Object.freeze([]) as unknown as string[]

const KNOWN_SCANNERS = [
  'trivy',
  'grype',
  'semgrep',
  'opengrep',
  'osv-scanner',
  'codeql',
  'zizmor',
  'actionlint',
  'gitleaks',
  'checkov',
  'kics',
  'hadolint',
  'bandit',
  'eslint',
  'snyk',
  'dependency-check'
]

/** `Semgrep OSS` → `semgrep`, `CodeQL command-line toolchain` → `codeql`; other names lower-cased. */
export function scannerName(driverName: string): string {
  const lower = driverName.trim().toLowerCase()
  for (const known of KNOWN_SCANNERS) if (lower.startsWith(known)) return known
  return lower
}

/**
 * A SARIF artifact uri as a repository path: percent-decoded, forward slashes, `.`/`..` folded; `file://`
 * uris under the run's SRCROOT or under `workspace` (a `/`-terminated directory) become relative. Undefined
 * for anything that is no file in the repository (other absolute paths, other schemes, `..` out of it).
 */
export function toRepoPath(uri: string, srcRoot?: string, workspace?: string): string | undefined {
  let path = uri
  if (srcRoot && path.startsWith(srcRoot)) path = path.slice(srcRoot.length)
  if (path.startsWith('file://')) path = path.slice(7)
  if (workspace && path.startsWith(workspace)) path = path.slice(workspace.length)
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path)
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
  }
  if (path.includes('\\')) path = path.replace(/\\/g, '/')
  return containedPath(path)
}

/**
 * Package and version from scanner messages, for SARIF without a purl:
 * Trivy `Package: musl\nInstalled Version: 1.1\n…Fixed Version: 1.2`, osv-scanner
 * `Package 'ansi-html@0.0.1' is vulnerable`, Grype `… package: package-1, version 1.1.1 was found`.
 */
export function packageFromMessage(message: string): PackageRef | undefined {
  if (message.startsWith('Package: ')) {
    const name = field(message, 'Package: ')
    if (!name) return undefined
    const pkg: PackageRef = { name, fixedVersions: splitVersions(field(message, '\nFixed Version: ')) }
    const installed = field(message, '\nInstalled Version: ')
    if (installed) pkg.installedVersion = installed
    return pkg
  }
  if (message.startsWith("Package '")) {
    const osv = /^Package '(.+)@([^@']+)' is vulnerable/.exec(message)
    if (osv) return { name: osv[1]!, installedVersion: osv[2]!, fixedVersions: [] }
  }
  if (message.includes(' package: ')) {
    const grype = / package: (\S+), version (\S+) was found/.exec(message)
    if (grype) return { name: grype[1]!, installedVersion: grype[2]!, fixedVersions: [] }
  }
  return undefined
}

/** The rest of the line after `label` (indexOf, not split: this runs for every image finding). */
function field(message: string, label: string): string | undefined {
  const at = message.indexOf(label)
  if (at === -1) return undefined
  const start = at + label.length
  const end = message.indexOf('\n', start)
  return message.slice(start, end === -1 ? undefined : end).trim() || undefined
}

function splitVersions(text: string | undefined): string[] {
  return text ? text.split(/,\s*/).filter(Boolean) : []
}

export function readSuppressions(raw: unknown): Suppression[] {
  if (!Array.isArray(raw) || raw.length === 0) return NO_SUPPRESSIONS
  const out: Suppression[] = []
  for (const item of raw) {
    const entry = asObject(item)
    if (!entry) continue
    // Only a well-formed `external` is one: anything else follows the in-source mode, which a pull request
    // cannot turn into a suppression that always applies by misspelling the kind.
    const suppression: Suppression = { kind: entry.kind === 'external' ? 'external' : 'inSource' }
    const status = entry.status
    if (status === 'accepted' || status === 'underReview' || status === 'rejected')
      suppression.status = status
    // Absent means accepted (SARIF §3.35.3); a value SARIF does not define is not read as one.
    else if (status !== undefined) suppression.status = 'rejected'
    const justification = asString(entry.justification)
    if (justification) suppression.justification = justification
    out.push(suppression)
  }
  return out
}

/**
 * Partial fingerprints plus full `fingerprints` (Semgrep's matchBasedId/v1), without our own key.
 * A clean map from text we parsed ourselves is used as is: copying 100,000 of them only feeds the GC.
 */
export function readFingerprints(result: JsonObject, owned: boolean): Record<string, string> {
  const full = asObject(result.fingerprints)
  const partial = asObject(result.partialFingerprints)
  if (!full && !partial) return NO_FINGERPRINTS
  if (owned && (!full || !partial)) {
    const only = (full ?? partial)!
    if (isCleanMap(only)) return only as Record<string, string>
  }
  const merged: Record<string, string> = {}
  for (const source of [full, partial]) {
    if (!source) continue
    for (const key of Object.keys(source)) {
      const value = source[key]
      if (key !== FINGERPRINT_KEY && typeof value === 'string' && value !== '') merged[key] = value
    }
  }
  return merged
}

function isCleanMap(map: JsonObject): boolean {
  for (const key in map) {
    const value = map[key]
    if (key === FINGERPRINT_KEY || typeof value !== 'string' || value === '') return false
  }
  return true
}

/** Advisory ids of a result other than its rule id; a shared empty array when there are none. */
export function aliasesFrom(ruleId: string, ids: string[]): string[] {
  return ids.length === 0 || (ids.length === 1 && ids[0] === ruleId) ? NO_ALIASES : aliasesOf(ruleId, ids)
}

// Results naming their rule by its own id share one aliases array per rule.
const aliasesByRule = new WeakMap<RuleInfo, string[]>()

export function ruleAliases(rule: RuleInfo, ruleId: string): string[] {
  if (ruleId !== rule.id) return aliasesFrom(ruleId, rule.advisoryIds)
  let aliases = aliasesByRule.get(rule)
  if (!aliases) aliasesByRule.set(rule, (aliases = aliasesFrom(ruleId, rule.advisoryIds)))
  return aliases
}
