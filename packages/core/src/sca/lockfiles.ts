import * as path from 'node:path'
import { globMatches } from '../runtime/glob-match.js'
import { ConfigurationError } from '../runtime/errors.js'
import { globsOf } from '../runtime/glob.js'
import { walkFiles } from '../runtime/walk.js'
import { isGoWorkFile } from './go-work.js'

/**
 * The dependency files the pinned osv-scanner (2.6.0, osv-scalibr's `lockfile` extractors) reads, by
 * base name as its extractors' FileRequired decide, with the ecosystem each one names packages in.
 */
const BY_NAME: Readonly<Record<string, string>> = {
  'package-lock.json': 'npm',
  'npm-shrinkwrap.json': 'npm',
  'yarn.lock': 'npm',
  'pnpm-lock.yaml': 'npm',
  'bun.lock': 'npm',
  'Pipfile.lock': 'PyPI',
  'poetry.lock': 'PyPI',
  'pdm.lock': 'PyPI',
  'uv.lock': 'PyPI',
  'pylock.toml': 'PyPI',
  'go.mod': 'Go',
  'Cargo.lock': 'crates.io',
  'pom.xml': 'Maven',
  'gradle.lockfile': 'Maven',
  'buildscript-gradle.lockfile': 'Maven',
  'Gemfile.lock': 'RubyGems',
  'gems.locked': 'RubyGems',
  'composer.lock': 'Packagist',
  'packages.lock.json': 'NuGet',
  'packages.config': 'NuGet',
  'Directory.Packages.props': 'NuGet',
  'pubspec.lock': 'Pub',
  'mix.lock': 'Hex',
  'renv.lock': 'CRAN',
  'conan.lock': 'ConanCenter',
  'Package.resolved': 'SwiftURL',
  'cabal.project.freeze': 'Hackage',
  'stack.yaml.lock': 'Hackage'
}

/**
 * Manifests that declare dependencies neither engine reads without the lockfile their package manager
 * writes (unlocked-manifests.ts): with no such lockfile, what they declare is unknown, not absent.
 */
export const MANIFEST_NAMES = [
  'package.json',
  'Cargo.toml',
  'pyproject.toml',
  'Pipfile',
  'Gemfile',
  'composer.json',
  'build.gradle',
  'build.gradle.kts',
  'pubspec.yaml',
  'mix.exs',
  'Package.swift'
] as const
export type ManifestName = (typeof MANIFEST_NAMES)[number]
const MANIFESTS: ReadonlySet<string> = new Set(MANIFEST_NAMES)

/** Whether a file is such a manifest, by base name. */
export function isDependencyManifest(file: string): boolean {
  return MANIFESTS.has(path.posix.basename(file))
}

/** A pip requirements file, as osv-scanner's extractor picks them: `*requirements*.txt`. */
export function isRequirementsFile(file: string): boolean {
  const base = path.posix.basename(file)
  return base.endsWith('.txt') && base.includes('requirements')
}

/** A Maven POM: `pom.xml`, or a published `*.pom`. */
export function isPomFile(file: string): boolean {
  return path.posix.basename(file) === 'pom.xml' || file.endsWith('.pom')
}

/**
 * An MSBuild file that references NuGet packages: a project (`*.csproj`, `*.vbproj`, `*.fsproj`), or the
 * Directory.Build.props every project under it imports.
 */
export function isMsbuildProjectFile(file: string): boolean {
  return /\.(?:cs|vb|fs)proj$/.test(file) || path.posix.basename(file) === 'Directory.Build.props'
}

/** The ecosystem a dependency file names packages in, or undefined when osv-scanner reads no such file. */
export function dependencyFileEcosystem(file: string): string | undefined {
  const base = path.posix.basename(file)
  if (Object.hasOwn(BY_NAME, base)) return BY_NAME[base]
  if (isRequirementsFile(file)) return 'PyPI'
  if (/^pylock\.[^/]+\.toml$/.test(base)) return 'PyPI'
  if (isMsbuildProjectFile(base) || base.endsWith('.deps.json')) return 'NuGet'
  if (isPomFile(base)) return 'Maven'
  if (base === 'verification-metadata.xml' && path.posix.basename(path.posix.dirname(file)) === 'gradle')
    return 'Maven'
  return undefined
}

/** osv-scanner's `--lockfile <parse-as>:<path>` names (its osvscannerScalibrExtractionMapping) by file. */
const PARSE_AS_SAME = new Set([
  'pubspec.lock',
  'pnpm-lock.yaml',
  'yarn.lock',
  'package-lock.json',
  'pom.xml',
  'buildscript-gradle.lockfile',
  'gradle.lockfile',
  'poetry.lock',
  'Pipfile.lock',
  'pdm.lock',
  'pylock.toml',
  'uv.lock',
  'Cargo.lock',
  'composer.lock',
  'mix.lock',
  'renv.lock',
  'packages.config',
  'packages.lock.json',
  'conan.lock',
  'go.mod',
  'bun.lock',
  'Gemfile.lock',
  'gems.locked',
  'cabal.project.freeze',
  'stack.yaml.lock'
])

/**
 * The extractor osv-scanner is told to read a file with, so that a `:` in the path is never taken
 * for a parser name; undefined for files it only recognizes by itself (`.csproj`, `Package.resolved`).
 */
export function parseAsName(file: string): string | undefined {
  const base = path.posix.basename(file)
  if (PARSE_AS_SAME.has(base)) return base
  if (base === 'npm-shrinkwrap.json') return 'package-lock.json'
  if (base.endsWith('.deps.json')) return 'deps.json'
  if (base === 'verification-metadata.xml') return base
  const ecosystem = dependencyFileEcosystem(file)
  if (ecosystem === 'PyPI' && base.endsWith('.txt')) return 'requirements.txt'
  if (ecosystem === 'PyPI' && base.startsWith('pylock.')) return 'pylock.toml'
  return undefined
}

export interface LockfileSelection {
  /** Repository-relative directory the scan covers (`.` for all). */
  scanPath: string
  /** Globs a dependency file must match (repository-relative); empty: every one. */
  include: readonly string[]
  /** Globs that leave a dependency file out. */
  exclude: readonly string[]
}

export interface DiscoveredLockfiles {
  /** Repository-relative, sorted. */
  files: string[]
  /** Dependency files that are symbolic links: never followed, listed as not scanned. */
  links: string[]
  /** Manifests (isDependencyManifest) in scope, for unlockedManifests: regular files, sorted. */
  manifests: string[]
  /** Manifests that are symbolic links: never followed nor read. */
  manifestLinks: string[]
  /** Go workspace files (go.work) in scope: read by the scan itself, never given to the engine. Sorted. */
  goWorkspaces: string[]
}

function checkGlobs(patterns: readonly string[], inputName: string): void {
  for (const pattern of patterns)
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..') || pattern.includes('\0'))
      throw new ConfigurationError(
        `Input '${inputName}': pattern '${pattern}' leaves the workspace; use a path relative to the repository without '..'.`
      )
  globsOf(patterns, inputName)
}

/**
 * Refuses an `include`/`exclude` pattern that leaves the workspace or is no glob, naming the input. Run
 * before anything matches a path against them: the glob matcher's own error names no input.
 */
export function checkScopeGlobs(
  selection: Pick<LockfileSelection, 'include' | 'exclude'>,
  inputNames: { include: string; exclude: string }
): void {
  checkGlobs(selection.include, inputNames.include)
  checkGlobs(selection.exclude, inputNames.exclude)
}

/** Whether a repository-relative path is in scope: under scanPath, matching include, not exclude. */
export function inScope(file: string, selection: LockfileSelection): boolean {
  const prefix = selection.scanPath === '.' ? '' : `${selection.scanPath.replace(/\/+$/, '')}/`
  if (prefix && !file.startsWith(prefix)) return false
  const matches = (pattern: string) => globMatches(file, pattern.replace(/^\.\//, ''), { dot: true })
  if (selection.include.length > 0 && !selection.include.some(matches)) return false
  return !selection.exclude.some(matches)
}

/**
 * Every dependency file under scanPath that the globs select, found with the one workspace walker
 * (`.git` and `node_modules` are skipped, links never followed). A file the pull request made a
 * symbolic link is reported, not read: it could point anywhere on the runner.
 */
export function discoverLockfiles(
  workspace: string,
  selection: LockfileSelection,
  inputNames: { include: string; exclude: string; path: string }
): DiscoveredLockfiles {
  checkScopeGlobs(selection, inputNames)
  const links: string[] = []
  const manifestLinks: string[] = []
  const start = selection.scanPath === '.' ? '' : selection.scanPath
  const walked = walkFiles(workspace, {
    start,
    inputName: inputNames.path,
    onSymlink: link => {
      if (!inScope(link, selection)) return
      // go build reads a linked go.work as it reads any: like a linked lockfile, it is not scanned.
      if (dependencyFileEcosystem(link) || isGoWorkFile(link)) links.push(link)
      else if (isDependencyManifest(link)) manifestLinks.push(link)
    }
  }).filter(file => inScope(file, selection))
  return {
    files: walked.filter(file => dependencyFileEcosystem(file) !== undefined),
    links: links.sort(),
    manifests: walked.filter(isDependencyManifest),
    manifestLinks: manifestLinks.sort(),
    goWorkspaces: walked.filter(isGoWorkFile)
  }
}
