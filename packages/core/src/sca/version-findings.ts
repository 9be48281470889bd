import * as path from 'node:path'
import type { Finding } from '../findings/finding.js'
import type { RuleDescriptor } from '../findings/sarif/model.js'
import type { LockfileText } from './enrich.js'
import { isMsbuildProjectFile, isPomFile, isRequirementsFile } from './lockfiles.js'
import { comparablePackageKey, packageKey, type ScannedPackage } from './model.js'
import { ownCodeMatcher } from './own-code.js'
import { packageFinding } from './package-finding.js'
import { pipfileReferences } from './pipfile-references.js'
import { directReferences, type DirectReference } from './requirements-references.js'

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
    help: 'The dependency file names this package without one exact version (or a go.work replaces the version go.mod names with one the scanner never sees), so the scanner could not match what is used against any advisory: its vulnerabilities are unknown, not absent. Give it one exact version where it is declared (the message says how for its kind of file), or waive it with a policy exception that says why.',
    severity: VERSION_UNKNOWN.severity,
    tags: ['dependency', 'security']
  }
}

/** A POM dependency named through a property the POM does not define: which package it is is unknown. */
function unresolvedCoordinates(pkg: ScannedPackage): boolean {
  return isPomFile(pkg.lockfile) && pkg.name.includes('${')
}

/** What the file leaves unknown about the package. */
function unknownPart(pkg: ScannedPackage, line: number | undefined): string {
  if (unresolvedCoordinates(pkg))
    return `names its group or artifact id in ${pkg.lockfile} through a property this POM does not define (a parent POM's, which the scan does not read): the package is unidentified`
  return `has no exact version in ${pkg.lockfile}${line === undefined && isRequirementsFile(pkg.lockfile) ? ' (or a file it includes with -r)' : ''}`
}

/** How to give a package a version, for the kind of file that declares it. */
function pinAdvice(pkg: ScannedPackage): string {
  const file = path.posix.basename(pkg.lockfile)
  if (unresolvedCoordinates(pkg))
    return 'Write its groupId and artifactId out in this POM, or define the property here'
  if (isRequirementsFile(pkg.lockfile))
    return `Pin it (${pkg.name}==<version>), or scan a lockfile that records versions (pip-compile, uv.lock, poetry.lock); a constraints file (-c) is not read`
  if (file === 'Pipfile.lock')
    return 'Lock it again (pipenv lock) so that the lockfile records the version installed, or waive it with a policy exception that says why'
  if (isPomFile(file))
    return "Declare its version in this POM's own dependencies, or through a property it defines: the scan does not resolve a version from a parent POM or an imported BOM, and reads no profile's dependencies"
  if (isMsbuildProjectFile(file))
    return 'Give it a literal Version attribute here, or scan the packages.lock.json NuGet writes with RestorePackagesWithLockFile: the scan reads no central package management (Directory.Packages.props), Version element or MSBuild property'
  return 'The file records it from an archive URL, a local source or a range: depend on one released version from the registry, or waive it with a policy exception that says why'
}

/**
 * One finding per package that no entry of its file gives a version or a source commit. A package also
 * listed with a version in the same file is not one: a workspace link (`node_modules/a`, no version)
 * beside the workspace's own entry (`packages/a`, 1.0.0). Nor is the project's own code (ownCodeMatcher):
 * a workspace member or a local directory no advisory database could hold.
 */
export function versionUnknownFindings(packages: readonly ScannedPackage[], text: LockfileText): Finding[] {
  const versioned = new Set(packages.filter(p => p.version || p.commit).map(packageKey))
  const ownCode = ownCodeMatcher(lockfile => text.text(lockfile))
  const unknown = new Map<string, { pkg: ScannedPackage; line: number | undefined }>()
  for (const pkg of packages) {
    const key = packageKey(pkg)
    if (!versioned.has(key) && !unknown.has(key) && !ownCode(pkg))
      unknown.set(key, { pkg, line: text.line(pkg.lockfile, pkg) })
  }
  // osv-scanner credits what a `-r` include names to the including file too: where the included file is
  // scanned as well, the package is reported there, at its line, once.
  const declared = new Set(
    [...unknown.values()]
      .filter(u => u.line !== undefined)
      .map(u => comparablePackageKey({ ...u.pkg, lockfile: '' }))
  )
  return [...unknown.values()]
    .filter(
      ({ pkg, line }) =>
        line !== undefined ||
        !isRequirementsFile(pkg.lockfile) ||
        !declared.has(comparablePackageKey({ ...pkg, lockfile: '' }))
    )
    .map(({ pkg, line }) =>
      packageFinding(
        pkg,
        VERSION_UNKNOWN,
        `${pkg.name} ${unknownPart(pkg, line)}, so no advisory was checked against it. ${pinAdvice(pkg)}.`,
        line
      )
    )
}

/** A requirement installed from a URL or a VCS that the engine did not list, as a package without a version. */
export interface DirectRequirement {
  pkg: ScannedPackage
  ref: DirectReference
}

/** The requirements a file names that osv-scanner does not list, read from the file itself. */
function unlistedReferences(lockfile: string, text: string): DirectReference[] {
  if (isRequirementsFile(lockfile)) return directReferences(text)
  if (path.posix.basename(lockfile) === 'Pipfile.lock') return pipfileReferences(text)
  return []
}

/**
 * What requirements files and Pipfile.lock install from a URL or a VCS (`name @ https://…`,
 * `-e git+…#egg=name`, a `git` entry), or lock without a version (`"version": "*"`), which osv-scanner
 * does not list at all, read from the files themselves.
 */
export function directRequirements(
  files: readonly string[],
  packages: readonly ScannedPackage[],
  text: LockfileText
): DirectRequirement[] {
  // Listed by the engine, or met already (a Pipfile.lock name in both default and develop): once.
  const listed = new Set(packages.map(comparablePackageKey))
  return files.flatMap(lockfile =>
    unlistedReferences(lockfile, text.text(lockfile) ?? '')
      .map(ref => ({ ref, pkg: referencedPackage(lockfile, ref) }))
      .filter(({ pkg }) => {
        const key = comparablePackageKey(pkg)
        return !listed.has(key) && Boolean(listed.add(key))
      })
  )
}

/** A URL or VCS source is part of what is installed: another URL under the same name is another package. */
function referencedPackage(lockfile: string, ref: DirectReference): ScannedPackage {
  const pkg: ScannedPackage = { lockfile, ecosystem: 'PyPI', name: ref.name ?? ref.source, licenses: [] }
  if (ref.kind !== 'range') pkg.source = { kind: ref.kind === 'vcs' ? 'vcs' : 'download', url: ref.source }
  return pkg
}

const REFERENCE_ADVICE = 'Depend on a released version from the package index'
const HOW_INSTALLED: Record<DirectReference['kind'], (source: string) => string> = {
  vcs: source => `is installed from a version control repository (${source})`,
  url: source => `is installed from a URL (${source})`,
  range: source => `has no exact version (${source})`
}

/** One finding per such requirement, at the line it starts on. */
export function directReferenceFindings(
  requirements: readonly DirectRequirement[],
  text: LockfileText
): Finding[] {
  return requirements.map(({ ref, pkg }) =>
    packageFinding(
      pkg,
      VERSION_UNKNOWN,
      `${pkg.name} ${HOW_INSTALLED[ref.kind](ref.source)} in ${pkg.lockfile}, so no advisory was checked against it. ${
        ref.kind === 'range'
          ? pinAdvice(pkg)
          : `${REFERENCE_ADVICE} (${ref.name ?? '<name>'}==<version>), or waive it with a policy exception that says why`
      }.`,
      ref.line ?? text.line(pkg.lockfile, pkg)
    )
  )
}
