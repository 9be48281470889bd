import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createHttpFetch } from './http-fetch.js'

// A loopback server whose paths redirect as a hostile or broken server might; no proxy (env: {}).
let server: Server
let base: string
const reached: { url?: string; authorization?: string }[] = []

beforeAll(async () => {
  server = createServer((req, res) => {
    reached.push({ url: req.url, authorization: req.headers.authorization })
    const redirect = (location: string) => void res.writeHead(302, { location }).end()
    if (req.url === '/to-credentials') return redirect(`http://user:secret@localhost:${port()}/landed`)
    if (req.url === '/to-ftp') return redirect('ftp://user:secret@files.test/x?sig=abc')
    if (req.url?.startsWith('/loop')) return redirect(req.url)
    res.end('landed')
  })
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve))
  base = `http://127.0.0.1:${port()}`
})

afterAll(async () => {
  server.closeAllConnections()
  await new Promise(resolve => server.close(resolve))
})

beforeEach(() => {
  reached.length = 0
})

const port = () => (server.address() as AddressInfo).port
const httpFetch = createHttpFetch({})

describe('createHttpFetch redirects', () => {
  it('refuses a Location with user:password in it, rather than send them as Authorization: Basic', async () => {
    await expect(httpFetch(`${base}/to-credentials`)).rejects.toThrow(/credentials/)
    expect(reached.map(r => r.url)).toEqual(['/to-credentials'])
  })

  it('refuses a URL with user:password in it, as fetch does', async () => {
    await expect(httpFetch(`http://user:secret@127.0.0.1:${port()}/landed`)).rejects.toThrow(TypeError)
    expect(reached).toEqual([])
  })

  it('names no credential of the Location or the URL when it refuses a redirect', async () => {
    const errors = await Promise.all([
      httpFetch(`${base}/to-ftp`).catch((error: Error) => error.message),
      httpFetch(`${base}/loop?sig=SIGNATURE`).catch((error: Error) => error.message)
    ])
    expect(errors[0]).toMatch(/redirects to ftp:, which is no http\(s\) URL/)
    expect(errors[1]).toMatch(/^more than 20 redirects/)
    for (const message of errors) expect(message).not.toMatch(/secret|sig=|SIGNATURE/)
  })
})
