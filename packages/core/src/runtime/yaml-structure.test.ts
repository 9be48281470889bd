import { describe, expect, it } from '@jest/globals'
import { describeExcess, measureStructure, structureExcess } from './yaml-structure.js'

describe('measureStructure', () => {
  it('counts line breaks, commas, flow openers and indicators, as counted by hand', () => {
    const text = 'a: [1, 2]\nb:\n  - c: {d: e}\n  - f\n'
    // Line breaks 4; `: ` after a, c and d 3; `- ` 2; [ and { 2; commas 1.
    expect(measureStructure(text)).toEqual({ items: 12, depth: 2, documents: 0, directives: 0, aliases: 0 })
  })

  it('counts block entries begun in a row on one line as nesting, and flow inside them on top', () => {
    expect(measureStructure('- - - x\n')).toMatchObject({ items: 4, depth: 3 })
    expect(measureStructure('- - [[x]]\n- y\n')).toMatchObject({ items: 7, depth: 4 })
    // A dash inside a value is an item, not a level: `a - b` nests nothing.
    expect(measureStructure('k: a - b\n').depth).toBe(0)
  })

  it('counts only what is open at once: closed brackets give their level back', () => {
    const pairs = Array.from({ length: 50 }, (_, i) => `k${i}: "[[x]]"`).join(', ')
    expect(measureStructure(`data: {${pairs}}\n`).depth).toBe(3)
    expect(measureStructure(']]]]\n[[x]]').depth).toBe(2)
  })
})

describe('measureStructure: what costs the parser more than a node each', () => {
  it('counts a lone CR as a line break, CRLF as one, and `:` before a CR as an indicator', () => {
    // Per `:\r`: the indicator and the break. The lexer nests a map at each one.
    expect(measureStructure(':\r'.repeat(10)).items).toBe(20)
    expect(measureStructure('a: 1\r\nb: 2\r\n').items).toBe(4)
  })

  it('counts each backslash: an escape in a quoted string can be an error of its own', () => {
    expect(measureStructure('"\\q\\q\\q"').items).toBe(3)
  })

  it('counts a pair inside a flow sequence as the map it builds, quoted keys included', () => {
    // `[` 1, each `"":` pair 3, the comma 1.
    expect(measureStructure('["": 1, "":2]').items).toBe(8)
    // In a flow map, a pair is one item.
    expect(measureStructure('{"a":1, b: 2}').items).toBe(4)
  })

  it('counts document markers at the start of a line only', () => {
    expect(measureStructure('---\na: 1\n--- # next\nb: ---\n...\n').documents).toBe(3)
    expect(measureStructure('---\n'.repeat(7)).documents).toBe(7)
  })

  it('counts what begins like an alias, not a star inside a scalar or a string', () => {
    expect(measureStructure('a: &x 1\nb: *x\nc: [*x,*x]\nd: "*x"\ne: 2 * 3\nf: a*b\n').aliases).toBe(3)
    // A JSON-like pair takes an alias right after its colon.
    expect(measureStructure('[{"":*x},{"":*x}]').aliases).toBe(2)
  })
})

describe('structureExcess', () => {
  const limits = { maxItems: 1000, maxDepth: 10, maxDocuments: 3 }

  it('refuses a document flood before the parser builds the documents', () => {
    expect(structureExcess('---\n'.repeat(4), limits)).toEqual({ over: 'documents', documents: 4 })
  })

  it('refuses aliases whose resolution would walk the document too often, and keeps a few', () => {
    const list = (aliases: number, items: number) =>
      `a: &x 1\nb: [${'*x,'.repeat(aliases)}${'1,'.repeat(items)}]\n`
    const wide = { ...limits, maxItems: 1_000_000 }
    expect(structureExcess(list(10, 100_000), wide)).toBeUndefined()
    expect(structureExcess(list(200, 100_000), wide)).toMatchObject({ over: 'aliases', aliases: 200 })
  })

  it('refuses directives that every later document would copy', () => {
    const tags = (count: number) =>
      Array.from({ length: count }, (_, i) => `%TAG !a${i}! tag:x,2000:\n`).join('')
    expect(structureExcess(`${tags(20)}${'--- a\n'.repeat(3)}`, limits)).toBeUndefined()
    expect(structureExcess(`${tags(40_000)}${'--- a\n'.repeat(3)}`, { ...limits, maxItems: 1e6 })).toEqual({
      over: 'directives',
      directives: 40_000,
      documents: 3
    })
  })

  it('says why in words that follow a file name', () => {
    expect(describeExcess({ over: 'documents', documents: 4 }, limits)).toBe(
      'holds about 4 YAML documents, over the limit of 3'
    )
    expect(describeExcess({ over: 'aliases', aliases: 200, items: 100_216 }, limits)).toBe(
      'has 200 aliases among about 100216 YAML nodes, more than the parser resolves in reasonable time'
    )
  })
})
