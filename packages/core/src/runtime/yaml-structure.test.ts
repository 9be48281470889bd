import { describe, expect, it } from '@jest/globals'
import { measureStructure } from './yaml-structure.js'

describe('measureStructure', () => {
  it('counts line breaks, commas, flow openers and indicators, as counted by hand', () => {
    const text = 'a: [1, 2]\nb:\n  - c: {d: e}\n  - f\n'
    // Line breaks 4; `: ` after a, c and d 3; `- ` 2; [ and { 2; commas 1.
    expect(measureStructure(text)).toEqual({ items: 12, depth: 2 })
  })

  it('counts block entries begun in a row on one line as nesting, and flow inside them on top', () => {
    expect(measureStructure('- - - x\n')).toEqual({ items: 4, depth: 3 })
    expect(measureStructure('- - [[x]]\n- y\n')).toEqual({ items: 7, depth: 4 })
    // A dash inside a value is an item, not a level: `a - b` nests nothing.
    expect(measureStructure('k: a - b\n').depth).toBe(0)
  })

  it('counts only what is open at once: closed brackets give their level back', () => {
    const pairs = Array.from({ length: 50 }, (_, i) => `k${i}: "[[x]]"`).join(', ')
    expect(measureStructure(`data: {${pairs}}\n`).depth).toBe(3)
    expect(measureStructure(']]]]\n[[x]]').depth).toBe(2)
  })
})
