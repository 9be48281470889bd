import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  rmSync,
  symlinkSync,
  writeFileSync,
  ftruncateSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkKubernetesManifests } from './check.js'
import { discoverManifests, parsePatterns } from './discover.js'
import { defaultOptions } from './options.js'
import { findKustomize, translatePath } from './render-kustomize.js'
import { loadManifestFile } from './scan.js'

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
const TOOLS_BIN = path.join(
  process.env.SECURE_PIPELINE_TOOLS_DIR ??
    path.join(process.env.HOME ?? '', '.cache', 'secure-pipeline', 'tools'),
  'bin'
)
const kustomize = findKustomize({
  ...process.env,
  PATH: `${TOOLS_BIN}${path.delimiter}${process.env.PATH ?? ''}`
})

let root: string
const write = (rel: string, text: string) => {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true })
  writeFileSync(path.join(root, rel), text)
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'k8s-scan-'))
  write(
    'apps/pod.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx:latest}]\n'
  )
  write('apps/notes.yml', 'just: a config file\n')
  write('chart/Chart.yaml', 'name: c\nversion: 1.0.0\n')
  write('chart/templates/dep.yaml', 'apiVersion: apps/v1\nkind: Deployment\n{{ .Values.broken }}\n')
  write('deploy/base/kustomization.yaml', 'resources: [deployment.yaml]\n')
  write(
    'deploy/base/deployment.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: ghcr.io/acme/api:1}]\n'
  )
  write(
    'deploy/prod/kustomization.yaml',
    'namePrefix: prod-\nresources: [../base]\npatches: [{path: patch.yaml}]\n'
  )
  write(
    'deploy/prod/patch.yaml',
    'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          image: busybox:latest\n'
  )
  write(
    'deploy/debug/kustomization.yaml',
    'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages: [{name: x, newTag: "2"}]\n'
  )
  write(
    'ignored/pod.yaml',
    'apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec: {containers: [{name: c, image: x}]}\n'
  )
  symlinkSync('/etc/hostname', path.join(root, 'apps', 'link.yaml'))
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('discovering manifests', () => {
  it('reads raw YAML, renders top-level kustomizations, skips charts, symlinks and exclusions', () => {
    const found = discoverManifests(root, ['**/*.yaml', '**/*.yml', '!ignored/**'], true)
    expect(found.rawFiles).toEqual(['apps/notes.yml', 'apps/pod.yaml'])
    expect(found.kustomizations).toEqual(['deploy/prod'])
    expect(found.kustomizeSources).toEqual(
      expect.arrayContaining(['deploy/base/deployment.yaml', 'deploy/prod/patch.yaml'])
    )
    expect(found.notes.map(n => n.message).join('\n')).toMatch(/chart is a Helm chart/)
    expect(found.notes.map(n => n.message).join('\n')).toMatch(
      /deploy\/debug\/kustomization\.yaml is a kustomize Component/
    )
    expect(found.notes.map(n => n.message).join('\n')).toMatch(/apps\/link\.yaml is a symbolic link/)
  })

  it('turns a directory into its YAML files and refuses patterns that leave the workspace', () => {
    expect(parsePatterns(['apps', '!apps/x.yaml'])).toEqual({
      include: ['apps/**/*.{yaml,yml}'],
      exclude: ['apps/x.yaml']
    })
    expect(() => parsePatterns(['../other/**'])).toThrow(/leaves the workspace/)
    expect(() => parsePatterns(['/etc/*.yaml'])).toThrow(/leaves the workspace/)
  })

  it('reports a 50 MB file without reading it', () => {
    const big = path.join(root, 'huge.yaml')
    const fd = openSync(big, 'w')
    ftruncateSync(fd, 50 * 1024 * 1024)
    closeSync(fd)
    const started = Date.now()
    const loaded = loadManifestFile(root, 'huge.yaml')
    expect(Date.now() - started).toBeLessThan(1000)
    expect(loaded.problems).toHaveLength(1)
    expect(loaded.problems[0]!.message).toMatch(
      /huge\.yaml is 50\.0 MiB, over the 10\.0 MiB limit.*'!huge\.yaml'/
    )
    rmSync(big)
  })
})

describe('kustomize', () => {
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

  it('renders an overlay with the real kustomize and reports fields in the base and the patch', async () => {
    expect(kustomize).toBeDefined() // scripts/install-tools.sh installs the pinned kustomize
    const report = await checkKubernetesManifests(
      { root, paths: ['deploy/**'], kustomize: true, kustomizeBinary: kustomize },
      defaultOptions({ rules: new Set(['image-disallowed-tag', 'resource-limits']) })
    )
    expect(report.problems).toEqual([])
    expect(report.kustomizations).toEqual(['deploy/prod'])
    const seen = report.violations.map(
      v => `${v.ruleId} ${v.file}:${v.line} ${v.objectName} ${v.renderedFrom}`
    )
    expect(seen).toEqual([
      'image-disallowed-tag deploy/prod/patch.yaml:9 prod-api deploy/prod',
      'resource-limits deploy/prod/patch.yaml:8 prod-api deploy/prod',
      'resource-limits deploy/base/deployment.yaml:7 prod-api deploy/prod'
    ])
  })

  it('finds bases outside a narrow paths glob to report lines in them', async () => {
    const report = await checkKubernetesManifests(
      { root, paths: ['deploy/prod'], kustomize: true, kustomizeBinary: kustomize },
      defaultOptions({ rules: new Set(['resource-limits']) })
    )
    expect(report.violations.map(v => `${v.file}:${v.line}`)).toEqual([
      'deploy/prod/patch.yaml:8',
      'deploy/base/deployment.yaml:7'
    ])
  })

  it('fails closed when kustomize fails or is missing', async () => {
    write('broken/kustomization.yaml', 'resources: [missing.yaml]\n')
    const report = await checkKubernetesManifests(
      { root, paths: ['broken/**'], kustomize: true, kustomizeBinary: kustomize },
      defaultOptions()
    )
    expect(report.problems).toHaveLength(1)
    expect(report.problems[0]!.message).toMatch(/^kustomize build broken failed: /)
    await expect(
      checkKubernetesManifests(
        { root, paths: ['broken/**'], kustomize: true, kustomizeBinary: undefined },
        defaultOptions()
      )
    ).rejects.toThrow(/no kustomize binary was found/)
    rmSync(path.join(root, 'broken'), { recursive: true })
  })

  it('checks the repository examples: compliant passes, seeded violations and the overlay fail', async () => {
    const report = await checkKubernetesManifests(
      {
        root: path.join(REPO, 'examples', 'k8s'),
        paths: ['**/*.yaml'],
        kustomize: true,
        kustomizeBinary: kustomize
      },
      defaultOptions()
    )
    expect(report.problems).toEqual([])
    expect(report.violations.filter(v => v.file.startsWith('compliant/'))).toEqual([])
    for (const rule of [
      'privileged-container',
      'image-disallowed-tag',
      'image-untagged',
      'resource-limits'
    ]) {
      expect(report.violations.some(v => v.ruleId === rule && v.file === 'violations/deployment.yaml')).toBe(
        true
      )
    }
    expect(
      report.violations.some(
        v => v.file === 'kustomize/overlays/prod/patch.yaml' && v.ruleId === 'privileged-container'
      )
    ).toBe(true)
  })
})
