import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from './git-repo.js'

export interface PullRequestCheckout {
  /** The clone on the feature branch, as actions/checkout leaves it (origin/main present). */
  workspace: string
  baseCommit: string
  headCommit: string
  /** A pull_request event payload for this change, as GitHub sends it. */
  payload: Record<string, unknown>
}

/**
 * A repository whose `main` holds `base` and whose `feature` branch adds `head` on top, cloned on the
 * feature branch: what a workflow sees on a pull_request from `feature` into `main`.
 */
export function pullRequestCheckout(
  base: Record<string, string>,
  head: Record<string, string>,
  repository = 'octo-org/octo-repo'
): PullRequestCheckout {
  const root = mkdtempSync(path.join(tmpdir(), 'pr-checkout-'))
  const origin = path.join(root, 'origin')
  git(root, 'init', '-q', '-b', 'main', origin)
  writeFiles(origin, base)
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '-m', 'base')
  const baseCommit = git(origin, 'rev-parse', 'HEAD')
  git(origin, 'checkout', '-q', '-b', 'feature')
  writeFiles(origin, head)
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '-m', 'the change under review')
  const workspace = path.join(root, 'ws')
  git(root, 'clone', '-q', '--branch', 'feature', origin, workspace)
  const headCommit = git(workspace, 'rev-parse', 'HEAD')
  const payload = {
    pull_request: {
      number: 7,
      base: { ref: 'main', sha: baseCommit, repo: { full_name: repository } },
      head: { ref: 'feature', sha: headCommit, repo: { full_name: repository } }
    }
  }
  return { workspace, baseCommit, headCommit, payload }
}
