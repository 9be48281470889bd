import { describe, expect, it } from '@jest/globals'
import { countByRule } from '../check.js'
import type { Violation } from '../evaluate.js'
import { RULES } from './catalog.js'

const violation = (ruleId: string): Violation => ({
  ruleId,
  message: 'm',
  file: 'pod.yaml',
  line: 1,
  column: 1,
  fieldPath: 'spec',
  objectKind: 'Pod'
})

describe('rule catalog', () => {
  // countByRule orders the by-rule output by code unit, which is alphabetical only for these characters.
  it('names every rule in lower-case letters, digits and hyphens', () => {
    expect(RULES.map(rule => rule.id).filter(id => !/^[a-z][a-z0-9-]*$/.test(id))).toEqual([])
  })

  it('lists the by-rule counts alphabetically', () => {
    const ids = ['resource-limits', 'image-untagged', 'privileged-container', 'image-untagged']
    expect(Object.entries(countByRule(ids.map(violation)))).toEqual([
      ['image-untagged', 2],
      ['privileged-container', 1],
      ['resource-limits', 1]
    ])
  })
})
