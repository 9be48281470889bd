import { CancelledError } from './errors.js'
import type { Logger } from './logger.js'

type Entry =
  | { kind: 'debug' | 'info' | 'warning' | 'error'; message: string }
  | { kind: 'group'; title: string; tookMs: number; entries: Entry[] }

/**
 * A logger that keeps what it is told, groups and their durations included, until `release` writes it
 * out; from then on it writes straight through (a step may hand it to work that ends later, like a
 * cache save at the end of the run).
 */
function holdingLogger(): { logger: Logger; release: (to: Logger) => Promise<void> } {
  const entries: Entry[] = []
  const open: Entry[][] = [entries]
  let released: Logger | undefined
  const keep = (kind: 'debug' | 'info' | 'warning' | 'error') => (message: string) =>
    released ? released[kind](message) : void open[open.length - 1]!.push({ kind, message })
  return {
    release: async to => {
      await writeOut(to, entries)
      released = to
    },
    logger: {
      debug: keep('debug'),
      info: keep('info'),
      warning: keep('warning'),
      error: keep('error'),
      async group<T>(title: string, fn: () => Promise<T>): Promise<T> {
        if (released) return released.group(title, fn)
        const group = { kind: 'group' as const, title, tookMs: 0, entries: [] as Entry[] }
        open[open.length - 1]!.push(group)
        open.push(group.entries)
        const started = Date.now()
        try {
          return await fn()
        } finally {
          group.tookMs = Date.now() - started
          open.pop()
        }
      }
    }
  }
}

async function writeOut(logger: Logger, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) {
    if (entry.kind === 'group')
      await logger.group(entry.title, () => writeOut(logger, entry.entries), entry.tookMs)
    else logger[entry.kind](entry.message)
  }
}

type Steps<T extends readonly unknown[]> = {
  [K in keyof T]: (logger: Logger, cancel: AbortSignal) => Promise<T[K]>
}
type Settled<T extends readonly unknown[]> = { [K in keyof T]: PromiseSettledResult<T[K]> }

/**
 * Runs independent steps at once (downloads that would otherwise wait on each other) and settles them
 * all, so whatever one of them made can still be cleaned up when another failed. The first failure
 * aborts `cancel`, which the others pass to their downloads: the run reports it without waiting for
 * work it will not use. The runner's log cannot interleave groups: each step's log is held and written
 * out whole, in the order the steps were given, with each group's real duration.
 */
export async function settleTogether<T extends readonly unknown[]>(
  logger: Logger,
  steps: Steps<T>
): Promise<Settled<T>> {
  const held = steps.map(() => holdingLogger())
  const cancel = new AbortController()
  const settled = await Promise.allSettled(
    steps.map(async (step, i) => {
      try {
        return await step(held[i]!.logger, cancel.signal)
      } catch (error) {
        cancel.abort()
        throw error
      }
    })
  )
  for (const { release } of held) await release(logger)
  return settled as Settled<T>
}

/**
 * The values of settled steps, or the first failure in the order the steps were given; a step that
 * gave up because another failed is passed over for the failure that stopped it.
 */
export function valuesOrFirstFailure<T extends readonly unknown[]>(settled: Settled<T>): T {
  const failures = (settled as readonly PromiseSettledResult<unknown>[]).flatMap(s =>
    s.status === 'rejected' ? [s.reason as unknown] : []
  )
  if (failures.length > 0) throw failures.find(f => !(f instanceof CancelledError)) ?? failures[0]
  return (settled as readonly PromiseFulfilledResult<unknown>[]).map(s => s.value) as unknown as T
}
