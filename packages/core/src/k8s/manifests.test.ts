import { describe, expect, it } from '@jest/globals'
import { itemBudget, measureStructure } from '../runtime/yaml-structure.js'
import { DEFAULT_MANIFEST_LIMITS, loadManifestText } from './manifests.js'

describe('loadManifestText', () => {
  it('reads every document of a multi-document file and locates fields by line', () => {
    const text = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: a',
      '---',
      '# a comment line',
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '        - name: c',
      '          image: nginx:1.27'
    ].join('\n')
    const { objects, problems, notes } = loadManifestText(text, 'k8s/app.yaml')
    expect(problems).toEqual([])
    expect(notes).toEqual([])
    expect(objects.map(o => [o.kind, o.name, o.documentIndex])).toEqual([
      ['ConfigMap', 'a', 0],
      ['Deployment', 'web', 1]
    ])
    const deployment = objects[1]!
    expect(deployment.locate(['spec', 'template', 'spec', 'containers', 0, 'image'])).toEqual({
      file: 'k8s/app.yaml',
      line: 16,
      column: 11,
      depth: 6
    })
    // A missing field falls back to its nearest existing ancestor: the container's first line.
    expect(
      deployment.locate(['spec', 'template', 'spec', 'containers', 0, 'resources', 'limits'])
    ).toMatchObject({
      line: 15,
      depth: 5
    })
  })

  it('reads YAML the way the API server does: 1.1 booleans and merge keys', () => {
    const text = [
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p}',
      'x-base: &privileged {privileged: yes}',
      'spec:',
      '  hostNetwork: on',
      '  containers:',
      '    - name: c',
      '      securityContext:',
      '        <<: *privileged',
      '        runAsNonRoot: Y'
    ].join('\n')
    const [pod] = loadManifestText(text, 'p.yaml').objects
    const spec = pod!.object.spec as { hostNetwork: unknown; containers: { securityContext: unknown }[] }
    expect(spec.hostNetwork).toBe(true)
    expect(spec.containers[0]!.securityContext).toEqual({ privileged: true, runAsNonRoot: true })
  })

  it('refuses a merge key that overrides a field set before it, which kubectl reads otherwise than kustomize', () => {
    // sigs.k8s.io/yaml v1.6.0 (go-yaml v2, kubectl apply -f, Argo CD) gives privileged: true here; kustomize
    // 5.8.2 (go-yaml v3) and the yaml library give false.
    const pod = (securityContext: string[]) =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'x-root: &root {privileged: true}',
        'x-safe: &safe {privileged: false}',
        'x-caps: &caps {capabilities: {add: [], drop: [ALL]}}',
        'spec:',
        '  containers:',
        '    - name: c',
        '      securityContext:',
        ...securityContext.map(line => `        ${line}`)
      ].join('\n')
    for (const lines of [
      ['privileged: false', '<<: *root'],
      ['<<: *safe', '<<: *root']
    ]) {
      const loaded = loadManifestText(pod(lines), 'p.yaml')
      expect(loaded.objects).toEqual([])
      expect(loaded.problems[0]?.message).toContain(
        "p.yaml (document 1): the merge key '<<' at line 12 sets 'privileged', which the map already sets to another value"
      )
    }
    // Where every reader agrees, nothing changes: a later explicit key wins, earlier merge sources win.
    for (const [lines, privileged] of [
      [['<<: *root', 'privileged: false'], false],
      [['<<: [*safe, *root]'], false],
      [['privileged: true', '<<: *root'], true],
      // The same value written with its keys in another order is no conflict.
      [['privileged: true', 'capabilities: {drop: [ALL], add: []}', '<<: *caps'], true]
    ] as const) {
      const [object] = loadManifestText(pod([...lines]), 'p.yaml').objects
      const spec = object!.object.spec as { containers: { securityContext: { privileged: boolean } }[] }
      expect(spec.containers[0]!.securityContext.privileged).toBe(privileged)
    }
  })

  it('expands List kinds and keeps item positions', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: one\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: two\n'
    const { objects } = loadManifestText(text, 'list.yaml')
    expect(objects.map(o => o.name)).toEqual(['one', 'two'])
    expect(objects[1]!.locate(['metadata', 'name'])).toMatchObject({ line: 11, depth: 2 })
  })

  it('expands any object with an items list as kubectl does, and gives bare items the list kind', () => {
    const text = [
      'apiVersion: v1',
      'kind: Whatever',
      'items:',
      '- {apiVersion: v1, kind: Pod, metadata: {name: any-kind}}',
      '---',
      'apiVersion: v1',
      'kind: PodList',
      'items:',
      '- metadata: {name: bare}',
      '  spec: {hostNetwork: true}',
      '- {kind: ConfigMap, metadata: {name: kind-only}}'
    ].join('\n')
    const { objects } = loadManifestText(text, 'lists.yaml')
    expect(objects.map(o => [o.apiVersion, o.kind, o.name])).toEqual([
      ['v1', 'Pod', 'any-kind'],
      ['v1', 'Pod', 'bare']
    ])
    expect(objects[1]!.locate(['spec', 'hostNetwork'])).toMatchObject({ line: 10, depth: 2 })
  })

  it('skips non-Kubernetes YAML with a note instead of failing', () => {
    const { objects, problems, notes } = loadManifestText(
      'name: ci\non: push\njobs: {}\n---\n- a\n- b\n',
      '.github/workflows/ci.yml'
    )
    expect(objects).toEqual([])
    expect(problems).toEqual([])
    expect(notes).toHaveLength(2)
    expect(notes[0]!.message).toMatch(/not a Kubernetes object/)
  })

  it('reports a billion-laughs alias bomb as a problem and keeps going', () => {
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: bomb}',
      'data:',
      '  a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
      '  b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
      '  c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
      '  d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
      '  e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
      '  f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
      '  g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]',
      '---',
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: after}'
    ].join('\n')
    const { objects, problems } = loadManifestText(bomb, 'bomb.yaml')
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatchObject({ level: 'error', file: 'bomb.yaml' })
    expect(problems[0]!.message).toMatch(/bomb\.yaml \(document 1\): .*alias/i)
    expect(objects.map(o => o.name)).toEqual(['after'])
  })

  it('reports invalid YAML with its line', () => {
    const { objects, problems } = loadManifestText(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: [unclosed\n',
      'bad.yaml'
    )
    expect(objects).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toMatch(/^bad\.yaml \(document 1\): invalid YAML/)
  })

  it('refuses a file over the size limit without parsing it', () => {
    const { problems } = loadManifestText('a: b\n'.repeat(100), 'big.yaml', {
      maxBytes: 64,
      maxDocuments: 10,
      maxItems: 1000,
      maxDepth: 100,
      maxRunItems: 10_000
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toMatch(/over the 0\.0 MiB limit/)
  })

  it('refuses, before parsing, a flow list of 1.5 million items, a nest a million deep and a line of `- - -`', () => {
    // Each within the 10 MB size limit; at a million items the parser took 15 s and 2 GB; the nest 10 s and
    // 2.9 GB, and the dashes 17 s and 2.3 GB, before failing.
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: '
    const flat = loadManifestText(`${head}[${'1,'.repeat(1_500_000)}0]\n`, 'flat.yaml')
    expect(flat.objects).toEqual([])
    // By hand: 5 line breaks and 4 `: ` in the head, the opening [, 1.5 million commas and the last line break.
    expect(flat.problems.map(p => p.message)).toEqual([
      "flat.yaml was not parsed: it has about 1500011 YAML nodes, over the limit of 1500000 (parsing it would take minutes and gigabytes); split it, or exclude it (e.g. '!flat.yaml')."
    ])
    const deep = loadManifestText(`${head}${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`, 'deep.yaml')
    const dashes = loadManifestText(
      `apiVersion: v1\nkind: List\nitems:\n- ${'- '.repeat(4_000_000)}1\n`,
      'dashes.yaml'
    )
    for (const [loaded, file] of [
      [deep, 'deep.yaml'],
      [dashes, 'dashes.yaml']
    ] as const)
      expect(loaded.problems.map(p => p.message)).toEqual([
        `${file} was not parsed: it nests over 500 collections deep; no manifest does.`
      ])
  })

  it('keeps a 10 MiB manifest of dense, ordinary YAML under the per-file limit', () => {
    const container = (i: number) =>
      [
        `        - name: c${i}`,
        `          image: ghcr.io/o/app:${i}`,
        `          args: ["--port", "80${i}", "--verbose"]`,
        '          env:',
        '            - name: A',
        '              value: "1"',
        '          resources:',
        '            limits: {cpu: 100m, memory: 128Mi}'
      ].join('\n')
    const deployment = (i: number) =>
      `---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app-${i}\nspec:\n  template:\n    spec:\n      containers:\n${[1, 2, 3, 4].map(container).join('\n')}\n`
    let text = ''
    for (let i = 0; text.length < DEFAULT_MANIFEST_LIMITS.maxBytes; i++) text += deployment(i)
    const { items, depth } = measureStructure(text)
    expect(items).toBeLessThan(DEFAULT_MANIFEST_LIMITS.maxItems)
    expect(depth).toBeLessThan(DEFAULT_MANIFEST_LIMITS.maxDepth)
  })

  it('refuses a flood of documents before the parser builds them', () => {
    const { objects, problems } = loadManifestText('---\n'.repeat(6000), 'docs.yaml')
    expect(objects).toEqual([])
    expect(problems.map(p => p.message)).toEqual([
      "docs.yaml was not parsed: it holds about 6000 YAML documents, over the limit of 5000 (parsing it would take minutes and gigabytes); split it, or exclude it (e.g. '!docs.yaml')."
    ])
  })

  it('takes what each file costs from the run’s budget, and refuses the file that would exceed it', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n'
    // By hand: 4 line breaks and 3 `: `, 7 nodes a file.
    const budget = itemBudget(20)
    expect(loadManifestText(text, 'a.yaml', DEFAULT_MANIFEST_LIMITS, budget).problems).toEqual([])
    expect(loadManifestText(text, 'b.yaml', DEFAULT_MANIFEST_LIMITS, budget).problems).toEqual([])
    expect(budget.left).toBe(6)
    const third = loadManifestText(text, 'c.yaml', DEFAULT_MANIFEST_LIMITS, budget)
    expect(third.objects).toEqual([])
    expect(third.problems.map(p => p.message)).toEqual([
      'c.yaml was not parsed: it would take this run over 20 YAML nodes with the files read before it (minutes and gigabytes); check fewer files in one run.'
    ])
  })

  it('refuses a file with too many documents', () => {
    const { problems, objects } = loadManifestText('a: 1\n---\n'.repeat(20), 'many.yaml', {
      maxBytes: 1e6,
      maxDocuments: 5,
      maxItems: 1000,
      maxDepth: 100,
      maxRunItems: 10_000
    })
    expect(objects).toEqual([])
    expect(problems[0]!.message).toMatch(/over the limit of 5/)
  })
})
