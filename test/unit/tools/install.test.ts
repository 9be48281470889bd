import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import * as tc from '@actions/tool-cache'
import { execFileSync } from 'node:child_process'
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, IntegrityError } from '../../../packages/core/src/runtime/errors.js'
import { memoryLogger } from '../../../packages/core/src/runtime/logger.js'
import { installTool, type InstallToolOptions } from '../../../packages/core/src/tools/install.js'
import { startHttpFileServer, type HttpFileServer } from '../../support/http-file-server.js'
import { assetPath, buildFakeRelease, FAKE_VERSION, sha256, type FakeRelease } from './fake-tool.js'
import { parseCatalog } from '../../../packages/core/src/tools/catalog-schema.js'
import { runModuleScript } from '../../support/module-script.js'

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
  server.setFile(assetPath(release.catalog, 'linux-arm64'), release.bare)
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

  it('refuses a tar.gz with one flipped byte by its sha256, before gzip or tar read it', async () => {
    const tampered = Buffer.from(release.tarGz)
    const at = Math.floor(tampered.length / 2)
    tampered[at] = (tampered[at] ?? 0) ^ 0x01
    server.setFile(assetPath(release.catalog, 'linux-x64'), tampered)

    const attempt = installTool(options())
    await expect(attempt).rejects.toThrow(IntegrityError)
    const message = await attempt.catch((error: Error) => error.message)
    expect(message).toContain(`${server.origin}${assetPath(release.catalog, 'linux-x64')}`)
    expect(message).toMatch(/expected [0-9a-f]{64}, got [0-9a-f]{64}/)
    expect(message).toContain('nothing was extracted or executed')
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

  it('creates a missing RUNNER_TOOL_CACHE folder and keeps the verified archive there', async () => {
    process.env.RUNNER_TOOL_CACHE = path.join(work, 'fresh-runner', 'tool-cache')
    const first = await installTool(options())
    expect(first.source).toBe('download')
    const entry = tc.find('secure-pipeline-fake-scanner-archive', FAKE_VERSION, 'linux-x64')
    expect(entry.startsWith(process.env.RUNNER_TOOL_CACHE)).toBe(true)
    expect(readdirSync(entry)).toEqual([path.basename(assetPath(release.catalog, 'linux-x64'))])
    expect((await installTool(options())).source).toBe('cache')
  })

  it('keeps nothing in the shared temp dir: without RUNNER_TEMP it unpacks into a fresh private one', async () => {
    delete process.env.RUNNER_TOOL_CACHE
    const first = await installTool(options({ tempDir: undefined, env: {} }))
    const second = await installTool(options({ tempDir: undefined, env: {} }))
    for (const installed of [first, second]) {
      const own = path.dirname(path.dirname(installed.path))
      expect(path.dirname(own)).toBe(realpathSync(tmpdir()))
      expect(path.basename(own)).toMatch(new RegExp(`^sp-fake-scanner-${FAKE_VERSION}-\\w{6}$`))
      expect(statSync(own).mode & 0o777).toBe(0o700)
      rmSync(own, { recursive: true, force: true })
    }
    expect(first.path).not.toBe(second.path)
    expect(server.requests).toHaveLength(2)
    const underRunnerTemp = await installTool(options({ tempDir: undefined, env: { RUNNER_TEMP: tempDir } }))
    expect(underRunnerTemp.path.startsWith(tempDir)).toBe(true)
  })

  it('unpacks without handing the token or any other secret of the runner to a child process', async () => {
    // Wrappers first on PATH record the environment tar and unzip get, then run the real program.
    const bin = path.join(work, 'wrappers')
    execFileSync('mkdir', ['-p', bin])
    for (const program of ['tar', 'unzip']) {
      const real = execFileSync('sh', ['-c', `command -v ${program}`], { encoding: 'utf8' }).trim()
      const log = path.join(work, `${program}.env`)
      writeFileSync(path.join(bin, program), `#!/bin/sh\nenv >> '${log}'\nexec '${real}' "$@"\n`, {
        mode: 0o755
      })
    }
    // A process of its own: jest's process.env is a copy that the children of this one never see.
    const install = path.resolve('packages/core/src/tools/install.ts')
    const logger = path.resolve('packages/core/src/runtime/logger.ts')
    const script = `const { installTool } = await import(${JSON.stringify(install)})
const { memoryLogger } = await import(${JSON.stringify(logger)})
const [catalog, mirror, tempDir] = [JSON.parse(process.argv[1]), process.argv[2], process.argv[3]]
for (const platform of ['linux-x64', 'darwin-arm64']) {
  const { path } = await installTool({ tool: 'fake-scanner', catalog, platform, mirror, tempDir, logger: memoryLogger() })
  console.log('installed: ' + path)
}`
    const child = await runModuleScript(script, [JSON.stringify(release.catalog), server.origin, tempDir], {
      env: {
        PATH: `${bin}${path.delimiter}${process.env.PATH}`,
        HOME: work,
        'INPUT_GITHUB-TOKEN': 'ghs_inputSentinel',
        GITHUB_TOKEN: 'ghs_envSentinel',
        ACTIONS_RUNTIME_TOKEN: 'runtimeSentinel'
      }
    })
    const installed = child.stdout.split('\n').filter(line => line.startsWith('installed: '))
    const binaries = installed.map(line => line.slice('installed: '.length))
    expect(binaries).toHaveLength(2)
    for (const binary of binaries) expect(runTool(binary).stdout).toContain(FAKE_VERSION)
    expect(readFileSync(path.join(work, 'tar.env'), 'utf8')).toContain(`PATH=${bin}`)
    for (const program of ['tar', 'unzip']) {
      const log = path.join(work, `${program}.env`)
      expect(existsSync(log) ? readFileSync(log, 'utf8') : '').not.toMatch(/Sentinel/)
    }
  })

  it('says which download could not be unpacked when the pinned bytes are no archive, and cleans up', async () => {
    delete process.env.RUNNER_TOOL_CACHE
    // The bare script served as the tar.gz and as the zip, each pinned by its true sha256.
    const catalog = parseCatalog(JSON.parse(JSON.stringify(release.catalog)))
    const assets = catalog.tools['fake-scanner']!.versions[FAKE_VERSION]!
    for (const platform of ['linux-x64', 'darwin-arm64'] as const) {
      assets[platform]!.sha256 = sha256(release.bare)
      server.setFile(assetPath(release.catalog, platform), release.bare)
    }
    const tar = installTool(options({ catalog }))
    await expect(tar).rejects.toThrow(BrokenInputError)
    await expect(tar).rejects.toThrow(/fake-scanner_linux_x64\.tar\.gz: tar could not unpack it \(exit 2\)/)
    const zip = installTool(options({ catalog, platform: 'darwin-arm64' }))
    await expect(zip).rejects.toThrow(
      /fake-scanner_darwin_arm64\.zip: the zip cannot be read: not a zip archive/
    )
    expect(readdirSync(tempDir)).toEqual([])
    server.setFile(assetPath(release.catalog, 'darwin-arm64'), release.zip)
  })

  it('propagates a crashing downloader and leaves no temp files', async () => {
    const download = async () => {
      throw new Error('simulated crash')
    }
    await expect(installTool(options({ download }))).rejects.toThrow('simulated crash')
    expect(readdirSync(tempDir)).toEqual([])
  })
})

/**
 * A bare binary (`archive: none`) has no container format whose own checksum could catch a flipped byte:
 * only the pinned sha256 stands between a tampered download and its execution. Proven through the real
 * call path, as a caller uses it: installTool, then run the path it returns.
 */
describe('a tampered bare binary, where only the sha256 protects', () => {
  const bareAsset = () => assetPath(release.catalog, 'linux-arm64')

  /** The bare script with one byte flipped: `echo "fake-scanner 1.2.3"` now says 1.2.4, and still runs. */
  function tamperedBare(): Buffer {
    const bytes = Buffer.from(release.bare)
    const at = bytes.lastIndexOf(FAKE_VERSION) + FAKE_VERSION.length - 1
    bytes[at] = (bytes[at] ?? 0) ^ 0x07
    return bytes
  }

  /** What every caller does with the result: run it. */
  async function installAndRun(opts: InstallToolOptions, marker: string): Promise<string> {
    const installed = await installTool(opts)
    return execFileSync(installed.path, [], { env: { FAKE_TOOL_MARKER: marker }, encoding: 'utf8' })
  }

  it('would run had its hash been pinned (control), and does not run when the pin differs', async () => {
    const tampered = tamperedBare()
    expect(tampered.equals(release.bare)).toBe(false)
    server.setFile(bareAsset(), tampered)
    // Both runs download: a cache entry from the first would be refused for a different reason.
    delete process.env.RUNNER_TOOL_CACHE
    const freshTemp = (name: string) => mkdtempSync(path.join(work, `${name}-`))

    const pinnedToTampered = parseCatalog(JSON.parse(JSON.stringify(release.catalog)))
    pinnedToTampered.tools['fake-scanner']!.versions[FAKE_VERSION]!['linux-arm64']!.sha256 = sha256(tampered)
    const controlMarker = path.join(work, 'control-ran')
    const said = await installAndRun(
      options({ platform: 'linux-arm64', catalog: pinnedToTampered, tempDir: freshTemp('control') }),
      controlMarker
    )
    expect(said.trim()).toBe('fake-scanner 1.2.4')
    expect(existsSync(controlMarker)).toBe(true)

    const marker = path.join(work, 'tampered-ran')
    const temp = freshTemp('tampered')
    const attempt = installAndRun(options({ platform: 'linux-arm64', tempDir: temp }), marker)
    await expect(attempt).rejects.toThrow(IntegrityError)
    await expect(attempt).rejects.toThrow(
      `expected ${release.catalog.tools['fake-scanner']?.versions[FAKE_VERSION]?.['linux-arm64']?.sha256}, got ${sha256(tampered)}. The file was deleted`
    )
    expect(existsSync(marker)).toBe(false)
    // The downloaded file is gone with its directory, and nothing was unpacked.
    expect(readdirSync(temp)).toEqual([])
    expect(server.requests.filter(r => r.path === bareAsset())).toHaveLength(2)
  })
})
