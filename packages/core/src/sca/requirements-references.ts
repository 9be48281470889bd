import { cutAtMarker, PYTHON_BLANKS, trimBlanks } from './blanks.js'

/**
 * A requirement a pip requirements file installs from a URL or a version control system rather than
 * from the package index at a version: `name @ https://…`, `-e git+https://…#egg=name`, a bare
 * archive URL. osv-scanner 2.6.0 lists none of them, so without this they would not even be missing
 * from its report. Local paths (`.`, `./libs/x`, `file:…`, `git+file:…`) are the project's own or
 * vendored code, and are left out, as osv-scanner leaves them out.
 */
export interface DirectReference {
  /** The distribution's name when the line gives one (`name @`, `#egg=`, an archive's file name). */
  name: string | undefined
  /** The URL without credentials, query or fragment (safe to show), or the version range. */
  source: string
  /** From a VCS, from a URL, or from the index without one exact version (a Pipfile.lock's `*`). */
  kind: 'vcs' | 'url' | 'range'
  /** 1-based line where the requirement starts; undefined when the file's reader does not know it. */
  line: number | undefined
}

const VCS = /^(?:git|hg|svn|bzr)\+/i
const REMOTE = /^(?:https?|ftp):\/\//i
/** Where Python's `str.splitlines`, and so pip, breaks a line (but for the \x1c-\x1e separators). */
const LINE_BREAK = /\r\n|[\n\r\v\f\x85\u2028\u2029]/g

/**
 * Each requirement of `text` that installs from a URL or a VCS, or from the index without one exact
 * version (`flask`, `keyring >= 4.1`: osv-scanner lists these, Trivy does not), with its line.
 */
export function directReferences(text: string): DirectReference[] {
  const out: DirectReference[] = []
  for (const { line, content } of logicalLines(text)) {
    const target = requirementTarget(content)
    if (!target) {
      const index = indexRequirement(content)
      if (index && !isExactPin(index.spec))
        out.push({ name: index.name, source: index.spec || 'no version', kind: 'range', line })
      continue
    }
    // A repository on the runner's disk (`git+file:///…`) is the project's own or vendored code.
    const local = /^[a-z]+\+file:/i.test(target.url)
    const kind = local
      ? undefined
      : VCS.test(target.url)
        ? 'vcs'
        : REMOTE.test(target.url)
          ? 'url'
          : undefined
    if (kind)
      out.push({ name: target.name ?? nameFromUrl(target.url), source: shownUrl(target.url), kind, line })
  }
  return out
}

/**
 * pip's logical lines (`join_lines`): `\` at the end joins the next line, but not at the end of a
 * comment, and a comment line ends a join; a comment starts at `#` after a blank. Each is numbered as
 * an editor and the annotations number it, by `\n`, though pip also breaks lines at `\r`, `\f`, U+2028.
 * `content` has its blanks collapsed to one space; `exact` is the line exactly as pip's `ignore_comments`
 * leaves it, blanks and all, for what reads it further as pip does (shlex splits only at ASCII blanks).
 */
function logicalLines(text: string): { line: number; content: string; exact: string }[] {
  const out: { line: number; content: string; exact: string }[] = []
  let newlines = 0
  let counted = 0
  const add = (offset: number, joined: string) => {
    // Blanks collapsed first: a pull request's line of a million spaces must not make a pattern quadratic.
    const content = joined
      .replace(/\s+/g, ' ')
      .replace(/(?:^| )#.*$/, '')
      .trim()
    if (!content) return
    for (; counted < offset; counted++) if (text.charCodeAt(counted) === 10) newlines++
    out.push({
      line: newlines + 1,
      content,
      exact: trimBlanks(cutAtMarker(joined, ['#'], PYTHON_BLANKS), PYTHON_BLANKS)
    })
  }
  let start = 0
  let joined: string | undefined
  for (const { raw, offset } of physicalLines(text)) {
    const comment = isCommentLine(raw)
    if (joined === undefined) start = offset
    if (raw.endsWith('\\') && !comment) joined = (joined ?? '') + withoutEdgeBackslashes(raw)
    else {
      add(start, (joined ?? '') + (comment ? ' ' : '') + raw)
      joined = undefined
    }
  }
  if (joined !== undefined) add(start, joined)
  return out
}

/** An include pip installs from: the file a `-r`/`--requirement` option of an options line names. */
export interface PipInclude {
  /** 1-based line (the first of the lines a trailing `\` joins), numbered by `\n` as `logicalLines` does. */
  line: number
  /** The path as pip takes it: split as shlex splits, quotes and escapes undone, `${VAR}` not expanded. */
  target: string
  /** The option as the line spells it: `-r`, `--requirement`, an abbreviation such as `--requirem`. */
  option: string
}

/** shlex's `whitespace`: the only blanks it splits at. */
const SHLEX_SPACE = new Set([...' \t\r\n'])
/** The long options of pip's requirements-file parser (`build_parser`), each with whether it takes a value. */
const LONG_OPTIONS: Readonly<Record<string, boolean>> = {
  '--index-url': true,
  '--pypi-url': true,
  '--extra-index-url': true,
  '--no-index': false,
  '--constraint': true,
  '--requirement': true,
  '--editable': true,
  '--find-links': true,
  '--no-binary': true,
  '--only-binary': true,
  '--prefer-binary': false,
  '--require-hashes': false,
  '--pre': false,
  '--trusted-host': true,
  '--use-feature': true,
  '--global-option': true,
  '--hash': true,
  '--config-settings': true
}
/** Its short options: each takes a value. */
const SHORT_OPTIONS: Readonly<Record<string, string>> = {
  '-i': '--index-url',
  '-c': '--constraint',
  '-r': '--requirement',
  '-e': '--editable',
  '-f': '--find-links',
  '-C': '--config-settings'
}

/**
 * The files pip installs from because `text` includes them, as pip's `req_file.py` reads a requirements
 * file (checked against pip 23.2's own parser): on its logical lines, a line that starts with an option (`break_args_options`; on a
 * requirement's line the options are that requirement's, and a `-r` there is ignored) is split as
 * `shlex.split` splits it and parsed as optparse parses it: `-r x`, `-rx`, `--requirement x`,
 * `--requirement=x`, an unambiguous abbreviation (`--requirem x`), after other options, quoted. pip
 * follows the first `-r` of a line only, and none on a line with `-e`. Constraint files (`-c`) install
 * nothing and are left out. A line pip refuses (an unclosed quote, an option without its value) yields
 * nothing: pip installs nothing from that file. An option pip does not know is passed over, not refused:
 * another pip version may know it.
 */
export function pipIncludes(text: string): PipInclude[] {
  const out: PipInclude[] = []
  for (const { line, exact } of logicalLines(text)) {
    if (!exact.startsWith('-')) continue
    const tokens = shlexSplit(exact)
    const include = tokens && requirementOption(tokens)
    if (include) out.push({ line, ...include })
  }
  return out
}

/** The first `-r` value optparse finds among `tokens`, as pip's parser is built; undefined when none counts. */
function requirementOption(tokens: readonly string[]): { target: string; option: string } | undefined {
  let first: { target: string; option: string } | undefined
  let editable = false
  for (let i = 0; i < tokens.length; i++) {
    const arg = tokens[i]!
    if (arg === '--') break
    let option: string
    let name: string | undefined
    let value: string | undefined
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=')
      option = equals < 0 ? arg : arg.slice(0, equals)
      if (equals >= 0) value = arg.slice(equals + 1)
      name = longOption(option)
      if (name === undefined || !LONG_OPTIONS[name]) continue
      if (value === undefined) value = tokens[++i]
    } else if (arg.length > 1 && arg.startsWith('-')) {
      option = arg.slice(0, 2)
      name = SHORT_OPTIONS[option]
      if (name === undefined) continue
      value = arg.length > 2 ? arg.slice(2) : tokens[++i]
    } else continue
    // An option without its value: optparse refuses the line, and pip the file.
    if (value === undefined) return undefined
    if (name === '--editable') editable = true
    if (name === '--requirement') first ??= { target: value, option }
  }
  return editable ? undefined : first
}

/** optparse's `_match_abbrev`: the option itself, or the one option it is a prefix of. */
function longOption(option: string): string | undefined {
  if (Object.hasOwn(LONG_OPTIONS, option)) return option
  const candidates = Object.keys(LONG_OPTIONS).filter(name => name.startsWith(option))
  return candidates.length === 1 ? candidates[0] : undefined
}

/**
 * Python's `shlex.split(text)` (POSIX mode, no comments), in one pass; undefined where it raises (a quote
 * left open, a `\` at the end). A backslash escapes any character outside quotes, only `"` and `\` inside
 * double quotes, nothing inside single quotes; `''` is an empty word.
 */
function shlexSplit(text: string): string[] | undefined {
  const words: string[] = []
  let word = ''
  let started = false
  let quote: string | undefined
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!
    if (quote === "'") {
      if (c === "'") quote = undefined
      else word += c
    } else if (quote === '"') {
      if (c === '"') quote = undefined
      else if (c !== '\\') word += c
      else if (i + 1 >= text.length) return undefined
      else {
        const next = text[++i]!
        word += next === '"' || next === '\\' ? next : `\\${next}`
      }
    } else if (SHLEX_SPACE.has(c)) {
      if (started) words.push(word)
      word = ''
      started = false
    } else {
      started = true
      if (c === '"' || c === "'") quote = c
      else if (c !== '\\') word += c
      else if (i + 1 >= text.length) return undefined
      else word += text[++i]!
    }
  }
  if (quote !== undefined) return undefined
  if (started) words.push(word)
  return words
}

/** pip's `COMMENT_RE.match`: `#` after nothing but Python's blanks (U+001F is one, as JavaScript's `\s` has it not). */
function isCommentLine(raw: string): boolean {
  return trimBlanks(raw, PYTHON_BLANKS).startsWith('#')
}

/** `raw` without the backslashes that start and end it, in one pass (a pattern would backtrack on runs). */
function withoutEdgeBackslashes(raw: string): string {
  let end = raw.length
  while (end > 0 && raw[end - 1] === '\\') end--
  let start = 0
  while (start < end && raw[start] === '\\') start++
  return raw.slice(start, end)
}

/** The text between line breaks as Python's `str.splitlines` finds them, with where each starts. */
function physicalLines(text: string): { raw: string; offset: number }[] {
  const out: { raw: string; offset: number }[] = []
  let offset = 0
  for (const end of text.matchAll(LINE_BREAK)) {
    out.push({ raw: text.slice(offset, end.index), offset })
    offset = end.index + end[0].length
  }
  out.push({ raw: text.slice(offset), offset })
  return out
}

/** The URL a line installs from, and the name it gives, or undefined for an index requirement or an option. */
function requirementTarget(content: string): { url: string; name?: string } | undefined {
  if (content.startsWith('-')) {
    const url = editable(content)
    // pip reads `-e git://…` as `git+git://…`
    return url ? { url: url.replace(/^(git|hg|svn|bzr):/i, '$1+$1:') } : undefined
  }
  // PEP 508: `name [extras] @ url [; marker]`; the URL ends at the first blank or `;`.
  const named = /^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*@\s*([^\s;]+)/.exec(content)
  if (named) return { name: named[1]!, url: named[2]! }
  const url = content.split(/\s|;/)[0]!
  return VCS.test(url) || REMOTE.test(url) ? { url } : undefined
}

/** `name [extras] specifier [; marker]` from the index, its per-requirement options (`--hash`) left out. */
function indexRequirement(content: string): { name: string; spec: string } | undefined {
  const requirement = content.replace(/\s+--?[A-Za-z].*$/, '')
  const match = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(?:\[[^\]]*\])?\s*([^;]*?)\s*(?:;.*)?$/.exec(
    requirement
  )
  // A specifier starts with an operator (or PEP 440's parenthesised form): anything else is a path.
  if (!match || (match[2] && !/^[<>=!~(]/.test(match[2]))) return undefined
  return { name: match[1]!, spec: match[2]!.replace(/\s+/g, '') }
}

/** One `==` (or `===`) clause without a wildcard: the only specifier that names one version. */
function isExactPin(spec: string): boolean {
  return /^===?[^,*]+$/.test(spec)
}

/**
 * The value of `-e`/`--editable` on an options line, the only option whose value is a requirement, read
 * as pip's optparse reads it: after other options, quoted, `-eURL`, `--editable=URL`, `--edit URL`.
 */
function editable(options: string): string | undefined {
  const tokens = (options.match(/(?:"[^"]*"|'[^']*'|[^\s"']+)+/g) ?? []).map(t => t.replace(/["']/g, ''))
  for (let i = 0; i < tokens.length; i++) {
    const long = /^(--[a-z-]+)(?:=(.*))?$/.exec(tokens[i]!)
    if (long && long[1]!.length > 3 && '--editable'.startsWith(long[1]!)) return long[2] ?? tokens[i + 1]
    if (tokens[i]!.startsWith('-e')) return tokens[i]!.slice(2) || tokens[i + 1]
  }
  return undefined
}

/** `#egg=name`, else an archive's `name-1.2.3.tar.gz` / wheel's `name-1.2.3-py3-none-any.whl`. */
function nameFromUrl(url: string): string | undefined {
  const egg = /[#&]egg=([A-Za-z0-9._-]+)/.exec(url)?.[1]
  if (egg) return egg
  const file = url.split(/[?#]/)[0]!.split('/').pop() ?? ''
  if (!/\.(?:whl|tar\.gz|tgz|tar\.bz2|zip)$/i.test(file)) return undefined
  return /^([A-Za-z0-9][A-Za-z0-9._]*?)-\d/.exec(file)?.[1]
}

/** A URL as it may be shown: a token in `https://user:token@host` or `?token=` stays out of reports. */
export function shownUrl(url: string): string {
  // The user info ends at the authority's last `@`, which may follow a `?` or `#` in a password.
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/]*@/i, '$1').split(/[?#]/)[0]!
}
