import { describe, expect, it } from '@jest/globals'
import { describeNetworkError, pause } from './retry.js'

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

describe('pause', () => {
  const timers = () => process.getActiveResourcesInfo().filter(kind => kind === 'Timeout').length

  it('ends an hour-long wait when the signal aborts, and leaves no timer behind to hold the process', async () => {
    const before = timers()
    const cancel = new AbortController()
    const waiting = pause(3_600_000, cancel.signal)
    expect(timers()).toBe(before + 1)
    cancel.abort()
    await waiting
    expect(timers()).toBe(before)
  })

  it('does not wait at all once the signal has aborted, and waits the whole time without one', async () => {
    const cancel = new AbortController()
    cancel.abort()
    const before = timers()
    await pause(3_600_000, cancel.signal)
    expect(timers()).toBe(before)
    let ended = false
    const short = pause(20).then(() => (ended = true))
    expect(ended).toBe(false)
    await short
    expect(ended).toBe(true)
  })
})
