/** Orders image tags that look like versions (`1.2.3`, `v1.10.0-rc.1`, `V2.0`); others are not ordered. */

const VERSION = /^[vV]?(\d+)(?:\.(\d+))?(?:\.(\d+))?(?:\.(\d+))?(?:-([0-9A-Za-z.-]+))?(?:[+_].*)?$/

interface Parsed {
  numbers: number[]
  pre: string[] | undefined
}

function parse(tag: string): Parsed | undefined {
  const match = VERSION.exec(tag)
  if (!match) return undefined
  const numbers = match.slice(1, 5).map(n => (n === undefined ? 0 : Number(n)))
  return { numbers, pre: match[5]?.split('.') }
}

function comparePre(a: string[] | undefined, b: string[] | undefined): number {
  if (!a || !b) return a ? -1 : b ? 1 : 0 // a release is newer than its pre-releases
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i]
    const y = b[i]
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1
    const nx = /^\d+$/.test(x) ? Number(x) : undefined
    const ny = /^\d+$/.test(y) ? Number(y) : undefined
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx - ny
    } else if (nx !== undefined || ny !== undefined) return nx !== undefined ? -1 : 1
    else if (x !== y) return x < y ? -1 : 1
  }
  return 0
}

/**
 * Negative when `a` is older than `b`, positive when newer, 0 when the same version; undefined when
 * either is not a version (`latest`, `sha-1a2b3c`), which no order can be told for.
 */
export function compareTags(a: string, b: string): number | undefined {
  const x = parse(a)
  const y = parse(b)
  if (!x || !y) return undefined
  for (let i = 0; i < 4; i++) if (x.numbers[i] !== y.numbers[i]) return x.numbers[i]! - y.numbers[i]!
  return comparePre(x.pre, y.pre)
}
