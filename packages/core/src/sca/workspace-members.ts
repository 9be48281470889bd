import * as path from 'node:path'
import { cargoMembers, uvMembers, yarnWorkspaces } from './workspace-globs.js'
import {
  bunWorkspaces,
  composerPathPackages,
  npmPackages,
  pnpmImporters,
  poetryPathDependencies
} from './workspace-listings.js'
import { besideLockfile, type Members, type ReadText } from './workspace-reading.js'

/**
 * Whether the lockfile in a directory above a manifest holds the manifest's dependencies: its workspace
 * takes the manifest's directory in, it does not, or that cannot be told (`why`).
 */
export type Membership = { kind: 'member' } | { kind: 'outside' } | { kind: 'undecided'; why: string }

interface WorkspaceKind {
  members: (lockfile: string, read: ReadText) => Members
  /** How to add a directory to the workspace of this lockfile; none for a tool without workspaces. */
  join?: (lockfile: string) => string
  /** Why a manifest below the lockfile is not in it: the lockfile `…`. */
  outside?: (manifest: string) => string
}

const NPM: WorkspaceKind = {
  members: npmPackages,
  join: lockfile =>
    `add it to \`workspaces\` in ${besideLockfile(lockfile, 'package.json')} and run \`npm install\``
}

/**
 * Pipenv and Bundler write their lockfile beside the Pipfile or Gemfile they read, and read a nested one
 * rather than the one above; Gradle writes a gradle.lockfile in each project's own directory. Such a
 * lockfile above a manifest never holds its dependencies (a build's gradle/verification-metadata.xml,
 * which lists all its projects' artifacts, is not one of them).
 */
const BESIDE_ONLY: WorkspaceKind = {
  members: () => () => false,
  outside: manifest => `locks only the ${manifest} beside it`
}

/**
 * The lockfiles whose workspace is read. npm, pnpm and bun lockfiles name each directory they hold;
 * yarn.lock does not (Yarn 1), so the root package.json's `workspaces` decide; Cargo and uv lockfiles
 * list members by name, so the root manifest's members decide; poetry.lock and composer.lock name the
 * directories of their path dependencies; Pipfile.lock, Gemfile.lock, gems.locked and gradle.lockfile
 * hold no directory but their own. The others' tools may lock a nested manifest through a path
 * dependency or a workspace this does not read (PDM, pub, Mix, SwiftPM): a lockfile above covers, as
 * before.
 */
const WORKSPACES: Readonly<Record<string, WorkspaceKind>> = {
  'package-lock.json': NPM,
  'npm-shrinkwrap.json': NPM,
  'pnpm-lock.yaml': {
    members: pnpmImporters,
    join: lockfile =>
      `add it to \`packages\` in ${besideLockfile(lockfile, 'pnpm-workspace.yaml')} and run \`pnpm install\``
  },
  'bun.lock': {
    members: bunWorkspaces,
    join: lockfile =>
      `add it to \`workspaces\` in ${besideLockfile(lockfile, 'package.json')} and run \`bun install\``
  },
  'yarn.lock': {
    members: yarnWorkspaces,
    join: lockfile =>
      `add it to \`workspaces\` in ${besideLockfile(lockfile, 'package.json')} and run \`yarn install\``
  },
  'Cargo.lock': {
    members: cargoMembers,
    join: lockfile =>
      `add it to \`[workspace] members\` in ${besideLockfile(lockfile, 'Cargo.toml')} and run \`cargo update --workspace\``
  },
  'uv.lock': {
    members: uvMembers,
    join: lockfile =>
      `add it to \`[tool.uv.workspace] members\` in ${besideLockfile(lockfile, 'pyproject.toml')} and run \`uv lock\``
  },
  'poetry.lock': {
    members: poetryPathDependencies,
    join: lockfile =>
      `add it to ${besideLockfile(lockfile, 'pyproject.toml')} as a path dependency and run \`poetry lock\``,
    outside: () => 'does not include it (it is no path dependency of that project)'
  },
  'composer.lock': {
    members: composerPathPackages,
    join: lockfile =>
      `require it in ${besideLockfile(lockfile, 'composer.json')} from a \`path\` repository and run \`composer update\``,
    outside: () => 'does not include it (it is no path repository package of that project)'
  },
  'Pipfile.lock': BESIDE_ONLY,
  'Gemfile.lock': BESIDE_ONLY,
  'gems.locked': BESIDE_ONLY,
  'gradle.lockfile': BESIDE_ONLY
}

/**
 * Whether a lockfile above a manifest's directory holds that directory's dependencies, each lockfile
 * read once. Nothing but `read` is opened, so no link is followed and the reader's size cap holds.
 */
export function workspaceMembership(read: ReadText): (lockfile: string, dir: string) => Membership {
  const cache = new Map<string, Members>()
  return (lockfile, dir) => {
    const kind = WORKSPACES[path.posix.basename(lockfile)]
    if (!kind) return { kind: 'member' }
    let members = cache.get(lockfile)
    if (!members) {
      members = kind.members(lockfile, read)
      cache.set(lockfile, members)
    }
    if (typeof members !== 'function') return { kind: 'undecided', why: members.why }
    return members(path.posix.relative(path.posix.dirname(lockfile), dir))
      ? { kind: 'member' }
      : { kind: 'outside' }
  }
}

/** Why a manifest (its base name) below this lockfile, outside its workspace, is not in it. */
export function outsideWorkspace(lockfile: string, manifest: string): string {
  const outside = WORKSPACES[path.posix.basename(lockfile)]?.outside
  return outside ? outside(manifest) : 'does not include it (it is not a member of that workspace)'
}

/** How to take a directory into the workspace of this lockfile; undefined for a lockfile without one. */
export function joinWorkspaceAdvice(lockfile: string): string | undefined {
  return WORKSPACES[path.posix.basename(lockfile)]?.join?.(lockfile)
}
