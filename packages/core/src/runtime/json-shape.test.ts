import { describe, expect, it } from '@jest/globals'
import {
  array,
  checkShape,
  count,
  dateTime,
  exhaustiveRecord,
  matching,
  nullable,
  object,
  oneOf,
  optional,
  recordOf,
  refined,
  string,
  union
} from './json-shape.js'

const item = object({
  id: string(),
  size: count(),
  kind: oneOf(['a', 'b']),
  note: optional(string()),
  at: nullable(dateTime())
})

const paths = (value: unknown, shape: Parameters<typeof checkShape>[0] = item) => {
  const result = checkShape(shape, value)
  return result.success ? [] : result.issues.map(i => `${i.path.join('.')}: ${i.message}`)
}

describe('checking JSON against a shape', () => {
  it('returns the value as read when it fits, absent optional fields and all', () => {
    const value = { id: 'x', size: 0, kind: 'a', at: null }
    expect(checkShape(item, value)).toEqual({ success: true, data: value })
  })

  it('collects every problem with its path', () => {
    expect(paths({ id: 1, size: -1, kind: 'c', note: null, at: 'yesterday' })).toEqual([
      'id: expected a string, got number 1',
      'size: expected a whole number, 0 or more, got number -1',
      'kind: expected one of a, b, got string "c"',
      'note: expected a string, got null',
      'at: expected a date and time, got string "yesterday"'
    ])
    expect(paths({ size: 1.5, kind: 'a', at: '2026-02-28T00:00:00Z' })).toEqual([
      'id: missing',
      'size: expected a whole number, 0 or more, got number 1.5'
    ])
    expect(paths([item])).toEqual([': expected an object, got an array'])
    expect(paths({ list: [{ id: 'x' }, 3] }, object({ list: array(object({ id: string() })) }))).toEqual([
      'list.1: expected an object, got number 3'
    ])
  })

  it('accepts the date and time forms the gate and Go write, and refuses the rest', () => {
    for (const ok of ['2026-12-02T10:00:00.123Z', '2026-12-02T10:00:00Z', '2026-12-02T11:00:00+01:00'])
      expect(paths(ok, dateTime())).toEqual([])
    for (const bad of ['2026-12-02', '2026-12-02 10:00:00Z', '2026-13-02T10:00:00Z', 20261202])
      expect(paths(bad, dateTime())).toHaveLength(1)
  })

  it('wants exactly the listed keys of an exhaustive record', () => {
    const counts = exhaustiveRecord(['high', 'low'], count())
    expect(paths({ high: 1, low: 0 }, counts)).toEqual([])
    expect(paths({ high: 1, urgent: 2 }, counts)).toEqual([
      'low: missing',
      'urgent: unexpected key, expected one of high, low'
    ])
  })

  it("reports a union's failure by the alternative that got furthest", () => {
    const other = nullable(
      union(object({ role: string(), outcome: oneOf(['pass']) }), object({ role: string(), error: string() }))
    )
    expect(paths(null, other)).toEqual([])
    expect(paths({ role: 'r', error: 'e' }, other)).toEqual([])
    expect(paths({ role: 'r', outcome: 'fail' }, other)).toEqual([
      'outcome: expected one of pass, got string "fail"'
    ])
  })

  it('keeps keys it does not name, and refuses them when asked to be exact', () => {
    const value = { id: 'x', size: 1, kind: 'b', at: null, extra: { deep: true } }
    expect(checkShape(item, value)).toEqual({ success: true, data: value })
    expect(checkShape(array(item), [value], { exact: true })).toEqual({
      success: false,
      issues: [{ path: [0, 'extra'], message: 'not in the shape' }]
    })
  })

  it('checks the keys of a record when given their shape, and each value', () => {
    const byPlatform = recordOf(count(), oneOf(['linux', 'darwin']))
    expect(paths({ linux: 1 }, byPlatform)).toEqual([])
    expect(paths({ linux: -1, s390x: 2 }, byPlatform)).toEqual([
      'linux: expected a whole number, 0 or more, got number -1',
      's390x: as a key, expected one of linux, darwin, got string "s390x"'
    ])
    expect(paths({ any: 1 }, recordOf(count()))).toEqual([])
  })

  it('applies a rule of its own only to a value that has the shape', () => {
    const hex = matching(/^[0-9a-f]+$/, 'lowercase hex')
    const even = refined(hex, text => text.length % 2 === 0, 'must be whole bytes')
    expect(paths('abcd', even)).toEqual([])
    expect(paths('abc', even)).toEqual([': must be whole bytes'])
    // Odd and not hex: only the shape's problem, and the rule never sees a value of the wrong type.
    expect(paths('ABC', even)).toEqual([': expected lowercase hex, got string "ABC"'])
  })
})
