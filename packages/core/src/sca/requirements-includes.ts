import { cutAtMarker, GO_BLANKS, RE2_BLANKS, trimBlanks } from './blanks.js'

/**
 * The `-r` includes osv-scanner 2.6.0 follows in a requirements file, read as its extractor reads them
 * (osv-scalibr `python/requirements`, `extractFromPath`/`readLine`), not as pip does: what matters is
 * which files the engine opens. requirements-references.ts reads the file as pip does, and the two
 * differ where it counts: `flask #x \` joins the next line into a comment for pip, while the engine
 * drops the comment first and follows a `-r` on the next line.
 *
 * The engine follows only a line that starts with `-r` (`-r x`, `-rx`): never `--requirement`, `-c`,
 * `--constraint`, nor a `-r` after another option. It keeps the rest of the line as the path, quotes
 * included, and opens it relative to the including file's directory, recursively.
 */
export interface EngineInclude {
  /** 1-based line of the `-r` (the first of the lines a trailing `\` joins). */
  line: number
  /** The path as the engine takes it from the line, to join to the including file's directory. */
  target: string
}

const ENV_VARIABLE = /\$\{[A-Z0-9_]+\}/
const EXTRAS = /\[[^[\]]*\]/g
/** Per-requirement options: the extractor drops the rest of the line from the first one. */
const REQUIREMENT_OPTIONS = ['--hash', '--global-option', '--config-settings', '-C']

/** Each include the engine follows in `text`, in order. */
export function engineIncludes(text: string): EngineInclude[] {
  const lines = text.split('\n')
  const out: EngineInclude[] = []
  for (let first = 0; first < lines.length; first++) {
    const { content, last } = engineLine(lines, first)
    const target = includeTarget(content)
    if (target !== undefined) out.push({ line: first + 1, target })
    first = last
  }
  return out
}

/**
 * The extractor's `readLine`: the comment is dropped from each line before a trailing `\` joins the
 * next one, and a line naming an environment variable is dropped, with what it joined, unjoined.
 */
function engineLine(lines: readonly string[], first: number): { content: string; last: number } {
  let joined = ''
  for (let i = first; ; i++) {
    const line = cutAtMarker(lines[i]!.replace(/\r$/, ''), ['#'], RE2_BLANKS)
    if (ENV_VARIABLE.test(line)) return { content: '', last: i }
    if (!line.endsWith('\\')) return { content: joined + line, last: i }
    joined += line.slice(0, -1)
    if (i + 1 >= lines.length) return { content: joined, last: i }
  }
}

/** The path of a `-r` line, as `extractFromPath` cuts it: options, markers after `;`, `[extras]` out. */
function includeTarget(content: string): string | undefined {
  const requirement = trimBlanks(cutAtMarker(content, REQUIREMENT_OPTIONS, RE2_BLANKS), GO_BLANKS)
  const line = requirement.split(';', 1)[0]!.replace(EXTRAS, '')
  return line.startsWith('-r') ? trimBlanks(line.slice(2), GO_BLANKS) : undefined
}
