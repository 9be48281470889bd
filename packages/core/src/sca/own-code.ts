import * as path from 'node:path'
import { isObject } from '../findings/json.js'
import { comparableName, type ScannedPackage } from './model.js'

/**
 * The project's own code that a dependency file lists without a version: a workspace member, a local
 * directory it depends on, the project itself. osv-scanner 2.6.0's JSON says nothing of where a package
 * comes from, so this reads the file, as its extractors do:
 * - go.mod `replace x => ../dir`: the package is named by the directory (`../dir`, `./dir`, `/abs`);
 * - package-lock.json v2/v3: an entry outside node_modules (`packages/b`, `../lib`) or a `link: true`
 *   one; v1: a `file:` directory (a `file:` tarball is a third-party archive and stays reported);
 * - bun.lock: `name@file:dir`, `name@link:…`, `name@workspace:…`;
 * - uv.lock: `source = { editable | virtual | directory = … }` (a member with a dynamic version);
 * - packages.lock.json: `"type": "Project"` (a ProjectReference).
 * No advisory database could ever hold these, so "pin it" would be wrong advice.
 */
export function ownCodeMatcher(
  text: (lockfile: string) => string | undefined
): (pkg: ScannedPackage) => boolean {
  const cache = new Map<string, Set<string>>()
  return pkg => {
    const ecosystem = pkg.ecosystem.split(':')[0]
    if (ecosystem === 'Go')
      return /^(?:\.{1,2}[/\\]|\/|[A-Za-z]:[/\\])/.test(pkg.name) || pkg.name === '.' || pkg.name === '..'
    let names = cache.get(pkg.lockfile)
    if (!names) {
      names = localNames(pkg.lockfile, text(pkg.lockfile) ?? '')
      cache.set(pkg.lockfile, names)
    }
    return names.has(comparableName(pkg.ecosystem, pkg.name))
  }
}

const ARCHIVE = /\.(?:tgz|tar\.gz|tar|zip|whl)$/i

function localNames(lockfile: string, text: string): Set<string> {
  const base = path.posix.basename(lockfile)
  try {
    if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return npmLocal(JSON.parse(text))
    if (base === 'packages.lock.json') return nugetProjects(JSON.parse(text))
  } catch {
    return new Set()
  }
  if (base === 'bun.lock') return bunLocal(text)
  if (base === 'uv.lock') return uvLocal(text)
  return new Set()
}

function npmLocal(lock: unknown): Set<string> {
  const out = new Set<string>()
  if (!isObject(lock)) return out
  if (isObject(lock.packages))
    for (const [key, entry] of Object.entries(lock.packages)) {
      if (!key || !isObject(entry)) continue
      const inNodeModules = key.includes('node_modules/')
      if (inNodeModules && entry.link !== true) continue
      const name = inNodeModules ? key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length) : key
      out.add(name)
      if (!inNodeModules) out.add(path.posix.basename(key))
      if (typeof entry.name === 'string') out.add(entry.name)
    }
  const walk = (deps: unknown) => {
    if (!isObject(deps)) return
    for (const [name, entry] of Object.entries(deps)) {
      if (!isObject(entry)) continue
      if (
        typeof entry.version === 'string' &&
        entry.version.startsWith('file:') &&
        !ARCHIVE.test(entry.version)
      )
        out.add(name)
      walk(entry.dependencies)
    }
  }
  walk(lock.dependencies)
  return out
}

function nugetProjects(lock: unknown): Set<string> {
  const out = new Set<string>()
  const frameworks = isObject(lock) && isObject(lock.dependencies) ? Object.values(lock.dependencies) : []
  for (const framework of frameworks)
    if (isObject(framework))
      for (const [name, entry] of Object.entries(framework))
        if (isObject(entry) && entry.type === 'Project') out.add(comparableName('NuGet', name))
  return out
}

function bunLocal(text: string): Set<string> {
  const out = new Set<string>()
  for (const [, name, target] of text.matchAll(
    /\[\s*"((?:@[^"@/]+\/)?[^"@]+)@(?:file|link|workspace):([^"]*)"/g
  ))
    if (!ARCHIVE.test(target!)) out.add(name!)
  return out
}

function uvLocal(text: string): Set<string> {
  const out = new Set<string>()
  for (const block of text.split(/^\[\[package\]\]\s*$/m).slice(1)) {
    const entry = block.split(/^\[(?!\[package\]\])/m)[0]!
    const name = /^name\s*=\s*"([^"]+)"/m.exec(entry)?.[1]
    if (name && /^source\s*=\s*\{\s*(?:editable|virtual|directory)\s*=/m.test(entry))
      out.add(comparableName('PyPI', name))
  }
  return out
}
