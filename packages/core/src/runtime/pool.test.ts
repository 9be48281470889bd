import { describe, expect, it } from '@jest/globals'
import { eventLoopTurns, mapPooled } from './pool.js'

const tick = () => new Promise(resolve => setImmediate(resolve))

describe('mapPooled', () => {
  it('keeps input order whatever order the calls finish in', async () => {
    const delays = [30, 0, 10, 0, 20]
    const done = await mapPooled(delays, 2, async ms => {
      await new Promise(resolve => setTimeout(resolve, ms))
      return `${ms}ms`
    })
    expect(done).toEqual(['30ms', '0ms', '10ms', '0ms', '20ms'])
  })

  it('never has more than the limit in flight, and starts the first ones before it returns', async () => {
    const started: number[] = []
    const release: (() => void)[] = []
    let inFlight = 0
    let most = 0
    const all = mapPooled([0, 1, 2, 3, 4], 2, async item => {
      started.push(item)
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise<void>(resolve => release.push(resolve))
      inFlight--
      return item * 10
    })
    expect(started).toEqual([0, 1])
    // Each release lets the next call start.
    while (release.length > 0) {
      release.shift()!()
      await tick()
    }
    expect(await all).toEqual([0, 10, 20, 30, 40])
    expect(started).toEqual([0, 1, 2, 3, 4])
    expect(most).toBe(2)
  })
})

describe('eventLoopTurns', () => {
  it('lets the event loop run once the slice is spent, and starts a new slice after the turn', async () => {
    let clock = 0
    const turn = eventLoopTurns(10, () => clock)
    clock = 9
    expect(turn()).toBeUndefined()
    clock = 10
    let ranBetween = false
    setImmediate(() => (ranBetween = true))
    const pending = turn()
    expect(pending).toBeInstanceOf(Promise)
    expect(ranBetween).toBe(false)
    await pending
    // An I/O callback queued before the turn (a child's output) ran during it.
    expect(ranBetween).toBe(true)
    clock = 19
    expect(turn()).toBeUndefined()
    clock = 20
    expect(turn()).toBeInstanceOf(Promise)
  })
})
