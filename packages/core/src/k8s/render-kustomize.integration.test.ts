import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { REPO_ROOT } from '../../../../test/support/repo-root.js'
import { toolPath } from '../../../../test/support/tools-path.js'
import { checkKubernetesManifests } from './check.js'
import { applyK8sExceptions } from './exceptions.js'
import type { CollectRequest } from './scan.js'
import { DEFAULT_MANIFEST_LIMITS } from './manifests.js'
import { defaultOptions } from './options.js'

// scripts/install-tools.sh puts the pinned kustomize there; these tests run the real one.
const KUSTOMIZE = toolPath('kustomize')
const binary = () => Promise.resolve(KUSTOMIZE)

let root: string
const request = (paths: string[], over: Partial<CollectRequest> = {}): CollectRequest => ({
  root,
  paths,
  kustomize: true,
  allowRemoteResources: false,
  inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
  kustomizeBinary: binary,
  ...over
})

beforeAll(() => {
  expect(existsSync(KUSTOMIZE)).toBe(true)
  root = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-'))
  writeFiles(root, {
    'deploy/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
    'deploy/base/deployment.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: ghcr.io/acme/api:1}]\n',
    'deploy/prod/kustomization.yaml':
      'namePrefix: prod-\nresources: [../base]\npatches: [{path: patch.yaml}]\n',
    'deploy/prod/patch.yaml':
      'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: sidecar\n          image: busybox:latest\n',
    'hidden/kustomization.yaml':
      'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nimages: [{name: x, newTag: "2"}]\n',
    'hidden/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: root}\nspec:\n  hostPID: true\n  containers:\n    - name: c\n      image: ghcr.io/acme/c:1\n      securityContext: {privileged: true}\n',
    'empty/kustomization.yaml': 'resources: []\n',
    'empty/pod.yaml':
      'apiVersion: v1\nkind: Pod\nmetadata: {name: q}\nspec:\n  containers:\n    - name: c\n      image: ghcr.io/acme/c:1\n      securityContext: {privileged: true}\n',
    'broken/kustomization.yaml': 'resources: [missing.yaml]\n'
  })
})
afterAll(() => rmSync(root, { recursive: true, force: true }))

const seen = (report: Awaited<ReturnType<typeof checkKubernetesManifests>>) =>
  report.violations.map(v => `${v.ruleId} ${v.file}:${v.line} ${v.objectName} ${v.renderedFrom ?? '-'}`)

describe('kustomize, rendered with the real binary', () => {
  it('renders an overlay and reports fields in the base and the patch', async () => {
    const report = await checkKubernetesManifests(
      request(['deploy/**']),
      defaultOptions({ rules: new Set(['image-disallowed-tag', 'resource-limits']) })
    )
    expect(report.problems).toEqual([])
    expect(report.kustomizations).toEqual(['deploy/prod'])
    expect(seen(report)).toEqual([
      'image-disallowed-tag deploy/prod/patch.yaml:9 prod-api deploy/prod',
      'resource-limits deploy/prod/patch.yaml:8 prod-api deploy/prod',
      'resource-limits deploy/base/deployment.yaml:7 prod-api deploy/prod'
    ])
  })

  it('finds bases outside a narrow paths glob to report lines in them', async () => {
    const report = await checkKubernetesManifests(
      request(['deploy/prod']),
      defaultOptions({ rules: new Set(['resource-limits']) })
    )
    expect(report.violations.map(v => `${v.file}:${v.line}`)).toEqual([
      'deploy/prod/patch.yaml:8',
      'deploy/base/deployment.yaml:7'
    ])
  })

  it('checks the privileged Pod beside an unreferenced Component, and lists the Component as not checked', async () => {
    const report = await checkKubernetesManifests(
      request(['hidden/**']),
      defaultOptions({ rules: new Set(['privileged-container', 'pss-host-namespaces']) })
    )
    expect(seen(report)).toEqual([
      'privileged-container hidden/pod.yaml:9 root -',
      'pss-host-namespaces hidden/pod.yaml:5 root -'
    ])
    expect(report.unchecked.map(u => u.file)).toEqual(['hidden/kustomization.yaml'])
  })

  it('checks a Pod that a kustomization in its folder does not list', async () => {
    const report = await checkKubernetesManifests(
      request(['empty/**']),
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(report.kustomizations).toEqual(['empty'])
    expect(seen(report)).toEqual(['privileged-container empty/pod.yaml:8 q -'])
  })

  it('fails closed when kustomize fails, and never starts it for a refused remote resource', async () => {
    const report = await checkKubernetesManifests(request(['broken/**']), defaultOptions())
    expect(report.problems).toHaveLength(1)
    expect(report.problems[0]!.message).toMatch(/^kustomize build broken failed: .*missing\.yaml/)
    writeFiles(root, { 'remote/kustomization.yaml': 'resources: [https://example.com/pod.yaml]\n' })
    let asked = 0
    const refused = await checkKubernetesManifests(
      request(['remote/**'], { kustomizeBinary: () => (asked++, binary()) }),
      defaultOptions()
    )
    expect(asked).toBe(0)
    expect(refused.kustomizations).toEqual([])
    expect(refused.problems.map(p => p.message)).toEqual([
      expect.stringMatching(
        /^remote\/kustomization\.yaml: remote resource 'https:\/\/example\.com\/pod\.yaml' is refused/
      )
    ])
  })

  it('parses a render within the run’s budget, and refuses one whose output would exceed it', async () => {
    const data = Array.from({ length: 50 }, (_, i) => `  k${i}: v${i}`).join('\n')
    writeFiles(root, {
      'amplify/base/kustomization.yaml': 'resources: [cm.yaml]\n',
      'amplify/base/cm.yaml': `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\ndata:\n${data}\n`,
      'amplify/x1/kustomization.yaml': 'namePrefix: x1-\nresources: [../base]\n',
      'amplify/x2/kustomization.yaml': 'namePrefix: x2-\nresources: [../base]\n',
      'amplify/top/kustomization.yaml': 'resources: [../x1, ../x2]\n'
    })
    const within = (maxRunItems: number) =>
      checkKubernetesManifests(
        request(['amplify/**'], { limits: { ...DEFAULT_MANIFEST_LIMITS, maxRunItems } }),
        defaultOptions()
      )
    const roomy = await within(1000)
    expect(roomy.problems).toEqual([])
    expect(roomy.kustomizations).toEqual(['amplify/top'])
    expect(roomy.objects).toBe(2)
    // The four kustomizations and the ConfigMap's source fit in 200 nodes; the render, two ConfigMaps, does not.
    const tight = await within(200)
    expect(tight.objects).toBe(0)
    expect(tight.problems.map(p => p.message)).toEqual([
      'amplify/top (kustomize build) was not parsed: it would take this run over 200 YAML nodes with the files read before it (minutes and gigabytes); check fewer files in one run.'
    ])
  })

  it('checks the repository examples: compliant passes, seeded violations and the overlay fail', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['**/*.yaml']), root: path.join(REPO_ROOT, 'examples', 'k8s') },
      defaultOptions()
    )
    expect(report.problems).toEqual([])
    expect(report.unchecked).toEqual([])
    expect(report.violations.filter(v => v.file.startsWith('compliant/'))).toEqual([])
    const rules = (file: string) => new Set(report.violations.filter(v => v.file === file).map(v => v.ruleId))
    for (const rule of ['privileged-container', 'image-disallowed-tag', 'image-untagged', 'resource-limits'])
      expect(rules('violations/deployment.yaml')).toContain(rule)
    expect(rules('kustomize/overlays/prod/patch.yaml')).toContain('privileged-container')
  })
})

describe('kustomize renders, located only in their own sources', () => {
  let own: string
  beforeAll(() => {
    own = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-own-'))
    const daemonSet = (name: string) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: ghcr.io/acme/agent:1\n          securityContext: {privileged: true}\n`
    writeFiles(own, {
      // Privileged on purpose, waived for its own directory by the policy file.
      'deploy/agent/kustomization.yaml': 'resources: [ds.yaml]\n',
      'deploy/agent/ds.yaml': daemonSet('node-agent'),
      // The pull request's: its rendered name contains the agent's.
      'deploy/app/kustomization.yaml': 'namePrefix: node-agent-\nresources: [ds.yaml]\n',
      'deploy/app/ds.yaml': daemonSet('x')
    })
  })
  afterAll(() => rmSync(own, { recursive: true, force: true }))

  it("never reports an object in another kustomization's file, where that file's exceptions would waive it", async () => {
    const report = await checkKubernetesManifests(
      { ...request(['deploy/**']), root: own },
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(seen(report)).toEqual([
      'privileged-container deploy/agent/ds.yaml:10 node-agent deploy/agent',
      'privileged-container deploy/app/ds.yaml:10 node-agent-x deploy/app'
    ])
    const exception = {
      id: 'privileged-container',
      path: 'deploy/agent/**',
      reason: 'the node agent needs it',
      owner: 'platform',
      expires: '2099-12-31'
    }
    const { counted } = applyK8sExceptions(report.violations, [exception], '2026-01-01')
    expect(counted.map(v => `${v.file} ${v.objectName}`)).toEqual(['deploy/app/ds.yaml node-agent-x'])
  })
})

describe('an overlay of an excepted base', () => {
  let overlay: string
  beforeAll(() => {
    overlay = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-overlay-'))
    const daemonSet = (name: string) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: agent\n          image: ghcr.io/acme/agent:1\n          securityContext: {privileged: true}\n`
    writeFiles(overlay, {
      'deploy/agent/kustomization.yaml': 'resources: [ds.yaml]\n',
      'deploy/agent/ds.yaml': daemonSet('node-agent'),
      // The pull request's overlay renders the agent and its own DaemonSet, named to contain the agent's.
      'deploy/overlay/kustomization.yaml': 'namePrefix: node-agent-\nresources: [../agent, ds.yaml]\n',
      'deploy/overlay/ds.yaml': daemonSet('web')
    })
  })
  afterAll(() => rmSync(overlay, { recursive: true, force: true }))

  it('locates each rendered object in the source its name comes from, prefixes taken off', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['deploy/**']), root: overlay },
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(seen(report)).toEqual([
      'privileged-container deploy/agent/ds.yaml:10 node-agent-node-agent deploy/overlay',
      'privileged-container deploy/overlay/ds.yaml:10 node-agent-web deploy/overlay'
    ])
  })
})

describe('overlays of one base', () => {
  let overlays: string
  beforeAll(() => {
    overlays = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-overlays-'))
    writeFiles(overlays, {
      'app/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'app/base/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n          securityContext: {privileged: true}\n',
      'app/dev/kustomization.yaml':
        'namespace: dev\nresources: [../base]\nimages: [{name: ghcr.io/acme/api, newName: ghcr.io/acme/debug}]\n',
      'app/prod/kustomization.yaml': 'namespace: prod\nresources: [../base]\n'
    })
  })
  afterAll(() => rmSync(overlays, { recursive: true, force: true }))

  it('report the same base line once per namespace and image, so an exception for one never waives the other', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['app/**']), root: overlays },
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(report.violations.map(v => `${v.file}:${v.line} ${v.namespace} ${v.container?.image}`)).toEqual([
      'app/base/deployment.yaml:10 dev ghcr.io/acme/debug:1',
      'app/base/deployment.yaml:10 prod ghcr.io/acme/api:1'
    ])
    const waive = (scope: { namespace: string } | { image: string }) => ({
      id: 'privileged-container',
      ...scope,
      reason: 'debugging',
      owner: 'platform',
      expires: '2099-12-31'
    })
    for (const scope of [{ namespace: 'dev' }, { image: 'ghcr.io/acme/debug*' }]) {
      const { counted } = applyK8sExceptions(report.violations, [waive(scope)], '2026-01-01')
      expect(counted.map(v => v.namespace)).toEqual(['prod'])
    }
  })
})

describe('a name prefix set for one resource of an overlay', () => {
  let nested: string
  beforeAll(() => {
    nested = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-nested-'))
    const daemonSet = (name: string, hostPort: number) =>
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: ${name}}\nspec:\n  template:\n    spec:\n      containers:\n        - name: nginx\n          image: ghcr.io/acme/nginx:1\n          ports: [{containerPort: ${hostPort}, hostPort: ${hostPort}}]\n`
    writeFiles(nested, {
      // Binds 80 on the node on purpose, waived for its own directory by the policy file.
      'deploy/ingress/kustomization.yaml': 'resources: [ds.yaml]\n',
      'deploy/ingress/ds.yaml': daemonSet('ingress', 80),
      // The pull request's: its DaemonSet takes the ingress's name, and a prefix only its own base sets.
      'deploy/zz/kustomization.yaml': 'resources: [../ingress, sub]\n',
      'deploy/zz/sub/kustomization.yaml': 'namePrefix: evil-\nresources: [ds.yaml]\n',
      'deploy/zz/sub/ds.yaml': daemonSet('ingress', 22)
    })
  })
  afterAll(() => rmSync(nested, { recursive: true, force: true }))

  it('fits only the names of the sources it applies to, so an exception for one file never waives another', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['deploy/**']), root: nested },
      defaultOptions({ rules: new Set(['pss-host-ports']) })
    )
    expect(report.problems).toEqual([])
    expect(seen(report)).toEqual([
      'pss-host-ports deploy/zz/sub/ds.yaml:10 evil-ingress deploy/zz',
      'pss-host-ports deploy/ingress/ds.yaml:10 ingress deploy/zz'
    ])
    const exception = {
      id: 'pss-host-ports',
      path: 'deploy/ingress/**',
      reason: 'the ingress controller binds 80 on the node',
      owner: 'platform',
      expires: '2099-12-31'
    }
    const { counted } = applyK8sExceptions(report.violations, [exception], '2026-01-01')
    expect(counted.map(v => `${v.file} ${v.objectName}`)).toEqual(['deploy/zz/sub/ds.yaml evil-ingress'])
  })
})

describe('a Component that sets a name prefix', () => {
  let component: string
  beforeAll(() => {
    component = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-component-'))
    writeFiles(component, {
      'app/kustomization.yaml': 'resources: [pod.yaml]\ncomponents: [../prefix]\n',
      'app/pod.yaml':
        'apiVersion: v1\nkind: Pod\nmetadata: {name: api}\nspec:\n  containers:\n    - name: c\n      image: ghcr.io/acme/c:1\n      securityContext: {privileged: true}\n',
      'prefix/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nnamePrefix: team-\n'
    })
  })
  afterAll(() => rmSync(component, { recursive: true, force: true }))

  it('names the resources of the kustomization that includes it, which are located in their own file', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['app/**']), root: component },
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(seen(report)).toEqual(['privileged-container app/pod.yaml:8 team-api app'])
  })
})

describe('an overlay patch naming a prefixed base object by its original name', () => {
  let layered: string
  beforeAll(() => {
    layered = mkdtempSync(path.join(tmpdir(), 'k8s-kustomize-layered-'))
    writeFiles(layered, {
      'deploy/base/kustomization.yaml': 'namePrefix: app-\nresources: [deployment.yaml]\n',
      'deploy/base/deployment.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers: [{name: api, image: ghcr.io/acme/api:1}]\n',
      // kustomize matches a patch by any earlier name of its target: `api` is the base's `app-api`.
      'deploy/prod/kustomization.yaml':
        'namePrefix: prod-\nnamespace: prod\nresources: [../base]\npatches: [{path: patch.yaml}]\n',
      'deploy/prod/patch.yaml':
        'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec:\n  template:\n    spec:\n      containers:\n        - name: api\n          image: ghcr.io/acme/api:1\n          securityContext: {privileged: true}\n'
    })
  })
  afterAll(() => rmSync(layered, { recursive: true, force: true }))

  it('reports what only the patch sets in the patch, through the prefixes of the kustomizations below it too', async () => {
    const report = await checkKubernetesManifests(
      { ...request(['deploy/**']), root: layered },
      defaultOptions({ rules: new Set(['privileged-container']) })
    )
    expect(report.problems).toEqual([])
    expect(seen(report)).toEqual(['privileged-container deploy/prod/patch.yaml:10 prod-app-api deploy/prod'])
  })
})
