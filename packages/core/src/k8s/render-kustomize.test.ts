import { describe, expect, it } from '@jest/globals'
import { nameFits, translatePath } from './render-kustomize.js'

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
