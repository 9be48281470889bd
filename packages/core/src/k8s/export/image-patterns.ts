// Regular expressions over an image reference as written, equal to what images/reference.ts and
// registry-scope.ts decide after parsing. Admission engines have RE2 `matches` everywhere, but not the
// same string libraries, so the parse is compiled into the pattern instead of written out in CEL.
// Only constructs that RE2 and JavaScript read alike are used (classes, groups, alternation, anchors).
import { isRegistryHost } from '../../images/reference.js'
import { parseRegistryScope, type RegistryScope } from '../registry-scope.js'

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, c => `\\${c}`)

/** A host matched without regard to case, as normalizeRegistry lowers it. */
const caseless = (text: string) =>
  [...text].map(c => (/[a-z]/i.test(c) ? `[${c.toLowerCase()}${c.toUpperCase()}]` : escape(c))).join('')

const DOCKER_HUB_HOSTS = ['docker.io', 'index.docker.io', 'registry-1.docker.io']

/** The end of a reference after its name: an optional tag (no `/`, no further `:`), an optional digest. */
const SUFFIX = '(:[^/@:]*)?(@.*)?$'

/**
 * The repository is `path` or lies below it. `needsSlash`: the repository must have more than one
 * segment here (a one-segment repository on Docker Hub is read as `library/<name>`).
 */
function under(path: string, needsSlash: boolean): string | undefined {
  if (path === '') return needsSlash ? '[^@]*/[^@]*' : '[^@]*'
  return needsSlash && !path.includes('/') ? `${escape(path)}/[^@]*` : `${escape(path)}(/[^@]*)?`
}

/** A one-segment Docker Hub name admitted by `path` (as `library/<name>`), or undefined. */
function officialImage(path: string): string | undefined {
  if (path === '' || path === 'library') return '[^/@]*'
  const name = path.startsWith('library/') ? path.slice('library/'.length) : undefined
  return name !== undefined && !name.includes('/') ? escape(name) : undefined
}

/** One way to be admitted: the reference matches `regex` (and, for `notLocalhost`, does not start `localhost/`). */
export interface ImagePattern {
  regex: string
  notLocalhost: boolean
}

const plain = (regex: string): ImagePattern => ({ regex, notLocalhost: false })

function hubPatterns(path: string): ImagePattern[] {
  const hosts = `(${DOCKER_HUB_HOSTS.map(caseless).join('|')})`
  const patterns: ImagePattern[] = []
  const official = officialImage(path)
  // docker.io/<repo>: one segment is library/<name>, more are the repository as written.
  patterns.push(plain(`^${hosts}/${under(path, true)}${SUFFIX}`))
  if (official) patterns.push(plain(`^${hosts}/${official}${SUFFIX}`))
  // No registry: a single segment (any characters but `/`) is an official image …
  if (official) patterns.push(plain(`^${official}${SUFFIX}`))
  // … and several segments are the repository when the first is not a host (no `.`, `:` or upper case,
  // not localhost).
  const first = path.split('/')[0] ?? ''
  if (path === '') patterns.push({ regex: `^[^/.:@A-Z]*/[^@]*${SUFFIX}`, notLocalhost: true })
  else if (!isRegistryHost(first)) patterns.push(plain(`^${under(path, true)}${SUFFIX}`))
  return patterns
}

function scopePatterns(scope: RegistryScope): ImagePattern[] {
  return scope.paths.flatMap(path => {
    if (scope.registry === 'docker.io') return hubPatterns(path)
    return [plain(`^${caseless(scope.registry)}/${under(path, false)}${SUFFIX}`)]
  })
}

/** The ways an image is admitted by `entries` (isAllowedImage): it must match one of them. */
export function allowedImagePatterns(entries: readonly string[]): ImagePattern[] {
  const seen = new Set<string>()
  return entries
    .map(entry => parseRegistryScope(entry))
    .filter((scope): scope is RegistryScope => !('error' in scope))
    .flatMap(scopePatterns)
    .filter(p => {
      const key = `${p.notLocalhost}${p.regex}`
      return !seen.has(key) && Boolean(seen.add(key))
    })
}

/** image-untagged: the last path segment has a `:` (a tag, or the digest's algorithm separator). */
export const TAGGED = ':[^/]*$'

/** image-digest: the reference ends with a valid digest after its first `@` (hasValidDigest). */
export const DIGEST_PINNED = '^[^@]*@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$'
