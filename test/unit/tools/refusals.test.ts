import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../../../packages/core/src/runtime/errors.js'
import { memoryLogger } from '../../../packages/core/src/runtime/logger.js'
import { installTool, type InstallToolOptions } from '../../../packages/core/src/tools/install.js'
import { startHttpFileServer, type HttpFileServer } from '../../support/http-file-server.js'
import { assetPath, buildFakeRelease, FAKE_VERSION, type FakeRelease } from './fake-tool.js'

let release: FakeRelease
let server: HttpFileServer
let work: string

beforeAll(async () => {
  release = buildFakeRelease()
  server = await startHttpFileServer({ [assetPath(release.catalog, 'linux-x64')]: release.tarGz })
  work = mkdtempSync(path.join(tmpdir(), 'sp-refusals-test-'))
})
afterAll(async () => {
  await server.close()
  rmSync(work, { recursive: true, force: true })
})
beforeEach(() => void (server.requests.length = 0))

function options(overrides: Partial<InstallToolOptions> = {}): InstallToolOptions {
  return {
    tool: 'fake-scanner',
    catalog: release.catalog,
    platform: 'linux-x64',
    mirror: server.origin,
    tempDir: work,
    env: {},
    logger: memoryLogger(),
    ...overrides
  }
}

/** The inputs of a hypothetical calling action: core names only what its caller tells it. */
const CALLER_INPUTS = { version: 'scanner-version', path: 'scanner-binary', mirror: 'release-mirror' }

describe('installTool refuses bad input before any request', () => {
  it.each(['1.2', 'v1.2.3; rm -rf /', '../../x', 'vv1.2.3', '1.2.3-rc1', ' v 1.2.3', '01.2.3.4'])(
    'version %j is a ConfigurationError naming the input',
    async version => {
      const attempt = installTool(options({ version, inputs: CALLER_INPUTS }))
      await expect(attempt).rejects.toThrow(ConfigurationError)
      await expect(attempt).rejects.toThrow("Input 'scanner-version' must be an exact version")
      expect(server.requests).toHaveLength(0)
    }
  )

  it('names no input of its own when the caller gives none', async () => {
    const attempts = [
      installTool(options({ version: '1.2' })),
      installTool(options({ version: '9.9.9' })),
      installTool(options({ platform: 'win32-x64' })),
      installTool(options({ mirror: 'ftp://mirror.example' })),
      installTool(options({ preProvisionedPath: path.join(work, 'nope') }))
    ]
    const messages = await Promise.all(attempts.map(a => a.catch((error: Error) => error.message)))
    expect(messages).toEqual([
      expect.stringMatching(/^The fake-scanner version must be an exact version/),
      expect.stringMatching(
        /^The fake-scanner version: fake-scanner 9\.9\.9 is not in the pinned catalog.* with SECURE_PIPELINE_FAKE_SCANNER_PATH\.$/
      ),
      expect.stringMatching(
        /no published sha256 pinned for win32-x64 .* with SECURE_PIPELINE_FAKE_SCANNER_PATH\.$/
      ),
      expect.stringMatching(/^The tools mirror must be a plain http\(s\) base URL/),
      expect.stringMatching(/^The pre-provisioned fake-scanner path points at .*nope, which does not exist/)
    ])
    for (const message of messages) expect(message).not.toMatch(/Input '/)
  })

  it("rejects 'latest' when the catalog has no default for the tool", async () => {
    const attempt = installTool(options({ tool: 'no-default', version: 'latest' }))
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(/'latest' but no-default has no default version/)
  })

  it("resolves 'latest' and a leading v to the pinned version", async () => {
    delete process.env.RUNNER_TOOL_CACHE
    for (const version of ['latest', `v${FAKE_VERSION}`, undefined]) {
      const installed = await installTool(options({ version }))
      expect(installed.version).toBe(FAKE_VERSION)
    }
  })

  it.each(['0.69.4', 'v0.69.5', '0.69.6'])('refuses the compromised trivy release %s', async version => {
    const attempt = installTool({ tool: 'trivy', version, logger: memoryLogger(), env: {}, tempDir: work })
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(/known-compromised release.*pin 0\.74\.0/)
  })

  it('refuses a compromised trivy even with a pre-provisioned binary', async () => {
    const attempt = installTool({
      tool: 'trivy',
      version: '0.69.4',
      preProvisionedPath: process.execPath,
      logger: memoryLogger(),
      env: {}
    })
    await expect(attempt).rejects.toThrow(/known-compromised/)
  })

  it('refuses a platform with no pinned hash and points at the pre-provisioned path', async () => {
    const attempt = installTool(options({ platform: 'win32-x64', inputs: CALLER_INPUTS }))
    await expect(attempt).rejects.toThrow(ConfigurationError)
    await expect(attempt).rejects.toThrow(
      /no published sha256 pinned for win32-x64 .*'scanner-binary' input or SECURE_PIPELINE_FAKE_SCANNER_PATH/
    )
    await expect(installTool(options({ platform: 'sunos-sparc' }))).rejects.toThrow(/pinned for sunos-sparc/)
    expect(server.requests).toHaveLength(0)
  })

  it('refuses the real catalog on a platform it leaves out (kustomize on macOS)', async () => {
    const attempt = installTool({
      tool: 'kustomize',
      platform: 'darwin-arm64',
      logger: memoryLogger(),
      env: {}
    })
    await expect(attempt).rejects.toThrow(/kustomize 5\.8\.2 has no published sha256 pinned for darwin-arm64/)
  })

  it('refuses versions and tools the catalog does not pin', async () => {
    await expect(installTool(options({ version: '9.9.9', inputs: CALLER_INPUTS }))).rejects.toThrow(
      /^Input 'scanner-version': fake-scanner 9\.9\.9 is not in the pinned catalog \(pinned: 1\.2\.3\).*'scanner-binary' input or SECURE_PIPELINE_FAKE_SCANNER_PATH/
    )
    await expect(installTool(options({ tool: 'nmap' }))).rejects.toThrow(/Unknown tool 'nmap'/)
  })

  it('refuses a malformed mirror', async () => {
    for (const mirror of [
      'ftp://mirror.example',
      'not a url',
      'https://user:pw@mirror.example',
      'https://m.example/?x=1'
    ]) {
      await expect(installTool(options({ mirror, inputs: CALLER_INPUTS }))).rejects.toThrow(
        /^Input 'release-mirror' must be/
      )
    }
    await expect(
      installTool(options({ mirror: undefined, env: { SECURE_PIPELINE_TOOLS_MIRROR: 'not a url' } }))
    ).rejects.toThrow(/^SECURE_PIPELINE_TOOLS_MIRROR must be an http\(s\) URL/)
    expect(server.requests).toHaveLength(0)
  })

  it('takes the mirror from SECURE_PIPELINE_TOOLS_MIRROR, keeping the release path', async () => {
    delete process.env.RUNNER_TOOL_CACHE
    await installTool(
      options({ mirror: undefined, env: { SECURE_PIPELINE_TOOLS_MIRROR: `${server.origin}/` } })
    )
    expect(server.requests.map(r => r.path)).toEqual([assetPath(release.catalog, 'linux-x64')])
  })
})

describe('pre-provisioned binaries', () => {
  let binary: string

  beforeAll(() => {
    binary = path.join(work, 'my-fake-scanner')
    writeFileSync(binary, '#!/bin/sh\necho mine\n')
    chmodSync(binary, 0o755)
  })

  it('uses the <tool>-path input as is, says it is unverified, and downloads nothing', async () => {
    const logger = memoryLogger()
    const installed = await installTool(options({ preProvisionedPath: binary, logger }))
    expect(installed).toEqual({
      path: realpathSync(binary),
      version: FAKE_VERSION,
      source: 'pre-provisioned'
    })
    expect(logger.lines.join('\n')).toMatch(/pre-provisioned binary .* as is; it is not hash-verified/)
    expect(server.requests).toHaveLength(0)
  })

  it('reads SECURE_PIPELINE_<TOOL>_PATH', async () => {
    const installed = await installTool(options({ env: { SECURE_PIPELINE_FAKE_SCANNER_PATH: binary } }))
    expect(installed.source).toBe('pre-provisioned')
  })

  it('refuses a missing or non-executable file', async () => {
    const plain = path.join(work, 'not-executable')
    writeFileSync(plain, 'data')
    chmodSync(plain, 0o644)
    await expect(
      installTool(options({ preProvisionedPath: path.join(work, 'nope'), inputs: CALLER_INPUTS }))
    ).rejects.toThrow(/^Input 'scanner-binary' points at .*nope, which does not exist/)
    await expect(installTool(options({ preProvisionedPath: plain }))).rejects.toThrow(
      /which is not executable/
    )
    await expect(installTool(options({ preProvisionedPath: work }))).rejects.toThrow(
      /which is not a regular file/
    )
    await expect(installTool(options({ env: { SECURE_PIPELINE_FAKE_SCANNER_PATH: plain } }))).rejects.toThrow(
      /^SECURE_PIPELINE_FAKE_SCANNER_PATH points at/
    )
  })
})
