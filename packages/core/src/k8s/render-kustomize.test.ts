import { describe, expect, it } from '@jest/globals'
import { translatePath } from './render-kustomize.js'

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
