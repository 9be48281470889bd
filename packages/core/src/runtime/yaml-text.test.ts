import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { parse } from 'yaml'
import { yamlText, type YamlData } from './yaml-text.js'

// The oracles: the yaml library reading the text as YAML 1.2 (its default, the core schema) and as
// YAML 1.1, the version Kubernetes reads manifests in.
const read12 = (text: string): unknown => parse(text)
const read11 = (text: string): unknown => parse(text, { version: '1.1' })

/** Pieces that end, start or retype a plain scalar, or need escaping, in either YAML version. */
const PIECES = [
  'a',
  'Z',
  '_',
  '/',
  '-',
  ':',
  ': ',
  ' #',
  '#',
  ' ',
  '\t',
  '\n',
  '\r',
  '"',
  "'",
  '\\',
  '[',
  ']',
  '{',
  '}',
  ',',
  '&',
  '*',
  '!',
  '|',
  '>',
  '%',
  '@',
  '`',
  '?',
  '=',
  '<<',
  '~',
  '.',
  '0',
  '1_000',
  '0x1F',
  '012',
  '1:20',
  '.inf',
  '.NaN',
  '2001-12-14',
  'y',
  'N',
  'yes',
  'On',
  'off',
  'TRUE',
  'null',
  'Null',
  '---',
  '...',
  'é',
  '\u0000',
  '\u0085',
  '\u2028',
  '\ufeff',
  '😀'
]

const text = fc.array(fc.constantFrom(...PIECES), { maxLength: 8 }).map(parts => parts.join(''))
const data: fc.Arbitrary<YamlData> = fc.letrec<{ value: YamlData }>(tie => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    text,
    fc.integer({ min: -1e9, max: 1e9 }),
    fc.constantFrom(0.5, -2.25, 1e6),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(text, tie('value'), { maxKeys: 4 })
  )
})).value

describe('yamlText', () => {
  it('writes nested mappings and sequences as kubectl and the yaml library do', () => {
    const doc = {
      kind: 'Pod',
      spec: { containers: [{ name: 'app', ports: [{ containerPort: 80 }] }], volumes: [] },
      matrix: [['a', 'b'], []],
      labels: {}
    }
    expect(yamlText(doc)).toBe(
      [
        'kind: Pod',
        'spec:',
        '  containers:',
        '    - name: app',
        '      ports:',
        '        - containerPort: 80',
        '  volumes: []',
        'matrix:',
        '  - - a',
        '    - b',
        '  - []',
        'labels: {}',
        ''
      ].join('\n')
    )
  })

  it('quotes every string either YAML version could read as something else', () => {
    const words = [
      'on',
      'Y',
      'no',
      'NULL',
      '~',
      '1_000',
      '0o17',
      '1:20',
      '.inf',
      '2001-12-14',
      '-',
      'a: b',
      'a #b',
      'a:',
      ' a',
      ''
    ]
    const written = yamlText(Object.fromEntries(words.map(w => [w, w])))
    for (const word of words) expect(written).toContain(`${JSON.stringify(word)}: ${JSON.stringify(word)}`)
    expect(yamlText({ expression: "object.kind in ['Pod', 'Job']", url: 'http://x/y' })).toBe(
      "expression: object.kind in ['Pod', 'Job']\nurl: http://x/y\n"
    )
  })

  it('writes lines as a literal block only when the block reads back exactly', () => {
    expect(yamlText({ rego: 'package a\n\nviolation[x] {\n  x := 1\n}\n' })).toBe(
      'rego: |\n  package a\n\n  violation[x] {\n    x := 1\n  }\n'
    )
    expect(yamlText(['one\ntwo'])).toBe('- |-\n  one\n  two\n')
    for (const awkward of [' leading\nblank', 'a\n  \nb', 'two\n\n', 'cr\r\nlf', 'tab\u0007\n'])
      expect(yamlText({ k: awkward })).toBe(`k: ${JSON.stringify(awkward)}\n`)
  })

  it('escapes every character outside printable ASCII, those YAML 1.1 takes as line breaks first', () => {
    expect(yamlText({ k: 'a\u0085b\u2028c\u2029d\u00e9\ufeff😀' })).toBe(
      'k: "a\\u0085b\\u2028c\\u2029d\\u00e9\\ufeff\\U0001f600"\n'
    )
    expect(read11(yamlText({ k: 'x\u0085--- y' }))).toEqual({ k: 'x\u0085--- y' })
    expect(() => yamlText({ k: 'lone \ud800' })).toThrow(TypeError)
    expect(() => yamlText({ ['\u0001'.repeat(200)]: 1 })).toThrow(TypeError)
    expect(() => yamlText({ ['k'.repeat(1001)]: 1 })).toThrow(TypeError)
  })

  it('refuses numbers YAML 1.1 and 1.2 would read differently, or not at all', () => {
    for (const n of [1e21, 1e-7, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => yamlText({ n })).toThrow(TypeError)
  })

  it('reads back as the same data in YAML 1.2 and in YAML 1.1, whatever the data (10,000 cases)', () => {
    fc.assert(
      fc.property(data, value => {
        const written = yamlText(value)
        // What a YAML 1.1 reader could take as a line break, or refuse, is never written raw.
        expect(written).toMatch(/^[\x20-\x7e\n\t]*$/)
        expect(read12(written)).toEqual(value)
        expect(read11(written)).toEqual(value)
      }),
      { numRuns: 10_000 }
    )
  })
})
