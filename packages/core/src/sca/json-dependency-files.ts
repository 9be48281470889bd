import * as path from 'node:path'
import { goFields, goKeyClash } from '../runtime/go-keys.js'
import { jsoncToJson } from './jsonc.js'
import { npmTarballReason } from './npm-tarballs.js'

/*
 * osv-scanner reads JSON dependency files with Go's encoding/json, which matches a key to a struct field
 * without case, the last such key winning; npm, Composer, Pipenv and bun read keys as spelt. So
 * `{"version": "4.17.11", "Version": "4.17.21"}` installs 4.17.11 and is scanned as 4.17.21: a file
 * where Go could read two keys of one object as one field is refused rather than scanned as something else.
 */

/** The dependency files osv-scanner 2.6.0 reads as JSON, by base name; bun.lock is JSONC. */
const JSON_NAMES = new Set([
  'package-lock.json',
  'npm-shrinkwrap.json',
  'bun.lock',
  'composer.lock',
  'Pipfile.lock',
  'packages.lock.json',
  'renv.lock',
  'Package.resolved'
])

export function isJsonDependencyFile(file: string): boolean {
  const base = path.posix.basename(file)
  return JSON_NAMES.has(base) || base.endsWith('.deps.json')
}

/**
 * The JSON names of the struct fields the engines decode these files into (osv-scalibr's extractors for
 * osv-scanner 2.6.0, Trivy's parsers). Only these are matched without case; every other key is a map's
 * (a package name, an install path, a `bin` or `extra` entry), which Go reads as spelt: npm installs
 * `node_modules/forEachAsync` beside `node_modules/foreachasync`, and refusing them would refuse a real lockfile.
 */
const ENGINE_FIELDS = goFields([
  // package-lock.json, npm-shrinkwrap.json, bun.lock
  ...['packages', 'dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'],
  ...['peerDependenciesMeta', 'lockfileVersion', 'name', 'version', 'resolved', 'requires', 'dev'],
  ...['devOptional', 'optional', 'inBundle', 'link', 'license', 'workspaces'],
  // composer.lock, Pipfile.lock, renv.lock
  ...['packages-dev', 'dist', 'reference', 'require', 'default', 'develop', 'Package', 'Repository'],
  // packages.lock.json, *.deps.json, Package.resolved
  ...['type', 'libraries', 'targets', 'runtimeTarget', 'runtime', 'runtimeTargets', 'native'],
  ...['pins', 'identity', 'location', 'state', 'package', 'repositoryURL', 'revision', 'branch', 'object']
])

/**
 * Why the engine could read the JSON file otherwise than its package manager does (two spellings of a
 * field it reads; an npm entry fetched as another version, npmTarballReason), or undefined. Text
 * JSON.parse refuses is left to the engine, which refuses it too.
 */
export function jsonReadReason(file: string, text: string): string | undefined {
  let document: unknown
  try {
    document = JSON.parse(path.posix.basename(file) === 'bun.lock' ? jsoncToJson(text) : text)
  } catch {
    return undefined
  }
  return (
    goKeyReason(document) ??
    (NPM_LOCKS.has(path.posix.basename(file)) ? npmTarballReason(document) : undefined)
  )
}

const NPM_LOCKS = new Set(['package-lock.json', 'npm-shrinkwrap.json'])

/** Where an object sits, kept as a chain and spelt only for a message: a 50 MB lockfile has millions. */
interface Place {
  parent?: Place
  key: string
  inArray: boolean
}

/** `["packages"]["node_modules/lodash"]`, each key cut so that a pull request's key cannot fill the message. */
function spelt(place: Place | undefined): string {
  const steps: string[] = []
  for (let at = place; at; at = at.parent)
    steps.push(at.inArray ? `[${at.key}]` : `[${JSON.stringify(at.key.slice(0, 120))}]`)
  return steps.reverse().join('')
}

function goKeyReason(document: unknown): string | undefined {
  // Iterative: a pull request's deeply nested document must not exhaust the stack.
  const pending: { value: unknown; place?: Place }[] = [{ value: document }]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, place } = next
    if (typeof value !== 'object' || value === null) continue
    const inArray = Array.isArray(value)
    if (!inArray) {
      const clash = goKeyClash(value, ENGINE_FIELDS)
      if (clash)
        return `the object at ${spelt(place) || 'its top level'} holds the keys ${clash}, which the scan reads as one (the last) while the package manager reads each as spelt; keep one spelling of each key, as the package manager writes it`
    }
    for (const key in value) {
      const child = (value as Record<string, unknown>)[key]
      if (typeof child === 'object' && child !== null)
        pending.push({ value: child, place: { parent: place, key, inArray } })
    }
  }
  return undefined
}
