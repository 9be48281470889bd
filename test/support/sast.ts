// What the SAST tests share: the rule pack, the pinned semgrep, and stub engines for error paths.
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from './repo-root.js'
import { toolPath } from './tools-path.js'

export { REPO_ROOT }
export const RULES_DIR = path.join(REPO_ROOT, 'rules')

/** The pinned semgrep that scripts/install-tools.sh provisions. */
export const semgrepBinary = (): string => toolPath('semgrep')

/** An executable shell script standing in for the engine on error paths. */
export function stubEngine(body: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-stub-'))
  const file = path.join(dir, 'semgrep')
  writeFileSync(file, `#!/bin/sh\n${body}\n`)
  chmodSync(file, 0o755)
  return file
}
