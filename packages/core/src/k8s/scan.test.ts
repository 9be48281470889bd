import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { loadManifestFile, startCollecting, type CollectRequest } from './scan.js'

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

/** A kustomize stand-in that says when it started and prints a pod once the test lets it. */
function stubKustomize(dir: string): string {
  const file = path.join(dir, 'kustomize-stub')
  writeFileSync(
    file,
    `#!/bin/sh
echo $$ > "$PWD/started"
while [ ! -e "${dir}/go" ]; do sleep 0.01; done
printf 'apiVersion: v1\\nkind: Pod\\nmetadata: {name: from-%s}\\nspec: {containers: [{name: c, image: a/b:1}]}\\n' "$(basename "$PWD")"
`
  )
  chmodSync(file, 0o755)
  return file
}

describe('collecting while kustomize renders', () => {
  const setUp = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-collect-'))
    for (const overlay of ['a', 'b']) {
      mkdirSync(path.join(dir, 'ws', overlay), { recursive: true })
      writeFileSync(path.join(dir, 'ws', overlay, 'kustomization.yaml'), 'resources: []\n')
    }
    writeFileSync(path.join(dir, 'ws', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\n')
    const binary = stubKustomize(dir)
    const request: CollectRequest = {
      root: path.join(dir, 'ws'),
      paths: ['**/*.yaml'],
      kustomize: true,
      allowRemoteResources: false,
      inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
      kustomizeBinary: () => Promise.resolve(binary)
    }
    return { dir, request, started: (overlay: string) => path.join(dir, 'ws', overlay, 'started') }
  }
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect(condition()).toBe(true)
  }

  it('has every render running before it reads a file, and finishes with all of them in order', async () => {
    const { dir, request, started } = setUp()
    const collection = await startCollecting(request)
    await until(() => existsSync(started('a')) && existsSync(started('b')))
    writeFileSync(path.join(dir, 'go'), '')
    const collected = await collection.finish()
    expect(collected.objects.map(o => o.name)).toEqual(['plain', 'from-a', 'from-b'])
    expect(collected.kustomizations).toEqual(['a', 'b'])
    expect(collected.problems).toEqual([])
    rmSync(dir, { recursive: true, force: true })
  })

  it('kills the renders when abandoned, and never reads their output as objects', async () => {
    const { dir, request, started } = setUp()
    const collection = await startCollecting(request)
    await until(() => existsSync(started('a')) && existsSync(started('b')))
    collection.abandon()
    const collected = await collection.finish()
    expect(collected.objects.map(o => o.name)).toEqual(['plain'])
    expect(collected.problems.map(p => p.message)).toEqual([
      expect.stringMatching(/^kustomize build a failed: /),
      expect.stringMatching(/^kustomize build b failed: /)
    ])
    const pids = ['a', 'b'].map(overlay => Number(readFileSync(started(overlay), 'utf8')))
    await until(() => pids.every(pid => !isRunning(pid)))
    rmSync(dir, { recursive: true, force: true })
  })
})

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}
