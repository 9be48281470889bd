import { describe, expect, it } from '@jest/globals'
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

  it('expands List kinds and keeps item positions', () => {
    const text =
      'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: one\n- apiVersion: v1\n  kind: Pod\n  metadata:\n    name: two\n'
    const { objects } = loadManifestText(text, 'list.yaml')
    expect(objects.map(o => o.name)).toEqual(['one', 'two'])
    expect(objects[1]!.locate(['metadata', 'name'])).toMatchObject({ line: 11, depth: 2 })
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
      maxAliasCount: 100,
      maxItems: 1000,
      maxFlowDepth: 100
    })
    expect(problems).toHaveLength(1)
    expect(problems[0]!.message).toMatch(/over the 0\.0 MiB limit/)
  })

  it('refuses a flow list of a million items, and a nest a million deep, before parsing either', () => {
    // Both within the 10 MB size limit; the parser took 15 s and 2 GB on the first, 10 s and 2.9 GB on the second.
    // Counted by hand: 5 line breaks in the head, the opening [, a million commas and the last line break.
    const head = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\ndata:\n  x: '
    const flat = loadManifestText(`${head}[${'1,'.repeat(1_000_000)}0]\n`, 'flat.yaml')
    expect(flat.objects).toEqual([])
    expect(flat.problems.map(p => p.message)).toEqual([
      "flat.yaml has 1000007 lines and flow items, over the limit of 1000000 for one manifest (parsing it would take minutes and gigabytes); split it, or exclude it (e.g. '!flat.yaml')."
    ])
    const deep = loadManifestText(`${head}${'['.repeat(1_000_000)}${']'.repeat(1_000_000)}\n`, 'deep.yaml')
    expect(deep.problems.map(p => p.message)).toEqual([
      'deep.yaml opens over 10000 nested [ or { at once; no manifest nests so deep, so it was not parsed.'
    ])
  })

  it('counts only what is open at once: many shallow collections pass the depth limit', () => {
    const limits = { ...DEFAULT_MANIFEST_LIMITS, maxFlowDepth: 3 }
    // Brackets in a string count as written: `{` then `[[[` is four open at once.
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {x: "[[["}\n'
    expect(loadManifestText(text, 'ok.yaml', { ...limits, maxFlowDepth: 4 }).problems).toEqual([])
    expect(loadManifestText(text, 'ok.yaml', limits).problems.map(p => p.message)).toEqual([
      'ok.yaml opens over 3 nested [ or { at once; no manifest nests so deep, so it was not parsed.'
    ])
    const pairs = Array.from({ length: 50 }, (_, i) => `k${i}: "[[x]]"`).join(', ')
    const shallow = `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\ndata: {${pairs}}\n`
    expect(loadManifestText(shallow, 'shallow.yaml', limits)).toMatchObject({
      problems: [],
      objects: [expect.anything()]
    })
  })

  it('refuses a file with too many documents', () => {
    const { problems, objects } = loadManifestText('a: 1\n---\n'.repeat(20), 'many.yaml', {
      maxBytes: 1e6,
      maxDocuments: 5,
      maxAliasCount: 100,
      maxItems: 1000,
      maxFlowDepth: 100
    })
    expect(objects).toEqual([])
    expect(problems[0]!.message).toMatch(/over the limit of 5/)
  })
})
