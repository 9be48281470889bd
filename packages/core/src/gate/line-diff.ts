/**
 * The lines of `after` that a line diff from `before` inserts (1-based), by Myers' O(ND) algorithm. A
 * set of the base's lines is not enough: a copy of a line the base has elsewhere is still an insertion.
 * Lines are compared without surrounding whitespace (re-indenting is not a change). Past `maxEdits`
 * insertions and deletions, every line between the common start and end counts as inserted: the
 * caller counts more, never less.
 */
export function insertedLines(
  before: readonly string[],
  after: readonly string[],
  maxEdits = 2000
): Set<number> {
  const a = before.map(line => line.trim())
  const b = after.map(line => line.trim())
  let start = 0
  while (start < a.length && start < b.length && a[start] === b[start]) start++
  let endA = a.length
  let endB = b.length
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--
    endB--
  }
  const inserted = new Set<number>()
  const trace = shortestEdit(a.slice(start, endA), b.slice(start, endB), maxEdits)
  if (!trace) {
    for (let line = start; line < endB; line++) inserted.add(line + 1)
    return inserted
  }
  for (const index of trace) inserted.add(start + index + 1)
  return inserted
}

/** Indices of `b` inserted by a shortest edit script from `a`, or undefined past `maxEdits`. */
function shortestEdit(a: readonly string[], b: readonly string[], maxEdits: number): number[] | undefined {
  const n = a.length
  const m = b.length
  const offset = n + m + 1
  const furthest = new Int32Array(2 * offset + 1)
  const history: Int32Array[] = []
  for (let d = 0; d <= Math.min(n + m, maxEdits); d++) {
    // Only the diagonals step d can reach: a copy of the whole array per step would be O(D·(N+M)).
    history.push(furthest.slice(offset - d, offset + d + 1))
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && furthest[offset + k - 1]! < furthest[offset + k + 1]!)
      let x = down ? furthest[offset + k + 1]! : furthest[offset + k - 1]! + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      furthest[offset + k] = x
      if (x >= n && y >= m) return backtrack(history, n, m, d)
    }
  }
  return undefined
}

function backtrack(history: Int32Array[], n: number, m: number, edits: number): number[] {
  const inserted: number[] = []
  let x = n
  let y = m
  for (let d = edits; d > 0; d--) {
    const window = history[d]!
    const at = (k: number) => window[k + d]!
    const k = x - y
    const down = k === -d || (k !== d && at(k - 1) < at(k + 1))
    const previousK = down ? k + 1 : k - 1
    const previousX = at(previousK)
    const previousY = previousX - previousK
    x = previousX
    y = previousY
    // A move down takes one line of `b` that `a` has not: an insertion.
    if (down) inserted.push(y)
  }
  return inserted
}
