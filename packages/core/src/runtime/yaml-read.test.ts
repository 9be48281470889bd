import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parseAllDocuments } from 'yaml'
import { parseYamlDocuments, parseYamlValue } from './yaml-read.js'

describe('parseYamlDocuments', () => {
  it('finds the duplicate keys the library’s own check finds, and no others', () => {
    const key = fc.constantFrom(
      'a',
      'b',
      '1',
      '"1"',
      "'a'",
      'null',
      '~',
      '1.0',
      'true',
      'yes',
      '<<',
      '[x]',
      '{k: v}'
    )
    fc.assert(
      fc.property(
        fc.array(key, { minLength: 1, maxLength: 5 }),
        fc.array(key, { minLength: 1, maxLength: 3 }),
        fc.constantFrom('1.1' as const, '1.2' as const),
        (block, flow, version) => {
          const text = `top:\n${block.map(k => `  ${k}: x`).join('\n')}\nother: {${flow.join(': 1, ')}: 1}\n`
          const codes = (documents: { errors: { code: string }[] }[]) =>
            documents.flatMap(d => d.errors.map(e => e.code))
          const theirs = codes(parseAllDocuments(text, { version, uniqueKeys: true }) as never)
          const ours = codes(parseYamlDocuments(text, { version }))
          // The same texts refused; where a duplicate is the only fault, for that reason.
          expect(ours.length > 0).toBe(theirs.length > 0)
          if (theirs.length > 0 && theirs.every(code => code === 'DUPLICATE_KEY'))
            expect(ours).toEqual(['DUPLICATE_KEY'])
        }
      ),
      { numRuns: 500 }
    )
  })

  it('gives every error its line and column, and a duplicate key the place of the second one', () => {
    const [document] = parseYamlDocuments('a: 1\nb:\n  c: 2\n  c: 3\n')
    expect(document!.errors.map(e => [e.code, e.message, e.linePos?.[0]])).toEqual([
      ['DUPLICATE_KEY', 'Map keys must be unique', { line: 4, col: 3 }]
    ])
    const [broken] = parseYamlDocuments('a: [1, 2\n')
    expect(broken!.errors[0]!.linePos?.[0]).toMatchObject({ line: expect.any(Number) })
    // Unlike the library's pretty errors, the message does not quote the line.
    expect(broken!.errors[0]!.message).not.toContain('\n')
  })
})

describe('parseYamlValue', () => {
  it('reads one document, with YAML 1.1 merge keys when asked', () => {
    expect(parseYamlValue('a: &x {k: 1}\nb:\n  <<: *x\n  <<: *x\n  j: 2\n', { version: '1.1' })).toEqual({
      a: { k: 1 },
      b: { k: 1, j: 2 }
    })
    expect(parseYamlValue('')).toBeNull()
  })

  it('throws the first error with its place, and refuses several documents', () => {
    expect(() => parseYamlValue('a: 1\na: 2\n')).toThrow('Map keys must be unique at line 2, column 1')
    expect(() => parseYamlValue('a: 1\n---\nb: 2\n')).toThrow('Source contains multiple documents')
  })
})

describe('parseYamlDocuments: what the library no longer checks, checked in one pass', () => {
  it('counts what aliases expand to, not how often an anchor is used', () => {
    // 150 uses of one anchor: the library's own bound (100) refused this; it expands to 301 nodes.
    const used = `a: &a [1]\nb: [${Array(150).fill('*a').join(', ')}]\n`
    expect(parseYamlValue(used)).toEqual({ a: [1], b: Array(150).fill([1]) })
    // Doubling ten times: 2^11 nodes once expanded, over a cap of 1,000.
    const doubling = ['a0: &a0 [x, x]']
    for (let i = 1; i <= 10; i++) doubling.push(`a${i}: &a${i} [*a${i - 1}, *a${i - 1}]`)
    const [bomb] = parseYamlDocuments(doubling.join('\n'), { maxNodes: 1000 })
    expect(bomb!.errors.map(e => [e.code, e.message])).toEqual([
      ['RESOURCE_EXHAUSTION', 'its aliases expand it to over 1000 nodes']
    ])
    // `<<` merges copy the map they name: counted the same way.
    const merges = `a: &a {${Array.from({ length: 50 }, (_, i) => `k${i}: 1`).join(', ')}}\nb:\n${'- <<: *a\n'.repeat(30)}`
    expect(parseYamlDocuments(merges, { version: '1.1', maxNodes: 1000 })[0]!.errors[0]?.code).toBe(
      'RESOURCE_EXHAUSTION'
    )
    expect(parseYamlDocuments(merges, { version: '1.1', maxNodes: 10_000 })[0]!.errors).toEqual([])
  })

  it('never calls NaN keys the same, and finds a quoted `<<` written twice', () => {
    expect(parseYamlDocuments('.nan: 1\n.NaN: 2\n')[0]!.errors).toEqual([])
    for (const text of ['"<<": 1\n"<<": 2\n', "'<<': 1\n'<<': 2\n"])
      expect(parseYamlDocuments(text, { version: '1.1' })[0]!.errors.map(e => e.code)).toEqual([
        'DUPLICATE_KEY'
      ])
  })

  it('refuses a %YAML directive that would switch a 1.1 reader to another schema', () => {
    const [switched] = parseYamlDocuments('%YAML 1.2\n---\nprivileged: yes\n', { version: '1.1' })
    expect(switched!.errors.map(e => [e.code, e.message])).toEqual([
      ['BAD_DIRECTIVE', 'a %YAML 1.2 directive; this is read as YAML 1.1']
    ])
    expect(parseYamlDocuments('%YAML 1.1\n---\nprivileged: yes\n', { version: '1.1' })[0]!.errors).toEqual([])
  })
})
