import { lstatSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import { declarationLines } from './declaration-line.js'
import { isLineBasedDependencyFile, partialReadReason } from './dependency-file-text.js'
import type { LockfileText } from './enrich.js'
import { jsonReadReason, isJsonDependencyFile } from './json-dependency-files.js'
import { isRequirementsFile } from './lockfiles.js'
import { engineIncludes, type EngineInclude } from './requirements-includes.js'
import { pipIncludes, type PipInclude } from './requirements-references.js'

/** The largest dependency file read: a larger one is not indexed, and a line-based one is refused. */
const LOCKFILE_TEXT_BYTES = 64 * 1024 * 1024

export interface LockfileReader extends LockfileText {
  /**
   * Refuses a line-based dependency file that osv-scanner would read only in part while pip or Gradle
   * installs from all of it (see partialReadReason), and with `followIncludes` (osv-scanner follows
   * `-r`, Trivy does not) each file a requirements file includes. Returns what pip installs from by an
   * include of a requirements file the scan reads, that the scan does not read (UnreadInclude). Call it
   * before `text`, on the checked-out files only: it keeps the text it reads, so that each file is read once.
   */
  checkLineBased(files: readonly string[], options: { followIncludes: boolean }): UnreadInclude[]
  /**
   * After checkLineBased: the files osv-scanner reads through `file`'s `-r` includes, transitively. It
   * credits their packages to `file`, so a change to one of them is a change to `file`'s dependencies.
   */
  engineIncluded(file: string): string[]
  /**
   * Refuses a JSON dependency file the engine would read otherwise than its package manager
   * (jsonReadReason). Like checkLineBased, on the checked-out files only, keeping the text it reads.
   */
  checkJson(files: readonly string[]): void
  /**
   * Refuses a yarn.lock or pnpm-lock.yaml entry the package manager fetches at another package or
   * version than the scan reports (tarballReadReason); like checkJson, on the checked-out files only.
   */
  checkFetched(files: readonly string[]): Promise<void>
}

/**
 * A file pip installs from because a requirements file the scan reads includes it (pipIncludes), while
 * the scan does not read it: the engine does not follow that include (Trivy follows none; osv-scanner
 * only `-r path` at the start of a line, the path as written), and the file is not scanned on its own.
 * Its packages would pass unseen, so it is reported as not scanned, never as "no packages".
 */
export type UnreadInclude = {
  /** The requirements file whose line includes it. */
  from: string
  include: PipInclude
} & PipTarget

/** What pip opens for an include. */
type PipTarget =
  | { kind: 'file'; /** The workspace file pip opens. */ file: string }
  | { kind: 'link'; /** The first symbolic link on pip's way to it. */ link: string }
  /**
   * A path the scan cannot tell the file of: naming an environment variable pip expands, a URL pip
   * downloads, an absolute path, one that leaves the workspace, a name that is not UTF-8.
   */
  | { kind: 'variable' | 'url' | 'absolute' | 'outside' | 'undecodable' }

/** Reads a file's bytes; given by tests to count the reads. */
export type ReadBytes = (file: string) => Buffer

/**
 * Reads, checks and indexes each dependency file under `root` once, for the check, declaring lines
 * and recorded licenses. Only the `check…` methods refuse anything: a merge-base tree is only read.
 */
export function lockfileReader(
  root: string,
  readBytes: ReadBytes = file => readFileSync(file)
): LockfileReader {
  const texts = new Map<string, string | undefined>()
  const indexes = new Map<string, ReturnType<typeof declarationLines> | undefined>()
  /** Each requirements file's `-r` includes the engine follows, as checkLineBased found them. */
  const followedBy = new Map<string, ReadonlySet<string>>()
  /** The file's bytes, its text kept for `text`; undefined when it is over the cap. */
  const load = (file: string): Buffer | undefined => {
    const full = path.join(root, file)
    const bytes = statSync(full).size <= LOCKFILE_TEXT_BYTES ? readBytes(full) : undefined
    texts.set(file, bytes?.toString('utf8'))
    return bytes
  }
  const text = (file: string) => {
    if (!texts.has(file)) {
      try {
        load(file)
      } catch {
        texts.set(file, undefined)
      }
    }
    return texts.get(file)
  }
  /** Refuses the first file the scan reads otherwise than its package manager, or one too large to tell. */
  const refuseUnlike = (
    files: readonly string[],
    why: (file: string, text: string) => string | undefined
  ) => {
    for (const file of files) {
      load(file)
      const source = texts.get(file)
      const reason =
        source === undefined
          ? `is over ${LOCKFILE_TEXT_BYTES / 1024 / 1024} MiB, too large to check that the scan reads it as the package manager does`
          : why(file, source)
      if (reason) throw new BrokenInputError(file, reason)
    }
  }
  return {
    text,
    line(file, pkg) {
      if (!indexes.has(file)) {
        const source = text(file)
        indexes.set(file, source === undefined ? undefined : declarationLines(source))
      }
      return indexes.get(file)?.(pkg)
    },
    engineIncluded(file) {
      const reached = new Set<string>()
      const pending = [...(followedBy.get(file) ?? [])]
      for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
        if (reached.has(next) || next === file) continue
        reached.add(next)
        pending.push(...(followedBy.get(next) ?? []))
      }
      return [...reached].sort()
    },
    checkJson(files) {
      refuseUnlike(files.filter(isJsonDependencyFile), jsonReadReason)
    },
    async checkFetched(files) {
      const locks = files.filter(isYarnOrPnpmLock)
      if (locks.length === 0) return
      // The YAML reader pnpm and Yarn 2+ lockfiles need is loaded only by a scan that has one: every
      // other scan would pay for compiling it at start-up.
      const { tarballReadReason } = await import('./yarn-pnpm-tarballs.js')
      refuseUnlike(locks, tarballReadReason)
    },
    checkLineBased(files, { followIncludes }) {
      const checked = (next: Pending) => {
        const bytes = load(next.file)
        return checkedText(next, bytes, texts.get(next.file))
      }
      const pending: Pending[] = files
        .filter(isLineBasedDependencyFile)
        .map(file => ({ file, asRequirements: isRequirementsFile(file) }))
      const seen = new Set(pending.map(p => p.file))
      /** Every file the engine reads as a requirements file: given by name, or reached by its includes. */
      const scanned = new Set<string>()
      const pipOnly: { from: string; include: PipInclude; followed: ReadonlySet<string> }[] = []
      // A pull request's million `-r a.txt` lines: each include is resolved, and kept, once.
      const resolved = new Map<string, string | undefined>()
      const pipSeen = new Set<string>()
      // Breadth first over the include graph; `seen` ends a cycle (`a.txt` ↔ `b.txt`, a file including itself).
      for (let next = pending.shift(); next; next = pending.shift()) {
        const source = checked(next)
        if (!next.asRequirements) continue
        scanned.add(next.file)
        const followed = new Set<string>()
        followedBy.set(next.file, followed)
        for (const include of followIncludes ? engineIncludes(source) : []) {
          const key = `${path.posix.dirname(next.file)}\0${include.target}`
          if (!resolved.has(key)) resolved.set(key, includedFile(root, next.file, include))
          const file = resolved.get(key)
          if (file === undefined) continue
          followed.add(file)
          if (seen.has(file)) continue
          seen.add(file)
          pending.push({ file, asRequirements: true, includedBy: { file: next.file, line: include.line } })
        }
        for (const include of pipIncludes(source)) {
          const key = `${next.file}\0${include.target}`
          if (pipSeen.has(key)) continue
          pipSeen.add(key)
          pipOnly.push({ from: next.file, include, followed })
        }
      }
      const out = new Map<string, UnreadInclude>()
      // By directory and path: a pull request's million `-r` lines cost one walk each only once.
      const targets = new Map<string, PipTarget | undefined>()
      for (const { from, include, followed } of pipOnly) {
        const dir = path.posix.dirname(from)
        const key = `${dir}\0${include.target}`
        if (!targets.has(key)) targets.set(key, pipTarget(root, dir, include.target))
        const target = targets.get(key)
        if (target === undefined) continue
        if (target.kind === 'file' && (followed.has(target.file) || scanned.has(target.file))) continue
        const named = target.kind === 'file' ? `file ${target.file}` : `line ${from}:${include.line}`
        if (!out.has(named)) out.set(named, { from, include, ...target })
      }
      return [...out.values()]
    }
  }
}

const isYarnOrPnpmLock = (file: string) => ['yarn.lock', 'pnpm-lock.yaml'].includes(path.posix.basename(file))

/** A file the check is to read, and the `-r` line it was reached by. */
interface Pending {
  file: string
  asRequirements: boolean
  includedBy?: { file: string; line: number }
}

/** The file's text, or a refusal naming it when the engine would read only part of it. */
function checkedText(next: Pending, bytes: Buffer | undefined, text: string | undefined): string {
  const reached = next.includedBy
    ? ` (${next.includedBy.file} line ${next.includedBy.line} includes it with -r)`
    : ''
  if (bytes === undefined || text === undefined)
    throw new BrokenInputError(
      next.file,
      `is over ${LOCKFILE_TEXT_BYTES / 1024 / 1024} MiB, too large to check that the scan reads all of it${reached}`
    )
  const reason = partialReadReason(next.file, bytes, { asRequirements: next.asRequirements, text })
  if (reason)
    throw new BrokenInputError(
      next.file,
      `${reason}, so the scan would read only part of it${reached}; save it as UTF-8 without a byte-order mark or a coding cookie, with \\n or \\r\\n line breaks and lines under 64 KiB`
    )
  return text
}

/**
 * The workspace file an include names, as the engine resolves it: Go's `filepath.Join` of the including
 * file's directory and the path (so `/x` lands under that directory too). Undefined when there is no
 * such file: the engine warns and goes on. Refused when it leaves the workspace or goes through a
 * symbolic link: the engine reads either, from anywhere on the runner, and lists its lines as packages.
 */
function includedFile(root: string, from: string, include: EngineInclude): string | undefined {
  const file = path.posix.join(path.posix.dirname(from), include.target)
  const refuse = (why: string) =>
    new BrokenInputError(
      from,
      `line ${include.line} includes ${JSON.stringify(include.target.slice(0, 200))} with -r, ${why}`
    )
  if (file === '..' || file.startsWith('../'))
    throw refuse(
      'a path that leaves the workspace: the scan would read that file from the runner; include only files of the repository, by a path relative to this file'
    )
  // The decoded text shows a byte that is not UTF-8 as U+FFFD: the file the engine opens has another name.
  if (include.target.includes('\ufffd'))
    throw refuse('a name that is not UTF-8, so it cannot be checked; rename the file')
  const link = firstLink(root, file)
  if (link === 'missing') return undefined
  if (link !== undefined)
    throw refuse(
      `through the symbolic link ${link}: the scan would follow it, wherever it points; include the file itself, not a link`
    )
  return file
}

/** pip's `SCHEME_RE`: an include pip fetches (`get_file_content`) rather than joins to the including file's directory. */
const PIP_URL = /^(?:http|https|file):/i

/**
 * What pip opens for an include of a file in `dir` (`os.path.join` of that directory and the path, opened
 * by the system, so `..` after a symbolic link is taken from where the link points): the workspace file,
 * or why the scan cannot tell which file it is; undefined when pip finds no file there (it then fails,
 * installing nothing). Each step is looked at with lstat: no link is followed, nothing outside is read.
 */
function pipTarget(root: string, dir: string, target: string): PipTarget | undefined {
  if (target.includes('${')) return { kind: 'variable' }
  if (PIP_URL.test(target)) return { kind: 'url' }
  if (target.startsWith('/')) return { kind: 'absolute' }
  if (target.includes('\ufffd')) return { kind: 'undecodable' }
  const parts = dir === '.' ? [] : dir.split('/')
  const steps = target.split('/')
  // `x.txt/`, `sub/.`, `sub/..` name a directory, or nothing: opening it fails.
  if (['', '.', '..'].includes(steps.at(-1)!)) return undefined
  for (const [i, step] of steps.entries()) {
    if (step === '' || step === '.') continue
    if (step === '..') {
      if (parts.length === 0) return { kind: 'outside' }
      parts.pop()
      continue
    }
    parts.push(step)
    let stats
    try {
      stats = lstatSync(path.join(root, ...parts))
    } catch {
      return undefined
    }
    if (stats.isSymbolicLink()) return { kind: 'link', link: parts.join('/') }
    // A step before the last that is not a directory: opening fails (ENOTDIR), as for a last one not a file.
    if (i === steps.length - 1 ? !stats.isFile() : !stats.isDirectory()) return undefined
  }
  return { kind: 'file', file: parts.join('/') }
}

/**
 * The first symbolic link on the way to `file` (itself included), 'missing' when the way ends before a
 * regular file, undefined when none: each step is looked at with lstat, so no link is ever followed.
 */
function firstLink(root: string, file: string): string | 'missing' | undefined {
  const parts = file.split('/')
  for (let i = 1; i <= parts.length; i++) {
    const step = parts.slice(0, i).join('/')
    let stats
    try {
      stats = lstatSync(path.join(root, step))
    } catch {
      return 'missing'
    }
    if (stats.isSymbolicLink()) return step
    if (i === parts.length && !stats.isFile()) return 'missing'
  }
  return undefined
}
