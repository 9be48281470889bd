import { describe, expect, it } from '@jest/globals'
import { CancelledError } from './errors.js'
import { settleTogether, valuesOrFirstFailure } from './held-logs.js'
import type { Logger } from './logger.js'

/** What a logger is told, with the duration each group reports. */
function recordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = []
  return {
    lines,
    debug: m => void lines.push(`debug ${m}`),
    info: m => void lines.push(`info ${m}`),
    warning: m => void lines.push(`warning ${m}`),
    error: m => void lines.push(`error ${m}`),
    async group<T>(title: string, fn: () => Promise<T>, tookMs?: number) {
      lines.push(`group ${title}`)
      try {
        return await fn()
      } finally {
        lines.push(`end ${title} ${tookMs === undefined ? 'live' : tookMs >= 40 ? 'waited' : 'quick'}`)
      }
    }
  }
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms))

describe('settleTogether', () => {
  it('runs the steps at once and writes each one’s log whole, in the order given', async () => {
    const logger = recordingLogger()
    let release: () => void = () => undefined
    const released = new Promise<void>(resolve => (release = resolve))
    const settled = await settleTogether(logger, [
      // Waits for the second step: run one after the other, this would never finish.
      async log =>
        log.group('Pin', async () => {
          log.info('asking the registry')
          await released
          await sleep(50)
          log.warning('slow registry')
          return 'sha256:abc'
        }),
      async log => {
        log.info('engine found')
        release()
        return log.group('DB', async () => {
          log.debug('fresh')
          return 7
        })
      }
    ])
    expect(valuesOrFirstFailure(settled)).toEqual(['sha256:abc', 7])
    expect(logger.lines).toEqual([
      'group Pin',
      'info asking the registry',
      'warning slow registry',
      'end Pin waited',
      'info engine found',
      'group DB',
      'debug fresh',
      'end DB quick'
    ])
  })

  it('lets every step finish and keeps its log when one fails; the first failure in order is thrown', async () => {
    const logger = recordingLogger()
    const settled = await settleTogether(logger, [
      async log => {
        await sleep(20)
        log.info('pin failed')
        throw new Error('no such image')
      },
      async () => {
        throw new Error('engine failed first')
      },
      async log => {
        log.info('DB downloaded')
        return 'db'
      }
    ])
    expect(settled.map(s => s.status)).toEqual(['rejected', 'rejected', 'fulfilled'])
    expect(logger.lines).toEqual(['info pin failed', 'info DB downloaded'])
    expect(() => valuesOrFirstFailure(settled)).toThrow('no such image')
  })
})

describe('calling the other steps off', () => {
  /** Resolves when `signal` aborts; a step standing in for a download that only stops when told to. */
  const untilAborted = (signal: AbortSignal) =>
    new Promise<never>((_, reject) =>
      signal.addEventListener('abort', () => reject(new CancelledError('download given up')), { once: true })
    )

  it('aborts the signal the others hold once one step fails, and throws that failure, not theirs', async () => {
    const logger = recordingLogger()
    const seen: boolean[] = []
    const settled = await settleTogether(logger, [
      // First in order but only given up: its CancelledError is not what the run reports.
      async (log, cancel) => {
        seen.push(cancel.aborted)
        log.info('downloading the engine')
        return untilAborted(cancel)
      },
      async () => {
        await sleep(10)
        throw new Error('no such image')
      },
      async (_, cancel) => untilAborted(cancel)
    ])
    expect(seen).toEqual([false])
    expect(settled.map(s => s.status)).toEqual(['rejected', 'rejected', 'rejected'])
    expect(() => valuesOrFirstFailure(settled)).toThrow('no such image')
    expect(logger.lines).toEqual(['info downloading the engine'])
  })

  it('leaves the signal alone when every step succeeds', async () => {
    let signal: AbortSignal | undefined
    const settled = await settleTogether(recordingLogger(), [
      async (_, cancel) => {
        signal = cancel
        return 1
      },
      async () => 2
    ])
    expect(valuesOrFirstFailure(settled)).toEqual([1, 2])
    expect(signal?.aborted).toBe(false)
  })

  it('throws a cancellation only when nothing else failed', () => {
    const cancelled = new CancelledError('given up')
    expect(() => valuesOrFirstFailure([{ status: 'rejected', reason: cancelled }] as const)).toThrow(
      cancelled
    )
  })
})

describe('a held logger after its step settled', () => {
  it('writes straight through, so work a step left for later (a cache save) is still logged', async () => {
    const logger = recordingLogger()
    let later: (() => void) | undefined
    await settleTogether(logger, [
      async log => {
        log.info('downloaded')
        later = () => log.info('saved to the cache')
      }
    ])
    later!()
    expect(logger.lines).toEqual(['info downloaded', 'info saved to the cache'])
  })
})
