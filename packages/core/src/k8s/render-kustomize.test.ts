import { afterAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DEFAULT_MANIFEST_LIMITS, loadManifestText } from './manifests.js'
import {
  locateKustomizeBuild,
  nameFits,
  runKustomizeBuild,
  startKustomizeBuilds,
  translatePath
} from './render-kustomize.js'
import { itemBudget } from '../runtime/yaml-structure.js'

describe('mapping rendered objects back to their sources', () => {
  it('maps list indexes of rendered objects to the source by name', () => {
    const rendered = { spec: { containers: [{ name: 'side' }, { name: 'api', image: 'x' }] } }
    const source = { spec: { containers: [{ name: 'api', image: 'x' }] } }
    expect(translatePath(rendered, source, ['spec', 'containers', 1, 'image'])).toEqual([
      'spec',
      'containers',
      0,
      'image'
    ])
    expect(translatePath(rendered, source, ['spec', 'containers', 0, 'image'])).toEqual([
      'spec',
      'containers'
    ])
  })
})

describe('a rendered name traced back to a source name', () => {
  const naming = { prefixes: ['prod-', 'eu-'], suffixes: ['-v2'] }
  it('fits only with whole prefixes and suffixes of the render around it', () => {
    expect(nameFits('prod-eu-api-v2', 'api', naming)).toBe(true)
    expect(nameFits('api', 'api', naming)).toBe(true)
    expect(nameFits('prod-eu-api-v2', 'eu-api', naming)).toBe(true)
    expect(nameFits('prod-myapi', 'api', naming)).toBe(false)
    expect(nameFits('prod-api-x', 'api', naming)).toBe(false)
  })

  it('stays fast with many overlapping prefixes', () => {
    const many = { prefixes: Array.from({ length: 50 }, (_, i) => 'a'.repeat(i + 1)), suffixes: ['a'] }
    expect(nameFits(`${'a'.repeat(200)}b`, 'c', many)).toBe(false)
  })
})

describe('a kustomize render cut short', () => {
  const render = [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    '  name: prod-api',
    'spec:',
    '  template:',
    '    spec:',
    '      containers:',
    '      - image: busybox:latest',
    '        name: debug',
    '        securityContext:',
    '          privileged: true',
    ''
  ]
  const target = {
    dir: 'k8s/prod',
    file: 'k8s/prod/kustomization.yaml',
    files: [],
    naming: new Map()
  }
  const located = (text: string) =>
    locateKustomizeBuild(target, { loaded: loadManifestText(text, 'k8s/prod (kustomize build)') }, [])
  const scratch = mkdtempSync(path.join(tmpdir(), 'kustomize-cut-'))
  afterAll(() => rmSync(scratch, { recursive: true, force: true }))
  const kustomize = (output: string) => {
    const file = path.join(scratch, `kustomize-${output.length}`)
    writeFileSync(file, `#!/bin/sh\nprintf '%s' '${output}'\n`)
    chmodSync(file, 0o755)
    return file
  }

  it('is an error when it stops mid-line (exit 0), never objects missing what the rest held', async () => {
    const whole = render.join('\n')
    await expect(runKustomizeBuild(kustomize(whole), scratch)).resolves.toBe(whole)
    await expect(runKustomizeBuild(kustomize(whole.slice(0, 120)), scratch)).rejects.toThrow(
      /its output stops mid-line, so it was cut short/
    )
  })

  it('is an error when a workload lost its containers at a line break, and a whole render is not', () => {
    expect(located(render.join('\n')).problems).toEqual([])
    for (const lines of [8, 6, 4]) {
      const { problems } = located(render.slice(0, lines).join('\n') + '\n')
      expect(problems).toEqual([
        expect.objectContaining({
          level: 'error',
          file: 'k8s/prod/kustomization.yaml',
          message: expect.stringContaining(
            'kustomize build k8s/prod rendered Deployment/prod-api without containers'
          )
        })
      ])
    }
  })
})

describe('kustomize builds of a run that stops', () => {
  it('start no more once stopped: the ones already running finish', async () => {
    // An error path: a binary that cannot start shows which builds were started.
    const stopping = { stopped: false }
    const builds = startKustomizeBuilds(
      tmpdir(),
      [{ dir: '.' }, { dir: '.' }, { dir: '.' }],
      path.join(tmpdir(), 'no-such-kustomize'),
      { parallel: 2, limits: DEFAULT_MANIFEST_LIMITS, budget: itemBudget(1000), stopping }
    )
    stopping.stopped = true
    expect((await builds).map(build => ('error' in build ? build.error : 'rendered'))).toEqual([
      expect.stringContaining('no-such-kustomize'),
      expect.stringContaining('no-such-kustomize'),
      'not started: the run stopped before it'
    ])
  })
})
