import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from './git-repo.js'

export interface PullRequestCheckout {
  /** A clone of the pull request's branch, as actions/checkout leaves it (origin/main fetched). */
  workspace: string
  baseSha: string
  headSha: string
  /** The pull_request event for runBundle. */
  event: { name: string; payload: unknown }
  /** GITHUB_SHA and GITHUB_REF as the runner sets them for this pull request. */
  env: Record<string, string>
}

export interface PullRequestOptions {
  /** The base branch's files. */
  base: Record<string, string>
  /** What the pull request writes on top of them (committed). */
  change: Record<string, string>
  /** Files the pull request deletes. */
  remove?: string[]
  /** Symbolic links the pull request commits (repository-relative name → link target), after `remove`. */
  links?: Record<string, string>
  number?: number
  /** The head repository's full name: another one than octo-org/octo-repo is a fork. */
  headRepo?: string
}

/**
 * A real git history for a pull request into octo-org/octo-repo: `main` with the base files, a
 * `feature` branch with the change, and a workspace cloned from it. Scanner outputs are written into
 * the workspace afterwards, untracked, as the scanning steps would.
 */
export function pullRequestCheckout(options: PullRequestOptions): PullRequestCheckout {
  const root = mkdtempSync(path.join(tmpdir(), 'pr-checkout-'))
  const origin = path.join(root, 'origin')
  git(root, 'init', '-q', '-b', 'main', origin)
  writeFiles(origin, options.base)
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '--allow-empty', '-m', 'base')
  const baseSha = git(origin, 'rev-parse', 'HEAD')
  git(origin, 'checkout', '-q', '-b', 'feature')
  writeFiles(origin, options.change)
  for (const file of options.remove ?? []) rmSync(path.join(origin, file), { recursive: true })
  for (const [name, target] of Object.entries(options.links ?? {})) {
    mkdirSync(path.dirname(path.join(origin, name)), { recursive: true })
    symlinkSync(target, path.join(origin, name))
  }
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '--allow-empty', '-m', 'change')
  const headSha = git(origin, 'rev-parse', 'HEAD')
  const workspace = path.join(root, 'ws')
  git(root, 'clone', '-q', '--branch', 'feature', origin, workspace)
  const number = options.number ?? 7
  return {
    workspace,
    baseSha,
    headSha,
    env: { GITHUB_SHA: headSha, GITHUB_REF: `refs/pull/${number}/merge` },
    event: {
      name: 'pull_request',
      payload: {
        number,
        pull_request: {
          number,
          base: { ref: 'main', sha: baseSha, repo: { full_name: 'octo-org/octo-repo' } },
          head: {
            ref: 'feature',
            sha: headSha,
            repo: { full_name: options.headRepo ?? 'octo-org/octo-repo' }
          }
        },
        repository: { default_branch: 'main' }
      }
    }
  }
}

/**
 * Points this process's runner variables at the pull request (workspace, event file, GITHUB_SHA/REF),
 * for an action's run() called in-process; the returned function puts the previous values back.
 */
export function enterPullRequest(pr: PullRequestCheckout): () => void {
  const event = path.join(path.dirname(pr.workspace), 'event.json')
  writeFileSync(event, JSON.stringify(pr.event.payload))
  const names = ['GITHUB_WORKSPACE', 'GITHUB_EVENT_NAME', 'GITHUB_EVENT_PATH', ...Object.keys(pr.env)]
  const saved = Object.fromEntries(names.map(name => [name, process.env[name]]))
  Object.assign(process.env, {
    ...pr.env,
    GITHUB_WORKSPACE: pr.workspace,
    GITHUB_EVENT_NAME: pr.event.name,
    GITHUB_EVENT_PATH: event
  })
  return () => {
    for (const [name, value] of Object.entries(saved))
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
  }
}
