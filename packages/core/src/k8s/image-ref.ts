export interface ImageRef {
  raw: string
  /** Registry host (with port), `docker.io` when the reference names none. */
  registry: string
  /** Repository path without registry, tag or digest (`library/nginx` for `nginx`). */
  repository: string
  tag?: string
  digest?: string
  /** `registry/repository` in Docker's fully-qualified form. */
  fullName: string
}

const DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[0-9a-fA-F]{32,}$/

/** Splits an image reference the way container runtimes read it (docker.io and library/ are implied). */
export function parseImageRef(raw: string): ImageRef {
  const text = raw.trim()
  const at = text.indexOf('@')
  const digest = at >= 0 ? text.slice(at + 1) : undefined
  const named = at >= 0 ? text.slice(0, at) : text
  const slash = named.lastIndexOf('/')
  const colon = named.lastIndexOf(':')
  const tag = colon > slash ? named.slice(colon + 1) : undefined
  const name = colon > slash ? named.slice(0, colon) : named
  const parts = name.split('/')
  const first = parts[0] ?? ''
  const hasRegistry =
    parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost')
  const registry = hasRegistry ? first : 'docker.io'
  let repository = hasRegistry ? parts.slice(1).join('/') : name
  if (registry === 'docker.io' && !repository.includes('/')) repository = `library/${repository}`
  return {
    raw,
    registry,
    repository,
    ...(tag !== undefined ? { tag } : {}),
    ...(digest !== undefined ? { digest } : {}),
    fullName: `${registry}/${repository}`
  }
}

export function hasValidDigest(ref: ImageRef): boolean {
  return ref.digest !== undefined && DIGEST.test(ref.digest)
}

/** Gatekeeper's exemptImages semantics: exact match, or prefix match when the entry ends with `*`. */
export function matchesImagePattern(image: string, pattern: string): boolean {
  return pattern.endsWith('*') ? image.startsWith(pattern.slice(0, -1)) : image === pattern
}

export const isExempt = (image: string | undefined, patterns: readonly string[]) =>
  image !== undefined && patterns.some(pattern => matchesImagePattern(image, pattern))
