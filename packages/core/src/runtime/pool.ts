/**
 * Maps `items` through `work` with at most `limit` calls in flight, results in input order. The first
 * `limit` calls start before this returns, so a caller can do other work while they run. GitHub asks
 * clients to keep concurrent requests low; a few in flight still hide most of each request's latency.
 */
export async function mapPooled<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>
): Promise<R[]> {
  const results = new Array<R>(items.length)
  let next = 0
  const worker = async () => {
    while (next < items.length) {
      const index = next++
      results[index] = await work(items[index]!)
    }
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
  return results
}

/**
 * For a long synchronous loop that runs while child processes do: `await turn()` after each step gives
 * the event loop a turn once `sliceMs` have passed since the last one. Without turns, a child's pipe
 * fills and the child waits (its deadline counting), and pooled work never starts its next item.
 */
export function eventLoopTurns(sliceMs = 10, now: () => number = Date.now): () => Promise<void> | undefined {
  let sliceStart = now()
  return () => {
    if (now() - sliceStart < sliceMs) return undefined
    return new Promise<void>(resolve =>
      setImmediate(() => {
        sliceStart = now()
        resolve()
      })
    )
  }
}
