/** Unified diffs of edited files, for the log and a dry run's diff file. */

type Op = { kind: ' ' | '-' | '+'; line: string }

function lines(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\n)/)
}

/** Myers' O(ND) shortest edit script over lines; edits here are few, so D is small. */
function editScript(a: readonly string[], b: readonly string[]): Op[] {
  const max = a.length + b.length
  const offset = max + 1
  let v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice())
    const next = v.slice()
    for (let k = -d; k <= d; k += 2) {
      let x =
        k === -d || (k !== d && v[offset + k - 1]! < v[offset + k + 1]!)
          ? v[offset + k + 1]!
          : v[offset + k - 1]! + 1
      let y = x - k
      while (x < a.length && y < b.length && a[x] === b[y]) {
        x++
        y++
      }
      next[offset + k] = x
      if (x >= a.length && y >= b.length) {
        found = d
        break
      }
    }
    v = next
  }
  const ops: Op[] = []
  let x = a.length
  let y = b.length
  for (let d = found; d > 0; d--) {
    const prev = trace[d]!
    const k = x - y
    const down = k === -d || (k !== d && prev[offset + k - 1]! < prev[offset + k + 1]!)
    const prevK = down ? k + 1 : k - 1
    const prevX = prev[offset + prevK]!
    const prevY = prevX - prevK
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[--x]! })
      y--
    }
    if (down) ops.push({ kind: '+', line: b[--y]! })
    else ops.push({ kind: '-', line: a[--x]! })
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[--x]! })
    y--
  }
  return ops.reverse()
}

function printed(op: Op): string {
  const body = op.line.endsWith('\n') ? op.line.slice(0, -1) : op.line
  return `${op.kind}${body}\n${op.line.endsWith('\n') ? '' : '\\ No newline at end of file\n'}`
}

/** `git diff`-style text for one file, `context` lines around each change; '' when nothing differs. */
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  if (before === after) return ''
  const ops = editScript(lines(before), lines(after))
  const changed = ops.flatMap((op, i) => (op.kind === ' ' ? [] : [i]))
  const hunks: [number, number][] = []
  for (const i of changed) {
    const last = hunks.at(-1)
    if (last && i - last[1] <= 2 * context + 1) last[1] = i
    else hunks.push([i, i])
  }
  let out = `--- a/${file}\n+++ b/${file}\n`
  for (const [first, last] of hunks) {
    const start = Math.max(0, first - context)
    const end = Math.min(ops.length - 1, last + context)
    let oldLine = 1
    let newLine = 1
    for (const op of ops.slice(0, start)) {
      if (op.kind !== '+') oldLine++
      if (op.kind !== '-') newLine++
    }
    const slice = ops.slice(start, end + 1)
    const oldCount = slice.filter(op => op.kind !== '+').length
    const newCount = slice.filter(op => op.kind !== '-').length
    const range = (line: number, count: number) =>
      `${count === 0 ? line - 1 : line}${count === 1 ? '' : `,${count}`}`
    out += `@@ -${range(oldLine, oldCount)} +${range(newLine, newCount)} @@\n`
    out += slice.map(printed).join('')
  }
  return out
}
