import * as path from 'node:path'
import { goKeyClash } from '../runtime/go-keys.js'
import { jsoncToJson } from './jsonc.js'
import { npmTarballReason } from './npm-tarballs.js'

/*
 * osv-scanner reads JSON dependency files with Go's encoding/json, which matches a key to a struct field
 * without case, the last such key winning; npm, Composer, Pipenv and bun read keys as spelt. So
 * `{"version": "4.17.11", "Version": "4.17.21"}` installs 4.17.11 and is scanned as 4.17.21: a file
 * where Go could read two keys of one object as one is refused rather than scanned as something else.
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

/** `packages["node_modules/lodash"]`, cut so that a pull request's key cannot fill the message. */
const step = (at: string, key: string) => `${at}[${JSON.stringify(key.slice(0, 120))}]`

/**
 * Why the engine could read the JSON file otherwise than its package manager does (two spellings of a
 * key; an npm entry fetched as another version, npmTarballReason), or undefined. Text JSON.parse refuses
 * is left to the engine, which refuses it too. Map keys (package names) are compared as well: no package
 * manager writes two names differing only in case, so refusing one costs nothing.
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

function goKeyReason(document: unknown): string | undefined {
  // Iterative: a pull request's deeply nested document must not exhaust the stack.
  const pending: { value: unknown; at: string }[] = [{ value: document, at: '' }]
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, at } = next
    if (typeof value !== 'object' || value === null) continue
    if (!Array.isArray(value)) {
      const clash = goKeyClash(value)
      if (clash)
        return `the object at ${at || 'its top level'} holds the keys ${clash}, which the scan reads as one (the last) while the package manager reads each as spelt; keep one spelling of each key, as the package manager writes it`
    }
    for (const [key, child] of Object.entries(value))
      pending.push({ value: child, at: Array.isArray(value) ? `${at}[${key}]` : step(at, key) })
  }
  return undefined
}
