import type { Finding } from '../findings/finding.js'
import type { IdIgnore } from './config-file.js'

/*
 * The `[[IgnoredVulns]]` ids, applied by sca to both engines' findings rather than by the engines:
 * osv-scanner drops a whole alias group when any id of it is ignored (pkg/osvscanner/filter.go of the
 * pinned v2), Trivy only the exact id, and neither says what it dropped. One rule for both, and every
 * hidden advisory named, so a reviewer sees what an ignore hides beyond the id it names.
 */

/** What one ignore hid: the findings whose advisory, or an alias of it, is its id. */
export interface IgnoreHits {
  ignore: IdIgnore
  hidden: Finding[]
}

export interface AppliedIgnores {
  kept: Finding[]
  /** The hidden findings, each with an accepted external suppression giving the ignore's reason. */
  hidden: Finding[]
  /** Every ignore in file order, with what it hid (nothing, for one that matched no finding). */
  hits: IgnoreHits[]
}

/** The ignores that match a finding: osv-scanner's rule, the advisory's id or any of its aliases. */
export function matchingIgnores(finding: Finding, ignores: readonly IdIgnore[]): IdIgnore[] {
  const ids = new Set([finding.ruleId, ...finding.aliases])
  return ignores.filter(ignore => ids.has(ignore.id))
}

/** Splits vulnerability findings into those reported and those an ignore hides. */
export function applyIgnores(findings: readonly Finding[], ignores: readonly IdIgnore[]): AppliedIgnores {
  const hits = ignores.map(ignore => ({ ignore, hidden: [] as Finding[] }))
  const kept: Finding[] = []
  const hidden: Finding[] = []
  for (const finding of findings) {
    const matched = hits.filter(hit => matchingIgnores(finding, [hit.ignore]).length > 0)
    if (matched.length === 0) {
      kept.push(finding)
      continue
    }
    // The first entry in the file gives the reason; every one that matched is listed as hiding it.
    const suppressed = {
      ...finding,
      suppressions: [...finding.suppressions, suppressionFor(matched[0]!.ignore)]
    }
    hidden.push(suppressed)
    for (const hit of matched) hit.hidden.push(suppressed)
  }
  return { kept, hidden, hits }
}

const suppressionFor = (ignore: IdIgnore) => ({
  kind: 'external' as const,
  status: 'accepted' as const,
  justification: ignore.reason || `osv-scanner.toml line ${ignore.line} ignores it (no reason given)`
})
