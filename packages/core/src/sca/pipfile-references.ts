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
  if (url === undefined) return typeof entry.path === 'string' ? undefined : versionReference(entry.version)
  if (/^(?:[a-z]+\+)?file:|^[./]/i.test(url)) return undefined
  return vcs
    ? { kind: 'vcs', source: vcsSource(vcs, url, entry.ref) }
    : { kind: 'url', source: shownUrl(url) }
}

/**
 * `git+https://…@ref`, as a requirements line names it: the locked ref (a commit) is what is installed,
 * so a pull request that moves it installs something else.
 */
function vcsSource(vcs: string, url: string, ref: unknown): string {
  const shown = shownUrl(url)
  const prefixed = shown.toLowerCase().startsWith(`${vcs}+`) ? shown : `${vcs}+${shown}`
  // Encoded: the ref is the pull request's text, shown in messages and written into purls.
  return typeof ref === 'string' && ref
    ? `${prefixed}@${encodeURIComponent(ref).replace(/%2F/g, '/')}`
    : prefixed
}

function versionReference(version: unknown): Pick<DirectReference, 'kind' | 'source'> | undefined {
  return typeof version === 'string' && /^===?\s*[^\s*]+$/.test(version)
    ? undefined
    : { kind: 'range', source: typeof version === 'string' ? version : 'no version' }
}
