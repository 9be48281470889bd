import type { Finding, FindingKind, Severity } from '../finding.js'
import type { HashOffload } from '../hash-offload.js'

/** Options every native reader accepts. */
export interface ReadOptions {
  /** Absolute workspace root: absolute paths under it become repository-relative. */
  workspace?: string
  /** A second thread for the fingerprints of a large report (readReportFile starts one). */
  offload?: HashOffload
}

/**
 * Shared by findings that have no tags/aliases/cwe, so 100,000 findings do not allocate 300,000 empty
 * arrays. Frozen: a consumer that tries to push into it fails loudly instead of corrupting other findings.
 */
export const NONE: string[] = Object.freeze([]) as unknown as string[]

export function baseFinding(
  scanner: string,
  ruleId: string,
  message: string,
  severity: Severity,
  kind: FindingKind
): Finding {
  return {
    ruleId,
    aliases: NONE,
    message,
    severity,
    kind,
    scanner,
    fingerprint: '',
    partialFingerprints: {},
    suppressions: [],
    cwe: NONE,
    tags: NONE
  }
}

/**
 * A finding's file as a repository path: forward slashes, relative to the workspace when under it, `.` and
 * `..` segments folded. Undefined when it is no path in the repository: empty, absolute outside the
 * workspace, a URI of some scheme (`host://…`, `C:/…`), or leaving the repository through `..`. Annotations,
 * exception globs and the SARIF we upload read it as a repository file, so such a finding keeps no location
 * rather than one that points outside. `leadingSlashIsRoot`: the tool writes paths inside what it scanned
 * with a leading `/` (Grype's directory scans).
 */
export function repoPath(
  path: string,
  workspace?: string,
  { leadingSlashIsRoot = false }: { leadingSlashIsRoot?: boolean } = {}
): string | undefined {
  let out = path.includes('\\') ? path.replace(/\\/g, '/') : path
  if (workspace) {
    const root = workspace.replace(/\\/g, '/').replace(/\/+$/, '') + '/'
    if (out.startsWith(root)) out = out.slice(root.length)
  }
  if (leadingSlashIsRoot) out = out.replace(/^\/+/, '')
  return containedPath(out)
}

const SCHEME_OR_DRIVE = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z]:\/)/
// One test on the common path (100,000 results): a scheme or drive letter, or an empty (also a leading `/`),
// `.` or `..` segment. A path without any of these is already a repository path.
const NOT_PLAIN = /^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/|[A-Za-z]:\/)|(?:^|\/)\.{0,2}(?:\/|$)/

/** A forward-slash path folded to stay inside the repository, or undefined if it cannot. */
export function containedPath(path: string): string | undefined {
  if (!NOT_PLAIN.test(path)) return path
  if (path === '' || path.startsWith('/') || SCHEME_OR_DRIVE.test(path)) return undefined
  const kept: string[] = []
  const segments = path.split('/')
  for (const segment of segments) {
    if (segment === '' || segment === '.') continue
    if (segment !== '..') kept.push(segment)
    else if (kept.pop() === undefined) return undefined
  }
  if (kept.length === 0) return undefined
  return segments[segments.length - 1] === '' ? `${kept.join('/')}/` : kept.join('/')
}

export function nonEmptyList(values: string[]): string[] {
  return values.length === 0 ? NONE : values
}
