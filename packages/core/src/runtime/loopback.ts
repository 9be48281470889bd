import { BlockList, isIP } from 'node:net'

const LOOPBACK = new BlockList()
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4')
LOOPBACK.addAddress('::1', 'ipv6')

/**
 * localhost, 127.0.0.0/8 and ::1 (a URL's hostname, with or without IPv6 brackets): this machine, the
 * only place spoken to over plain http and never through a proxy.
 */
export function isLoopbackName(hostname: string): boolean {
  const host = hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  const family = isIP(host)
  if (family === 0) return host === 'localhost'
  return LOOPBACK.check(host, family === 4 ? 'ipv4' : 'ipv6')
}

/** The same for `host[:port]`: a URL's host, or a registry's name. */
export function isLoopbackHost(hostWithPort: string): boolean {
  const host = hostWithPort.startsWith('[')
    ? hostWithPort.slice(0, hostWithPort.indexOf(']') + 1)
    : hostWithPort.replace(/:\d+$/, '')
  return isLoopbackName(host)
}

/** A URL credentials or tokens may be sent to: https, or http on the loopback interface. */
export function isSafeUrl(url: URL): boolean {
  return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackName(url.hostname))
}
