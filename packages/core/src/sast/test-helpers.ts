// Shared by this folder's tests only (not exported from the barrel).
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { homedir, tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', '..')
export const RULES_DIR = path.join(REPO_ROOT, 'rules')

/** The pinned semgrep that scripts/install-tools.sh provisions. */
export function semgrepBinary(): string {
  const tools =
    process.env.SECURE_PIPELINE_TOOLS_DIR ?? path.join(homedir(), '.cache', 'secure-pipeline', 'tools')
  return path.join(tools, 'bin', 'semgrep')
}

/** An executable shell script standing in for the engine on error paths. */
export function stubEngine(body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-stub-'))
  const file = path.join(dir, 'semgrep')
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}
