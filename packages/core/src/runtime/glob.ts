import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import { minimatch } from 'minimatch'
import { ConfigurationError } from './errors.js'

const SKIP_DIRS = new Set(['.git', 'node_modules'])

/** The directory part of a pattern before its first wildcard: the only place worth walking. */
function staticPrefix(pattern: string): string {
  const parts = pattern.split('/')
  const fixed: string[] = []
  for (const part of parts.slice(0, -1)) {
    if (/[*?[\]{}!]/.test(part)) break
    fixed.push(part)
  }
  return fixed.join('/')
}

function walk(root: string, dir: string, out: string[]): void {
  let entries
  try {
    entries = readdirSync(path.join(root, dir), { withFileTypes: true })
  } catch {
    return
  }
  for (const entry of entries) {
    const rel = dir ? `${dir}/${entry.name}` : entry.name
    if (entry.isDirectory()) {
      if (!SKIP_DIRS.has(entry.name)) walk(root, rel, out)
    } else if (entry.isFile()) out.push(rel)
  }
}

export interface GlobMatch {
  pattern: string
  files: string[]
}

/**
 * Expands workspace-relative globs (Node 20 has no fs.glob). Symlinks are not followed, so a
 * pattern cannot reach outside the workspace. Returns the matches of each pattern, sorted.
 */
export function expandGlobs(root: string, patterns: string[], inputName = 'reports'): GlobMatch[] {
  return patterns.map(raw => {
    const negated = raw.startsWith('!')
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\.\//, '')
    if (path.isAbsolute(pattern) || pattern.split('/').includes('..') || pattern.includes('\0')) {
      throw new ConfigurationError(
        `Input '${inputName}': pattern '${raw}' leaves the workspace; use a path relative to the repository without '..'.`
      )
    }
    const base = staticPrefix(pattern)
    const candidates: string[] = []
    walk(root, base, candidates)
    const files = candidates.filter(f => minimatch(f, pattern, { dot: true })).sort()
    return { pattern: raw, files }
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
