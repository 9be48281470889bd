import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo, Socket } from 'node:net'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  issueTestCertificate,
  startTestProxy,
  startTlsFront,
  type TestProxy,
  type TlsFront
} from '../../../../test/support/http-proxy.js'
import { ConfigurationError } from './errors.js'
import { createHttpFetch } from './http-fetch.js'
import { httpRequest } from './http.js'
import { runModuleScript } from '../../../../test/support/module-script.js'

// Targets have names the proxy maps to loopback ports: loopback itself is never proxied.
const PASSWORD = 'pa@ss:w0rd'
const CREDENTIALS = `me:${encodeURIComponent(PASSWORD)}`

let target: Server
let targetPort: number
const reached: { url?: string; host?: string; headers: IncomingHttpHeaders }[] = []
let certificate: ReturnType<typeof issueTestCertificate>
let front: TlsFront
let proxy: TestProxy
let openProxy: TestProxy
let tlsProxy: TestProxy

beforeAll(async () => {
  target = createServer((req, res) => {
    reached.push({ url: req.url, host: req.headers.host, headers: req.headers })
    if (req.url === '/moved') return void res.writeHead(302, { location: 'http://other.test/landed' }).end()
    res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${req.headers.host}${req.url}`)
  })
  await new Promise<void>(resolve => target.listen(0, '127.0.0.1', resolve))
  targetPort = (target.address() as AddressInfo).port
  certificate = issueTestCertificate(['registry.test', '127.0.0.1'])
  front = await startTlsFront(certificate, targetPort)
  const routes = {
    'registry.test:443': front.port,
    // A host whose name the certificate does not carry, served by the same TLS front.
    'impostor.test:443': front.port,
    'registry.test:80': targetPort,
    'other.test:80': targetPort,
    'registry.test:5000': targetPort
  }
  proxy = await startTestProxy({ routes, credentials: { user: 'me', password: PASSWORD } })
  openProxy = await startTestProxy({ routes })
  tlsProxy = await startTestProxy({ routes, tls: certificate })
})

afterAll(async () => {
  target.closeAllConnections()
  await new Promise(resolve => target.close(resolve))
  await Promise.all([front.close(), proxy.close(), openProxy.close(), tlsProxy.close()])
})

beforeEach(() => {
  reached.length = 0
  proxy.seen.length = 0
  openProxy.seen.length = 0
  tlsProxy.seen.length = 0
})

const withCredentials = (url: string) => url.replace('http://', `http://${CREDENTIALS}@`)
const text = async (body: AsyncIterable<Uint8Array> | null) => {
  let out = ''
  for await (const chunk of body ?? []) out += Buffer.from(chunk).toString()
  return out
}

describe('httpRequest through a proxy (in process)', () => {
  it('sends an http request in absolute-URI form, with Proxy-Authorization for the proxy alone', async () => {
    const env = { http_proxy: withCredentials(proxy.url) }
    const answer = await httpRequest(new URL('http://registry.test/v2/'), { method: 'GET', headers: {}, env })
    expect(await text(answer.body)).toBe('hello from registry.test/v2/')
    const basic = `Basic ${Buffer.from(`me:${PASSWORD}`).toString('base64')}`
    expect(proxy.seen).toEqual([
      { kind: 'forward', target: 'http://registry.test/v2/', proxyAuthorization: basic, status: 200 }
    ])
    expect(reached[0]!.headers['proxy-authorization']).toBeUndefined()
  })

  it('goes direct to a host NO_PROXY lists: exactly, as a domain suffix, by port, or all with *', async () => {
    const direct = `127.0.0.1:${targetPort}`
    for (const noProxy of ['127.0.0.1', '*']) {
      const env = { http_proxy: proxy.url, no_proxy: noProxy }
      // Loopback is direct anyway; what counts is that neither proxy was asked.
      await httpRequest(new URL(`http://${direct}/`), { method: 'GET', headers: {}, env }).then(a =>
        text(a.body)
      )
    }
    // Names that resolve nowhere: a direct attempt fails with ENOTFOUND, the proxy is never asked.
    for (const [url, noProxy] of [
      ['http://registry.test/', 'registry.test'],
      ['http://api.registry.test/', '.registry.test'],
      ['http://registry.test:5000/', 'registry.test:5000'],
      ['https://registry.test/', '*']
    ]) {
      const env = { http_proxy: proxy.url, https_proxy: proxy.url, NO_PROXY: noProxy! }
      await expect(httpRequest(new URL(url!), { method: 'GET', headers: {}, env })).rejects.toMatchObject({
        code: expect.stringMatching(/ENOTFOUND|EAI_AGAIN/)
      })
    }
    expect(proxy.seen).toEqual([])
    // A port the entry does not name is proxied.
    const env = { http_proxy: withCredentials(proxy.url), NO_PROXY: 'registry.test:5000' }
    await httpRequest(new URL('http://registry.test/'), { method: 'GET', headers: {}, env }).then(a =>
      text(a.body)
    )
    expect(proxy.seen.map(s => s.target)).toEqual(['http://registry.test/'])
  })

  it('fails with a one-line ConfigurationError naming the variable, without the password, for a socks proxy', async () => {
    const env = { https_proxy: `socks5://${CREDENTIALS}@127.0.0.1:1080` }
    const failure = httpRequest(new URL('https://registry.test/'), { method: 'GET', headers: {}, env })
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError)
    await expect(failure).rejects.toThrow(
      /^https_proxy 'socks5:\/\/\*\*\*@127\.0\.0\.1:1080' names a socks5 proxy/
    )
  })

  it('turns a 407 to CONNECT into a ConfigurationError naming the proxy, never the password', async () => {
    const env = { HTTPS_PROXY: proxy.url.replace('http://', 'http://me:wrong@') }
    const failure = httpRequest(new URL('https://registry.test/v2/'), { method: 'GET', headers: {}, env })
    await expect(failure).rejects.toBeInstanceOf(ConfigurationError)
    const message = await failure.catch((error: Error) => error.message)
    expect(message).toBe(
      `Proxy ${proxy.url} (from HTTPS_PROXY) answered 407 Proxy Authentication Required to CONNECT registry.test:443: check the user and password in HTTPS_PROXY`
    )
    expect(message).not.toMatch(/wrong|me:/)
    expect(reached).toEqual([])
  })

  it('fails with status and proxy host when the proxy cannot open the tunnel', async () => {
    const env = { https_proxy: openProxy.url }
    await expect(
      httpRequest(new URL('https://nowhere.test/'), { method: 'GET', headers: {}, env })
    ).rejects.toMatchObject({
      code: 'ERR_PROXY_TUNNEL',
      status: 502,
      message: `Proxy ${openProxy.url} (from https_proxy) answered 502 Bad Gateway to CONNECT nowhere.test:443`
    })
  })

  it('stops at the deadline while the proxy holds the CONNECT unanswered', async () => {
    const silent = createServer()
    const held: Socket[] = []
    silent.on('connect', (_req, socket: Socket) => void held.push(socket))
    await new Promise<void>(resolve => silent.listen(0, '127.0.0.1', resolve))
    try {
      const env = { https_proxy: `http://127.0.0.1:${(silent.address() as AddressInfo).port}` }
      const signal = AbortSignal.timeout(100)
      await expect(
        httpRequest(new URL('https://registry.test/'), { method: 'GET', headers: {}, env, signal })
      ).rejects.toMatchObject({ name: 'TimeoutError' })
    } finally {
      for (const socket of held) socket.destroy()
      await new Promise(resolve => silent.close(resolve))
    }
  })

  it('lets the fetch adapter follow a redirect through the proxy, without Authorization to another host', async () => {
    const httpFetch = createHttpFetch({ http_proxy: openProxy.url })
    const answer = await httpFetch('http://registry.test/moved', { headers: { authorization: 'Bearer t' } })
    expect([answer.status, answer.url, await answer.text()]).toEqual([
      200,
      'http://other.test/landed',
      'hello from other.test/landed'
    ])
    expect(openProxy.seen.map(s => s.target)).toEqual([
      'http://registry.test/moved',
      'http://other.test/landed'
    ])
    expect(reached.map(r => r.headers.authorization)).toEqual(['Bearer t', undefined])
  })
})

describe('https through a CONNECT tunnel (a child trusting the throwaway CA)', () => {
  const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'http.ts')
  const script = `const { httpRequest } = await import(${JSON.stringify(module)})
const results = {}
for (const url of process.argv.slice(1)) {
  try {
    const answer = await httpRequest(new URL(url), { method: 'GET', headers: { authorization: 'Bearer t' } })
    let body = ''
    for await (const chunk of answer.body) body += chunk
    results[url] = answer.status + ' ' + body
  } catch (error) {
    results[url] = error.code ?? error.message
  }
}
console.log(JSON.stringify(results))`

  it('reaches the target with its certificate checked against the target name, Proxy-Authorization to the proxy only', async () => {
    const child = await runModuleScript(script, ['https://registry.test/v2/', 'https://impostor.test/v2/'], {
      env: {
        PATH: process.env.PATH,
        HTTPS_PROXY: withCredentials(proxy.url),
        NODE_EXTRA_CA_CERTS: certificate.caFile
      }
    })
    expect(JSON.parse(child.stdout)).toEqual({
      'https://registry.test/v2/': '200 hello from registry.test/v2/',
      'https://impostor.test/v2/': 'ERR_TLS_CERT_ALTNAME_INVALID'
    })
    expect(proxy.seen.map(s => [s.kind, s.target, s.status, s.proxyAuthorization !== undefined])).toEqual([
      ['connect', 'registry.test:443', 200, true],
      ['connect', 'impostor.test:443', 200, true]
    ])
    expect(reached).toHaveLength(1)
    expect(reached[0]!.headers.authorization).toBe('Bearer t')
    expect(reached[0]!.headers['proxy-authorization']).toBeUndefined()
  })
})

describe('an https:// proxy (TLS to the proxy, then TLS to the target inside it)', () => {
  it('tunnels https and forwards http, both over TLS to the proxy', async () => {
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'http.ts')
    const script = `const { httpRequest } = await import(${JSON.stringify(module)})
const out = []
for (const url of process.argv.slice(1)) {
  const answer = await httpRequest(new URL(url), { method: 'GET', headers: {} })
  let body = ''
  for await (const chunk of answer.body) body += chunk
  out.push(answer.status + ' ' + body)
}
console.log(JSON.stringify(out))`
    const child = await runModuleScript(script, ['https://registry.test/a', 'http://registry.test/b'], {
      env: {
        PATH: process.env.PATH,
        https_proxy: tlsProxy.url,
        http_proxy: tlsProxy.url,
        NODE_EXTRA_CA_CERTS: certificate.caFile
      }
    })
    expect(JSON.parse(child.stdout)).toEqual([
      '200 hello from registry.test/a',
      '200 hello from registry.test/b'
    ])
    expect(tlsProxy.seen.map(s => [s.kind, s.target])).toEqual([
      ['connect', 'registry.test:443'],
      ['forward', 'http://registry.test/b']
    ])
  })
})
