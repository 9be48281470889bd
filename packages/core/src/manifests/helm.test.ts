import { describe, expect, it } from '@jest/globals'
import {
  bumpFiles,
  defaultBumpOptions,
  digestOf,
  editedText,
  TARGET_NAMES
} from '../../../../test/support/bump.js'
import { checkPlan } from './change.js'
import { parseHelmKey } from './helm.js'
import { parseBumpTarget } from './target.js'

const D = digestOf('d')

describe('Helm values', () => {
  it('sets tag and digest beside a registry/repository pair that names the image, keeping quotes and comments', () => {
    const values = [
      'image:',
      '  registry: ghcr.io',
      '  repository: org/app',
      "  tag: '1.4.2' # chart default",
      '  digest: ""',
      'sidecar:',
      '  repository: org/other',
      '  tag: 3.0.0',
      ''
    ].join('\n')
    const plan = bumpFiles(
      { 'charts/app/values.yaml': values },
      { image: 'ghcr.io/org/app', tag: '1.5.0', digest: D }
    )
    expect(editedText(plan, 'charts/app/values.yaml')).toBe(
      values.replace("'1.4.2'", "'1.5.0'").replace('digest: ""', `digest: "${D}"`)
    )
    expect(plan.strategies).toEqual(['helm', 'raw'])
  })

  it('sets the tag in a Flux HelmRelease and says the digest has no place there', () => {
    const release =
      'apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nspec:\n  values:\n    redis:\n      repository: public.ecr.aws/docker/library/redis\n      tag: 8.6.2\n'
    const plan = bumpFiles(
      { 'release.yaml': release },
      { image: 'public.ecr.aws/docker/library/redis', tag: '8.6.3', digest: D }
    )
    expect(editedText(plan, 'release.yaml')).toBe(release.replace('tag: 8.6.2', 'tag: 8.6.3'))
    expect(plan.edits[0]!.changes).toEqual([
      expect.objectContaining({
        field: 'spec.values.redis.tag',
        from: '8.6.2',
        to: '8.6.3',
        note: 'has no digest key beside it, so the digest is not pinned there'
      })
    ])
  })

  it('keeps a tag@digest form where the values use one', () => {
    const values = `image:\n  repository: ghcr.io/org/app\n  tag: 1.0@${digestOf('0')}\n`
    const plan = bumpFiles({ 'values.yaml': values }, { image: 'ghcr.io/org/app', tag: '1.1', digest: D })
    expect(editedText(plan, 'values.yaml')).toBe(`image:\n  repository: ghcr.io/org/app\n  tag: 1.1@${D}\n`)
  })

  it('with helm-key, sets that key nested where it is (an Argo CD valuesObject, a values file), and not a flat "image.tag" key', () => {
    const application = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'spec:',
      '  source:',
      '    helm:',
      '      valuesObject:',
      '        image.tag: wrong',
      '        image:',
      '          tag: v3',
      ''
    ].join('\n')
    const plan = bumpFiles(
      { 'app.yaml': application, 'values-prod.yaml': 'image:\n  tag: v3\n' },
      { image: 'ghcr.io/org/app', tag: 'v4' },
      { helmKey: parseHelmKey('image.tag', 'helm-key') }
    )
    expect(editedText(plan, 'app.yaml')).toBe(application.replace('tag: v3', 'tag: v4'))
    expect(editedText(plan, 'values-prod.yaml')).toBe('image:\n  tag: v4\n')
    expect(plan.strategies).toEqual(['helm'])
  })

  it('with helm-key on a whole reference, writes name:tag@digest', () => {
    const plan = bumpFiles(
      { 'values.yaml': 'worker:\n  image: ghcr.io/org/app:1.0\n' },
      { image: 'ghcr.io/org/app', tag: '1.1', digest: D },
      { helmKey: parseHelmKey('worker.image', 'helm-key') }
    )
    expect(editedText(plan, 'values.yaml')).toBe(`worker:\n  image: ghcr.io/org/app:1.1@${D}\n`)
  })

  it("with helm-key, leaves a tag that sits beside another image's repository, and says so", () => {
    const plan = bumpFiles(
      { 'values.yaml': 'image:\n  repository: ghcr.io/org/other\n  tag: v1\n' },
      { image: 'ghcr.io/org/app', tag: 'v2' },
      { helmKey: parseHelmKey('image.tag', 'helm-key') }
    )
    expect(plan.edits).toEqual([])
    expect(plan.leftAlone[0]?.reason).toBe('sits beside repository ghcr.io/org/other, another image')
  })

  it('does not take a bare repository name for any image that ends with it', () => {
    const plan = bumpFiles(
      { 'values.yaml': 'image:\n  repository: app\n  tag: v1\n' },
      { image: 'ghcr.io/org/app', tag: 'v2' },
      { strategy: 'helm' }
    )
    expect(plan.edits).toEqual([])
  })

  it('parses values keys with escaped dots and list indices, and refuses malformed ones', () => {
    expect(parseHelmKey('image.tag', 'helm-key')).toEqual(['image', 'tag'])
    expect(parseHelmKey('global.images[0].tag', 'helm-key')).toEqual(['global', 'images', 0, 'tag'])
    expect(parseHelmKey('a\\.b.c', 'helm-key')).toEqual(['a.b', 'c'])
    for (const bad of ['', 'a..b', '.a', 'a b', '[0].a', 'a[x]'])
      expect(() => parseHelmKey(bad, 'helm-key')).toThrow(/Input 'helm-key'/)
  })

  it('a registry sibling naming another registry is another image, though the repository path matches', () => {
    const values = (registry: string) =>
      `frontend:\n  image:\n    registry: ${registry}\n    repository: octo-org/app\n    tag: 1.2.0\n`
    const target = { image: 'ghcr.io/octo-org/app', tag: '1.3.0', digest: D }
    for (const registry of [
      'docker.io',
      'ghcr.io/other-org',
      'harbor.corp/proxy',
      'https://quay.io',
      'oci://quay.io'
    ]) {
      const elsewhere = bumpFiles({ 'values.yaml': values(registry) }, target)
      expect(editedText(elsewhere, 'values.yaml')).toBeUndefined()
    }
    expect(editedText(bumpFiles({ 'values.yaml': values('https://ghcr.io/') }, target), 'values.yaml')).toBe(
      values('https://ghcr.io/').replace('1.2.0', '1.3.0')
    )
    expect(editedText(bumpFiles({ 'values.yaml': values('GHCR.io') }, target), 'values.yaml')).toBe(
      values('GHCR.io').replace('1.2.0', '1.3.0')
    )
    // A registry the chart fills in from elsewhere (a template) says nothing against the image.
    const templated = values("'{{ .Values.global.registry }}'")
    expect(editedText(bumpFiles({ 'values.yaml': templated }, target), 'values.yaml')).toContain('tag: 1.3.0')
  })

  it('sets the tag beside a repository a merge key brings in, and leaves a tag only the shared anchor holds', () => {
    const values = [
      'defaults: &defaults',
      '  repository: ghcr.io/org/app',
      '  pullPolicy: IfNotPresent',
      'image:',
      '  <<: *defaults',
      '  tag: 1.0.0',
      'worker:',
      '  image:',
      '    <<: *defaults',
      '    tag: 1.0.0',
      '    digest: ""',
      'pinned: &pinned',
      '  repository: ghcr.io/org/app',
      '  tag: 1.0.0',
      'job:',
      '  <<: *pinned',
      ''
    ].join('\n')
    const plan = bumpFiles({ 'values.yaml': values }, { image: 'ghcr.io/org/app', tag: '1.1.0', digest: D })
    expect(editedText(plan, 'values.yaml')).toBe(
      values
        .replace('image:\n  <<: *defaults\n  tag: 1.0.0', 'image:\n  <<: *defaults\n  tag: 1.1.0')
        .replace('    tag: 1.0.0\n    digest: ""', `    tag: 1.1.0\n    digest: "${D}"`)
    )
    expect(plan.leftAlone).toEqual([
      expect.objectContaining({
        line: 14,
        field: 'pinned.tag',
        reason: 'is under the anchor &pinned, which aliases repeat elsewhere'
      }),
      expect.objectContaining({
        line: 14,
        field: 'job.tag',
        reason: 'is under the anchor &pinned, which aliases repeat elsewhere'
      })
    ])
  })

  it("names an Argo CD Application's helm.values text that holds the image, instead of passing over it", () => {
    const application = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'spec:',
      '  sources:',
      '  - chart: app',
      '    helm:',
      '      values: |',
      '        image:',
      '          repository: ghcr.io/org/app',
      '          tag: 1.0.0',
      '  - chart: other',
      '    helm:',
      '      values: |',
      '        image: {repository: ghcr.io/org/other, tag: 1.0.0}',
      ''
    ].join('\n')
    const target = { image: 'ghcr.io/org/app', tag: '1.1.0' }
    const plan = bumpFiles({ 'app.yaml': application }, target)
    expect(plan.edits).toEqual([])
    expect(plan.leftAlone).toEqual([
      {
        file: 'app.yaml',
        line: 7,
        strategy: 'helm',
        field: 'spec.sources[0].helm.values',
        reason:
          'holds Helm values that name the image as text, which this action does not edit: move them to helm.valuesObject, or set the version there by hand'
      }
    ])
    expect(() =>
      checkPlan(plan, parseBumpTarget(target, TARGET_NAMES), defaultBumpOptions(target, '/nowhere'))
    ).toThrow(
      /^Every value naming ghcr\.io\/org\/app was left alone \(1\); first: app\.yaml:7 spec\.sources\[0\]\.helm\.values holds/
    )
  })

  it('quotes a tag written 1.10, which Helm reads as the number 1.1, instead of calling it current', () => {
    const values = 'image:\n  repository: ghcr.io/org/app\n  tag: 1.10 # keep\n'
    const plan = bumpFiles({ 'values.yaml': values }, { image: 'ghcr.io/org/app', tag: '1.10' })
    expect(plan.current).toEqual([])
    expect(editedText(plan, 'values.yaml')).toBe(values.replace('tag: 1.10', 'tag: "1.10"'))
  })

  it('sets an Argo CD helm parameter that overrides the values tag set, and parameters naming the image', () => {
    const application = [
      'apiVersion: argoproj.io/v1alpha1',
      'kind: Application',
      'spec:',
      '  source:',
      '    helm:',
      '      parameters:',
      '      - name: image.tag',
      '        value: "1.0"',
      '      - name: worker.repository',
      '        value: ghcr.io/org/app',
      '      - name: worker.tag',
      "        value: '1.0'",
      '      - name: other.tag',
      '        value: "1.0"',
      '      valuesObject:',
      '        image:',
      '          repository: ghcr.io/org/app',
      '          tag: "1.0"',
      ''
    ].join('\n')
    const plan = bumpFiles({ 'app.yaml': application }, { image: 'ghcr.io/org/app', tag: '1.2' })
    expect(editedText(plan, 'app.yaml')).toBe(
      application
        .replace('image.tag\n        value: "1.0"', 'image.tag\n        value: "1.2"')
        .replace("value: '1.0'", "value: '1.2'")
        .replace('tag: "1.0"', 'tag: "1.2"')
    )
  })

  it('sets a helm-key holding a Docker Hub reference without a registry (nginx:1.25) as a reference, not as a tag', () => {
    const plan = bumpFiles(
      { 'values.yaml': 'web:\n  image: nginx:1.25 # hub\n' },
      { image: 'nginx', tag: '1.27.0' },
      { helmKey: parseHelmKey('web.image', 'helm-key') }
    )
    expect(editedText(plan, 'values.yaml')).toBe('web:\n  image: nginx:1.27.0 # hub\n')
  })

  it('a newer tag written tag@digest is a downgrade to refuse, like a plain tag', () => {
    const target = { image: 'ghcr.io/octo-org/app', tag: '1.3.0', digest: D }
    for (const tag of [`1.4.0@${digestOf('a')}`, '1.4.0']) {
      const plan = bumpFiles(
        { 'values.yaml': `image:\n  repository: ghcr.io/octo-org/app\n  tag: ${tag}\n` },
        target
      )
      expect(() =>
        checkPlan(plan, parseBumpTarget(target, TARGET_NAMES), defaultBumpOptions(target, '/nowhere'))
      ).toThrow(/^The manifests already hold a newer version than 1\.3\.0: values\.yaml: 1\.4\.0 → 1\.3\.0\./)
    }
  })
})
