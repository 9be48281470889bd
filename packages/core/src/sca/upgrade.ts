import { compareVersions } from './versions.js'

/** One OSV `affected` range for a package: its events in order (`introduced`, `fixed`, `last_affected`). */
export interface AffectedRange {
  events: { introduced?: string; fixed?: string; last_affected?: string }[]
}

/** What one advisory says about one package. */
export interface PackageAdvisory {
  id: string
  /** ECOSYSTEM and SEMVER ranges (GIT ranges name commits, not versions). */
  ranges: AffectedRange[]
  /** Versions listed one by one as affected. */
  versions: string[]
  /** Fixed versions, also when no ranges are known (Trivy gives only these). */
  fixed: string[]
}

export type UpgradeAdvice = { kind: 'upgrade'; version: string } | { kind: 'none'; reason: string }

const below = (a: string, b: string) => compareVersions(a, b) < 0
const atMost = (a: string, b: string) => compareVersions(a, b) <= 0

function inRange(range: AffectedRange, version: string): boolean {
  let affected = false
  for (const event of range.events) {
    if (event.introduced !== undefined && (event.introduced === '0' || atMost(event.introduced, version)))
      affected = true
    if (event.fixed !== undefined && atMost(event.fixed, version)) affected = false
    if (event.last_affected !== undefined && below(event.last_affected, version)) affected = false
  }
  return affected
}

/** Whether `version` is still affected by the advisory, for a package now at `installed`. */
export function isAffected(advisory: PackageAdvisory, version: string, installed: string): boolean {
  if (advisory.versions.some(v => compareVersions(v, version) === 0)) return true
  if (advisory.ranges.length > 0) return advisory.ranges.some(range => inRange(sortEvents(range), version))
  // Fixed versions only: fixed once an upgrade reaches a fixed version above the installed one.
  return !advisory.fixed.some(fix => below(installed, fix) && atMost(fix, version))
}

/** Events sorted by their version, `introduced: 0` first, as the OSV schema evaluates them. */
function sortEvents(range: AffectedRange): AffectedRange {
  const key = (e: AffectedRange['events'][number]) => e.introduced ?? e.fixed ?? e.last_affected ?? '0'
  const events = [...range.events].sort((a, b) => {
    if (a.introduced === '0') return -1
    if (b.introduced === '0') return 1
    return compareVersions(key(a), key(b))
  })
  return { events }
}

/**
 * The smallest version above the installed one that no advisory affects, among the versions the
 * advisories name as fixed: the one upgrade that fixes all of a package's advisories at once.
 */
export function smallestUpgrade(
  installed: string | undefined,
  advisories: readonly PackageAdvisory[]
): UpgradeAdvice {
  if (!installed) return { kind: 'none', reason: 'the installed version is not known' }
  const unfixed = advisories.filter(a => a.fixed.length === 0).map(a => a.id)
  if (unfixed.length > 0)
    return { kind: 'none', reason: `no fixed version is known for ${unfixed.join(', ')}` }
  const candidates = [...new Set(advisories.flatMap(a => a.fixed))]
    .filter(version => below(installed, version))
    .sort(compareVersions)
  const fix = candidates.find(version => advisories.every(a => !isAffected(a, version, installed)))
  return fix
    ? { kind: 'upgrade', version: fix }
    : { kind: 'none', reason: 'no single fixed version is clear of every advisory' }
}
