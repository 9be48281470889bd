/*
 * npm installs a package-lock.json entry from its `resolved` URL (checked against `integrity` only),
 * while osv-scanner reports the entry's `version`. A registry tarball URL names the package and version
 * it holds (`<registry>/<name>/-/<unscoped>-<version>.tgz`), so an entry whose URL names another is
 * refused: `"version": "4.17.21"` resolved to `lodash-4.17.11.tgz` installs 4.17.11 and is scanned as
 * 4.17.21. Other URLs (a tarball anywhere, git) name no version the scan could check.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * The `name@version` a registry tarball URL holds, or undefined when it is no registry tarball URL.
 * npm, Yarn 1 and pnpm all fetch a registry package from this URL shape, so each lockfile's check reads it here.
 */
export function registryTarball(resolved: string, name: string): string | undefined {
  let pathname: string
  try {
    const url = new URL(resolved)
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined
    pathname = decodeURIComponent(url.pathname)
  } catch {
    return undefined
  }
  const at = pathname.lastIndexOf('/-/')
  const file = pathname.slice(at + 3)
  if (at < 0 || file.includes('/') || !file.endsWith('.tgz')) return undefined
  const unscoped = name.slice(name.lastIndexOf('/') + 1)
  const named = pathname.slice(0, at).endsWith(`/${name}`) && file.startsWith(`${unscoped}-`)
  return named ? `${name}@${file.slice(unscoped.length + 1, -'.tgz'.length)}` : `a tarball named ${file}`
}

/** `name@version` an entry locks, and the URL npm fetches it from. */
interface Locked {
  at: string
  name: string
  version: unknown
  resolved: unknown
}

/** lockfileVersion 2 and 3: `packages`, keyed by install path; an alias names its package in `name`. */
function fromPackages(packages: Record<string, unknown>): Locked[] {
  return Object.entries(packages).flatMap(([key, entry]) => {
    if (!isObject(entry) || !key.includes('node_modules/')) return []
    const name =
      typeof entry.name === 'string' ? entry.name : key.slice(key.lastIndexOf('node_modules/') + 13)
    return [{ at: key, name, version: entry.version, resolved: entry.resolved }]
  })
}

/** lockfileVersion 1: nested `dependencies`; an alias's version is `npm:name@version`. */
function fromDependencies(dependencies: Record<string, unknown>): Locked[] {
  const out: Locked[] = []
  const pending = [dependencies]
  for (let next = pending.pop(); next; next = pending.pop())
    for (const [key, entry] of Object.entries(next)) {
      if (!isObject(entry)) continue
      if (isObject(entry.dependencies)) pending.push(entry.dependencies)
      const alias = typeof entry.version === 'string' ? /^npm:(@?[^@]+)@(.+)$/.exec(entry.version) : null
      out.push({
        at: key,
        name: alias?.[1] ?? key,
        version: alias?.[2] ?? entry.version,
        resolved: entry.resolved
      })
    }
  return out
}

/**
 * Why npm would install another package or version than the package-lock.json `document` says and the
 * scan reports, or undefined. The part npm reads is checked: `packages` when present, else `dependencies`.
 */
export function npmTarballReason(document: unknown): string | undefined {
  if (!isObject(document)) return undefined
  const locked = isObject(document.packages)
    ? fromPackages(document.packages)
    : isObject(document.dependencies)
      ? fromDependencies(document.dependencies)
      : []
  for (const { at, name, version, resolved } of locked) {
    if (typeof version !== 'string' || typeof resolved !== 'string') continue
    const reason = fetchedOtherwise({ at, name, version }, registryTarball(resolved, name), NPM)
    if (reason) return reason
  }
  return undefined
}

const NPM: Fetcher = { manager: 'npm', field: 'resolved URL', relock: 'npm install' }

/** A package manager, the lockfile field it fetches an entry by, and the command that locks it anew. */
export interface Fetcher {
  manager: string
  field: string
  relock: string
}

/**
 * Why `fetcher` installs another package or version (`holds`, `name@version`) than the entry locks and
 * the scan reports, or undefined; undefined `holds` names nothing the scan could check. `fix` replaces
 * the advice to lock the entry again, for an entry the package manager would write the same way.
 */
export function fetchedOtherwise(
  entry: { at: string; name: string; version: string; fix?: string },
  holds: string | undefined,
  fetcher: Fetcher
): string | undefined {
  const { at, name, version } = entry
  if (holds === undefined || holds === `${name}@${version}`) return undefined
  const fix = entry.fix ?? `delete the entry and run \`${fetcher.relock}\` to lock it again`
  return `the entry ${JSON.stringify(at.slice(0, 200))} locks ${name.slice(0, 200)}@${version.slice(0, 100)} but ${fetcher.manager} installs it from ${holds.slice(0, 200)} (its ${fetcher.field}); ${fix}`
}
