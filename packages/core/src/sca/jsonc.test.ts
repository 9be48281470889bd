import { describe, expect, it } from '@jest/globals'
import { jsoncToJson } from './jsonc.js'

describe('jsoncToJson', () => {
  it('leaves out comments and the commas before a closing bracket, never inside a string', () => {
    const text =
      '{\n  // a "comment", }\n  "a": [1, 2, /* x */ ],\n  "b": "// not, a comment ,}",\n  "c": {"d": "\\"",},\n}\n'
    expect(JSON.parse(jsoncToJson(text))).toEqual({ a: [1, 2], b: '// not, a comment ,}', c: { d: '"' } })
  })
  it('keeps what JSON refuses refused: two commas, a comment that does not end', () => {
    expect(() => JSON.parse(jsoncToJson('[1,,2]'))).toThrow(SyntaxError)
    expect(() => JSON.parse(jsoncToJson('{"a": 1 /* open'))).toThrow(SyntaxError)
  })
})
