import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startHttpFileServer, type HttpFileServer } from '../../../../test/support/http-file-server.js'
import { IntegrityError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { parseCatalog } from '../tools/catalog-schema.js'
import { kustomizeBinary } from './kustomize-tool.js'

const ASSET =
  '/kubernetes-sigs/kustomize/releases/download/kustomize/v9.9.9/kustomize_v9.9.9_linux_amd64.tar.gz'

let work: string
let server: HttpFileServer
let archive: Buffer
beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-tool-'))
  const stub = path.join(work, 'kustomize')
  writeFileSync(stub, '#!/bin/sh\necho "stub kustomize $*"\n')
  chmodSync(stub, 0o755)
  execFileSync('tar', ['-czf', path.join(work, 'asset.tar.gz'), '-C', work, 'kustomize'])
  archive = readFileSync(path.join(work, 'asset.tar.gz'))
  server = await startHttpFileServer({ [ASSET]: archive })
})
afterAll(async () => {
  await server.close()
  rmSync(work, { recursive: true, force: true })
})

const catalogPinning = (sha256: string) =>
  parseCatalog({
    tools: {
      kustomize: {
        default: '9.9.9',
        versions: {
          '9.9.9': {
            'linux-x64': {
              url: `https://github.com${ASSET}`,
              sha256,
              archive: 'tar.gz',
              binary: 'kustomize',
              source: 'test'
            }
          }
        }
      }
    }
  })

function installer(sha256: string) {
  const logger = memoryLogger()
  const binary = kustomizeBinary({
    logger,
    env: { SECURE_PIPELINE_TOOLS_MIRROR: server.origin },
    installer: { catalog: catalogPinning(sha256), platform: 'linux-x64', tempDir: work }
  })
  return { binary, logger }
}

describe('the kustomize binary', () => {
  it('is the catalog release, verified by its sha256, installed once however often it is asked for', async () => {
    server.requests.length = 0
    const { binary, logger } = installer(createHash('sha256').update(archive).digest('hex'))
    const first = await binary()
    expect(await binary()).toBe(first)
    expect(server.requests.filter(r => r.path === ASSET)).toHaveLength(1)
    expect(execFileSync(first, ['build', '.'], { encoding: 'utf8' })).toBe('stub kustomize build .\n')
    expect(logger.lines.join('\n')).toMatch(/kustomize 9\.9\.9 \(linux-x64\): sha256 [0-9a-f]{64} verified/)
  })

  it('is refused when the asset does not match the pinned sha256', async () => {
    const { binary } = installer('0'.repeat(64))
    await expect(binary()).rejects.toThrow(IntegrityError)
  })

  it('is the pre-provisioned binary when one is named, logged as not hash-verified', async () => {
    const logger = memoryLogger()
    const given = path.join(work, 'kustomize')
    const binary = kustomizeBinary({
      logger,
      preProvisionedPath: given,
      inputs: { path: 'kustomize-path' },
      env: {}
    })
    expect(await binary()).toBe(given)
    expect(logger.lines.join('\n')).toContain("(from Input 'kustomize-path') as is; it is not hash-verified")
  })
})
