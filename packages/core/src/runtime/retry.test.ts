import { describe, expect, it } from '@jest/globals'
import { describeNetworkError } from './retry.js'

describe('describeNetworkError', () => {
  const timeout = Object.assign(new Error('The operation was aborted due to timeout'), {
    name: 'TimeoutError'
  })

  it('names the deadline a timed-out attempt had', () => {
    expect(describeNetworkError(timeout, 5000)).toBe('no complete answer within 5000 ms')
  })

  it('never claims a deadline of 0 ms when the caller does not know it (a body read cut by the timeout)', () => {
    expect(describeNetworkError(timeout)).toBe("the attempt's deadline passed")
    expect(describeNetworkError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(
      "the attempt's deadline passed"
    )
  })

  it('keeps the cause code of a failed connection', () => {
    const refused = new TypeError('fetch failed', { cause: { code: 'ECONNREFUSED' } })
    expect(describeNetworkError(refused, 5000)).toBe('fetch failed (ECONNREFUSED)')
  })
})
