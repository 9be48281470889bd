import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import type { FileChange, Git } from '../github/git.js'

/**
 * The largest merge-base version read from git (Semgrep's default `--max-target-bytes`; the scan itself
 * runs without a limit): bigger ones are not read at all (their head version's findings, if any, then all
 * count as new).
 */
export const MAX_BASE_BLOB_BYTES = 1_000_000

export interface BaseTree {
  /** Absolute directory holding the merge-base versions, at their head paths. */
  dir: string
  /** Head-relative paths written under `dir`, with their merge-base content. */
  files: Map<string, string>
}

/**
 * Writes the merge-base version of every planned change (modified in place, or renamed: the old content
 * goes to the new path) into `dir`, so one engine run scans both versions and a finding counts as new
 * only when its fingerprint (rule + path + matched code) is not found in the old version. The user's
 * working tree is never touched (Semgrep's own `--baseline-commit` runs `git reset --hard` in it, which a
 * killed scan would leave at the merge-base).
 */
export async function writeBaseTree(
  git: Git,
  dir: string,
  previous: readonly FileChange[]
): Promise<BaseTree> {
  const blobs = await git.readBlobs(
    [...new Set(previous.map(change => change.previous!.blob))],
    MAX_BASE_BLOB_BYTES
  )
  mkdirSync(dir, { recursive: true })
  const files = new Map<string, string>()
  for (const change of previous) {
    const content = blobs.get(change.previous!.blob)
    if (!content) continue
    const file = path.join(dir, change.path)
    // Changed paths come from git: repository-relative, no `..`, so this stays inside `dir`.
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, content)
    files.set(change.path, content.toString('utf8'))
  }
  return { dir, files }
}

/** Splits engine results (and per-file errors) by whether they are about the base tree, with its paths made head-relative. */
export function splitBaseResults(
  raw: Record<string, unknown>,
  baseDir: string
): { head: Record<string, unknown>; base: Record<string, unknown> } {
  const prefix = `${baseDir}${path.sep}`
  const inBase = (item: unknown) => {
    const p = (item as { path?: unknown } | null)?.path
    return typeof p === 'string' && p.startsWith(prefix)
  }
  const rebase = (item: unknown) => ({
    ...(item as Record<string, unknown>),
    path: (item as { path: string }).path.slice(prefix.length).split(path.sep).join('/')
  })
  // The engine's SARIF gives an error no location: its message names the file, when there is one.
  const errorInBase = (item: unknown) => {
    const { path: file, message } = (item ?? {}) as { path?: unknown; message?: unknown }
    return file === undefined ? typeof message === 'string' && message.includes(prefix) : inBase(item)
  }
  const rebaseError = (item: unknown) =>
    (item as { path?: unknown }).path === undefined ? item : rebase(item)
  const results = Array.isArray(raw.results) ? raw.results : []
  const errors = Array.isArray(raw.errors) ? raw.errors : []
  return {
    head: { ...raw, results: results.filter(r => !inBase(r)), errors: errors.filter(e => !errorInBase(e)) },
    base: {
      ...raw,
      results: results.filter(inBase).map(rebase),
      errors: errors.filter(errorInBase).map(rebaseError)
    }
  }
}
