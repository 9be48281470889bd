import * as path from 'node:path'
import { isObject } from '../findings/json.js'

/**
 * Licenses a lockfile itself records, for the offline mode where no license service is asked:
 * package-lock.json v2/v3 (`packages[*].license`, an SPDX expression) and composer.lock (`license`,
 * a list the user may choose from, so one `OR` expression). Other lockfiles record none.
 * Keyed by `name@version`.
 */
export function lockfileLicenses(file: string, text: string): Map<string, string[]> {
  const base = path.posix.basename(file)
  try {
    if (base === 'package-lock.json' || base === 'npm-shrinkwrap.json') return npmLicenses(JSON.parse(text))
    if (base === 'composer.lock') return composerLicenses(JSON.parse(text))
  } catch {
    // Not JSON: the engine reports the file as unreadable; there is nothing to add here.
  }
  return new Map()
}

function npmLicenses(lock: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>()
  const packages = isObject(lock) && isObject(lock.packages) ? lock.packages : {}
  for (const [key, entry] of Object.entries(packages)) {
    if (!key || !isObject(entry)) continue
    const name = typeof entry.name === 'string' ? entry.name : key.split('node_modules/').pop()
    const license = entry.license
    const value = typeof license === 'string' ? license : isObject(license) ? license.type : undefined
    if (name && typeof entry.version === 'string' && typeof value === 'string')
      out.set(`${name}@${entry.version}`, [value])
  }
  return out
}

function composerLicenses(lock: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>()
  if (!isObject(lock)) return out
  for (const list of [lock.packages, lock['packages-dev']]) {
    for (const entry of Array.isArray(list) ? list : []) {
      if (!isObject(entry) || typeof entry.name !== 'string' || typeof entry.version !== 'string') continue
      const ids = Array.isArray(entry.license)
        ? entry.license.filter((id): id is string => typeof id === 'string')
        : []
      if (ids.length === 0) continue
      const expression = ids.length === 1 ? ids[0]! : ids.map(id => `(${id})`).join(' OR ')
      out.set(`${entry.name}@${entry.version.replace(/^v(?=\d)/, '')}`, [expression])
    }
  }
  return out
}
