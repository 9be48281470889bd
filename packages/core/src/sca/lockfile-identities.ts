import * as path from 'node:path'
import { isObject } from '../findings/json.js'
import type { ScannedPackage } from './model.js'

/**
 * What osv-scanner 2.6.0's JSON leaves out of a package's identity, put back for the SBOM from the
 * lockfile itself: a dependency installed from a git commit comes out as ecosystem `GIT` named by its
 * repository URL (the lockfile names it as an npm package), and a go.mod's Go toolchain (`stdlib`) is
 * not listed at all. Each is the package the lockfile declares, as osv-scalibr's own extractors read it.
 */
export function lockfileIdentities(
  packages: readonly ScannedPackage[],
  text: (file: string) => string | undefined
): ScannedPackage[] {
  const byFile = new Map<string, ScannedPackage[]>()
  for (const pkg of packages) {
    const list = byFile.get(pkg.lockfile)
    if (list) list.push(pkg)
    else byFile.set(pkg.lockfile, [pkg])
  }
  const out: ScannedPackage[] = []
  for (const [lockfile, list] of byFile) {
    const source = text(lockfile) ?? ''
    const commits = new Set(list.filter(p => p.ecosystem === 'GIT' && p.commit).map(p => p.commit!))
    const declared = commits.size > 0 ? gitSourced(lockfile, source, commits) : []
    const found = new Set(declared.map(d => d.commit))
    out.push(...list.filter(p => !(p.ecosystem === 'GIT' && p.commit && found.has(p.commit))))
    out.push(
      ...declared.map(({ name, version, commit }) => ({
        lockfile,
        ecosystem: 'npm',
        name,
        ...(version ? { version } : {}),
        commit,
        licenses: []
      }))
    )
    const stdlib = path.posix.basename(lockfile) === 'go.mod' ? goToolchain(source) : undefined
    if (stdlib && !list.some(p => p.ecosystem === 'Go' && p.name === 'stdlib'))
      out.push({ lockfile, ecosystem: 'Go', name: 'stdlib', version: stdlib, licenses: [] })
  }
  return out
}

/** `toolchain go1.21.3`, else `go 1.17`: the Go release a module is built with. */
export function goToolchain(gomod: string): string | undefined {
  return (
    /^toolchain\s+go(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(gomod)?.[1] ??
    /^go\s+(\d+\.\d+(?:\.\d+)?)\s*$/m.exec(gomod)?.[1]
  )
}

interface GitSourced {
  name: string
  version?: string
  commit: string
}

function gitSourced(lockfile: string, text: string, commits: ReadonlySet<string>): GitSourced[] {
  const base = path.posix.basename(lockfile)
  if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return fromPackageLock(text, commits)
  if (base === 'pnpm-lock.yaml' || base === 'yarn.lock') return fromEntries(text, commits)
  return []
}

/**
 * Finds which of `commits` a lockfile value holds. Each run of hex digits in the value is looked up,
 * rather than every commit searched for in every entry: a lockfile of many git-sourced packages must
 * not take a time quadratic in their number.
 */
function commitFinder(commits: ReadonlySet<string>): (value: string) => string | undefined {
  const lengths = new Set<number>()
  const other: string[] = []
  for (const commit of commits)
    if (/^[0-9a-fA-F]+$/.test(commit)) lengths.add(commit.length)
    else other.push(commit)
  return value => {
    for (const [run] of value.matchAll(/[0-9a-fA-F]+/g))
      for (const length of lengths)
        for (let at = 0; at + length <= run.length; at++) {
          const candidate = run.slice(at, at + length)
          if (commits.has(candidate)) return candidate
        }
    return other.find(commit => value.includes(commit))
  }
}

function fromPackageLock(text: string, commits: ReadonlySet<string>): GitSourced[] {
  const commitIn = commitFinder(commits)
  let lock: unknown
  try {
    lock = JSON.parse(text)
  } catch {
    return []
  }
  const packages = isObject(lock) && isObject(lock.packages) ? lock.packages : {}
  const out: GitSourced[] = []
  for (const [key, entry] of Object.entries(packages)) {
    if (!key || !isObject(entry) || typeof entry.resolved !== 'string') continue
    const commit = commitIn(entry.resolved)
    const name = typeof entry.name === 'string' ? entry.name : key.split('node_modules/').pop()
    if (commit && name)
      out.push({ name, ...(typeof entry.version === 'string' ? { version: entry.version } : {}), commit })
  }
  return out
}

/**
 * pnpm-lock.yaml and yarn.lock: the entry whose key (pnpm 9: `name@<tarball url>:`) or body (yarn:
 * `resolved "…#<commit>"`, pnpm 5/6: `name:` under a `host/owner/repo/<commit>:` key) holds the commit.
 */
function fromEntries(text: string, commits: ReadonlySet<string>): GitSourced[] {
  const commitIn = commitFinder(commits)
  const lines = text.split('\n')
  const out: GitSourced[] = []
  let header: { key: string; commit?: string; name?: string; version?: string } | undefined
  const flush = () => {
    if (header?.commit) {
      const name = header.name ?? /^"?((?:@[^@/"]+\/)?[^@"]+)@/.exec(header.key)?.[1]
      if (name)
        out.push({ name, ...(header.version ? { version: header.version } : {}), commit: header.commit })
    }
  }
  for (const line of lines) {
    const key = /^( {0,2})(\S.*):\s*$/.exec(line)
    if (key && (key[1]!.length === 0 || key[1]!.length === 2) && !line.startsWith('   ')) {
      flush()
      header = {
        key: key[2]!,
        ...(commitIn(key[2]!) ? { commit: commitIn(key[2]!)! } : {})
      }
      continue
    }
    if (!header) continue
    const field = /^\s+(\w+):?\s+"?([^"\s]+)"?\s*$/.exec(line)
    if (!field) continue
    if (field[1] === 'version') header.version ??= field[2]!
    if (field[1] === 'name') header.name ??= field[2]!
    if (field[1] === 'resolved' && !header.commit) {
      const commit = commitIn(field[2]!)
      if (commit) header.commit = commit
    }
  }
  flush()
  return out
}
