import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { Glob, GlobSyntaxError } from './glob-match.js'
import { staticPrefix, walkFiles } from './walk.js'

export interface GlobMatch {
  pattern: string
  files: string[]
}

/**
 * Expands workspace-relative globs (Node 20 has no fs.glob). No symbolic link is followed, to a file
 * or a directory, so a pattern cannot reach outside the workspace. Returns each pattern's matches, sorted.
 */
export function expandGlobs(root: string, patterns: string[], inputName = 'reports'): GlobMatch[] {
  return patterns.map(raw => {
    const pattern = checkedPattern(raw, inputName)
    const [glob] = globsOf([pattern], inputName)
    const candidates = walkFiles(root, { start: staticPrefix(pattern), inputName })
    const files = candidates.filter(f => glob!.matches(f)).sort()
    return { pattern: raw, files }
  })
}

/** The pattern without its `!` and `./`, refused when it could reach outside the repository. */
function checkedPattern(raw: string, inputName: string): string {
  const pattern = (raw.startsWith('!') ? raw.slice(1) : raw).replace(/^\.\//, '')
  if (path.isAbsolute(pattern) || pattern.split('/').includes('..') || pattern.includes('\0')) {
    throw new ConfigurationError(
      `Input '${inputName}': pattern '${raw}' leaves the workspace; use a path relative to the repository without '..'.`
    )
  }
  return pattern
}

/**
 * `selectFiles` over a list of repository-relative paths instead of a directory (a git tree, an
 * archive): the same pattern checks and the same union-minus-negations.
 */
export function selectPaths(paths: readonly string[], patterns: string[], inputName: string): string[] {
  // Compiled once: thousands of paths are matched against the same few patterns.
  const compile = (list: string[]) =>
    globsOf(
      list.map(p => checkedPattern(p, inputName)),
      inputName
    )
  const positive = compile(patterns.filter(p => !p.startsWith('!')))
  const negative = compile(patterns.filter(p => p.startsWith('!')))
  const matches = (file: string, list: Glob[]) => list.some(glob => glob.matches(file))
  return paths.filter(file => matches(file, positive) && !matches(file, negative)).sort()
}

/** Path globs (dot names included) from an input; a pattern they cannot read is the input's error. */
export function globsOf(patterns: readonly string[], inputName: string): Glob[] {
  return patterns.map(pattern => {
    try {
      return new Glob(pattern, { dot: true })
    } catch (error) {
      if (error instanceof GlobSyntaxError)
        throw new ConfigurationError(`Input '${inputName}': ${error.message}`)
      throw error
    }
  })
}

/** Union of positive patterns minus the `!negated` ones. */
export function selectFiles(
  root: string,
  patterns: string[],
  inputName = 'reports'
): { files: string[]; unmatched: string[] } {
  const matches = expandGlobs(root, patterns, inputName)
  const excluded = new Set(matches.filter(m => m.pattern.startsWith('!')).flatMap(m => m.files))
  const positive = matches.filter(m => !m.pattern.startsWith('!'))
  const files = [...new Set(positive.flatMap(m => m.files))].filter(f => !excluded.has(f)).sort()
  return { files, unmatched: positive.filter(m => m.files.length === 0).map(m => m.pattern) }
}
