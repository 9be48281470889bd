import { execFileSync } from 'node:child_process'
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'

/** A fixed identity and no system or user git config, so no signing, hook or alias changes a test commit. */
export const GIT_TEST_ENV: NodeJS.ProcessEnv = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

/** Runs git in `cwd` and returns its trimmed stdout; a non-zero exit throws with git's stderr. */
export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd,
    env: GIT_TEST_ENV,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe']
  }).trim()
}

/** Writes files (repository-relative name → text) under `root`, creating their directories. */
export function writeFiles(root: string, files: Record<string, string>): void {
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
}

/** A bare `origin` under `root` and a clone of it on branch main, as a checkout on a runner has. */
export function cloneWithOrigin(root: string): { origin: string; clone: string } {
  const origin = path.join(root, 'origin.git')
  const clone = path.join(root, 'clone')
  git(root, 'init', '-q', '--bare', '-b', 'main', origin)
  git(root, 'clone', '-q', origin, clone)
  git(clone, 'checkout', '-q', '-b', 'main')
  return { origin, clone }
}
