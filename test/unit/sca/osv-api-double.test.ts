import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { request } from 'node:http'
import * as path from 'node:path'
import { connect } from 'node:tls'
import { REPO_ROOT } from '../../support/repo-root.js'
import {
  batchProblem,
  compareVersions,
  startOsvApiDouble,
  type OsvApiDouble
} from '../../support/osv-api-double.js'

// The double's own checks: what it refuses is what makes a protocol change in osv-scanner fail a test.

describe('batchProblem', () => {
  const query = { package: { name: 'pyyaml', ecosystem: 'PyPI' }, version: '5.3.1' }
  it('accepts what osv-scanner 2.6.0 sends (protojson camelCase, a commit query, a page token)', () => {
    expect(batchProblem({ queries: [query] })).toBeUndefined()
    expect(batchProblem({ queries: [{ commit: 'a'.repeat(40) }] })).toBeUndefined()
    expect(batchProblem({ queries: [{ ...query, pageToken: 'page-1' }] })).toBeUndefined()
  })
  it.each([
    ['no queries', {}],
    ['an empty batch', { queries: [] }],
    ['an unknown top-level field', { queries: [query], limit: 1 }],
    ['a purl query', { queries: [{ package: { purl: 'pkg:pypi/pyyaml@5.3.1' } }] }],
    ['an unknown query field', { queries: [{ ...query, versions: ['5.3.1'] }] }],
    ['no version', { queries: [{ package: query.package }] }],
    ['a number for a version', { queries: [{ ...query, version: 5 }] }],
    ['a commit beside a package', { queries: [{ ...query, commit: 'abc' }] }]
  ])('refuses %s', (_, body) => {
    expect(batchProblem(body)).toEqual(expect.any(String))
  })
})

describe('compareVersions (plain releases)', () => {
  it.each([
    ['5.3.1', '5.4', -1],
    ['2.0.6', '2.0.0', 1],
    ['1.26.19', '1.26.9', 1],
    ['13.0.1', '13.0.1', 0],
    ['2.0', '2.0.0', -1]
  ])('%s against %s is %i', (a, b, order) => {
    expect(compareVersions(a, b)).toBe(order)
  })
})

describe('the proxy and the API (a client that is not osv-scanner)', () => {
  let api: OsvApiDouble
  beforeAll(async () => {
    api = await startOsvApiDouble({ records: path.join(REPO_ROOT, 'test', 'fixtures', 'sca', 'osv-api') })
  })
  afterAll(() => api.close())

  /** One request through `CONNECT host:443`; the status line of the CONNECT answer when refused. */
  function viaProxy(host: string, method: string, urlPath: string, body?: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const proxy = new URL(api.proxyUrl)
      const tunnel = request({
        host: proxy.hostname,
        port: proxy.port,
        method: 'CONNECT',
        path: `${host}:443`
      })
      tunnel.on('connect', (res, socket) => {
        if (res.statusCode !== 200) {
          socket.destroy()
          resolve(`CONNECT ${res.statusCode}`)
          return
        }
        const tls = connect({
          socket,
          servername: host,
          ca: readFileSync(api.caFile),
          ALPNProtocols: ['h2', 'http/1.1']
        })
        tls.on('secureConnect', () => {
          const head = [`${method} ${urlPath} HTTP/1.1`, `host: ${host}`, 'connection: close']
          if (body !== undefined)
            head.push('content-type: application/json', `content-length: ${Buffer.byteLength(body)}`)
          tls.write(`${head.join('\r\n')}\r\n\r\n${body ?? ''}`)
        })
        let text = ''
        tls.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')))
        tls.on('end', () =>
          resolve(`${tls.alpnProtocol} ${text.split('\r\n')[0]} ${text.slice(text.indexOf('\r\n\r\n') + 4)}`)
        )
        tls.on('error', reject)
      })
      tunnel.on('error', reject)
      tunnel.end()
    })
  }

  it('serves http/1.1 only, with a certificate for api.osv.dev from the test CA', async () => {
    const answer = await viaProxy('api.osv.dev', 'GET', '/v1/vulns/GHSA-5crp-9r3c-p9vr')
    expect(answer).toMatch(/^http\/1\.1 HTTP\/1\.1 200 OK /)
    expect(JSON.parse(answer.slice(answer.indexOf('{'))).aliases).toEqual(['CVE-2024-21907'])
  })

  it('answers 400 to a body or path osv-scanner does not send, and 404 to an unknown id', async () => {
    const purl = JSON.stringify({ queries: [{ package: { purl: 'pkg:pypi/pyyaml@5.3.1' } }] })
    expect(await viaProxy('api.osv.dev', 'POST', '/v1/querybatch', purl)).toMatch(
      /HTTP\/1\.1 400 .*must be \{name, ecosystem\}/
    )
    expect(await viaProxy('api.osv.dev', 'POST', '/v1/query', '{}')).toMatch(/HTTP\/1\.1 400 /)
    expect(await viaProxy('api.osv.dev', 'GET', '/v1/vulns/GHSA-0000-0000-0000')).toMatch(/HTTP\/1\.1 404 /)
  })

  it('matches PyPI names in PEP 503 form and answers a batch in query order', async () => {
    const batch = JSON.stringify({
      queries: [
        { package: { name: 'pyyaml', ecosystem: 'PyPI' }, version: '5.3.1' },
        { package: { name: 'pyyaml', ecosystem: 'PyPI' }, version: '5.4' },
        { package: { name: 'requests', ecosystem: 'PyPI' }, version: '2.2.0' }
      ]
    })
    const answer = await viaProxy('api.osv.dev', 'POST', '/v1/querybatch', batch)
    expect(JSON.parse(answer.slice(answer.indexOf('{')))).toEqual({
      results: [{ vulns: [{ id: 'GHSA-8q59-q68h-6hv4', modified: '2021-09-28T19:04:49Z' }] }, {}, {}]
    })
  })

  it('refuses and records any other host', async () => {
    expect(await viaProxy('api.deps.dev', 'GET', '/')).toBe('CONNECT 403')
    expect(api.refused).toEqual(['api.deps.dev:443'])
  })
})
