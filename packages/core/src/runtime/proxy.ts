import { BlockList, isIP } from 'node:net'
import { isLoopbackName } from './loopback.js'
import { ConfigurationError, escapeLineBreaks } from './errors.js'

/**
 * Which proxy a request goes through, from the variables a self-hosted runner exports to steps:
 * `https_proxy`/`HTTPS_PROXY` for https URLs, `http_proxy`/`HTTP_PROXY` for http URLs, each read
 * lowercase first (curl, @actions/http-client; Go reads uppercase first, but runners set both alike),
 * and `no_proxy`/`NO_PROXY` for the hosts reached directly. An empty variable counts as unset.
 *
 * NO_PROXY is read as Go's golang.org/x/net/http/httpproxy reads it (trivy, grype, osv-scanner, crane
 * all use it), with spaces also separating entries, as curl allows:
 * - `*` alone: no proxy for any host;
 * - `example.com` matches example.com and every subdomain; `.example.com` and `*.example.com` match
 *   subdomains only (not example.com itself); never a mere suffix (`ample.com` does not match);
 * - `host:port` matches that port only, a bare entry every port;
 * - IP literals (`10.1.2.3`, `2001:db8::1`, `[2001:db8::1]:443`) and CIDR ranges (`10.0.0.0/8`) match IP
 *   targets; names never match IP targets and IP entries never match names (no DNS lookups);
 * - case-insensitive; a trailing dot is ignored.
 * Loopback targets (`localhost`, 127.0.0.0/8, ::1) never use a proxy, as in Go and @actions/http-client:
 * a proxy cannot reach this machine's loopback interface.
 */
export interface ProxyChoice {
  /** The proxy, http: or https:, with its userinfo (the credentials go in Proxy-Authorization). */
  readonly url: URL
  /** The variable it came from, for messages. */
  readonly variable: string
}

export type ProxyEnv = Readonly<Record<string, string | undefined>>

export function proxyFor(target: URL, env: ProxyEnv): ProxyChoice | undefined {
  if (target.protocol !== 'https:' && target.protocol !== 'http:') return undefined
  const scheme = target.protocol.slice(0, -1)
  const variable = firstSet(env, `${scheme}_proxy`, `${scheme.toUpperCase()}_PROXY`)
  if (!variable) return undefined
  // Parsed before NO_PROXY is read: a malformed value fails every request alike, not only some.
  const url = parseProxyUrl(variable, env[variable]!)
  const host = normalHost(target.hostname)
  if (isLoopbackName(host)) return undefined
  const noProxy = firstSet(env, 'no_proxy', 'NO_PROXY')
  if (noProxy && bypasses(host, portOf(target), env[noProxy]!)) return undefined
  return { url, variable }
}

function firstSet(env: ProxyEnv, ...names: string[]): string | undefined {
  return names.find(name => (env[name] ?? '').trim() !== '')
}

/**
 * `http://` or `https://`, or a bare `host:port`, read as http:// as curl and Go read it. Anything
 * else (socks5://, a path, garbage) is the user's to fix, named by its variable, credentials hidden.
 */
export function parseProxyUrl(variable: string, value: string): URL {
  const raw = value.trim()
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`
  const url = URL.parse(withScheme)
  const shown = `'${escapeLineBreaks(redactUserinfo(raw))}'`
  // A path, query or fragment is no part of a proxy's address; one here is mostly an unencoded / ? or #
  // in the password, which made the parser read part of the password as the host or port.
  const addressOnly = url && ['', '/'].includes(url.pathname) && url.search === '' && url.hash === ''
  if (!url || url.hostname === '' || !addressOnly || !decodable(url))
    throw new ConfigurationError(
      `${variable} ${shown} is not a proxy URL: set it like http://proxy.example:3128`
    )
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new ConfigurationError(
      `${variable} ${shown} names a ${url.protocol.slice(0, -1)} proxy: only http:// and https:// proxies are supported`
    )
  return url
}

/** Whether Proxy-Authorization can be built (runtime/http-proxy.ts decodes the userinfo). */
function decodable(url: URL): boolean {
  try {
    decodeURIComponent(url.username)
    decodeURIComponent(url.password)
    return true
  } catch {
    return false
  }
}

/** A URL (or what should have been one) with its `user:password@` shown as `***@`. */
export function redactUserinfo(text: string): string {
  // Up to the last @ anywhere: a password may hold an unencoded @ : / ? or #, and a proxy URL has no
  // path or query an @ could belong to.
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/)?.*@/is, '$1***@')
}

function normalHost(hostname: string): string {
  return hostname
    .toLowerCase()
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
}

function portOf(url: URL): string {
  return url.port || (url.protocol === 'https:' ? '443' : '80')
}

/** Whether `host` (normalised) on `port` is reached directly under this NO_PROXY value. */
export function bypasses(host: string, port: string, noProxy: string): boolean {
  const family = isIP(host)
  return noProxy
    .split(/[\s,]+/)
    .filter(entry => entry !== '')
    .some(entry => {
      if (entry === '*') return true
      const parsed = parseEntry(entry.toLowerCase())
      if (!parsed || (parsed.port !== undefined && parsed.port !== port)) return false
      if (family === 0) return parsed.kind === 'name' && matchesName(host, parsed.name)
      if (parsed.kind === 'name') return false
      const list = new BlockList()
      const type = parsed.family === 4 ? 'ipv4' : 'ipv6'
      if (parsed.prefix === undefined) list.addAddress(parsed.address, type)
      else list.addSubnet(parsed.address, parsed.prefix, type)
      return list.check(host, family === 4 ? 'ipv4' : 'ipv6')
    })
}

type Entry =
  | { kind: 'name'; name: string; port?: string }
  | { kind: 'ip'; address: string; family: number; prefix?: number; port?: string }

/** One NO_PROXY entry, or undefined for one that can match nothing (`:1`, `10.0.0.0/99`). */
function parseEntry(entry: string): Entry | undefined {
  const cidr = /^([^/]+)\/(\d{1,3})$/.exec(entry)
  if (cidr) {
    const family = isIP(cidr[1]!)
    const prefix = Number(cidr[2])
    if (family === 0 || prefix > (family === 4 ? 32 : 128)) return undefined
    return { kind: 'ip', address: cidr[1]!, family, prefix }
  }
  if (isIP(entry) === 6) return { kind: 'ip', address: entry, family: 6 }
  const hostPort = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry)
  if (!hostPort) return undefined
  const host = normalHost(hostPort[1]!)
  const port = hostPort[2]
  const family = isIP(host)
  if (family !== 0) return { kind: 'ip', address: host, family, ...(port ? { port } : {}) }
  if (host === '' || host === '.' || host === '*.') return undefined
  return { kind: 'name', name: host.replace(/^\*\./, '.'), ...(port ? { port } : {}) }
}

function matchesName(host: string, name: string): boolean {
  if (name.startsWith('.')) return host.endsWith(name)
  return host === name || host.endsWith(`.${name}`)
}
