import type { Finding, ToolInfo, ToolProblem } from '../findings/finding.js'
import { pep503Name, type PackageSource } from '../sbom/purl.js'
import type { PackageAdvisory } from './upgrade.js'

/** One package version found in one dependency file. */
export interface ScannedPackage {
  /** Repository-relative path of the lockfile or manifest. */
  lockfile: string
  ecosystem: string
  name: string
  version?: string
  /** The source commit of a package installed from git (osv-scanner then names it by its repository). */
  commit?: string
  /** Declared licenses (SPDX expressions or names), as the engine or the lockfile gives them. */
  licenses: string[]
  /** Installed from a VCS or an archive URL rather than the registry: part of the package's identity. */
  source?: PackageSource
}

/** What an engine found in a set of dependency files. */
export interface EngineResult {
  tool: ToolInfo
  packages: ScannedPackage[]
  /** Vulnerability findings, located at their lockfile (repository-relative). */
  findings: Finding[]
  /** What each finding's advisories say about its package, by `advisoryKey`. */
  advisories: Map<string, PackageAdvisory[]>
  problems: ToolProblem[]
}

/** A package in a lockfile, whatever its version: the unit of "the same vulnerable dependency". */
export function packageKey(pkg: { lockfile: string; ecosystem: string; name: string }): string {
  return `${pkg.lockfile}\u0000${pkg.ecosystem.split(':')[0]}\u0000${pkg.name}`
}

/** A name as its ecosystem compares names: PyPI's normalized (PEP 503), NuGet's without case. */
export function comparableName(ecosystem: string, name: string): string {
  const base = ecosystem.split(':')[0]
  return base === 'PyPI' ? pep503Name(name) : base === 'NuGet' ? name.toLowerCase() : name
}

/** packageKey with the name as its ecosystem compares it (`PyYAML` and `pyyaml` are one package). */
export function comparablePackageKey(pkg: { lockfile: string; ecosystem: string; name: string }): string {
  return packageKey({ ...pkg, name: comparableName(pkg.ecosystem, pkg.name) })
}

/** A package version in a lockfile and one of its advisories (a group's first id). */
export function advisoryKey(
  lockfile: string,
  ecosystem: string,
  name: string,
  version: string | undefined,
  ruleId: string
): string {
  return `${lockfile}\u0000${ecosystem.split(':')[0]}\u0000${name}\u0000${version ?? ''}\u0000${ruleId}`
}

/** The advisoryKey of a vulnerability finding: joins findings, their advisories and their packages. */
export function vulnerabilityKeyOf(finding: Finding): string {
  const pkg = finding.package
  return advisoryKey(
    finding.location?.path ?? '',
    pkg?.ecosystem ?? '',
    pkg?.name ?? '',
    pkg?.installedVersion,
    finding.ruleId
  )
}
