import { describe, expect, it } from '@jest/globals'
import type { HttpInit, HttpResponse } from '../runtime/http.js'
import { exchange, REGISTRY_RETRY, type TransportDeps } from './transport.js'

function answer(status: number, headers: Record<string, string> = {}): HttpResponse {
  return {
    status,
    ok: status >= 200 && status < 300,
    headers: { get: name => headers[name.toLowerCase()] ?? null },
    body: null
  }
}

/** A network that answers each URL as told and records what was sent where. */
function network(answers: Record<string, HttpResponse>) {
  const sent: { url: string; init: HttpInit }[] = []
  const deps: TransportDeps = {
    fetch: async (url, init) => {
      sent.push({ url: url.href, init })
      return answers[url.href] ?? answer(404)
    },
    sleep: async () => undefined,
    retry: REGISTRY_RETRY
  }
  return { sent, deps }
}

describe('exchange', () => {
  it('never carries a request body (a refresh token) to another origin', async () => {
    const { sent, deps } = network({
      'https://auth.example/token': answer(307, { location: 'https://elsewhere.example/collect' }),
      'https://elsewhere.example/collect': answer(200)
    })
    const body = 'grant_type=refresh_token&refresh_token=identity-sentinel'
    await expect(
      exchange(
        'https://auth.example/token',
        { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body },
        deps,
        AbortSignal.timeout(5_000)
      )
    ).rejects.toThrow('refusing to send a POST from auth.example on to elsewhere.example')
    expect(sent.map(s => s.url)).toEqual(['https://auth.example/token'])
  })

  it('follows a POST redirected on the same origin, body and all', async () => {
    const { sent, deps } = network({
      'https://auth.example/token': answer(307, { location: '/v2/token' }),
      'https://auth.example/v2/token': answer(200)
    })
    const response = await exchange(
      'https://auth.example/token',
      { method: 'POST', headers: {}, body: 'a=b' },
      deps,
      AbortSignal.timeout(5_000)
    )
    expect(response.status).toBe(200)
    expect(sent.map(s => [s.url, s.init.body])).toEqual([
      ['https://auth.example/token', 'a=b'],
      ['https://auth.example/v2/token', 'a=b']
    ])
  })

  it('never lets a registry off this machine send the client to a port on it', async () => {
    const { sent, deps } = network({
      'https://registry.example/v2/x/blobs/y': answer(307, { location: 'http://127.0.0.1:2375/images/json' })
    })
    await expect(
      exchange(
        'https://registry.example/v2/x/blobs/y',
        { method: 'GET', headers: {} },
        deps,
        AbortSignal.timeout(5_000)
      )
    ).rejects.toThrow('refusing a redirect from registry.example to http://127.0.0.1:2375')
    expect(sent.map(s => s.url)).toEqual(['https://registry.example/v2/x/blobs/y'])
  })
})
