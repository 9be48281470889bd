import { isIP } from 'node:net'

/** Docker Hub's API lives on another host than the name references use. */
const DOCKER_HUB_API = 'registry-1.docker.io'

/** localhost, 127.0.0.0/8 and ::1, with or without a port: the only hosts spoken to over plain http. */
export function isLoopbackHost(hostWithPort: string): boolean {
  const host = hostWithPort.startsWith('[')
    ? hostWithPort.slice(1, hostWithPort.indexOf(']'))
    : hostWithPort.replace(/:\d+$/, '')
  if (host === 'localhost') return true
  if (isIP(host) === 4) return host.startsWith('127.')
  return host === '::1'
}

/**
 * The base URL of a registry's API. https always, except on the loopback interface, where a test or
 * a local registry listens without TLS (as docker and crane also assume).
 */
export function registryBaseUrl(registry: string): string {
  const host = registry === 'docker.io' ? DOCKER_HUB_API : registry
  return `${isLoopbackHost(host) ? 'http' : 'https'}://${host}`
}

/** A URL credentials or tokens may be sent to: https, or http on the loopback interface. */
export function isSafeUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.host))
}
