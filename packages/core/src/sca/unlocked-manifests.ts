import * as path from 'node:path'
import type { ManifestName } from './lockfiles.js'
import { readManifest } from './manifest-dependencies.js'
import type { ScopeInputNames } from './unread-includes.js'
import {
  joinWorkspaceAdvice,
  outsideWorkspace,
  workspaceMembership,
  type Membership
} from './workspace-members.js'
import type { ReadText } from './workspace-reading.js'

type Engine = 'osv-scanner' | 'trivy'

/**
 * A manifest with no lockfile of its own in the scan: its dependencies are unknown, not absent. It
 * declares some, cannot be parsed (`unreadable`), or is a symbolic link, never read. `above`: the
 * nearest lockfile above it that the engine reads for it, whose workspace leaves it out or cannot be read.
 */
export type UnlockedManifest = { file: string; name: ManifestName; above?: LockfileAbove } & (
  { kind: 'declares'; tool?: 'poetry' | 'pdm' } | { kind: 'unreadable'; why: string } | { kind: 'link' }
)

/** A lockfile in a directory above a manifest that does not hold its dependencies, or may not. */
export interface LockfileAbove {
  lockfile: string
  membership: Exclude<Membership, { kind: 'member' }>
}

/** Whether a lockfile in the scan holds a manifest's dependencies; if not, the nearest one above that may. */
export type Coverage = { covered: true } | { covered: false; above?: LockfileAbove }

interface LockAdvice {
  /** The lockfile base names each engine reads for this manifest (Trivy: the same when absent). */
  osv: readonly string[]
  trivy?: readonly string[]
  /** What to commit, and the command that writes it. */
  how: string
}

const NPM_LOCKS = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock']
const GRADLE: LockAdvice = {
  osv: ['gradle.lockfile', 'verification-metadata.xml'],
  trivy: ['gradle.lockfile'],
  how: 'turn on dependency locking (`dependencyLocking { lockAllConfigurations() }`) and commit the gradle.lockfile that `gradle dependencies --write-locks` writes'
}

/** The lockfiles the engines read (lockfiles.ts, engine-trivy.ts) per manifest, and how each is written. */
const LOCKS: Readonly<Record<ManifestName, LockAdvice>> = {
  'package.json': {
    osv: NPM_LOCKS,
    how: 'commit the package-lock.json that `npm install --package-lock-only` writes (or the yarn.lock, pnpm-lock.yaml or bun.lock of the package manager you use)'
  },
  'Cargo.toml': { osv: ['Cargo.lock'], how: 'commit the Cargo.lock that `cargo generate-lockfile` writes' },
  'pyproject.toml': {
    osv: ['poetry.lock', 'uv.lock', 'pdm.lock', 'pylock.toml'],
    trivy: ['poetry.lock', 'uv.lock'],
    how: 'commit the uv.lock that `uv lock` writes (or the poetry.lock of `poetry lock`)'
  },
  Pipfile: { osv: ['Pipfile.lock'], how: 'commit the Pipfile.lock that `pipenv lock` writes' },
  Gemfile: {
    osv: ['Gemfile.lock', 'gems.locked'],
    trivy: ['Gemfile.lock'],
    how: 'commit the Gemfile.lock that `bundle lock` writes'
  },
  'composer.json': {
    osv: ['composer.lock'],
    how: 'commit the composer.lock that `composer update --no-install` writes'
  },
  'build.gradle': GRADLE,
  'build.gradle.kts': GRADLE,
  'pubspec.yaml': {
    osv: ['pubspec.lock'],
    how: 'commit the pubspec.lock that `dart pub get` (or `flutter pub get`) writes'
  },
  'mix.exs': { osv: ['mix.lock'], how: 'commit the mix.lock that `mix deps.get` writes' },
  'Package.swift': {
    osv: ['Package.resolved'],
    how: 'commit the Package.resolved that `swift package resolve` writes'
  }
}

function readBy(name: ManifestName, engine: Engine): readonly string[] {
  const advice = LOCKS[name]
  return engine === 'trivy' ? (advice.trivy ?? advice.osv) : advice.osv
}

/** Whether `lockfile` (a base name) is one the engine reads for this manifest. */
function locks(name: ManifestName, lockfile: string, engine: Engine): boolean {
  if (readBy(name, engine).includes(lockfile)) return true
  return name === 'pyproject.toml' && engine === 'osv-scanner' && /^pylock\.[^/]+\.toml$/.test(lockfile)
}

/** The directory a lockfile covers from: Gradle's verification metadata lives in the build's `gradle/`. */
function lockDirectory(lockfile: string): string {
  const dir = path.posix.dirname(lockfile)
  return path.posix.basename(lockfile) === 'verification-metadata.xml' ? path.posix.dirname(dir) : dir
}

const nameOf = (file: string) => path.posix.basename(file) as ManifestName

/**
 * Whether a lockfile the engine reads for a manifest lies among `lockfiles` in the manifest's directory,
 * or in a directory above it whose workspace takes the manifest's directory in (npm, Yarn, pnpm, bun,
 * Cargo and uv workspaces keep one lockfile at the root; an unrelated package below it is not in it).
 * Without `membership`, any lockfile above covers: for lockfiles a change removed, which cannot be read.
 */
export function coveredBy(
  lockfiles: readonly string[],
  engine: Engine,
  membership: (lockfile: string, dir: string) => Membership = () => ({ kind: 'member' })
): (manifest: string) => Coverage {
  const byDirectory = new Map<string, string[]>()
  for (const lockfile of lockfiles) {
    const dir = lockDirectory(lockfile)
    const inDirectory = byDirectory.get(dir) ?? []
    inDirectory.push(lockfile)
    byDirectory.set(dir, inDirectory)
  }
  return manifest => {
    const name = nameOf(manifest)
    const own = path.posix.dirname(manifest)
    let above: LockfileAbove | undefined
    for (let dir = own; ; dir = path.posix.dirname(dir)) {
      for (const lockfile of byDirectory.get(dir) ?? []) {
        if (!locks(name, path.posix.basename(lockfile), engine)) continue
        const verdict = dir === own ? ({ kind: 'member' } as const) : membership(lockfile, own)
        if (verdict.kind === 'member') return { covered: true }
        above ??= { lockfile, membership: verdict }
      }
      if (dir === '.') return above ? { covered: false, above } : { covered: false }
    }
  }
}

export interface ManifestScope {
  /** Manifests discovered in scope (discoverLockfiles), regular files. */
  manifests: readonly string[]
  /** Manifests that are symbolic links. */
  manifestLinks: readonly string[]
  /** The dependency files the scan was given, links among them: only these can cover a manifest. */
  lockfiles: readonly string[]
  engine: Engine
  /**
   * The regular files the walk found in scope, manifests and dependency files (whatever `manifests`
   * leaves out of them): the only files read to tell a workspace's members, so that no link is followed.
   */
  walked: readonly string[]
  /** A file's text through the lockfile reader (its size cap and decoding); undefined when unread. */
  text: ReadText
}

/**
 * The manifests whose dependencies the scan does not see: no lockfile the engine reads for them is in
 * the scan in their directory, or in a directory above whose workspace takes them in (coveredBy), and
 * they declare a dependency, cannot be parsed, or are a link. A manifest a lockfile covers is never read.
 */
export function unlockedManifests(scope: ManifestScope): UnlockedManifest[] {
  const walked = new Set(scope.walked)
  const read: ReadText = file => (walked.has(file) ? scope.text(file) : undefined)
  const coverage = coveredBy(scope.lockfiles, scope.engine, workspaceMembership(read))
  const out: UnlockedManifest[] = []
  for (const file of scope.manifests) {
    const name = nameOf(file)
    const covered = coverage(file)
    if (covered.covered) continue
    const reading = readManifest(name, scope.text(file))
    if (reading.kind !== 'none') out.push({ file, name, ...aboveOf(covered), ...reading })
  }
  for (const file of scope.manifestLinks) {
    const covered = coverage(file)
    if (!covered.covered) out.push({ file, name: nameOf(file), ...aboveOf(covered), kind: 'link' })
  }
  return out.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0))
}

const aboveOf = (coverage: Coverage & { covered: false }) => (coverage.above ? { above: coverage.above } : {})

/** What to commit for this manifest, for this engine. */
function advice(manifest: UnlockedManifest, engine: Engine): string {
  if (manifest.kind === 'declares' && manifest.tool === 'poetry')
    return 'commit the poetry.lock that `poetry lock` writes'
  if (manifest.kind === 'declares' && manifest.tool === 'pdm')
    return engine === 'trivy'
      ? 'Trivy reads no pdm.lock: commit the uv.lock that `uv lock` writes, or scan with osv-scanner and commit the pdm.lock that `pdm lock` writes'
      : 'commit the pdm.lock that `pdm lock` writes'
  return LOCKS[manifest.name].how
}

/** Why the lockfile above a manifest does not cover it. */
function leftOut({ lockfile, membership }: LockfileAbove, manifest: ManifestName): string {
  return membership.kind === 'outside'
    ? `the ${lockfile} above it ${outsideWorkspace(lockfile, manifest)}`
    : `the scan cannot tell whether the ${lockfile} above it includes it (${membership.why})`
}

/** An English list: `a, b or c`. */
function either(names: readonly string[]): string {
  return names.length < 2 ? (names[0] ?? '') : `${names.slice(0, -1).join(', ')} or ${names.at(-1)}`
}

/**
 * The not-scanned entries (`{file, reason}`) for unlocked manifests, each naming the lockfile to commit
 * and the command that writes it. The caller reports them at warning level: many repositories keep a
 * manifest for tools only, and the step and the gate do not fail on them.
 */
export function unlockedManifestEntries(
  unlocked: readonly UnlockedManifest[],
  engine: Engine,
  inputs: Pick<ScopeInputNames, 'exclude'>
): { file: string; reason: string }[] {
  return unlocked.map(manifest => {
    const names = readBy(manifest.name, engine).map(n =>
      n === 'verification-metadata.xml' ? 'gradle/verification-metadata.xml' : n
    )
    const none = manifest.above
      ? leftOut(manifest.above, manifest.name)
      : `the scan has no ${either(names)} beside it or in a directory above it`
    const join = manifest.above && joinWorkspaceAdvice(manifest.above.lockfile)
    const own = join
      ? `${join}, or give it a lockfile of its own: ${advice(manifest, engine)}`
      : advice(manifest, engine)
    const fix = `${own}, or leave it out with '${inputs.exclude}'`
    const such = manifest.above ? 'a lockfile that includes it' : 'such a lockfile'
    const reason = {
      declares: `it declares dependencies, but ${none}, and ${engine === 'trivy' ? 'Trivy' : 'osv-scanner'} reads them only from ${such}: they and their vulnerabilities are unknown, not absent; ${fix}`,
      unreadable: `it cannot be read as a ${manifest.name} (${manifest.kind === 'unreadable' ? manifest.why : ''}) and ${none}, so the dependencies it may declare are unknown; fix it and ${fix}`,
      link: `a symbolic link, never followed, and ${none}, so the dependencies it may declare are unknown; commit the file itself and ${fix}`
    }[manifest.kind]
    return { file: manifest.file, reason }
  })
}
