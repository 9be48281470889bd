import type { Finding } from '../findings/finding.js'
import { computeFingerprint } from '../findings/fingerprint.js'
import { baseFinding } from '../findings/readers/common.js'
import type { RuleDescriptor } from '../findings/sarif/model.js'
import type { LockfileText } from './enrich.js'
import { judgeLicenses, type LicensePolicy } from './licenses.js'
import type { ScannedPackage } from './model.js'
import { packageFinding } from './package-finding.js'

/** The rule ids license findings carry, apart from vulnerability ids. */
export const LICENSE_RULES = {
  denied: 'license-denied',
  notAllowed: 'license-not-allowed',
  unknown: 'license-unknown'
} as const

export function licenseRules(inputs: { allow: string; deny: string }): RuleDescriptor[] {
  return [
    {
      id: LICENSE_RULES.denied,
      shortDescription: 'Dependency under a denied license',
      help: `A dependency's license is one input '${inputs.deny}' lists, and the package offers no other license to choose.`,
      severity: 'high',
      tags: ['license', 'dependency']
    },
    {
      id: LICENSE_RULES.notAllowed,
      shortDescription: 'Dependency under a license that is not allowed',
      help: `No way of taking this dependency's license uses only licenses input '${inputs.allow}' lists.`,
      severity: 'high',
      tags: ['license', 'dependency']
    },
    {
      id: LICENSE_RULES.unknown,
      shortDescription: 'Dependencies whose license could not be checked',
      help: `These dependencies declare no SPDX license that could be read (offline, most lockfiles record none), so they were not checked against input '${inputs.allow}'.`,
      severity: 'low',
      tags: ['license', 'dependency']
    }
  ]
}

/** Packages to judge once: the same name and version in one lockfile is one package. */
function distinct(packages: readonly ScannedPackage[]): ScannedPackage[] {
  const seen = new Map<string, ScannedPackage>()
  for (const pkg of packages) {
    const key = `${pkg.lockfile}\u0000${pkg.ecosystem}\u0000${pkg.name}\u0000${pkg.version ?? ''}`
    const known = seen.get(key)
    if (!known || (known.licenses.length === 0 && pkg.licenses.length > 0)) seen.set(key, pkg)
  }
  return [...seen.values()]
}

/**
 * Findings for the allow and deny lists: one per package whose declared licenses are denied or not
 * allowed, and (with an allow list) one per lockfile naming the packages whose license is unknown.
 */
export function licenseFindings(
  packages: readonly ScannedPackage[],
  policy: LicensePolicy,
  text: LockfileText
): { findings: Finding[]; unknown: number } {
  if (policy.allow.length === 0 && policy.deny.length === 0) return { findings: [], unknown: 0 }
  const findings: Finding[] = []
  const unknownByLockfile = new Map<string, ScannedPackage[]>()
  for (const pkg of distinct(packages)) {
    const verdict = judgeLicenses(pkg.licenses, policy)
    const what = `${pkg.name}${pkg.version ? ` ${pkg.version}` : ''}`
    const declared = pkg.licenses.join(' AND ')
    if (verdict.kind === 'denied')
      findings.push(
        packageFinding(
          pkg,
          { id: LICENSE_RULES.denied, severity: 'high', tag: 'license' },
          `${what} is licensed ${declared}: ${verdict.ids.join(', ')} is denied.`,
          text.line(pkg.lockfile, pkg)
        )
      )
    else if (verdict.kind === 'not-allowed')
      findings.push(
        packageFinding(
          pkg,
          { id: LICENSE_RULES.notAllowed, severity: 'high', tag: 'license' },
          `${what} is licensed ${declared}: ${verdict.ids.join(', ')} is not in the allow list.`,
          text.line(pkg.lockfile, pkg)
        )
      )
    else if (verdict.kind === 'unknown')
      unknownByLockfile.set(pkg.lockfile, [...(unknownByLockfile.get(pkg.lockfile) ?? []), pkg])
  }
  let unknown = 0
  for (const [lockfile, list] of unknownByLockfile) {
    unknown += list.length
    if (policy.allow.length === 0) continue
    const names = list
      .slice(0, 20)
      .map(p => `${p.name}${p.version ? ` ${p.version}` : ''}`)
      .join(', ')
    const finding = baseFinding(
      'secure-pipeline-sca',
      LICENSE_RULES.unknown,
      `${list.length} package(s) in ${lockfile} declare no license that could be checked: ${names}${list.length > 20 ? ', …' : ''}`,
      'low',
      'dependency'
    )
    finding.location = { path: lockfile }
    finding.tags = ['license']
    finding.fingerprint = computeFingerprint(finding)
    findings.push(finding)
  }
  return { findings, unknown }
}
