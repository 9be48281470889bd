import { isObject } from '../findings/json.js'
import { shownUrl, type DirectReference } from './requirements-references.js'

/**
 * What a Pipfile.lock installs other than from the index at one exact version: a `git` (or hg, svn,
 * bzr) source, a `file` URL, or a `version` that is not `==x` (`*`). osv-scanner 2.6.0 lists none of
 * them. A `path` (or a `file:`/`git+file:` source) is the project's own or vendored code, left out.
 */
export function pipfileReferences(text: string): DirectReference[] {
  let lock: unknown
  try {
    lock = JSON.parse(text)
  } catch {
    // Not JSON: osv-scanner fails the scan on it; there is nothing to add here.
    return []
  }
  if (!isObject(lock)) return []
  const out: DirectReference[] = []
  for (const section of ['default', 'develop'] as const) {
    const entries = lock[section]
    if (!isObject(entries)) continue
    for (const [name, entry] of Object.entries(entries)) {
      const reference = isObject(entry) ? referenceOf(entry) : undefined
      if (reference) out.push({ name, ...reference, line: undefined })
    }
  }
  return out
}

function referenceOf(entry: Record<string, unknown>): Pick<DirectReference, 'kind' | 'source'> | undefined {
  const vcs = ['git', 'hg', 'svn', 'bzr'].find(key => typeof entry[key] === 'string')
  const url = vcs ? (entry[vcs] as string) : typeof entry.file === 'string' ? entry.file : undefined
  if (url !== undefined)
    return /^(?:file:|\.|\/)/i.test(url) ? undefined : { kind: vcs ? 'vcs' : 'url', source: shownUrl(url) }
  if (typeof entry.path === 'string') return undefined
  const version = entry.version
  return typeof version === 'string' && /^===?\s*[^\s*]+$/.test(version)
    ? undefined
    : { kind: 'range', source: typeof version === 'string' ? version : 'no version' }
}
