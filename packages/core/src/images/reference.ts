export interface ImageRef {
  raw: string
  /** Registry host (with port), lower case; `docker.io` when the reference names none or a Docker Hub alias. */
  registry: string
  /** Repository path without registry, tag or digest (`library/nginx` for `nginx`). */
  repository: string
  tag?: string
  digest?: string
  /** `registry/repository` in Docker's fully-qualified form. */
  fullName: string
}

/**
 * Docker's rule for the first part of a reference (distribution/reference splitDockerDomain, which
 * containerd and CRI-O share): a host when it has a dot or a port, is localhost, or has an upper-case
 * letter. `Evil/app` is pulled from the host Evil, never from Docker Hub: repository paths are lower case.
 */
export const isRegistryHost = (segment: string): boolean =>
  segment.includes('.') || segment.includes(':') || segment === 'localhost' || /[A-Z]/.test(segment)

const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io'])

/** Hosts are case-insensitive, and Docker Hub answers to several names. */
export function normalizeRegistry(host: string): string {
  const lower = host.toLowerCase()
  return DOCKER_HUB_ALIASES.has(lower) ? 'docker.io' : lower
}

/**
 * The digest algorithms the OCI image spec registers, in their exact length and lower-case hex: the
 * reference grammar alone admits any algorithm and 32 hex digits or more, but containerd's parser
 * (digest.Parse) refuses those, so an image pinned so would never start.
 */
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/

export function isDigest(value: unknown): value is string {
  return typeof value === 'string' && DIGEST.test(value)
}

const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*'
const REPOSITORY = new RegExp(`^${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`)

/**
 * A repository path as Docker's grammar has it: lower-case components between single slashes. `.`,
 * `..` and empty components are not names, and a URL built from them reaches another repository.
 */
export const isRepositoryPath = (repository: string): boolean => REPOSITORY.test(repository)

const HOST = '[A-Za-z0-9-]+(?:\\.[A-Za-z0-9-]+)*(?::[0-9]+)?'
const IMAGE_NAME = new RegExp(`^(?:${HOST}/)?${PATH_COMPONENT}(?:/${PATH_COMPONENT})*$`)

/** Docker's reference grammar for a name: an optional host[:port], then a repository path. */
export const isImageName = (name: string): boolean => IMAGE_NAME.test(name)

/**
 * A reference split into name, tag and digest as written (no registry implied). A colon is a tag
 * separator only after the last slash: in `registry:5000/app` it belongs to the registry's port.
 */
export function splitReference(text: string): { name: string; tag?: string; digest?: string } {
  const at = text.indexOf('@')
  const digest = at >= 0 ? text.slice(at + 1) : undefined
  const named = at >= 0 ? text.slice(0, at) : text
  const slash = named.lastIndexOf('/')
  const colon = named.lastIndexOf(':')
  const tag = colon > slash ? named.slice(colon + 1) : undefined
  const name = colon > slash ? named.slice(0, colon) : named
  return { name, ...(tag !== undefined ? { tag } : {}), ...(digest !== undefined ? { digest } : {}) }
}

/** Splits an image reference the way container runtimes read it (docker.io and library/ are implied). */
export function parseImageRef(raw: string): ImageRef {
  const { name, tag, digest } = splitReference(raw.trim())
  const parts = name.split('/')
  const first = parts[0] ?? ''
  const hasRegistry = parts.length > 1 && isRegistryHost(first)
  const registry = hasRegistry ? normalizeRegistry(first) : 'docker.io'
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
  return isDigest(ref.digest)
}

/** Gatekeeper's exemptImages semantics: exact match, or prefix match when the entry ends with `*`. */
export function matchesImagePattern(image: string, pattern: string): boolean {
  return pattern.endsWith('*') ? image.startsWith(pattern.slice(0, -1)) : image === pattern
}

export const isExempt = (image: string | undefined, patterns: readonly string[]) =>
  image !== undefined && patterns.some(pattern => matchesImagePattern(image, pattern))
