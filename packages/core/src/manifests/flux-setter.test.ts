import { describe, expect, it } from '@jest/globals'
import { bumpFiles, digestOf, editedText } from '../../../../test/support/bump.js'
import { markerAfter } from './flux-setter.js'

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
})
