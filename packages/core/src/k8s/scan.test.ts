import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { closeSync, ftruncateSync, mkdtempSync, openSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { loadManifestFile } from './scan.js'

let root: string
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'k8s-scan-'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('reading a manifest file', () => {
  it('reports a file over the size limit by its size, without parsing it', () => {
    const big = path.join(root, 'huge.yaml')
    const fd = openSync(big, 'w')
    ftruncateSync(fd, 50 * 1024 * 1024)
    closeSync(fd)
    const loaded = loadManifestFile(root, 'huge.yaml')
    expect(loaded.objects).toEqual([])
    expect(loaded.problems).toEqual([
      {
        level: 'error',
        file: 'huge.yaml',
        message:
          "huge.yaml is 50.0 MiB, over the 10.0 MiB limit for one manifest; exclude it (e.g. '!huge.yaml') or split it."
      }
    ])
  })
})
