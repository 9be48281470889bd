import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { Finding } from '../findings/finding.js'
import { purlSource } from '../findings/purl.js'
import type { FileChange } from '../github/git.js'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { isGoWorkFile } from './go-work.js'
import {
  dependencyFileEcosystem,
  inScope,
  isDependencyManifest,
  type LockfileSelection
} from './lockfiles.js'

/** What a run scans: everything, or on a change what it changed, or nothing when it changed no dependency file. */
export type ScaMode =
  | { kind: 'full'; reason: string }
  | {
      kind: 'skip'
      reason: string
      base: PullRequestBase
      /** Manifests (package.json, Cargo.toml, …) the change added, modified or renamed, in scope (head paths). */
      manifests: readonly string[]
      /** Dependency files in scope the change deleted or renamed away (base paths). */
      lockfilesRemoved: readonly string[]
    }
  | {
      kind: 'diff'
      reason: string
      base: PullRequestBase
      /** Dependency files the change added, modified or renamed, in scope (head paths). */
      changed: readonly FileChange[]
      manifests: readonly string[]
      lockfilesRemoved: readonly string[]
    }

const LOCKFILE_BYTES = 64 * 1024 * 1024

/** A file the engine reads, or a go.work, whose replaces change the versions go build uses without one. */
function decidesDependencies(file: string): boolean {
  return dependencyFileEcosystem(file) !== undefined || isGoWorkFile(file)
}

/**
 * `auto` on pull_request and merge_group: the change is compared with its merge-base (merge_group:
 * the queue's base commit), and a change that touches no dependency file cannot add a vulnerable
 * dependency, so nothing is scanned. `false`, and every other event: a full scan.
 */
export function decideScaMode(
  diff: 'auto' | 'false',
  base: PullRequestBase | undefined,
  selection: LockfileSelection,
  diffInput: string
): ScaMode {
  if (diff === 'false') return { kind: 'full', reason: `input '${diffInput}' is false` }
  if (!base) return { kind: 'full', reason: 'this event judges the branch as it is' }
  const what = base.event === 'merge_group' ? 'base commit' : 'merge-base'
  const changed = base.changes.filter(c => decidesDependencies(c.path) && inScope(c.path, selection))
  // A manifest is no file the engine reads, but one the change writes without its lockfile is reported.
  const manifests = base.changes
    .map(c => c.path)
    .filter(file => isDependencyManifest(file) && inScope(file, selection))
  // Taking a lockfile away adds no dependency, but leaves what its manifests declare unscanned.
  const lockfilesRemoved = (base.removed ?? []).filter(
    file => dependencyFileEcosystem(file) !== undefined && inScope(file, selection)
  )
  const since = `since the ${what} ${base.commit.slice(0, 12)}`
  if (changed.length === 0)
    return {
      kind: 'skip',
      base,
      manifests,
      lockfilesRemoved,
      reason: `${base.event}: none of the ${base.changes.length} changed file(s) ${since} is a dependency file, so this change adds no dependency`
    }
  return {
    kind: 'diff',
    base,
    changed,
    manifests,
    lockfilesRemoved,
    reason: `${base.event}: ${changed.length} dependency file(s) changed ${since}`
  }
}

/**
 * osv-scanner credits what a requirements file's `-r` includes list to that file, and an included file
 * need not look like a dependency file (`-r common.txt`): a change to it changes the including file's
 * dependencies, which would otherwise all count as the base's (or, with no dependency file changed, go
 * unscanned). Each such including file counts as changed.
 */
export function withIncludedChanges(
  mode: ScaMode,
  files: readonly string[],
  included: (file: string) => string[]
): ScaMode {
  if (mode.kind === 'full') return mode
  const touched = new Set(mode.base.changes.map(c => c.path))
  const changed: FileChange[] = mode.kind === 'diff' ? [...mode.changed] : []
  const already = new Set(changed.map(c => c.path))
  const extra = files.filter(file => !already.has(file) && included(file).some(i => touched.has(i)))
  if (extra.length === 0) return mode
  changed.push(...extra.map(file => ({ path: file, status: 'M' as const })))
  const { base, manifests, lockfilesRemoved } = mode
  return {
    kind: 'diff',
    base,
    changed,
    manifests,
    lockfilesRemoved,
    reason: `${base.event}: ${changed.length} dependency file(s) changed, or include a file the change writes (${extra.join(', ')})`
  }
}

/**
 * Writes the base versions of the changed dependency files (renamed ones under their new path) into
 * `dir`, read from git objects, and of the files their `-r` includes reach (`included`), so the base
 * scan reads what the base installed. Returns the head paths of changed files that had a base version.
 */
export async function writeBaseVersions(
  mode: Extract<ScaMode, { kind: 'diff' }>,
  dir: string,
  included: (file: string) => string[] = () => []
): Promise<string[]> {
  const changedPaths = new Set(mode.changed.map(c => c.path))
  const includes = new Set(mode.changed.flatMap(c => included(c.path)).filter(f => !changedPaths.has(f)))
  for (const file of includes) {
    const text = await mode.base.read(file, LOCKFILE_BYTES)
    if (text === undefined) continue
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    writeFileSync(path.join(dir, file), text)
  }
  const written: string[] = []
  for (const change of mode.changed) {
    // An added or copied file has no base version here: everything in it is new at this path.
    const from =
      change.status === 'M' || change.status === 'R' ? (change.previous?.path ?? change.path) : undefined
    if (!from) continue
    const text = await mode.base.read(from, LOCKFILE_BYTES)
    if (text === undefined) continue
    const target = path.join(dir, change.path)
    mkdirSync(path.dirname(target), { recursive: true })
    writeFileSync(target, text)
    written.push(change.path)
  }
  return written
}

/**
 * Which package and lockfile a finding is about, whatever the version: the same vulnerable dependency.
 * Where it is installed from (a repository and ref, an archive URL) is part of it: another is another package.
 */
function dependencyOf(finding: Finding): string {
  const source = finding.package?.purl ? purlSource(finding.package.purl) : ''
  return `${finding.location?.path ?? ''}\u0000${(finding.package?.ecosystem ?? '').split(':')[0]}\u0000${finding.package?.name ?? ''}\u0000${finding.ruleId.startsWith('license-') ? finding.ruleId : ''}\u0000${source}`
}

/**
 * Splits head findings into new and existing. A finding exists already when its lockfile did not
 * change, or when the lockfile's base version had the same package affected by the same advisory
 * (any id or alias in common), whatever the version: an upgrade that fixes one advisory of a package
 * but not another adds nothing new.
 */
export function classifyFindings(
  head: readonly Finding[],
  baseFindings: readonly Finding[],
  changed: ReadonlySet<string>
): { fresh: Finding[]; existing: Finding[] } {
  const before = new Map<string, Set<string>>()
  for (const finding of baseFindings) {
    const ids = before.get(dependencyOf(finding)) ?? new Set<string>()
    for (const id of [finding.ruleId, ...finding.aliases]) ids.add(id)
    before.set(dependencyOf(finding), ids)
  }
  const fresh: Finding[] = []
  const existing: Finding[] = []
  for (const finding of head) {
    const known = before.get(dependencyOf(finding))
    const old =
      !changed.has(finding.location?.path ?? '') ||
      (known !== undefined && [finding.ruleId, ...finding.aliases].some(id => known.has(id)))
    ;(old ? existing : fresh).push(finding)
  }
  return { fresh, existing }
}
