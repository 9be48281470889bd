import { ConfigurationError } from '../runtime/errors.js'
import { isRegistryHost, normalizeRegistry, parseImageRef } from '../images/reference.js'

/**
 * One `allowed-registries` entry: a registry host (with its port, if any) and the repository paths
 * below it that it admits ('' = every repository on that registry).
 */
export interface RegistryScope {
  registry: string
  paths: readonly string[]
}

const DOCKER_HUB = 'docker.io'

/**
 * Reads an entry the way an image reference is read, so that `ghcr.io` is a host and never a prefix
 * of `ghcr.io.evil.net`. On Docker Hub a bare name is an official image (`nginx` → `library/nginx`)
 * and a name with a trailing slash a namespace (`openpolicyagent/`). Returns why an entry is not one.
 */
export function parseRegistryScope(entry: string): RegistryScope | { error: string } {
  const text = entry.trim()
  if (text === '' || /\s/.test(text)) return { error: 'is empty or contains whitespace' }
  if (text.includes('://')) return { error: 'is a URL; write the registry host, e.g. ghcr.io/my-org/' }
  if (text.includes('@')) return { error: 'has a digest; list a registry or repository path' }
  const trailingSlash = /\/\*?$/.test(text)
  const body = text.replace(/\/\*?$/, '').replace(/\/+$/, '')
  if (body.includes('*')) return { error: 'has a wildcard; entries already admit everything below them' }
  const segments = body.split('/')
  if (segments.some(s => s === '' || s === '.' || s === '..'))
    return { error: 'has an empty or dot path part' }
  if (segments.slice(1).some(s => s.includes(':')))
    return { error: 'has a tag; list a registry or repository path' }
  const [first = '', ...rest] = segments
  if (isRegistryHost(first)) {
    const registry = normalizeRegistry(first)
    const path = rest.join('/')
    const paths =
      registry === DOCKER_HUB && rest.length === 1 && !trailingSlash ? [`library/${path}`] : [path]
    return { registry, paths }
  }
  return {
    registry: DOCKER_HUB,
    paths: segments.length === 1 && !trailingSlash ? [`library/${body}`] : [body]
  }
}

/** Validates an input's entries at once, naming the input and the entry. */
export function parseAllowedRegistries(inputName: string, entries: readonly string[]): string[] {
  for (const entry of entries) {
    const scope = parseRegistryScope(entry)
    if ('error' in scope)
      throw new ConfigurationError(
        `Input '${inputName}' entry '${entry}' ${scope.error} (e.g. ghcr.io/my-org/ or registry.example.com:5000).`
      )
  }
  return [...entries]
}

/**
 * True when the image's registry is the entry's registry and its repository is the entry's path or
 * lies below it, on a `/` boundary: `ghcr.io/acme` admits `ghcr.io/acme/api`, not `ghcr.io/acme-evil/x`.
 */
export function isInRegistryScope(image: string, scope: RegistryScope): boolean {
  const ref = parseImageRef(image)
  if (ref.registry !== scope.registry) return false
  return scope.paths.some(p => p === '' || ref.repository === p || ref.repository.startsWith(`${p}/`))
}

/** An entry that is not a scope admits nothing: a typo must not open the list. */
export function isAllowedImage(image: string, entries: readonly string[]): boolean {
  return entries.some(entry => {
    const scope = parseRegistryScope(entry)
    return !('error' in scope) && isInRegistryScope(image, scope)
  })
}
