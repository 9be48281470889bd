import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { httpRequest } from './http.js'
import { runModuleScript } from '../../../../test/support/module-script.js'

describe('httpRequest', () => {
  let server: Server
  let base: string
  const seen: { method?: string; url?: string; headers: Record<string, unknown>; body: string }[] = []

  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = ''
      req.on('data', chunk => (body += chunk))
      req.on('end', () => {
        seen.push({ method: req.method, url: req.url, headers: req.headers, body })
        if (req.url === '/redirect') return void res.writeHead(307, { location: '/elsewhere' }).end()
        if (req.url === '/slow') {
          res.writeHead(200, { 'content-type': 'text/plain' })
          res.write('first ')
          return // never ends: the caller aborts
        }
        res.setHeader('set-cookie', ['a=1', 'b=2'])
        res.writeHead(200, { 'content-type': 'application/json', 'docker-content-digest': 'sha256:x' })
        res.end(req.method === 'HEAD' ? undefined : '{"ok":true}')
      })
    })
    // As long as a real registry keeps an idle connection: longer than the child below may take.
    server.keepAliveTimeout = 60_000
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(async () => {
    server.closeAllConnections()
    await new Promise(resolve => server.close(resolve))
  })

  const text = async (body: AsyncIterable<Uint8Array> | null) => {
    let out = ''
    for await (const chunk of body ?? []) out += Buffer.from(chunk).toString()
    return out
  }

  it('sends the method, headers and body, and reads status, headers and body as fetch would', async () => {
    const response = await httpRequest(new URL(`${base}/v2/a`), {
      method: 'POST',
      headers: { authorization: 'Bearer t', 'content-type': 'application/json' },
      body: '{"q":1}'
    })
    expect([response.status, response.ok]).toEqual([200, true])
    expect(response.headers.get('Docker-Content-Digest')).toBe('sha256:x')
    expect(response.headers.get('set-cookie')).toBe('a=1, b=2')
    expect(response.headers.get('www-authenticate')).toBeNull()
    expect(await text(response.body)).toBe('{"ok":true}')
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/v2/a', body: '{"q":1}' })
    expect(seen.at(-1)!.headers.authorization).toBe('Bearer t')
  })

  it('returns a redirect as it came, unfollowed, and a HEAD with an empty body', async () => {
    const redirect = await httpRequest(new URL(`${base}/redirect`), { method: 'GET', headers: {} })
    expect([redirect.status, redirect.ok, redirect.headers.get('location')]).toEqual([
      307,
      false,
      '/elsewhere'
    ])
    await redirect.body?.cancel()
    const head = await httpRequest(new URL(`${base}/v2/a`), { method: 'HEAD', headers: {} })
    expect(head.status).toBe(200)
    expect(await text(head.body)).toBe('')
  })

  it('lets the process end after a HEAD answer nobody reads, with the connection kept alive', async () => {
    const module = path.join(path.dirname(fileURLToPath(import.meta.url)), 'http.ts')
    const script = `const { httpRequest } = await import(${JSON.stringify(module)})
const answer = await httpRequest(new URL(process.argv[1]), { method: 'HEAD', headers: {} })
console.log(answer.status)`
    // Asynchronous, so this process's server can answer; the timeout is the hang this guards against.
    const child = await runModuleScript(script, [`${base}/v2/a`], { timeoutMs: 10_000 })
    expect(child.stdout.trim()).toBe('200')
  })

  it('fails a body read the signal aborts, and a connection nobody accepts', async () => {
    const controller = new AbortController()
    const response = await httpRequest(new URL(`${base}/slow`), {
      method: 'GET',
      headers: {},
      signal: controller.signal
    })
    const reading = text(response.body)
    setTimeout(() => controller.abort(), 50)
    await expect(reading).rejects.toMatchObject({ name: 'AbortError' })
    await expect(
      httpRequest(new URL('http://127.0.0.1:9/'), { method: 'GET', headers: {} })
    ).rejects.toMatchObject({
      code: 'ECONNREFUSED'
    })
  })
})
