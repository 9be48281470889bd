import type { Finding, FindingKind, Severity } from '../finding.js'

/** Options every native reader accepts. */
export interface ReadOptions {
  /** Absolute workspace root: absolute paths under it become repository-relative. */
  workspace?: string
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

/** Repository path: forward slashes, no `./`, relative to the workspace when it is inside it. */
export function repoPath(path: string, workspace?: string): string {
  let out = path.includes('\\') ? path.replace(/\\/g, '/') : path
  if (workspace) {
    const root = workspace.replace(/\\/g, '/').replace(/\/+$/, '') + '/'
    if (out.startsWith(root)) out = out.slice(root.length)
  }
  while (out.startsWith('./')) out = out.slice(2)
  return out
}

export function nonEmptyList(values: string[]): string[] {
  return values.length === 0 ? NONE : values
}
