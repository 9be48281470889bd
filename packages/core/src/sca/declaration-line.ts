/**
 * The line of a lockfile or manifest where a package is declared, found in its text: the first line
 * naming the package as a whole word (not `lodash` in `lodash.set`), preferring one that has the
 * installed version on it or within the next lines, and one where the name is a key or a value
 * (`"node_modules/x"`, `name = "x"`, `<artifactId>x</artifactId>`, `x@^1`, `    x (1.2.3)`).
 */
const VERSION_REACH = 4
const NAME_CHARS = 'A-Za-z0-9._\\-'
const ALPHANUMERIC = /^[a-z0-9]$/
const ALPHANUMERIC_RUN = /^[a-z0-9]+$/

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}

/** What to look for: the name, and for Maven `group:artifact` also the artifact alone (pom.xml). */
function namePatterns(ecosystem: string, name: string): RegExp[] {
  const pypi = ecosystem === 'PyPI'
  const spell = (text: string) =>
    pypi
      ? text
          .split(/[-_.]+/)
          .map(escapeRegExp)
          .join('[-_.]+')
      : escapeRegExp(text)
  const names = [name]
  if (ecosystem === 'Maven' && name.includes(':')) names.push(name.slice(name.lastIndexOf(':') + 1))
  return names.map(n => new RegExp(`(?:^|[^${NAME_CHARS}@])${spell(n)}(?![${NAME_CHARS}])`, pypi ? 'i' : ''))
}

/** What may stand before a name that is a key or an entry's own name, not a mention in a dependency list. */
const KEY_PREFIXES = [
  /^\s*["']?(?:(?:[^"\s]*\/)?node_modules\/|\/)?$/, // package-lock keys, yarn/pnpm/Pipfile entries, requirements and go.mod lines, Gemfile.lock specs
  /(?:\bname\s*=\s*|"name"\s*:\s*)"$/, // poetry/uv/Cargo `name = "x"`, composer `"name": "x"`
  /<artifactId>$/
]

/** Where an entry of the lockfile itself starts, rather than a dependency list naming it. */
const ENTRY_PREFIXES = [
  /node_modules\/$/,
  /(?:\bname\s*=\s*|"name"\s*:\s*)"$/,
  /<artifactId>$/,
  /^"?$/,
  /^ {2}\/?$/,
  /^ {4}$/
]

/** 1 when the name is a key or an entry's own name, 2 when it starts an entry of the lockfile. */
function position(line: string, match: RegExpExecArray): number {
  // The pattern's first character is the boundary before the name, unless the name starts the line.
  const boundary = match[0].length > 0 && !/[A-Za-z0-9@]/.test(match[0][0]!) ? 1 : 0
  const prefix = line.slice(0, match.index + boundary)
  const yamlKey = /:\s*$/.test(line) && !/"\s*:\s*\S/.test(line)
  // `"x": {` opens the package's own object (packages.lock.json, Pipfile.lock, package-lock v1), where
  // `"x": "1.2.3"` only names it among another package's dependencies.
  if (/^\s*"$/.test(prefix) && /"\s*:\s*\{\s*$/.test(line)) return 3
  if (
    ENTRY_PREFIXES.some(shape => shape.test(prefix)) &&
    (yamlKey || !/^ {2,4}\/?$/.test(prefix) || / \(/.test(line))
  )
    return 3
  return KEY_PREFIXES.some(shape => shape.test(prefix)) ? 1 : 0
}

/**
 * Candidate lines one lockfile's index looks at, over all its packages. A lockfile of many entries
 * with one name (a hostile change writes them) would otherwise cost the square of its size, after the
 * engine's deadline; past it, a package gets the best line found so far, or none.
 */
export const LINE_SEARCH_BUDGET = 20_000_000

/** A lockfile's text indexed once, answering for each of its packages. */
export function declarationLines(
  text: string,
  budget = LINE_SEARCH_BUDGET
): (pkg: { ecosystem: string; name: string; version?: string }) => number | undefined {
  const lines = text.split('\n')
  const lower = text.toLowerCase()
  const starts: number[] = [0]
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) starts.push(i + 1)
  const lineOf = (offset: number) => {
    let lo = 0
    let hi = starts.length - 1
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1
      if (starts[mid]! <= offset) lo = mid
      else hi = mid - 1
    }
    return lo
  }
  // Every maximal run of letters and digits, with the lines it is on: built once per lockfile, it answers
  // each package at once where a search of the whole text per package cost most of the SBOM's time.
  let tokens: Map<string, number[]> | undefined
  const tokenLines = (): Map<string, number[]> => {
    const index = new Map<string, number[]>()
    let line = 0
    for (const match of lower.matchAll(/[a-z0-9]+/g)) {
      while (line + 1 < starts.length && starts[line + 1]! <= match.index) line++
      const at = index.get(match[0])
      if (!at) index.set(match[0], [line])
      else if (at[at.length - 1] !== line) at.push(line)
    }
    return index
  }
  // The needle is a whole segment of the name, so only a hit bounded by non-alphanumerics can be the name.
  const linesWith = (needle: string): number[] => {
    if (ALPHANUMERIC_RUN.test(needle)) return (tokens ??= tokenLines()).get(needle) ?? []
    const found = new Set<number>()
    for (let at = lower.indexOf(needle); at !== -1 && needle; at = lower.indexOf(needle, at + 1))
      if (!ALPHANUMERIC.test(lower[at - 1] ?? '') && !ALPHANUMERIC.test(lower[at + needle.length] ?? ''))
        found.add(lineOf(at))
    return [...found].sort((a, b) => a - b)
  }
  return pkg => {
    const patterns = namePatterns(pkg.ecosystem, pkg.name)
    const version = pkg.version
      ? new RegExp(`(?:^|[^0-9A-Za-z.])v?${escapeRegExp(pkg.version)}(?![0-9A-Za-z.])`)
      : undefined
    // Only lines holding every part of the name's last segment (a pom.xml names the artifact alone) can
    // declare it: those of its rarest indexed part are looked at (of `x-1` … `x-50000`, the number's).
    const last = pkg.name.toLowerCase().split(/[:/]/).pop() ?? ''
    const parts = last.split(/[-_.@]+/)
    const indexed = parts.filter(part => ALPHANUMERIC_RUN.test(part))
    const needle =
      indexed.length > 0
        ? indexed.reduce((a, b) => (linesWith(b).length < linesWith(a).length ? b : a))
        : parts.reduce((a, b) => (b.length > a.length ? b : a), '')
    const candidates = linesWith(needle)
    let best: { line: number; score: number } | undefined
    for (const i of candidates) {
      if (--budget < 0) break
      const line = lines[i]!
      for (const pattern of patterns) {
        const match = pattern.exec(line)
        if (!match) continue
        const sameLine = version?.test(line)
        const below = !sameLine && version?.test(lines.slice(i + 1, i + 1 + VERSION_REACH).join('\n'))
        const score = (sameLine ? 2 : below ? 1 : 0) + position(line, match)
        if (!best || score > best.score) best = { line: i + 1, score }
        if (score === 5) return best.line
      }
    }
    return best?.line
  }
}

/** The declaring line of one package (see declarationLines for many). */
export function declarationLine(
  text: string,
  pkg: { ecosystem: string; name: string; version?: string }
): number | undefined {
  return declarationLines(text)(pkg)
}
