import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, CancelledError } from '../../../packages/core/src/runtime/errors.js'
import { memoryLogger } from '../../../packages/core/src/runtime/logger.js'
import { fetchDownload, parseRetryAfter } from '../../../packages/core/src/tools/download.js'
import { installTool } from '../../../packages/core/src/tools/install.js'
import { startHttpFileServer, type HttpFileServer } from '../../support/http-file-server.js'
import { assetPath, buildFakeRelease, type FakeRelease } from './fake-tool.js'

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 3_000, attemptTimeoutMs: 1_000 }
const BODY = Buffer.from('0123456789'.repeat(1000))

let server: HttpFileServer
let release: FakeRelease
let work: string

beforeAll(async () => {
  release = buildFakeRelease()
  server = await startHttpFileServer({
    '/file.bin': BODY,
    [assetPath(release.catalog, 'linux-x64')]: release.tarGz
  })
})
afterAll(() => server.close())
beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sp-download-test-'))
  server.requests.length = 0
})
afterEach(() => rmSync(work, { recursive: true, force: true }))

async function download(urlPath: string, retry = {}) {
  const logger = memoryLogger()
  const dest = path.join(work, 'out.bin')
  const started = Date.now()
  await fetchDownload(server.url(urlPath), dest, { logger, retry: { ...FAST_RETRY, ...retry } })
  return { dest, logger, elapsed: Date.now() - started }
}

describe('fetchDownload retries', () => {
  it('succeeds after 503 twice, logging each retry', async () => {
    server.failNext('/file.bin', { kind: 'status', status: 503 }, { kind: 'status', status: 503 })
    const { dest, logger } = await download('/file.bin')
    expect(readFileSync(dest)).toEqual(BODY)
    expect(server.requests).toHaveLength(3)
    expect(logger.lines.filter(line => line.includes('HTTP 503'))).toHaveLength(2)
  })

  it('installs a tool after 503 twice then 200', async () => {
    const toolCache = process.env.RUNNER_TOOL_CACHE
    delete process.env.RUNNER_TOOL_CACHE
    try {
      server.failNext(
        assetPath(release.catalog, 'linux-x64'),
        { kind: 'status', status: 503 },
        { kind: 'status', status: 503 }
      )
      const installed = await installTool({
        tool: 'fake-scanner',
        catalog: release.catalog,
        platform: 'linux-x64',
        mirror: server.origin,
        tempDir: work,
        env: {},
        retry: FAST_RETRY,
        logger: memoryLogger()
      })
      expect(installed.source).toBe('download')
      expect(server.requests).toHaveLength(3)
    } finally {
      if (toolCache !== undefined) process.env.RUNNER_TOOL_CACHE = toolCache
    }
  })

  it('honours Retry-After on 429', async () => {
    server.failNext('/file.bin', { kind: 'status', status: 429, headers: { 'retry-after': '1' } })
    const { elapsed } = await download('/file.bin')
    expect(elapsed).toBeGreaterThanOrEqual(950)
    expect(server.requests).toHaveLength(2)
  })

  it('retries a reset connection and a stalled body (per-attempt deadline)', async () => {
    server.failNext('/file.bin', { kind: 'reset' }, { kind: 'stall' })
    const { dest, logger } = await download('/file.bin', { attemptTimeoutMs: 300 })
    expect(readFileSync(dest)).toEqual(BODY)
    expect(server.requests).toHaveLength(3)
    expect(logger.lines.join('\n')).toMatch(/no complete answer within 300 ms/)
  })

  it('does not retry a 404 and names the URL', async () => {
    const attempt = download('/missing.tar.gz')
    await expect(attempt).rejects.toThrow(BrokenInputError)
    await expect(attempt).rejects.toThrow(
      `${server.url('/missing.tar.gz')}: download failed: HTTP 404 Not Found`
    )
    expect(server.requests).toHaveLength(1)
    expect(readdirSync(work)).toEqual([])
  })

  it('gives up after maxAttempts and leaves no partial file', async () => {
    const fault = { kind: 'status', status: 502 } as const
    server.failNext('/file.bin', fault, fault, fault, fault)
    const attempt = download('/file.bin', { maxAttempts: 3 })
    await expect(attempt).rejects.toThrow(/download failed after 3 attempts: HTTP 502/)
    expect(server.requests).toHaveLength(3)
    expect(existsSync(path.join(work, 'out.bin'))).toBe(false)
    await download('/file.bin') // the fourth 502 is still queued: one retry, then the file
    expect(server.requests).toHaveLength(5)
  })

  it('stops at the total deadline even with attempts left', async () => {
    server.failNext('/file.bin', { kind: 'status', status: 503, headers: { 'retry-after': '2' } })
    const attempt = download('/file.bin', { totalTimeoutMs: 500 })
    await expect(attempt).rejects.toThrow(/after the 500 ms deadline/)
    expect(server.requests).toHaveLength(1)
  })

  it('refuses a body larger than maxBytes without retrying', async () => {
    const attempt = download('/file.bin', { maxBytes: 100 })
    await expect(attempt).rejects.toThrow(/refusing a 10000-byte download/)
    expect(server.requests).toHaveLength(1)
  })
})

describe('fetchDownload called off', () => {
  const untilRequested = async (count: number) => {
    while (server.requests.length < count) await new Promise(resolve => setTimeout(resolve, 5))
  }

  it('stops the attempt in flight, retries nothing and leaves no partial file', async () => {
    server.failNext('/file.bin', { kind: 'stall' })
    const cancel = new AbortController()
    const dest = path.join(work, 'out.bin')
    // A per-attempt deadline far longer than the test: only the abort can end this attempt.
    const attempt = fetchDownload(server.url('/file.bin'), dest, {
      logger: memoryLogger(),
      retry: { ...FAST_RETRY, attemptTimeoutMs: 600_000 },
      cancel: cancel.signal
    })
    await untilRequested(1)
    cancel.abort()
    await expect(attempt).rejects.toBeInstanceOf(CancelledError)
    expect(server.requests).toHaveLength(1)
    expect(existsSync(dest)).toBe(false)
  })

  it('stops waiting to retry when the run gives up during the wait', async () => {
    server.failNext('/file.bin', { kind: 'status', status: 503, headers: { 'retry-after': '3600' } })
    const cancel = new AbortController()
    // The hour-long Retry-After is honoured in full here: only the abort can end the wait.
    const attempt = fetchDownload(server.url('/file.bin'), path.join(work, 'out.bin'), {
      logger: memoryLogger(),
      retry: { ...FAST_RETRY, maxDelayMs: 3_600_000, totalTimeoutMs: 7_200_000 },
      cancel: cancel.signal
    })
    await untilRequested(1)
    cancel.abort()
    await expect(attempt).rejects.toBeInstanceOf(CancelledError)
    expect(server.requests).toHaveLength(1)
  })

  it('starts nothing once the run has given up', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const attempt = fetchDownload(server.url('/file.bin'), path.join(work, 'out.bin'), {
      logger: memoryLogger(),
      retry: FAST_RETRY,
      cancel: cancel.signal
    })
    await expect(attempt).rejects.toBeInstanceOf(CancelledError)
    expect(server.requests).toHaveLength(0)
  })
})

describe('parseRetryAfter', () => {
  it('reads delay-seconds and HTTP-dates, ignores garbage', () => {
    const now = Date.parse('2026-11-25T12:00:00Z')
    expect(parseRetryAfter('3', now)).toBe(3000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    expect(parseRetryAfter('Wed, 25 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})
