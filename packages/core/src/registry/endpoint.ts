import { isLoopbackHost } from '../runtime/loopback.js'

/** Docker Hub's API lives on another host than the name references use. */
const DOCKER_HUB_API = 'registry-1.docker.io'

/**
 * The base URL of a registry's API. https always, except on the loopback interface, where a test or
 * a local registry listens without TLS (as docker and crane also assume).
 */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? DOCKER_HUB_API : registry
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`
}
