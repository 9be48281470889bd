import * as path from 'node:path'

/**
 * A Go workspace file: `go build` inside the workspace applies its `replace` directives over every
 * go.mod's, while neither engine reads it.
 */
export function isGoWorkFile(file: string): boolean {
  return path.posix.basename(file) === 'go.work'
}

/** One `replace` of a go.work: `module [version] => target`. */
export interface GoWorkReplace {
  line: number
  module: string
  /** Only this version is replaced; absent: every version. */
  version?: string
  target: { kind: 'module'; module: string; version: string } | { kind: 'directory'; path: string }
}

/** What Go refuses in a go.work, at a 1-based line. */
export class GoWorkSyntaxError extends Error {
  override name = 'GoWorkSyntaxError'
  constructor(
    readonly line: number,
    message: string
  ) {
    super(message)
  }
}

interface Token {
  text: string
  /** Written as a string: never punctuation nor `=>`. */
  quoted: boolean
}

const PUNCTUATION = new Set(['(', ')', '[', ']', '{', '}', ','])
const SPACE = new Set([' ', '\t', '\r'])

/** The end of the string starting at `start`: go.mod strings never span lines. */
function stringEnd(text: string, start: number, line: number): number {
  const quote = text[start]!
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === quote) return i + 1
    if (text[i] === '\\' && quote === '"') i++
  }
  throw new GoWorkSyntaxError(line, 'a string is not closed on its line')
}

/** An interpreted string's value; Go's escapes that JSON lacks (`\x41`) are refused, not guessed at. */
function unquoted(raw: string, line: number): string {
  if (raw.startsWith('`')) return raw.slice(1, -1)
  try {
    return JSON.parse(raw) as string
  } catch {
    throw new GoWorkSyntaxError(line, `${raw.slice(0, 200)} is not a quoted string this scan can read`)
  }
}

/** One line's tokens, as Go's modfile lexer splits them: `//` ends the line anywhere outside a string. */
function tokensOf(text: string, line: number): Token[] {
  const tokens: Token[] = []
  let i = 0
  while (i < text.length) {
    const c = text[i]!
    if (SPACE.has(c)) i++
    else if (text.startsWith('//', i)) break
    else if (text.startsWith('/*', i))
      throw new GoWorkSyntaxError(line, 'go.work takes // comments only, not /* */')
    else if (PUNCTUATION.has(c)) tokens.push({ text: text[i++]!, quoted: false })
    else if (c === '"' || c === '`') {
      const end = stringEnd(text, i, line)
      tokens.push({ text: unquoted(text.slice(i, end), line), quoted: true })
      i = end
    } else {
      const start = i
      while (
        i < text.length &&
        !SPACE.has(text[i]!) &&
        !PUNCTUATION.has(text[i]!) &&
        !text.startsWith('//', i)
      )
        i++
      tokens.push({ text: text.slice(start, i), quoted: false })
    }
  }
  return tokens
}

/** Go's IsDirectoryPath, in every path syntax: a go.work moves between systems. */
function isDirectoryPath(target: string): boolean {
  return /^\.\.?(?:$|[/\\])/.test(target) || /^[/\\]/.test(target) || /^[A-Za-z]:/.test(target)
}

/** A canonical module version, as go.work must write one (no fixing, unlike go.mod). */
const VERSION =
  /^v(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)\.(?:0|[1-9]\d*)(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?(?:\+incompatible)?$/

function checkVersion(version: string, line: number): void {
  if (!VERSION.test(version))
    throw new GoWorkSyntaxError(line, `${version.slice(0, 200)} is not a module version of the form v1.2.3`)
}

const USAGE = 'usage: replace module/path [v1.2.3] => other/module v1.4 | ../local/directory'

/** A ReplaceSpec: `ModulePath [Version] "=>" FilePath` or `… "=>" ModulePath Version`. */
function replaceSpec(args: readonly Token[], line: number): GoWorkReplace {
  const arrow = args.findIndex(t => !t.quoted && t.text === '=>')
  const target = args.slice(arrow + 1)
  if ((arrow !== 1 && arrow !== 2) || target.length < 1 || target.length > 2 || !args[0]!.text)
    throw new GoWorkSyntaxError(line, USAGE)
  if (args.some(t => !t.quoted && PUNCTUATION.has(t.text))) throw new GoWorkSyntaxError(line, USAGE)
  const spec: Omit<GoWorkReplace, 'target'> = {
    line,
    module: args[0]!.text,
    ...(arrow === 2 ? { version: args[1]!.text } : {})
  }
  const [to, version] = target.map(t => t.text) as [string, string | undefined]
  for (const v of [spec.version, version]) if (v !== undefined) checkVersion(v, line)
  if (version === undefined && !isDirectoryPath(to))
    throw new GoWorkSyntaxError(
      line,
      `a replacement without a version must be a directory (./, ../ or rooted): ${to.slice(0, 200)}`
    )
  if (version !== undefined && isDirectoryPath(to))
    throw new GoWorkSyntaxError(line, `a directory replacement takes no version: ${to.slice(0, 200)}`)
  return {
    ...spec,
    target: version === undefined ? { kind: 'directory', path: to } : { kind: 'module', module: to, version }
  }
}

const isPunct = (token: Token | undefined, text: string) =>
  token !== undefined && !token.quoted && token.text === text

/**
 * Each `replace` of a go.work, single-line or in a `replace ( … )` block. Other directives are passed
 * over, a directive Go does not know too: it replaces nothing, and Go refuses it anyway. Whatever would
 * make a replace read wrong (an unclosed block or string, a spec of the wrong shape) is refused.
 */
export function goWorkReplaces(text: string): GoWorkReplace[] {
  const replaces: GoWorkReplace[] = []
  let block: { verb: string; line: number } | undefined
  for (const [index, source] of text.split('\n').entries()) {
    const line = index + 1
    const tokens = tokensOf(source, line)
    if (tokens.length === 0) continue
    if (block) {
      if (tokens.length === 1 && isPunct(tokens[0], ')')) block = undefined
      else if (block.verb === 'replace') replaces.push(replaceSpec(tokens, line))
      else if (tokens.some(t => isPunct(t, '(') || isPunct(t, ')')))
        throw new GoWorkSyntaxError(line, `unexpected parenthesis in the ${block.verb} block`)
      continue
    }
    const [verb, ...args] = tokens
    if (verb!.quoted || PUNCTUATION.has(verb!.text))
      throw new GoWorkSyntaxError(line, `unexpected ${verb!.text.slice(0, 200)} where a directive starts`)
    if (isPunct(args[0], '(')) {
      if (args.length > 1) throw new GoWorkSyntaxError(line, `unexpected text after ${verb!.text} (`)
      block = { verb: verb!.text, line }
    } else if (verb!.text === 'replace') replaces.push(replaceSpec(args, line))
  }
  if (block) throw new GoWorkSyntaxError(block.line, `the ${block.verb} block is not closed with )`)
  return replaces
}
