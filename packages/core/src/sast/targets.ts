import * as path from 'node:path'
import { globMatches } from '../runtime/glob-match.js'

/** File name patterns per Semgrep language id, for the languages a rule pack can name. */
const LANGUAGE_FILES: Record<string, RegExp> = {
  javascript: /\.(js|jsx|mjs|cjs)$/i,
  js: /\.(js|jsx|mjs|cjs)$/i,
  typescript: /\.(ts|tsx|mts|cts)$/i,
  ts: /\.(ts|tsx|mts|cts)$/i,
  python: /\.(py|pyi)$/i,
  py: /\.(py|pyi)$/i,
  go: /\.go$/i,
  golang: /\.go$/i,
  java: /\.java$/i,
  dockerfile: /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.dockerfile$/i,
  docker: /(^|\/)(Dockerfile|Containerfile)([.-][^/]*)?$|\.dockerfile$/i,
  yaml: /\.ya?ml$/i,
  json: /\.json$/i,
  bash: /\.(sh|bash)$/i,
  sh: /\.(sh|bash)$/i
}
/** Languages whose rules apply to any text file. */
const ANY_FILE = new Set(['regex', 'generic', 'none'])

/**
 * Which changed files a scan with these rule languages could report on. `undefined` languages (a user
 * config we did not read) or an unknown language means "do not filter": better an extra file than a
 * missed one.
 */
export function fileMatcher(languages: readonly string[] | undefined): (file: string) => boolean {
  if (!languages) return () => true
  const lower = languages.map(l => l.toLowerCase())
  if (lower.some(l => ANY_FILE.has(l) || !(l in LANGUAGE_FILES))) return () => true
  const patterns = lower.map(l => LANGUAGE_FILES[l] as RegExp)
  return file => patterns.some(p => p.test(file))
}

/**
 * Semgrep's `--exclude` and `.semgrepignore` semantics (gitignore-style): a pattern without a slash
 * matches any path component (`tests`, `*.min.js`); one with a slash is anchored at the root and also
 * covers everything below a matched directory; a later `!pattern` takes a match back.
 */
export function isExcluded(file: string, patterns: readonly string[]): boolean {
  const parts = file.split('/')
  let excluded = false
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\.\//, '').replace(/\/+$/, '')
    if (pattern === '' || negated !== excluded) continue
    const matches = pattern.includes('/')
      ? parts.some((_, i) =>
          globMatches(parts.slice(0, i + 1).join('/'), pattern.replace(/^\//, ''), { dot: true })
        )
      : parts.some(part => globMatches(part, pattern, { dot: true }))
    if (matches) excluded = !negated
  }
  return excluded
}

export interface TargetPlanInput {
  /** Repository-relative paths changed since the merge-base (added, copied, modified, renamed). */
  changed: readonly string[]
  /** Repository-relative directory or file the user asked to scan (`.` or '' for everything). */
  scanPath: string
  exclude: readonly string[]
  /** The deciding ignore patterns (see `decideIgnoreRules`), relative to the repository root. */
  ignore: readonly string[]
  /** Languages of every configured rule, or undefined when not all configs could be read. */
  languages: readonly string[] | undefined
  /**
   * True for a changed path that is a symbolic link in the checkout: a directory scan does not follow
   * links, and a diff scan must not read whatever one points to (possibly outside the workspace).
   */
  isLink: (file: string) => boolean
}

export interface TargetPlan {
  targets: string[]
  outsidePath: number
  /** By the `exclude` input, by the ignore patterns, or as a symbolic link. */
  excluded: number
  unsupported: number
}

/** The changed files a diff scan passes to the engine, and why the others were left out. */
export function planDiffTargets(input: TargetPlanInput): TargetPlan {
  const root = normalizeRepoPath(input.scanPath)
  const supported = fileMatcher(input.languages)
  const plan: TargetPlan = { targets: [], outsidePath: 0, excluded: 0, unsupported: 0 }
  for (const file of [...new Set(input.changed.map(normalizeRepoPath))].sort()) {
    if (root !== '' && file !== root && !file.startsWith(`${root}/`)) plan.outsidePath++
    else if (isExcluded(root === '' ? file : path.posix.relative(root, file) || file, input.exclude))
      plan.excluded++
    else if (isExcluded(file, input.ignore)) plan.excluded++
    else if (input.isLink(file)) plan.excluded++
    else if (!supported(file)) plan.unsupported++
    else plan.targets.push(file)
  }
  return plan
}

/** Why a plan left files out, in words the summary and the log share: `3 outside the scan path`. */
export function leftOutReasons(plan: TargetPlan): string[] {
  const left = [
    [plan.excluded, 'skipped by the exclude input, the ignore patterns or as links'],
    [plan.outsidePath, 'outside the scan path'],
    [plan.unsupported, 'in no rule’s language']
  ] as const
  return left.filter(([count]) => count > 0).map(([count, why]) => `${count} ${why}`)
}

/**
 * A repository-relative path in one spelling: forward slashes, no `./` or `a/..` parts, no trailing
 * slash, '' for the root. Names that start with a dot (`.github/`) are names, not a `./` prefix.
 */
export function normalizeRepoPath(p: string): string {
  const normal = path.posix.normalize(p.replace(/\\/g, '/')).replace(/\/+$/, '')
  return normal === '.' ? '' : normal
}

/**
 * Linux allows ~2 MiB of argv+env, but a single scan on a monorepo PR can touch thousands of files.
 * Past this budget the scan root is passed instead and only findings in changed files are kept.
 */
export const TARGET_ARGV_BUDGET_BYTES = 128 * 1024

export function fitsArgv(targets: readonly string[], budget = TARGET_ARGV_BUDGET_BYTES): boolean {
  return targets.reduce((sum, t) => sum + Buffer.byteLength(t) + 1, 0) <= budget
}
