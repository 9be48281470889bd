import { describe, expect, it } from '@jest/globals'
import { memoryLogger } from '../runtime/logger.js'
import { RegistryError } from './errors.js'
import { fromFirstAvailable } from './mirrors.js'
import type { HttpInit } from '../runtime/http.js'
import { exchange, readCapped, REGISTRY_RETRY } from './transport.js'

describe('fromFirstAvailable', () => {
  it('moves on in order after a registry error of any kind and says which answered', async () => {
    const logger = memoryLogger()
    const tried: string[] = []
    const result = await fromFirstAvailable(
      ['a', 'b', 'c'],
      async reference => {
        tried.push(reference)
        if (reference === 'a') throw new RegistryError('a', 'unavailable', 'a is down')
        if (reference === 'b') throw new RegistryError('b', 'integrity', 'b lies')
        return 42
      },
      logger
    )
    expect(result).toEqual({
      value: 42,
      reference: 'c',
      failed: [
        { reference: 'a', message: 'a: a is down' },
        { reference: 'b', message: 'b: b lies' }
      ]
    })
    expect(tried).toEqual(['a', 'b', 'c'])
    expect(logger.lines).toEqual([
      'warning: a: a is down; trying the next mirror, b',
      'warning: b: b lies; trying the next mirror, c'
    ])
  })

  it('lists every reason when all fail, and stops at once on an error that is not the registry’s', async () => {
    const all = fromFirstAvailable(['a', 'b'], async r => {
      throw new RegistryError(r, 'not-found', `${r} has no such tag`)
    })
    await expect(all).rejects.toMatchObject({ reason: 'unavailable' })
    await expect(all).rejects.toThrow(
      'none of the 2 repositories answered: a: a has no such tag; b: b has no such tag'
    )
    const tried: string[] = []
    const bug = fromFirstAvailable(['a', 'b'], async r => {
      tried.push(r)
      throw new Error('ENOSPC')
    })
    await expect(bug).rejects.toThrow('ENOSPC')
    expect(tried).toEqual(['a'])
  })
})

describe('exchange', () => {
  const deps = (answers: Response[]) => {
    const seen: { url: string; headers: Record<string, string> }[] = []
    return {
      seen,
      deps: {
        fetch: async (url: URL, init: HttpInit) => {
          seen.push({ url: String(url), headers: init.headers })
          return answers.shift()!
        },
        sleep: async () => undefined,
        retry: REGISTRY_RETRY
      }
    }
  }
  const redirect = (location: string) => new Response(null, { status: 307, headers: { location } })

  it('refuses a redirect to plain http off the loopback interface', async () => {
    const { deps: d } = deps([redirect('http://storage.example.com/blob')])
    await expect(
      exchange(
        'https://registry.example/v2/x/blobs/y',
        { method: 'GET', headers: {} },
        d,
        AbortSignal.timeout(1000)
      )
    ).rejects.toThrow('refusing a redirect from registry.example to http://storage.example.com')
  })

  it('keeps the Authorization header on the same origin and drops it on another', async () => {
    const { deps: d, seen } = deps([
      redirect('/v2/x/blobs/z'),
      redirect('https://cdn.example/b'),
      new Response('ok')
    ])
    const response = await exchange(
      'https://registry.example/v2/x/blobs/y',
      { method: 'GET', headers: { authorization: 'Bearer t', accept: '*/*' } },
      d,
      AbortSignal.timeout(1000)
    )
    expect((await readCapped(response, 10, 'the answer')).toString()).toBe('ok')
    expect(seen.map(s => [s.url, s.headers.authorization])).toEqual([
      ['https://registry.example/v2/x/blobs/y', 'Bearer t'],
      ['https://registry.example/v2/x/blobs/z', 'Bearer t'],
      ['https://cdn.example/b', undefined]
    ])
  })
})
