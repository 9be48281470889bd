import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  closeSync,
  existsSync,
  ftruncateSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DEFAULT_MANIFEST_LIMITS } from './manifests.js'
import { collectManifests, loadManifestFile } from './scan.js'

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

/**
 * A kustomize stand-in that says when it started and prints a pod once the test lets its overlay go
 * (it gives up after 10 s, so a failed test leaves nothing running).
 */
function stubKustomize(dir: string): string {
  const file = path.join(dir, 'kustomize-stub')
  writeFileSync(
    file,
    `#!/bin/sh
overlay=$(basename "$PWD")
: > "$PWD/started"
i=0
while [ ! -e "${dir}/go-$overlay" ] && [ $i -lt 1000 ]; do sleep 0.01; i=$((i + 1)); done
printf 'apiVersion: v1\\nkind: Pod\\nmetadata: {name: from-%s}\\nspec: {containers: [{name: c, image: a/b:1}]}\\n' "$overlay"
`
  )
  chmodSync(file, 0o755)
  return file
}

describe('collecting while kustomize renders', () => {
  const until = async (condition: () => boolean) => {
    for (let i = 0; i < 500 && !condition(); i++) await new Promise(resolve => setTimeout(resolve, 10))
    expect(condition()).toBe(true)
  }

  it('runs the renders side by side, and keeps kustomization order whatever order they end in', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-collect-'))
    for (const overlay of ['a', 'b']) {
      mkdirSync(path.join(dir, 'ws', overlay), { recursive: true })
      writeFileSync(path.join(dir, 'ws', overlay, 'kustomization.yaml'), 'resources: []\n')
    }
    writeFileSync(path.join(dir, 'ws', 'pod.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: plain}\n')
    const binary = stubKustomize(dir)
    const started = (overlay: string) => existsSync(path.join(dir, 'ws', overlay, 'started'))
    try {
      const collecting = collectManifests({
        root: path.join(dir, 'ws'),
        paths: ['**/*.yaml'],
        kustomize: true,
        allowRemoteResources: false,
        inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
        kustomizeBinary: () => Promise.resolve(binary)
      })
      await until(() => started('a') && started('b'))
      // b ends first.
      writeFileSync(path.join(dir, 'go-b'), '')
      await new Promise(resolve => setTimeout(resolve, 100))
      writeFileSync(path.join(dir, 'go-a'), '')
      const collected = await collecting
      expect(collected.objects.map(o => o.name)).toEqual(['plain', 'from-a', 'from-b'])
      expect(collected.kustomizations).toEqual(['a', 'b'])
      expect(collected.problems).toEqual([])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('UTF-16 manifests', () => {
  it('are decoded by their byte order mark, as kubectl (go-yaml) decodes them, and checked', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: wide}\nspec: {hostPID: true}\n'
    const little = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const big = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    writeFileSync(path.join(root, 'le.yaml'), little)
    writeFileSync(path.join(root, 'be.yaml'), big)
    for (const file of ['le.yaml', 'be.yaml']) {
      const loaded = loadManifestFile(root, file)
      expect(loaded.problems).toEqual([])
      expect(loaded.objects.map(o => [o.kind, o.name, o.object.spec])).toEqual([
        ['Pod', 'wide', { hostPID: true }]
      ])
    }
  })
})

describe('JSON manifests', () => {
  it('are checked where paths reach their directory, as kubectl and GitOps controllers apply them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-json-'))
    const files: Record<string, string> = {
      'deploy/web.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n',
      'deploy/miner.json': JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'miner' },
        spec: { hostPID: true, containers: [{ name: 'c', image: 'x:1' }] }
      }),
      // kubectl reads a .json file that is not JSON as YAML.
      'deploy/yaml-inside.json': 'apiVersion: v1\nkind: Pod\nmetadata: {name: yaml-inside}\n',
      // Not manifests: neither checked nor an error.
      'deploy/package.json': '{"name": "x", "version": "1.0.0"}',
      'deploy/tsconfig.json': '{\n  // comment\n  "compilerOptions": {},\n}\n',
      'excluded/pod.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'excluded' } }),
      'elsewhere/pod.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'elsewhere' } })
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      writeFileSync(path.join(dir, file), text)
    }
    try {
      const collected = await collectManifests({
        root: dir,
        paths: ['deploy/**/*.yaml', 'excluded/*.yaml', '!excluded/**'],
        kustomize: true,
        allowRemoteResources: false,
        inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
        kustomizeBinary: () => Promise.reject(new Error('no kustomization here'))
      })
      expect(collected.problems).toEqual([])
      expect(collected.objects.map(o => `${o.file} ${o.name}`)).toEqual([
        'deploy/web.yaml web',
        'deploy/miner.json miner',
        'deploy/yaml-inside.json yaml-inside'
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('over the size limit are listed as not checked, not dropped: padding must not hide a Pod', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-json-'))
    const pod = JSON.stringify({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'padded' },
      spec: { hostPID: true, containers: [{ name: 'c', image: 'x:1' }] }
    })
    mkdirSync(path.join(dir, 'deploy'))
    writeFileSync(path.join(dir, 'deploy/padded.json'), pod + ' '.repeat(4096))
    writeFileSync(path.join(dir, 'deploy/web.yaml'), 'apiVersion: v1\nkind: Pod\nmetadata: {name: web}\n')
    try {
      const collected = await collectManifests({
        root: dir,
        paths: ['deploy/**/*.yaml'],
        kustomize: true,
        allowRemoteResources: false,
        inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
        kustomizeBinary: () => Promise.reject(new Error('no kustomization here')),
        limits: { ...DEFAULT_MANIFEST_LIMITS, maxBytes: 1024 }
      })
      expect(collected.objects.map(o => o.name)).toEqual(['web'])
      expect(collected.unchecked).toEqual([
        {
          file: 'deploy/padded.json',
          reason:
            'JSON file of 0.0 MiB, over the 0.0 MiB limit for one manifest: not read, so a Kubernetes object in it is not checked'
        }
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("are read past a '{' as kubectl's decoder reads them: YAML where JSON fails, JSON documents one after another", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'k8s-json-'))
    const pod = (name: string) =>
      JSON.stringify({
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name },
        spec: { hostPID: true, containers: [{ name: 'c', image: 'x:1' }] }
      })
    const files: Record<string, string> = {
      // A YAML flow mapping: not JSON, so kubectl reads it as YAML.
      'deploy/flow.json':
        '{apiVersion: v1, kind: Pod, metadata: {name: flow}, spec: {hostPID: true, containers: [{name: c, image: "x:1"}]}}\n',
      // A JSON document, then YAML: kubectl applies both.
      'deploy/mixed.json': `${pod('first')}\n---\n${'apiVersion: v1\nkind: Pod\nmetadata: {name: second}\n'}`,
      // JSON documents one after another: kubectl applies each.
      'deploy/stream.json': `${pod('a')}\n${pod('b')}\n`,
      'deploy/tsconfig.json': '{\n  // comment\n  "compilerOptions": {},\n}\n'
    }
    for (const [file, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
      writeFileSync(path.join(dir, file), text)
    }
    try {
      const collected = await collectManifests({
        root: dir,
        paths: ['deploy/**/*.yaml'],
        kustomize: true,
        allowRemoteResources: false,
        inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
        kustomizeBinary: () => Promise.reject(new Error('no kustomization here'))
      })
      expect(collected.objects.map(o => `${o.file} ${o.name}`)).toEqual([
        'deploy/flow.json flow',
        'deploy/mixed.json first',
        'deploy/mixed.json second'
      ])
      expect(collected.problems).toEqual([
        {
          level: 'error',
          file: 'deploy/stream.json',
          message: expect.stringContaining(
            'deploy/stream.json holds a JSON Kubernetes object followed by more text, which kubectl reads as further documents'
          )
        }
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
