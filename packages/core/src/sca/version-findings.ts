import type { Finding } from '../findings/finding.js'
import type { RuleDescriptor } from '../findings/sarif/model.js'
import type { LockfileText } from './enrich.js'
import { packageKey, type ScannedPackage } from './model.js'
import { packageFinding } from './package-finding.js'

/**
 * A dependency named without a version (`flask` in a requirements.txt, a pom.xml dependency whose
 * version a parent POM manages) is listed by osv-scanner and then dropped from matching as
 * "unscannable": no advisory is ever checked against it. Unreported, it would read as a clean package.
 */
export const VERSION_UNKNOWN = {
  id: 'dependency-version-unknown',
  severity: 'medium',
  tag: 'dependency-version'
} as const

export function versionUnknownRule(): RuleDescriptor {
  return {
    id: VERSION_UNKNOWN.id,
    shortDescription: 'Dependency without a version, so no advisory was checked',
    help: 'The dependency file names this package without one exact version, so the scanner could not match it against any advisory: its vulnerabilities are unknown, not absent. Pin it to one version, or scan a lockfile that records the version installed.',
    severity: VERSION_UNKNOWN.severity,
    tags: ['dependency', 'security']
  }
}

/** How to give a package a version where its dependency file stands. */
function pinAdvice(pkg: ScannedPackage): string {
  const ecosystem = pkg.ecosystem.split(':')[0]
  if (ecosystem === 'PyPI')
    return `pin it (${pkg.name}==<version>), or scan a lockfile that records versions (pip-compile, uv.lock, poetry.lock)`
  if (ecosystem === 'Maven')
    return 'declare its version in this file (a version from a parent POM or an imported BOM is not resolved), or scan a gradle.lockfile'
  return 'pin it to one version, or scan the lockfile that records the version installed'
}

/**
 * One finding per package that no entry of its file gives a version or a source commit. A package also
 * listed with a version in the same file is not one: a workspace link (`node_modules/a`, no version)
 * beside the workspace's own entry (`packages/a`, 1.0.0).
 */
export function versionUnknownFindings(packages: readonly ScannedPackage[], text: LockfileText): Finding[] {
  const versioned = new Set(packages.filter(p => p.version || p.commit).map(packageKey))
  const unknown = new Map<string, ScannedPackage>()
  for (const pkg of packages) {
    const key = packageKey(pkg)
    if (!versioned.has(key) && !unknown.has(key)) unknown.set(key, pkg)
  }
  return [...unknown.values()].map(pkg =>
    packageFinding(
      pkg,
      VERSION_UNKNOWN,
      `${pkg.name} has no version in ${pkg.lockfile}, so no advisory was checked against it: ${pinAdvice(pkg)}.`,
      text
    )
  )
}
