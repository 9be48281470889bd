import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from './errors.js'
import { proxyFor, redactUserinfo } from './proxy.js'

const chosen = (target: string, env: Record<string, string>) => proxyFor(new URL(target), env)?.url.href

describe('proxyFor: which variable', () => {
  it.each([
    // [target, env, proxy]: curl and @actions/http-client read the lowercase name first.
    ['https://ghcr.io/v2/', { HTTPS_PROXY: 'http://upper:3128' }, 'http://upper:3128/'],
    ['https://ghcr.io/v2/', { https_proxy: 'http://lower:3128', HTTPS_PROXY: 'http://upper:3128' }, 'http://lower:3128/'],
    ['https://ghcr.io/v2/', { https_proxy: '', HTTPS_PROXY: 'http://upper:3128' }, 'http://upper:3128/'],
    ['https://ghcr.io/v2/', { http_proxy: 'http://plain:3128' }, undefined],
    ['http://insecure.tld/', { http_proxy: 'http.proxy.tld', https_proxy: 'secure.proxy.tld' }, 'http://http.proxy.tld/'],
    ['https://secure.tld/', { http_proxy: 'http.proxy.tld', https_proxy: 'secure.proxy.tld' }, 'http://secure.proxy.tld/'],
    ['https://secure.tld/', { https_proxy: 'https://secure.proxy.tld' }, 'https://secure.proxy.tld/'],
    // Go's table (x/net/http/httpproxy proxy_test.go): a bare host[:port] is an http proxy.
    ['http://example.com', { http_proxy: '127.0.0.1:8080' }, 'http://127.0.0.1:8080/'],
    ['http://example.com', { http_proxy: 'cache.corp.example.com:1234' }, 'http://cache.corp.example.com:1234/'],
    ['ftp://example.com', { http_proxy: 'http://p:1', https_proxy: 'http://p:1' }, undefined],
    ['https://ghcr.io/', {}, undefined]
  ] as [string, Record<string, string>, string | undefined][])('%s with %j → %s', (target, env, proxy) => {
    expect(chosen(target, env)).toBe(proxy)
  }) // prettier-ignore

  it('keeps the credentials on the proxy URL for Proxy-Authorization, and names the variable', () => {
    const choice = proxyFor(new URL('https://ghcr.io/'), { HTTPS_PROXY: 'http://me:p%40ss@proxy:3128' })
    expect([choice?.variable, choice?.url.username, choice?.url.password]).toEqual([
      'HTTPS_PROXY',
      'me',
      'p%40ss'
    ])
  })
})

// Go's TestUseProxy table, verbatim (x/net/http/httpproxy/proxy_test.go), targets on port 80; true
// means "through the proxy". Loopback first: Go and @actions/http-client never proxy it.
const GO_NO_PROXY =
  'foobar.com, .barbaz.net, *.wildcard.io, 192.168.1.1, 192.168.1.2:81, 192.168.1.3:80, 10.0.0.0/30, 2001:db8::52:0:1, [2001:db8::52:0:2]:443, [2001:db8::52:0:3]:80, 2002:db8:a::45/64'
const GO_USE_PROXY: [string, boolean][] = [
  ['localhost', false],
  ['127.0.0.1', false],
  ['127.0.0.2', false],
  ['[::1]', false],
  ['[::2]', true],
  ['192.168.1.1', false],
  ['192.168.1.2', true],
  ['192.168.1.3', false],
  ['192.168.1.4', true],
  ['10.0.0.2', false],
  ['[2001:db8::52:0:1]', false],
  ['[2001:db8::52:0:2]', true],
  ['[2001:db8::52:0:3]', false],
  ['[2002:db8:a::123]', false],
  ['[fe80::424b:c8be:1643:a1b6]', true],
  ['barbaz.net', true],
  ['www.barbaz.net', false],
  ['foobar.com', false],
  ['www.foobar.com', false],
  ['foofoobar.com', true],
  ['baz.com', true],
  ['localhost.net', true],
  ['local.localhost', true],
  ['barbarbaz.net', true],
  ['wildcard.io', true],
  ['nested.wildcard.io', false],
  ['awildcard.io', true]
]

describe('proxyFor: NO_PROXY as Go reads it', () => {
  const env = { http_proxy: 'http://proxy.corp:3128', no_proxy: GO_NO_PROXY }

  it.each(GO_USE_PROXY)('%s:80 through the proxy: %s', (host, proxied) => {
    expect(chosen(`http://${host}:80/`, env) !== undefined).toBe(proxied)
  })

  it.each(GO_USE_PROXY)('%s:80 with NO_PROXY=* goes direct', host => {
    expect(chosen(`http://${host}:80/`, { ...env, no_proxy: '*' })).toBeUndefined()
  })

  it.each([
    // Go's ProxyForURL table: names match whole labels, a leading dot only subdomains.
    ['http://example.com/', 'example.com', false],
    ['http://example.com/', '.example.com', true],
    ['http://example.com/', 'ample.com', true],
    ['http://foo.example.com/', 'example.com', false],
    ['http://example.com/', '.foo.com', true],
    // Ports: an entry with one matches that port only; a URL without one has its scheme's.
    ['https://registry.corp:5000/v2/', 'registry.corp:5000', false],
    ['https://registry.corp/v2/', 'registry.corp:5000', true],
    ['https://registry.corp/v2/', 'registry.corp:443', false],
    // Case, spaces as separators (curl), trailing dots, an entry that can match nothing (Go: ":1").
    ['https://GHCR.IO/', 'other.example  Ghcr.Io', false],
    ['https://ghcr.io./', 'ghcr.io', false],
    ['https://example.com/', ':1', true],
    // Loopback is never proxied even when not listed; a listed name is no wildcard for an IP.
    ['http://localhost:8080/', '', false],
    ['http://10.1.2.3/', 'corp.example', true]
  ])('%s with NO_PROXY=%j through the proxy: %s', (target, noProxy, proxied) => {
    const through = chosen(target, { http_proxy: 'proxy:1', https_proxy: 'proxy:1', NO_PROXY: noProxy })
    expect(through !== undefined).toBe(proxied)
  })
})

describe('proxyFor: a proxy URL that is none', () => {
  it.each([
    [
      'https_proxy',
      'socks5://me:secret@proxy:1080',
      /^https_proxy 'socks5:\/\/\*\*\*@proxy:1080' names a socks5 proxy: only http:\/\/ and https:\/\//
    ],
    ['HTTPS_PROXY', 'http://me:secret@', /^HTTPS_PROXY 'http:\/\/\*\*\*@' is not a proxy URL/],
    ['https_proxy', 'http://pro xy:3128', /is not a proxy URL: set it like http:\/\/proxy\.example:3128$/]
  ])('%s=%s is a one-line ConfigurationError without the password', (name, value, message) => {
    const error = (() => {
      try {
        proxyFor(new URL('https://ghcr.io/'), { [name]: value })
      } catch (thrown) {
        return thrown as Error
      }
      return undefined
    })()
    expect(error).toBeInstanceOf(ConfigurationError)
    expect(error?.message).toMatch(message)
    expect(error?.message).not.toMatch(/secret|\n/)
  })

  it.each([
    // Unencoded / ? # end the userinfo for a URL parser, so the value is no URL, or one for another host.
    'http://me:se/cret@proxy:3128',
    'http://me:se?cret@proxy:3128',
    'http://me:se#cret@proxy:3128',
    'http://me:1234#cret@proxy:3128',
    'me:se/cret@proxy:3128',
    // An unencoded % fails decoding only when the first request builds Proxy-Authorization.
    'http://me:se%cret@proxy:3128'
  ])('%s (a password with / ? # or % unencoded) is refused without any of the password', value => {
    const refusal = () => proxyFor(new URL('https://ghcr.io/'), { https_proxy: value })
    expect(refusal).toThrow(ConfigurationError)
    expect(refusal).toThrow(/^https_proxy '(http:\/\/)?\*\*\*@proxy:3128' is not a proxy URL/)
    expect(refusal).not.toThrow(/:se|cret|1234/)
  })

  it('refuses a proxy URL with a path, query or fragment', () => {
    for (const value of ['http://proxy:3128/corp', 'http://proxy:3128?x=1', 'http://proxy:3128#x'])
      expect(() => proxyFor(new URL('https://ghcr.io/'), { https_proxy: value })).toThrow(
        /is not a proxy URL/
      )
    expect(chosen('https://ghcr.io/', { https_proxy: 'http://proxy:3128/' })).toBe('http://proxy:3128/')
  })

  it('fails even for a host NO_PROXY lists, so a typo fails every request alike', () => {
    expect(() => proxyFor(new URL('https://ghcr.io/'), { https_proxy: 'ftp://p', no_proxy: '*' })).toThrow(
      ConfigurationError
    )
  })

  it('redacts userinfo, a password with @ in it included', () => {
    expect(redactUserinfo('http://me:p@ss@proxy:3128/')).toBe('http://***@proxy:3128/')
    expect(redactUserinfo('me:pw@proxy:3128')).toBe('***@proxy:3128')
    expect(redactUserinfo('http://proxy:3128')).toBe('http://proxy:3128')
    expect(redactUserinfo('http://me:p/a?s#s@proxy:3128')).toBe('http://***@proxy:3128')
  })
})
