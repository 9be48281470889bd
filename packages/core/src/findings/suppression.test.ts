import { describe, expect, it } from '@jest/globals'
import type { Suppression } from './finding.js'
import { appliedSuppressions } from './suppression.js'

describe('appliedSuppressions', () => {
  it.each<[Suppression[], number]>([
    [[], 0],
    [[{ kind: 'inSource' }], 1],
    [[{ kind: 'external', status: 'accepted' }, { kind: 'inSource' }], 2],
    [[{ kind: 'external' }, { kind: 'inSource', status: 'rejected' }], 0],
    [[{ kind: 'inSource' }, { kind: 'external', status: 'underReview' }], 0],
    [[{ kind: 'external', status: 'underReview' }], 0]
  ])('%j: %d apply', (suppressions, applied) => {
    expect(appliedSuppressions({ suppressions })).toHaveLength(applied)
  })
})
