import * as path from 'node:path'
import { parseYamlDocuments, plainValue } from '../runtime/yaml-read.js'
import { fetchedOtherwise, registryTarball, type Fetcher } from './npm-tarballs.js'

/*
 * Yarn 1 installs a yarn.lock entry from its `resolved` URL, Yarn 2+ from its `resolution` locator, and
 * pnpm a pnpm-lock.yaml package from `resolution.tarball` when it has one; osv-scanner reports the
 * entry's `version` line (yarn) or the version its key names (pnpm), and reads neither of those fields
 * for it (osv-scalibr javascript/yarnlock and javascript/pnpmlock). So `version "4.17.21"` resolved to
 * `lodash-4.17.11.tgz` installs 4.17.11 and is scanned as 4.17.21: such an entry is refused, as
 * npmTarballReason refuses it in a package-lock.json.
 */

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

const YARN: Fetcher = { manager: 'yarn', field: 'resolved URL', relock: 'yarn install' }
const BERRY: Fetcher = { manager: 'yarn', field: 'resolution', relock: 'yarn install' }
const PNPM: Fetcher = { manager: 'pnpm', field: 'resolution tarball', relock: 'pnpm install' }

/** Why the package manager installs another package or version than the lockfile's scan reports, or undefined. */
export function tarballReadReason(file: string, text: string): string | undefined {
  const base = path.posix.basename(file)
  if (base === 'yarn.lock') return yarnTarballReason(text)
  if (base === 'pnpm-lock.yaml') return pnpmTarballReason(text)
  return undefined
}

/** osv-scalibr's version line: two spaces, `version "x"` (Yarn 1) or `version: x` (Yarn 2+). */
const OSV_VERSION = /^ {2}"?version"?:? "?([\w.+-]+)"?$/
/** What yarn fetches by, quoted or not, as either yarn's parser reads it. */
const FETCHED = /^ {2}"?(resolved|resolution)"?:? +"?([^"\s]+)"?\s*$/

/** An entry as osv-scalibr groups the file: a line at the margin, then its indented lines. */
interface YarnEntry {
  header: string
  props: string[]
}

function yarnEntries(text: string): YarnEntry[] {
  const out: YarnEntry[] = []
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim()
    if (trimmed === '' || trimmed.startsWith('#')) continue
    if (!line.startsWith(' ')) out.push({ header: line, props: [] })
    else out.at(-1)?.props.push(line)
  }
  return out.filter(e => e.header !== '__metadata:' && !e.header.endsWith('@workspace:.":'))
}

/** The name osv-scalibr reports for a header: its first descriptor's, through an `npm:` alias. */
function yarnName(header: string): string {
  const first = header.replace(/^"/, '').replace(/:$/, '').split(',', 1)[0]!
  const scoped = first.startsWith('@')
  const rest = scoped ? first.slice(1) : first
  const at = rest.indexOf('@')
  const name = at < 0 ? rest : rest.slice(0, at)
  const range = at < 0 ? '' : rest.slice(at + 1)
  if (range.startsWith('npm:') && range.includes('@')) return yarnName(range.slice(4))
  return scoped ? `@${name}` : name
}

/**
 * The alias and target of a first descriptor `alias@npm:target` with no range after the target, or
 * undefined. osv-scalibr reads a target only when an `@` follows `npm:`, so it reports such an entry
 * under the alias name (a scoped target, through its own `@`, with the header's closing quote), and
 * yarn writes the same header again from package.json; only a range there (`npm:target@^1.0.0`) helps.
 */
function rangelessAlias(header: string): { alias: string; target: string } | undefined {
  const first = header.replace(/^"/, '').replace(/:$/, '').split(',', 1)[0]!.replace(/"$/, '')
  const scoped = first.startsWith('@')
  const at = first.indexOf('@', scoped ? 1 : 0)
  if (at < 0 || !first.startsWith('npm:', at + 1)) return undefined
  const target = first.slice(at + 5)
  if (target === '' || target.includes('@', target.startsWith('@') ? 1 : 0)) return undefined
  return { alias: first.slice(0, at), target }
}

/** The advice for an entry yarn would lock again as it is, or undefined for the usual one. */
function yarnFix(header: string, version: string): string | undefined {
  const alias = rangelessAlias(header)
  if (!alias) return undefined
  const spec = `${JSON.stringify(alias.alias.slice(0, 200))}: ${JSON.stringify(`npm:${alias.target.slice(0, 200)}@^${version.slice(0, 100)}`)}`
  return `give the alias a version range in package.json (${spec}) and run \`yarn install\`, as without one yarn writes the entry again and the scan reads the alias name`
}

/**
 * What Yarn 2+ fetches for a `name@npm:version` locator: that package and version, or the registry
 * tarball its `__archiveUrl` binding names (a URL of another shape names nothing checkable).
 */
function berryHolds(locator: string): string | undefined {
  const npm = /^(@?[^@]+)@npm:([^:]+)(?:::(.*))?$/.exec(locator)
  if (!npm) return undefined
  const archive = new URLSearchParams(npm[3] ?? '').get('__archiveUrl')
  return archive === null ? `${npm[1]}@${npm[2]}` : registryTarball(archive, npm[1]!)
}

function yarnTarballReason(text: string): string | undefined {
  for (const { header, props } of yarnEntries(text)) {
    const version = props.map(p => OSV_VERSION.exec(p)?.[1]).find(v => v !== undefined)
    const fetched = props.map(p => FETCHED.exec(p)).find(m => m !== null)
    if (version === undefined || !fetched) continue
    const entry = {
      at: header.replace(/:$/, ''),
      name: yarnName(header),
      version,
      fix: yarnFix(header, version)
    }
    const reason =
      fetched[1] === 'resolved'
        ? fetchedOtherwise(entry, registryTarball(fetched[2]!, entry.name), YARN)
        : fetchedOtherwise(entry, berryHolds(fetched[2]!), BERRY)
    if (reason) return reason
  }
  return undefined
}

/**
 * The name and version osv-scalibr reads from a pnpm-lock.yaml package key: `name@version` from
 * lockfileVersion 9, else `/name/version_peers` or `/name@version(peers)`; undefined for none.
 */
function pnpmKey(key: string, v9: boolean): { name: string; version: string } | undefined {
  if (key.startsWith('file:')) return undefined
  if (v9) {
    const scoped = key.startsWith('@')
    const rest = scoped ? key.slice(1) : key
    const at = rest.indexOf('@')
    const name = at < 0 ? rest : rest.slice(0, at)
    return { name: scoped ? `@${name}` : name, version: at < 0 ? '' : rest.slice(at + 1) }
  }
  const parts = key.split('/').slice(1)
  const scoped = parts[0]?.startsWith('@') ?? false
  let name = parts.slice(0, scoped ? 2 : 1).join('/')
  let version = parts[scoped ? 2 : 1] ?? ''
  if (version === '') {
    const named = /^(.+)@([\w.-]+)(?:\(|$)/.exec(name)
    if (!named) return undefined
    ;[name, version] = [named[1]!, named[2]!]
  }
  return /^\d/.test(version) ? { name, version: version.split('_', 1)[0]! } : undefined
}

const stringField = (entry: Record<string, unknown>, key: string) =>
  typeof entry[key] === 'string' && entry[key] !== '' ? entry[key] : undefined

/** Far above a real monorepo's lockfile, which the 64 MiB cap already bounds; aliases count expanded. */
const PNPM_MAX_NODES = 5_000_000

/**
 * The lockfile as plain values, undefined for text the engine refuses too (not YAML, several documents, a
 * duplicate key), or why it is too large to read: valid YAML the engine reads whole, so a pull request's
 * padding must not turn the check off for the entry beside it.
 */
function pnpmDocument(text: string): { value: unknown } | { tooLarge: string } | undefined {
  const [document, ...more] = parseYamlDocuments(text, { maxNodes: PNPM_MAX_NODES })
  const error = document?.errors[0]
  if (error?.code === 'RESOURCE_EXHAUSTION') return { tooLarge: error.message }
  return document && !error && more.length === 0 ? { value: plainValue(document) } : undefined
}

function pnpmTarballReason(text: string): string | undefined {
  const read = pnpmDocument(text)
  if (read && 'tooLarge' in read)
    return `is too large to check which tarball pnpm installs for each entry (${read.tooLarge}); remove the aliases or split the workspace`
  const document = read?.value
  if (!isObject(document) || !isObject(document.packages)) return undefined
  const v9 = Number.parseFloat(String(document.lockfileVersion)) >= 9
  for (const [key, entry] of Object.entries(document.packages)) {
    if (!isObject(entry) || !isObject(entry.resolution)) continue
    const tarball = entry.resolution.tarball
    if (typeof tarball !== 'string') continue
    const keyed = pnpmKey(key, v9)
    // A `name` or `version` field stands for what the key does not say, for pnpm and the scan alike.
    const name = stringField(entry, 'name') ?? keyed?.name
    const version = stringField(entry, 'version') ?? keyed?.version
    if (!name || !version) continue
    const reason = fetchedOtherwise({ at: key, name, version }, registryTarball(tarball, name), PNPM)
    if (reason) return reason
  }
  return undefined
}
