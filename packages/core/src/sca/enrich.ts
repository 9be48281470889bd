import type { Finding } from '../findings/finding.js'
import { computeFingerprint } from '../findings/fingerprint.js'
import { packagePurl } from '../sbom/purl.js'
import { vulnerabilityKeyOf, type EngineResult } from './model.js'
import { smallestUpgrade, type UpgradeAdvice } from './upgrade.js'

/** A vulnerability finding with what the SARIF and the summary say about it beyond the engine's report. */
export interface VulnerabilityFinding {
  finding: Finding
  /** The one upgrade that fixes all of this package's advisories in this lockfile. */
  upgrade: UpgradeAdvice
}

/** Dependency files, each read and indexed once: their text and the line declaring a package. */
export interface LockfileText {
  text(lockfile: string): string | undefined
  line(lockfile: string, pkg: { ecosystem: string; name: string; version?: string }): number | undefined
}

/**
 * Adds to each finding the package's purl, the line of its lockfile that declares it, and the smallest
 * upgrade that fixes every advisory of the package (computed over all of them together).
 */
export function enrichVulnerabilities(result: EngineResult, text: LockfileText): VulnerabilityFinding[] {
  const byPackage = new Map<string, Finding[]>()
  for (const finding of result.findings) {
    const key = vulnerabilityKeyOf({ ...finding, ruleId: '' })
    byPackage.set(key, [...(byPackage.get(key) ?? []), finding])
  }
  const out: VulnerabilityFinding[] = []
  for (const findings of byPackage.values()) {
    const first = findings[0]!
    const advisories = findings.flatMap(f => result.advisories.get(vulnerabilityKeyOf(f)) ?? [])
    const upgrade = smallestUpgrade(first.package?.installedVersion, advisories)
    for (const finding of findings) out.push({ finding: located(finding, text, upgrade), upgrade })
  }
  return out
}

function located(finding: Finding, text: LockfileText, upgrade: UpgradeAdvice): Finding {
  const pkg = finding.package
  const path = finding.location?.path
  if (!pkg || !path) return finding
  const ecosystem = pkg.ecosystem ?? ''
  const purl = pkg.purl ?? packagePurl({ ecosystem, name: pkg.name, version: pkg.installedVersion })
  const line = text.line(path, {
    ecosystem,
    name: pkg.name,
    ...(pkg.installedVersion ? { version: pkg.installedVersion } : {})
  })
  const advice =
    upgrade.kind === 'upgrade'
      ? ` Upgrade to ${upgrade.version} to fix all known advisories of this package.`
      : ''
  const out: Finding = {
    ...finding,
    message: `${finding.message}${advice}`,
    package: { ...pkg, ...(purl ? { purl } : {}) },
    location: { path, ...(line ? { startLine: line } : {}) }
  }
  out.fingerprint = computeFingerprint(out)
  return out
}
