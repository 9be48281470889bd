import { describe, expect, it } from '@jest/globals'
import { bumpFiles, digestOf, editedText, TARGET_NAMES } from '../../../../test/support/bump.js'
import { planBump } from './plan.js'
import { parseBumpTarget } from './target.js'

const D = digestOf('c')

const cronJob = [
  'apiVersion: batch/v1',
  'kind: CronJob',
  'metadata: {name: nightly}',
  'spec:',
  '  jobTemplate:',
  '    spec:',
  '      template:',
  '        spec:',
  '          initContainers:',
  '          - name: init',
  "            image: 'nginx:1.25'",
  '          containers:',
  '          - name: main',
  '            image: docker.io/library/nginx:1.25 # pinned by hand',
  '          - name: sidecar',
  '            image: busybox:1.36',
  '---',
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: debug}',
  'spec:',
  '  ephemeralContainers:',
  '  - name: dbg',
  '    image: "nginx"',
  ''
].join('\n')

describe('raw manifests', () => {
  it('sets containers, init containers and ephemeral containers that name the image however they spell it, keeping each name and quote style', () => {
    const plan = bumpFiles({ 'jobs.yaml': cronJob }, { image: 'nginx', tag: '1.27.0', digest: D })
    expect(editedText(plan, 'jobs.yaml')).toBe(
      cronJob
        .replace("image: 'nginx:1.25'", `image: 'nginx:1.27.0@${D}'`)
        .replace(
          'image: docker.io/library/nginx:1.25 # pinned',
          `image: docker.io/library/nginx:1.27.0@${D} # pinned`
        )
        .replace('image: "nginx"', `image: "nginx:1.27.0@${D}"`)
    )
    expect(plan.edits[0]!.changes.map(c => c.field)).toEqual([
      'spec.jobTemplate.spec.template.spec.initContainers[0].image',
      'spec.jobTemplate.spec.template.spec.containers[0].image',
      'spec.ephemeralContainers[0].image'
    ])
  })

  it('does not edit a Helm chart template as YAML, even one that parses, and names it with the reason', () => {
    const template = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: {{ .Release.Name }}',
      'spec:',
      '  template:',
      '    spec:',
      '      containers:',
      '      - image: ghcr.io/org/app:1.0',
      ''
    ].join('\n')
    const plan = bumpFiles(
      { 'charts/app/templates/deployment.yaml': template },
      { image: 'ghcr.io/org/app', tag: '1.2', digest: D }
    )
    expect(plan.edits).toEqual([])
    expect(plan.unreadable).toEqual([
      {
        file: 'charts/app/templates/deployment.yaml',
        reason: expect.stringMatching(/^a Helm chart template/),
        mentionsImage: true
      }
    ])
  })

  it('keeps the old tag when only a digest is given', () => {
    const plan = bumpFiles(
      { 'pod.yaml': 'spec:\n  containers:\n  - image: ghcr.io/org/app:2.1\n' },
      { image: 'ghcr.io/org/app', digest: D }
    )
    expect(editedText(plan, 'pod.yaml')).toBe(`spec:\n  containers:\n  - image: ghcr.io/org/app:2.1@${D}\n`)
  })

  it('reports an alias, a block scalar, a template and a value under a repeated anchor instead of rewriting them', () => {
    const text = [
      'base: &img ghcr.io/org/app:1.0',
      'spec:',
      '  containers:',
      '  - image: *img',
      '  - image: |',
      '      ghcr.io/org/app:1.0',
      '  - image: ghcr.io/org/app:${TAG}',
      'shared: &shared',
      '  containers:',
      '  - image: ghcr.io/org/app:1.0',
      'copy: *shared',
      ''
    ].join('\n')
    const plan = bumpFiles({ 'tricky.yaml': text }, { image: 'ghcr.io/org/app', tag: '1.1' })
    expect(plan.edits).toEqual([])
    expect(plan.leftAlone.map(l => [l.line, l.reason])).toEqual([
      [4, 'is an alias (*img); edit the value its anchor holds'],
      [5, 'is a block scalar'],
      [7, 'is built by a template (ghcr.io/org/app:${TAG})'],
      [10, 'is under the anchor &shared, which aliases repeat elsewhere']
    ])
  })

  it('edits a value that holds an anchor no alias uses, and keeps the anchor', () => {
    const plan = bumpFiles(
      { 'a.yaml': 'spec:\n  containers:\n  - image: &x ghcr.io/org/app:1.0\n' },
      { image: 'ghcr.io/org/app', tag: '1.1' }
    )
    expect(editedText(plan, 'a.yaml')).toBe('spec:\n  containers:\n  - image: &x ghcr.io/org/app:1.1\n')
  })

  it('keeps a BOM, trailing whitespace, blank lines and a missing final newline byte for byte', () => {
    const text = '\ufeff# top  \n\nspec:\t\n  containers:\n\n  - image: ghcr.io/org/app:1.0   \n    name: x'
    const plan = bumpFiles({ 'a.yaml': text }, { image: 'ghcr.io/org/app', tag: '1.1' })
    expect(editedText(plan, 'a.yaml')).toBe(text.replace('app:1.0', 'app:1.1'))
    expect(Buffer.from(plan.edits[0]!.after).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]))
  })

  it('does not read a file that is not UTF-8, and names it since it mentions the image', () => {
    const latin1 = Buffer.concat([
      Buffer.from('# caf'),
      Buffer.from([0xe9]),
      Buffer.from('\nspec:\n  containers:\n  - image: ghcr.io/org/app:1.0\n')
    ])
    const plan = planBump([{ path: 'latin1.yaml', bytes: latin1 }], {
      target: parseBumpTarget({ image: 'ghcr.io/org/app', tag: '1.1' }, TARGET_NAMES),
      strategy: 'auto',
      fluxPolicies: []
    })
    expect(plan.edits).toEqual([])
    expect(plan.unreadable).toEqual([{ file: 'latin1.yaml', reason: 'not UTF-8 text', mentionsImage: true }])
  })

  it('names a UTF-16 file that mentions the image, which kubectl reads, instead of passing over it', () => {
    const text = 'spec:\n  containers:\n  - image: ghcr.io/org/app:1.0\n'
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
    const be = Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()])
    const other = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a: b\n', 'utf16le')])
    const plan = planBump(
      [
        { path: 'le.yaml', bytes: le },
        { path: 'be.yaml', bytes: be },
        { path: 'other.yaml', bytes: other },
        { path: 'ok.yaml', bytes: Buffer.from(text) }
      ],
      {
        target: parseBumpTarget({ image: 'ghcr.io/org/app', tag: '1.1' }, TARGET_NAMES),
        strategy: 'auto',
        fluxPolicies: []
      }
    )
    expect(plan.edits.map(e => e.file)).toEqual(['ok.yaml'])
    const reason =
      'UTF-16 text (its byte order mark says so), which kubectl reads but this action does not edit; save it as UTF-8'
    expect(plan.unreadable).toEqual([
      { file: 'le.yaml', reason, mentionsImage: true },
      { file: 'be.yaml', reason, mentionsImage: true }
    ])
  })

  it('finds an image a container takes through a merge key, and leaves the shared anchor alone, saying so', () => {
    const text = [
      'x-app: &app',
      '  image: ghcr.io/org/app:1.0',
      '  imagePullPolicy: Always',
      'spec:',
      '  containers:',
      '  - <<: *app',
      '    name: web',
      '  - <<: [*app]',
      '    name: worker',
      ''
    ].join('\n')
    const plan = bumpFiles({ 'pod.yaml': text }, { image: 'ghcr.io/org/app', tag: '1.1' })
    expect(plan.edits).toEqual([])
    expect(plan.leftAlone).toEqual([
      expect.objectContaining({
        file: 'pod.yaml',
        line: 2,
        field: 'spec.containers[0].image',
        reason: 'is under the anchor &app, which aliases repeat elsewhere'
      }),
      expect.objectContaining({ line: 2, field: 'spec.containers[1].image' })
    ])
    // A merge of a mapping written in place is rare: it is named, never passed over unsaid.
    const inline = 'spec:\n  containers:\n  - <<: {image: ghcr.io/org/app:1.0}\n    name: web\n'
    const merged = bumpFiles({ 'inline.yaml': inline }, { image: 'ghcr.io/org/app', tag: '1.1' })
    expect(merged.edits).toEqual([])
    expect(merged.unreadable).toEqual([expect.objectContaining({ file: 'inline.yaml', mentionsImage: true })])
  })

  it('refuses a file with more document starts than the cap, measured before parsing it', () => {
    const container =
      'spec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/org/app:1.0.0\n'
    const target = { image: 'ghcr.io/org/app', tag: '1.1.0' }
    const over = bumpFiles({ 'many.yaml': container + '---\n'.repeat(1001) }, target)
    expect(over.edits).toEqual([])
    expect(over.unreadable).toEqual([
      {
        file: 'many.yaml',
        reason: 'holds about 1001 YAML documents, over the limit of 1000',
        mentionsImage: true
      }
    ])
    // `---` inside a block scalar's indentation is content, not a document start.
    const indented = `${container}notes: |\n${'  ---\n'.repeat(1001)}`
    expect(editedText(bumpFiles({ 'ok.yaml': indented }, target), 'ok.yaml')).toContain('app:1.1.0')
    const atCap = bumpFiles({ 'cap.yaml': '---\n'.repeat(999) + '---\n' + container }, target)
    expect(editedText(atCap, 'cap.yaml')).toContain('app:1.1.0')
  })

  it('refuses, unparsed, the shapes the YAML parser is slow on: deep nests and directives carried into many documents', () => {
    const container =
      'spec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/org/app:1.0.0\n'
    const target = { image: 'ghcr.io/org/app', tag: '1.1.0' }
    const directives = `${'%TAG !t! tag:example.com,2000:\n'.repeat(200)}${'---\n'.repeat(600)}${container}`
    const deep = `${container}x: ${'['.repeat(101)}${']'.repeat(101)}\n`
    const plan = bumpFiles({ 'tags.yaml': directives, 'deep.yaml': deep }, target)
    expect(plan.edits).toEqual([])
    expect(plan.unreadable).toEqual([
      {
        file: 'tags.yaml',
        reason: 'has 200 directives carried into about 600 documents',
        mentionsImage: true
      },
      { file: 'deep.yaml', reason: 'nests over 100 collections deep', mentionsImage: true }
    ])
  })
})

describe('inline kustomize patches', () => {
  it('names a patch that sets the image, which the bump cannot edit and which overrides the manifest it edits', () => {
    const kustomization = [
      'resources:',
      '- deploy.yaml',
      'patches:',
      '- target: {kind: Deployment}',
      '  patch: |-',
      '    - op: replace',
      '      path: /spec/template/spec/containers/0/image',
      '      value: ghcr.io/org/app:1.0',
      '- patch: |-',
      '    kind: Deployment',
      '    spec:',
      '      template:',
      '        spec:',
      '          containers:',
      '          - name: web',
      '            image: ghcr.io/org/app:1.0',
      '- patch: |-',
      '    - op: replace',
      '      path: /spec/template/spec/containers/0/image',
      '      value: ghcr.io/org/app-worker:1.0',
      'patchesStrategicMerge:',
      '- |-',
      '  kind: Deployment',
      '  spec: {template: {spec: {containers: [{name: web, image: ghcr.io/org/app:1.0}]}}}',
      ''
    ].join('\n')
    const deployment =
      'spec:\n  template:\n    spec:\n      containers:\n      - image: ghcr.io/org/app:1.0\n'
    const plan = bumpFiles(
      { 'kustomization.yaml': kustomization, 'deploy.yaml': deployment },
      { image: 'ghcr.io/org/app', tag: '1.2' }
    )
    expect(plan.leftAlone.map(l => [l.file, l.field, l.reason])).toEqual([
      ['kustomization.yaml', 'patches[0].patch', expect.stringMatching(/^is an inline kustomize patch/)],
      ['kustomization.yaml', 'patches[1].patch', expect.stringMatching(/^is an inline kustomize patch/)],
      [
        'kustomization.yaml',
        'patchesStrategicMerge[0]',
        expect.stringMatching(/^is an inline kustomize patch/)
      ]
    ])
  })
})
