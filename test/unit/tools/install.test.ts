import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import * as tc from '@actions/tool-cache'
import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, IntegrityError } from '../../../packages/core/src/runtime/errors.js'
import { memoryLogger } from '../../../packages/core/src/runtime/logger.js'
import { installTool, type InstallToolOptions } from '../../../packages/core/src/tools/install.js'
import { startHttpFileServer, type HttpFileServer } from '../../support/http-file-server.js'
import { assetPath, buildFakeRelease, FAKE_VERSION, type FakeRelease } from './fake-tool.js'

const FAST_RETRY = { baseDelayMs: 5, maxDelayMs: 2_000, attemptTimeoutMs: 2_000 }

let release: FakeRelease
let server: HttpFileServer
let work: string
let tempDir: string
let toolCache: string
const savedToolCache = process.env.RUNNER_TOOL_CACHE

beforeAll(async () => {
  release = buildFakeRelease()
  server = await startHttpFileServer({
    [assetPath(release.catalog, 'linux-x64')]: release.tarGz,
    [assetPath(release.catalog, 'darwin-arm64')]: release.zip,
    [assetPath(release.catalog, 'linux-arm64')]: release.bare,
    [assetPath(release.catalog, 'darwin-x64')]: release.wrongContents
  })
})

afterAll(async () => {
  await server.close()
  if (savedToolCache === undefined) delete process.env.RUNNER_TOOL_CACHE
  else process.env.RUNNER_TOOL_CACHE = savedToolCache
})

beforeEach(() => {
  work = mkdtempSync(path.join(tmpdir(), 'sp-install-test-'))
  tempDir = path.join(work, 'temp')
  toolCache = path.join(work, 'tool-cache')
  for (const dir of [tempDir, toolCache]) execFileSync('mkdir', ['-p', dir])
  process.env.RUNNER_TOOL_CACHE = toolCache
  server.requests.length = 0
  server.setFile(assetPath(release.catalog, 'linux-x64'), release.tarGz)
})

afterEach(() => rmSync(work, { recursive: true, force: true }))

function options(
  overrides: Partial<InstallToolOptions> = {}
): InstallToolOptions & { logger: ReturnType<typeof memoryLogger> } {
  return {
    tool: 'fake-scanner',
    catalog: release.catalog,
    platform: 'linux-x64',
    mirror: server.origin,
    tempDir,
    env: {},
    retry: FAST_RETRY,
    logger: memoryLogger(),
    ...overrides
  } as InstallToolOptions & { logger: ReturnType<typeof memoryLogger> }
}

function runTool(binary: string): { stdout: string; marker: string } {
  const marker = path.join(work, `ran-${Math.random().toString(36).slice(2)}`)
  const stdout = execFileSync(binary, [], { env: { FAKE_TOOL_MARKER: marker }, encoding: 'utf8' })
  return { stdout, marker }
}

describe('installTool from a loopback release server', () => {
  it('downloads through the mirror, verifies, unpacks, and the binary runs', async () => {
    const opts = options()
    const installed = await installTool(opts)
    expect(installed).toEqual({ path: expect.any(String), version: FAKE_VERSION, source: 'download' })
    expect(path.isAbsolute(installed.path)).toBe(true)
    expect(installed.path.startsWith(tempDir)).toBe(true)
    const { stdout, marker } = runTool(installed.path)
    expect(stdout.trim()).toBe(`fake-scanner ${FAKE_VERSION}`)
    expect(existsSync(marker)).toBe(true)
    // The mirror swapped only the origin: the GitHub release path is kept.
    expect(server.requests.map(r => r.path)).toEqual([assetPath(release.catalog, 'linux-x64')])
    expect(opts.logger.lines.join('\n')).toContain(
      `sha256 ${release.catalog.tools['fake-scanner']?.versions[FAKE_VERSION]?.['linux-x64']?.sha256} verified`
    )
    // The download directory is gone; only the extraction directory is left.
    expect(readdirSync(tempDir)).toEqual([path.basename(path.dirname(path.dirname(installed.path)))])
  })

  it('unpacks zip archives and bare binaries too', async () => {
    const zipped = await installTool(options({ platform: 'darwin-arm64' }))
    const bare = await installTool(options({ platform: 'linux-arm64' }))
    expect(runTool(zipped.path).stdout).toContain(FAKE_VERSION)
    expect(runTool(bare.path).stdout).toContain(FAKE_VERSION)
  })

  it('serves a second install from the cache, re-verified, into a fresh directory', async () => {
    const first = await installTool(options())
    const opts = options()
    const second = await installTool(opts)
    expect(second.source).toBe('cache')
    expect(second.path).not.toBe(first.path)
    expect(server.requests).toHaveLength(1)
    expect(opts.logger.lines.join('\n')).toContain('cached archive re-verified')
    expect(runTool(second.path).stdout).toContain(FAKE_VERSION)
  })

  it('fails closed when the cached archive was tampered with', async () => {
    await installTool(options())
    const cacheDir = tc.find('secure-pipeline-fake-scanner-archive', FAKE_VERSION, 'linux-x64')
    const cached = path.join(cacheDir, path.basename(assetPath(release.catalog, 'linux-x64')))
    const bytes = readFileSync(cached)
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff
    writeFileSync(cached, bytes)
    const before = readdirSync(tempDir).sort()

    const attempt = installTool(options())
    await expect(attempt).rejects.toThrow(IntegrityError)
    await expect(attempt).rejects.toThrow(/cached archive .* expected [0-9a-f]{64}, got [0-9a-f]{64}/)
    expect(readdirSync(tempDir).sort()).toEqual(before)
    expect(tc.find('secure-pipeline-fake-scanner-archive', FAKE_VERSION, 'linux-x64')).toBe('')
    expect(server.requests).toHaveLength(1)
  })

  it('refuses an archive with one flipped byte: nothing extracted, cached or executed', async () => {
    const tampered = Buffer.from(release.tarGz)
    const at = Math.floor(tampered.length / 2)
    tampered[at] = (tampered[at] ?? 0) ^ 0x01
    server.setFile(assetPath(release.catalog, 'linux-x64'), tampered)
    const marker = path.join(work, 'marker')

    const attempt = installTool(options({ env: { FAKE_TOOL_MARKER: marker } }))
    await expect(attempt).rejects.toThrow(IntegrityError)
    const message = await attempt.catch((error: Error) => error.message)
    expect(message).toContain(`${server.origin}${assetPath(release.catalog, 'linux-x64')}`)
    expect(message).toMatch(/expected [0-9a-f]{64}, got [0-9a-f]{64}/)
    expect(message).toContain('nothing was extracted or executed')
    expect(existsSync(marker)).toBe(false)
    expect(readdirSync(tempDir)).toEqual([])
    expect(tc.find('secure-pipeline-fake-scanner-archive', FAKE_VERSION, 'linux-x64')).toBe('')
  })

  it('says so when the verified archive does not hold the named binary, and cleans up', async () => {
    const attempt = installTool(options({ platform: 'darwin-x64' }))
    await expect(attempt).rejects.toThrow(BrokenInputError)
    await expect(attempt).rejects.toThrow(/has no file bin\/fake-scanner/)
    expect(readdirSync(tempDir)).toEqual([])
  })

  it('downloads each time, uncached, when RUNNER_TOOL_CACHE is unset', async () => {
    delete process.env.RUNNER_TOOL_CACHE
    await installTool(options())
    const again = await installTool(options())
    expect(again.source).toBe('download')
    expect(server.requests).toHaveLength(2)
  })

  it('propagates a crashing downloader and leaves no temp files', async () => {
    const download = async () => {
      throw new Error('simulated crash')
    }
    await expect(installTool(options({ download }))).rejects.toThrow('simulated crash')
    expect(readdirSync(tempDir)).toEqual([])
  })
})
