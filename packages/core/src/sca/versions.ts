/**
 * Orders package versions across ecosystems well enough to pick an upgrade: numeric parts compare as
 * numbers, missing parts count as 0 (`1.0` = `1.0.0`), and a word part sorts below any number when it
 * marks a pre-release (`1.0.0-beta`, `2.0rc1`, `1.0-SNAPSHOT` < `1.0`) and above when it marks a
 * post-release (`2.9.0.post0`, `1.0-sp1` > `1.0`). Build metadata (`+…`) and a leading `v` are ignored.
 */
type Token = { kind: 'pre' | 'post'; rank: number; word: string } | { kind: 'number'; value: bigint }

const PRE = [
  'dev',
  'alpha',
  'a',
  'beta',
  'b',
  'milestone',
  'm',
  'rc',
  'c',
  'cr',
  'pre',
  'preview',
  'snapshot'
]
const PRE_RANK: Readonly<Record<string, number>> = {
  dev: 0,
  alpha: 1,
  a: 1,
  beta: 2,
  b: 2,
  milestone: 3,
  m: 3,
  rc: 4,
  c: 4,
  cr: 4,
  pre: 4,
  preview: 4,
  snapshot: 5
}
const RELEASE_WORDS = new Set(['final', 'ga', 'release'])
const POST_WORDS = new Set(['post', 'sp', 'patch', 'p', 'pl', 'r', 'rev'])

function tokens(version: string): Token[] {
  const core = version
    .trim()
    .replace(/^v(?=\d)/i, '')
    .split('+')[0]!
    .toLowerCase()
  const out: Token[] = []
  for (const part of core.match(/\d+|[a-z]+/g) ?? []) {
    if (/^\d/.test(part)) out.push({ kind: 'number', value: BigInt(part) })
    else if (RELEASE_WORDS.has(part)) out.push({ kind: 'number', value: 0n })
    else if (POST_WORDS.has(part)) out.push({ kind: 'post', rank: 0, word: part })
    else
      out.push({
        kind: 'pre',
        rank: Object.hasOwn(PRE_RANK, part) ? PRE_RANK[part]! : PRE.length,
        word: part
      })
  }
  return out
}

const ZERO: Token = { kind: 'number', value: 0n }
const CLASS = { pre: 0, number: 1, post: 2 } as const

function compareTokens(a: Token, b: Token): number {
  if (a.kind !== b.kind) return CLASS[a.kind] - CLASS[b.kind]
  if (a.kind === 'number' && b.kind === 'number') return a.value < b.value ? -1 : a.value > b.value ? 1 : 0
  const x = a as Exclude<Token, { kind: 'number' }>
  const y = b as Exclude<Token, { kind: 'number' }>
  return x.rank - y.rank || x.word.localeCompare(y.word)
}

export function compareVersions(a: string, b: string): number {
  const x = tokens(a)
  const y = tokens(b)
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const order = compareTokens(x[i] ?? ZERO, y[i] ?? ZERO)
    if (order !== 0) return Math.sign(order)
  }
  return 0
}
