import { describe, expect, it } from '@jest/globals'
import { bumpFiles, digestOf, editedText, TARGET_NAMES } from '../../../../test/support/bump.js'
import { markerAfter } from './flux-setter.js'
import { composePullRequest } from './pull-request-text.js'
import { DIGEST_NOT_PINNED, OLD_DIGEST_KEPT } from './site.js'
import { parseBumpTarget } from './target.js'

const D = digestOf('e')

describe('Flux setter markers', () => {
  it('reads a marker only from the comment after a value on its line', () => {
    expect(markerAfter('image: app:1 # {"$imagepolicy": "flux-system:app"}\n', 12)).toEqual({
      policy: 'flux-system:app',
      field: 'ref'
    })
    expect(markerAfter('tag: v1 # {"$imagepolicy": "flux-system:app:tag"}\r\n', 7)).toEqual({
      policy: 'flux-system:app',
      field: 'tag'
    })
    expect(markerAfter('tag: v1 #{"$imagepolicy":"ns:app:digest"}', 7)).toEqual({
      policy: 'ns:app',
      field: 'digest'
    })
    expect(markerAfter('tag: v1 # {"$imagepolicy": "ns:app:other"}', 7)).toBeUndefined()
    expect(markerAfter('tag: v1 # see {"$imagepolicy": "ns:app"}', 7)).toBeUndefined()
    expect(markerAfter('tag: v1\n# {"$imagepolicy": "ns:app"}', 7)).toBeUndefined()
  })

  it('never takes a marker from inside a block scalar or a quoted value', () => {
    const text = [
      'data:',
      '  notes: |',
      '    image: ghcr.io/org/app:1.0 # {"$imagepolicy": "ns:app"}',
      '  quoted: "ghcr.io/org/app:1.0 # {\\"$imagepolicy\\": \\"ns:app\\"}"',
      'spec:',
      '  image: ghcr.io/org/app:1.0 # {"$imagepolicy": "ns:app"}',
      ''
    ].join('\n')
    const plan = bumpFiles(
      { 'cm.yaml': text },
      { image: 'ghcr.io/org/app', tag: '2.0' },
      { strategy: 'flux-setter' }
    )
    expect(editedText(plan, 'cm.yaml')).toBe(
      text.replace('spec:\n  image: ghcr.io/org/app:1.0 #', 'spec:\n  image: ghcr.io/org/app:2.0 #')
    )
    expect(plan.policies).toEqual(['ns:app'])
  })

  it("sets the name, tag and digest markers of the image's policy, found by the markers that name the image", () => {
    const text = [
      'images:',
      '- name: app',
      '  newName: ghcr.io/org/app # {"$imagepolicy": "flux-system:app:name"}',
      '  newTag: "1.0" # {"$imagepolicy": "flux-system:app:tag"}',
      `  digest: ${digestOf('0')} # {"$imagepolicy": "flux-system:app:digest"}`,
      '- name: db',
      '  newTag: "5.0" # {"$imagepolicy": "flux-system:db:tag"}',
      ''
    ].join('\n')
    const plan = bumpFiles(
      { 'kustomization.yaml': text },
      { image: 'ghcr.io/org/app', tag: '1.1', digest: D }
    )
    expect(plan.strategies).toEqual(['flux-setter'])
    expect(editedText(plan, 'kustomization.yaml')).toBe(
      text.replace('"1.0"', '"1.1"').replace(digestOf('0'), D)
    )
  })

  it('a :tag marker with no :digest marker beside it is set with a note, and the pull request claims no pin', () => {
    const kustomization = [
      'apiVersion: kustomize.config.k8s.io/v1beta1',
      'kind: Kustomization',
      'images:',
      '- name: app',
      '  newName: ghcr.io/octo-org/app # {"$imagepolicy": "flux-system:app:name"}',
      '  newTag: 1.2.0 # {"$imagepolicy": "flux-system:app:tag"}',
      ''
    ].join('\n')
    const target = { image: 'ghcr.io/octo-org/app', tag: '1.3.0', digest: D }
    const plan = bumpFiles({ 'kustomization.yaml': kustomization }, target)
    expect(editedText(plan, 'kustomization.yaml')).toBe(kustomization.replace('1.2.0', '1.3.0'))
    const tag = plan.edits[0]!.changes.find(c => c.field.endsWith(':tag)'))!
    expect(tag.note).toBe(DIGEST_NOT_PINNED)
    const text = composePullRequest({
      target: parseBumpTarget(target, TARGET_NAMES),
      plan,
      repository: 'octo-org/manifests',
      base: 'main',
      branch: 'b'
    })
    expect(text.body).not.toContain(`1.3.0@${D}`)
    expect(text.body).toMatch(
      /^Pins `ghcr\.io\/octo-org\/app` to `1\.3\.0` in .* The digest `sha256:e+` is not pinned in 1 of them/
    )

    const withDigest = kustomization + '  digest: sha256:old # {"$imagepolicy": "flux-system:app:digest"}\n'
    const pinnedPlan = bumpFiles({ 'kustomization.yaml': withDigest }, target)
    expect(pinnedPlan.edits[0]!.changes.map(c => c.note)).toEqual([undefined, undefined, undefined])
  })

  it('a whole-reference marker pinned by digest, given only a tag, is left alone as raw manifests are', () => {
    const deployment = (image: string) =>
      `apiVersion: apps/v1\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${image} # {"$imagepolicy": "flux-system:app"}\n`
    const pinned = deployment(`ghcr.io/octo-org/app:1.2.0@${digestOf('a')}`)
    const plan = bumpFiles({ 'd.yaml': pinned }, { image: 'ghcr.io/octo-org/app', tag: '1.3.0' })
    expect(editedText(plan, 'd.yaml')).toBeUndefined()
    expect(plan.leftAlone).toEqual([
      expect.objectContaining({ file: 'd.yaml', line: 8, reason: OLD_DIGEST_KEPT })
    ])
    const unpinned = bumpFiles(
      { 'd.yaml': deployment('ghcr.io/octo-org/app:1.2.0') },
      { image: 'ghcr.io/octo-org/app', tag: '1.3.0' }
    )
    expect(editedText(unpinned, 'd.yaml')).toBe(deployment('ghcr.io/octo-org/app:1.3.0'))
  })
})
