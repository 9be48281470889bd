import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fakeGoBinary } from '../../../../test/support/go-binary.js'
import { ConfigurationError } from '../runtime/errors.js'
import { checkGivenBinary, engineVersionOf } from './engine-binary.js'
import { readGoBuildInfo, versionOf } from './go-buildinfo.js'

let dir: string
beforeEach(() => void (dir = mkdtempSync(path.join(tmpdir(), 'sp-engine-'))))
afterEach(() => rmSync(dir, { recursive: true, force: true }))

const TRIVY = 'github.com/aquasecurity/trivy'

describe('checkGivenBinary', () => {
  it.each(['v0.69.4', 'v0.69.5', 'v0.69.6'])(
    'refuses trivy %s from its build information, without running it',
    async version => {
      const marker = path.join(dir, 'ran')
      const binary = fakeGoBinary(path.join(dir, 'trivy'), `touch '${marker}'`, TRIVY, version)
      const error = await checkGivenBinary('trivy', binary, "Input 'engine-path'").catch((e: unknown) => e)
      expect(error).toBeInstanceOf(ConfigurationError)
      expect((error as Error).message).toContain(
        `which is trivy ${version.slice(1)}, a known-compromised release`
      )
      expect(existsSync(marker)).toBe(false)
    }
  )

  it('accepts another release and says which it is', async () => {
    expect(
      await checkGivenBinary('trivy', fakeGoBinary(path.join(dir, 'trivy'), 'true', TRIVY, 'v0.74.0'), 'X')
    ).toBe('0.74.0')
  })

  it('refuses a binary whose version cannot be read without running it', async () => {
    const script = path.join(dir, 'trivy')
    writeFileSync(script, '#!/bin/sh\necho 0.74.0\n', { mode: 0o755 })
    await expect(checkGivenBinary('trivy', script, "Input 'engine-path'")).rejects.toThrow(
      'names no trivy release'
    )
    const devel = fakeGoBinary(path.join(dir, 'devel'), 'true', TRIVY, '(devel)')
    await expect(checkGivenBinary('trivy', devel, "Input 'engine-path'")).rejects.toThrow(
      'cannot be checked without running it'
    )
  })
})

describe('versionOf', () => {
  it('prefers the version the release build stamps over the module version', async () => {
    const info = await readGoBuildInfo(fakeGoBinary(path.join(dir, 'x'), 'true', TRIVY, 'v0.74.0'))
    expect(info?.mainModule).toEqual({ path: TRIVY, version: 'v0.74.0' })
    expect(
      versionOf(
        {
          ...info!,
          settings: { '-ldflags': '-s -w -X=github.com/aquasecurity/trivy/pkg/version/app.ver=0.69.5' }
        },
        /app\.ver=v?([\w.]+)/
      )
    ).toBe('0.69.5')
  })
})

describe('engineVersionOf', () => {
  it("reads each engine's release stamp, as its goreleaser build sets it", () => {
    const devel = (ldflags: string) => ({
      goVersion: 'go1.26.3',
      mainModule: { path: 'x', version: '(devel)' },
      settings: { '-ldflags': ldflags }
    })
    expect(
      engineVersionOf(
        'grype',
        devel("-w -s -extldflags '-static' -X main.version=0.118.0 -X main.gitCommit=0123abc")
      )
    ).toBe('0.118.0')
    expect(
      engineVersionOf('trivy', devel('-s -w -X=github.com/aquasecurity/trivy/pkg/version/app.ver=0.74.0'))
    ).toBe('0.74.0')
    expect(engineVersionOf('grype', devel('-X main.gitCommit=0123abc'))).toBeUndefined()
  })
})
