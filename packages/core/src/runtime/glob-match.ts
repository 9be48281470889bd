/**
 * Glob matching for repository paths, rule ids and image references: `*`, `**` (a whole segment),
 * `?`, `[a-z]`, `[!a-z]`, `{a,b}` and `\` escapes, as minimatch reads them (its tests are the oracle).
 * Our own, for two reasons: minimatch and its dependencies were a fifth of every bundle's start-up,
 * and this matcher takes time linear in path × pattern whatever the pattern, since a pull request can
 * write patterns (ignore files, policy exceptions). Extglobs, POSIX classes and numeric ranges are
 * refused rather than read some other way.
 */

export interface GlobOptions {
  /** `*`, `?`, `[…]` and `**` also match names that start with a dot. */
  dot?: boolean
  nocase?: boolean
}

export class GlobSyntaxError extends Error {}

type Token = { kind: 'char'; char: string } | { kind: 'any' } | { kind: 'star' } | ClassToken
interface ClassToken {
  kind: 'class'
  negated: boolean
  ranges: Array<[string, string]>
}
type Segment = Token[] | 'globstar'

/** At most this many alternatives after brace expansion: `{a,b}{c,d}…` grows exponentially. */
const MAX_ALTERNATIVES = 256

export class Glob {
  private readonly alternatives: Segment[][]

  constructor(
    readonly pattern: string,
    private readonly options: GlobOptions = {}
  ) {
    const text = options.nocase ? pattern.toLowerCase() : pattern
    this.alternatives = expandBraces(text).map(alternative =>
      segmentsOf(alternative).map(segment => parseSegment(segment, pattern))
    )
  }

  matches(path: string): boolean {
    const parts = (this.options.nocase ? path.toLowerCase() : path).split('/')
    return this.alternatives.some(segments => matchSegments(segments, parts, this.options))
  }
}

/**
 * `./a` is `a` and `a//b` is `a/b`, as in minimatch; a leading or trailing `/` stays (it matches no
 * relative path).
 */
function segmentsOf(pattern: string): string[] {
  const segments = pattern.split('/')
  while (segments[0] === '.' && segments.length > 1) segments.shift()
  return segments.filter((segment, i, all) => segment !== '' || i === 0 || i === all.length - 1)
}

const compiled = new Map<string, Glob>()

/** One-off matches; compiled patterns are kept, since the same few are tried against many paths. */
export function globMatches(path: string, pattern: string, options: GlobOptions = {}): boolean {
  const key = `${options.dot ? 'd' : ''}${options.nocase ? 'i' : ''}:${pattern}`
  let glob = compiled.get(key)
  if (!glob) {
    glob = new Glob(pattern, options)
    if (compiled.size < 1024) compiled.set(key, glob)
  }
  return glob.matches(path)
}

/** Path segments against pattern segments, `**` standing for any number of names it may enter. */
function matchSegments(pattern: Segment[], parts: string[], options: GlobOptions): boolean {
  const dot = options.dot ?? false
  const end = wildcardMatch(
    pattern.length,
    parts.length,
    p => pattern[p] === 'globstar',
    (p, s) => matchName(pattern[p] as Token[], parts[s]!, options),
    s => globstarMayEnter(parts[s]!, dot)
  )
  if (end < 0) return false
  // A trailing `**` never entered matched nothing, and minimatch wants one segment there: `a/**` is
  // not `a`. A pattern of globstars alone matches anything.
  if (end < pattern.length) return pattern.every(segment => segment === 'globstar')
  return true
}

/**
 * Hidden names match only a segment that starts with a literal dot, or one that can match only one
 * name (`[.]env` is `.env`), never `*`, `?` or a class at the start, as in minimatch. Ignoring case,
 * minimatch takes such a segment for one name only when no character of it has case (`[.]-`, not
 * `[.]env`): one with cased characters is matched as a pattern, and the dot rule applies.
 */
function mayMatchDotName(tokens: Token[], nocase: boolean): boolean {
  const first = tokens[0]
  if (first?.kind === 'char' && first.char === '.') return true
  const chars = tokens.map(singleCharacter)
  return chars.every(c => c !== undefined && (!nocase || c.toUpperCase() === c.toLowerCase()))
}

/** The one character a token matches, if it matches only one. */
function singleCharacter(token: Token): string | undefined {
  if (token.kind === 'char') return token.char
  const only =
    token.kind === 'class' && !token.negated && token.ranges.length === 1 ? token.ranges[0] : undefined
  return only !== undefined && only[0] === only[1] ? only[0] : undefined
}

function globstarMayEnter(part: string, dot: boolean): boolean {
  return part !== '.' && part !== '..' && (dot || !part.startsWith('.'))
}

/** One name against one segment's tokens. */
function matchName(tokens: Token[], name: string, { dot, nocase = false }: GlobOptions): boolean {
  if (!dot && name.startsWith('.') && !mayMatchDotName(tokens, nocase)) return false
  if ((name === '.' || name === '..') && tokens.some(t => t.kind !== 'char')) return false
  let end = wildcardMatch(
    tokens.length,
    name.length,
    t => tokens[t]!.kind === 'star',
    (t, n) => matchesChar(tokens[t]!, name[n]!)
  )
  while (end >= 0 && tokens[end]?.kind === 'star') end++
  return end === tokens.length
}

/**
 * The classic wildcard match with one backtrack point, for a name (tokens against characters) and a
 * path (segments against names): on a mismatch only the last star takes one more item, so the time
 * is O(pattern × subject) however many stars a pull request writes. Returns how much of the pattern
 * the subject used up (trailing stars left to the caller), or -1.
 */
function wildcardMatch(
  patternLength: number,
  subjectLength: number,
  isStar: (p: number) => boolean,
  matchesAt: (p: number, s: number) => boolean,
  starMayTake: (s: number) => boolean = () => true
): number {
  let p = 0
  let s = 0
  let starP = -1
  let starS = 0
  while (s < subjectLength) {
    if (p < patternLength && isStar(p)) {
      starP = p++
      starS = s
    } else if (p < patternLength && matchesAt(p, s)) {
      p++
      s++
    } else if (starP >= 0 && starMayTake(starS)) {
      p = starP + 1
      s = ++starS
    } else return -1
  }
  return p
}

function matchesChar(token: Token, char: string): boolean {
  switch (token.kind) {
    case 'char':
      return token.char === char
    case 'any':
      return true
    case 'class':
      return token.ranges.some(([from, to]) => char >= from && char <= to) !== token.negated
    default:
      return false
  }
}

function parseSegment(text: string, pattern: string): Segment {
  if (text === '**') return 'globstar'
  if (text === '.' || text === '..') throw unsupported(pattern, `a '${text}' segment`)
  const tokens: Token[] = []
  for (let i = 0; i < text.length; i++) {
    const char = text[i]!
    if (char === '\\' && i + 1 < text.length) tokens.push({ kind: 'char', char: text[++i]! })
    else if ('?*+@!'.includes(char) && text[i + 1] === '(')
      throw unsupported(pattern, `the extglob ${char}(…)`)
    else if (char === '*') {
      if (tokens.at(-1)?.kind !== 'star') tokens.push({ kind: 'star' })
    } else if (char === '?') tokens.push({ kind: 'any' })
    else if (char === '[') {
      const parsed = parseClass(text, i, pattern)
      if (parsed) {
        tokens.push(parsed.token)
        i = parsed.end
      } else tokens.push({ kind: 'char', char })
    } else tokens.push({ kind: 'char', char })
  }
  return tokens
}

/** `[…]` from `start`; undefined when it does not close, and the `[` is then a plain character. */
function parseClass(
  text: string,
  start: number,
  pattern: string
): { token: ClassToken; end: number } | undefined {
  let i = start + 1
  const negated = text[i] === '!' || text[i] === '^'
  if (negated) i++
  const ranges: Array<[string, string]> = []
  for (let first = true; i < text.length; first = false) {
    let char = text[i]!
    if (char === ']' && !first) return { token: { kind: 'class', negated, ranges }, end: i }
    if (char === '[' && text[i + 1] === ':') throw unsupported(pattern, 'a POSIX class [:…:]')
    if (char === '\\' && i + 1 < text.length) char = text[++i]!
    if (text[i + 1] === '-' && i + 2 < text.length && text[i + 2] !== ']') {
      let to = text[i + 2]!
      i += 2
      if (to === '\\' && i + 1 < text.length) to = text[++i]!
      if (to >= char) ranges.push([char, to])
    } else ranges.push([char, char])
    i++
  }
  return undefined
}

/** `{a,b}` alternatives, nested ones included; a brace without a comma is literal, as in bash. */
function expandBraces(text: string): string[] {
  const open = findUnescaped(text, '{', 0)
  if (open < 0) return [text]
  const { close, commas } = braceBody(text, open)
  if (close < 0) return [text]
  if (commas.length === 0) {
    if (/^\{[^{}]*\.\.[^{}]*\}$/.test(text.slice(open, close + 1))) throw unsupported(text, 'a range {x..y}')
    return expandBraces(text.slice(close + 1)).map(rest => text.slice(0, close + 1) + rest)
  }
  const bounds = [open, ...commas, close]
  const options = bounds.slice(1).map((end, i) => text.slice(bounds[i]! + 1, end))
  const prefix = text.slice(0, open)
  const results = options.flatMap(option => expandBraces(prefix + option + text.slice(close + 1)))
  if (results.length > MAX_ALTERNATIVES)
    throw new GlobSyntaxError(
      `Pattern '${text}' expands to more than ${MAX_ALTERNATIVES} alternatives; write fewer {a,b} braces.`
    )
  return [...new Set(results)]
}

function braceBody(text: string, open: number): { close: number; commas: number[] } {
  const commas: number[] = []
  let depth = 0
  for (let i = open; i < text.length; i++) {
    const char = text[i]
    if (char === '\\') i++
    else if (char === '{') depth++
    else if (char === '}' && --depth === 0) return { close: i, commas }
    else if (char === ',' && depth === 1) commas.push(i)
  }
  return { close: -1, commas }
}

function findUnescaped(text: string, char: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++
    else if (text[i] === char) return i
  }
  return -1
}

function unsupported(pattern: string, what: string): GlobSyntaxError {
  return new GlobSyntaxError(
    `Pattern '${pattern}' uses ${what}, which is not supported; use *, **, ?, [a-z] and {a,b} in a path without '.' or '..' segments.`
  )
}
