import type { ActionsContext, RepoRef } from '../github/context.js'
import type { GitData } from '../github/git-data.js'
import type { GitOptions } from '../github/git.js'
import type { JobSummary } from '../runtime/job-summary.js'
import type { Logger } from '../runtime/logger.js'
import type { HelmKey } from './helm.js'
import type { BumpPlan } from './plan.js'
import type { Strategy } from './site.js'
import type { PullRequestText } from './pull-request-text.js'
import type { BumpTarget } from './target.js'

/** The action's names for the inputs that messages speak of; core names no input itself. */
export interface BumpInputNames {
  token: string
  paths: string
  workingDirectory: string
  digest: string
  resolveDigest: string
  requireVerified: string
  allowDowngrade: string
  branch: string
  diffFile: string
  gate: string
  autoMerge: string
}

/** Everything bump-manifest-pr is asked to do, parsed from its inputs. */
export interface BumpRunOptions {
  workspace: string
  /** The image and its new tag/digest, before a digest is resolved. */
  target: BumpTarget
  strategy: 'auto' | Strategy
  helmKey?: HelmKey
  fluxPolicies: readonly string[]
  paths: string[]
  /** The manifests repository; the workflow's own when undefined. */
  repository?: RepoRef
  /** The base branch; the repository's default branch when undefined. */
  base?: string
  /** The branch to push; the deterministic `secure-pipeline/bump/…` one when undefined. */
  branch?: string
  title?: string
  labels: readonly string[]
  /** Users, and teams written `org/team`. */
  reviewers: readonly string[]
  autoMerge?: 'merge' | 'squash' | 'rebase'
  dryRun: boolean
  /** A local checkout of the manifests repository (workspace-relative) for dry runs and git pushes. */
  workingDirectory?: string
  /** How the change reaches the repository: Git Data API commits, or `git push` from the checkout. */
  push: 'api' | 'git'
  /** Look the digest of the tag up in the registry when only a tag is given. */
  resolveDigest: boolean
  /** Refuse a commit GitHub did not sign (an API commit made with a personal access token). */
  requireVerified: boolean
  allowDowngrade: boolean
  /** The gate's outcome, shown in the pull request; with auto-merge, anything but `pass` stops the run. */
  gate?: string
  /** Where the unified diff of every run is written: a path inside the workspace, resolved. */
  diffFile: string
  inputNames: BumpInputNames
}

export interface BumpPorts {
  logger: Logger
  summary: JobSummary
  context: ActionsContext
  /** The Git Data and pulls client for the manifests repository; absent without a token. */
  gitData?: (repository: RepoRef) => GitData
  /** The digest a registry gives for `name:tag`. */
  resolveDigest?: (reference: string) => Promise<string>
  /** The git binary and environment for the git-push mode. */
  git?: GitOptions
}

export type BumpOperation =
  /** A pull request was opened, or an open one was updated, for this run's change. */
  | 'created'
  | 'updated'
  /** The branch and its pull request already hold exactly this change. */
  | 'unchanged'
  /** Another run already put a newer version on the branch; this run left it. */
  | 'superseded'
  /** The manifests already pin this version: nothing to change. */
  | 'no-change'
  /** A person closed the pull request that proposed this version without merging it: nothing was written. */
  | 'declined'
  /** The branch was pushed (git mode) and no pull request could be opened without a token. */
  | 'pushed'
  | 'dry-run'

export interface BumpResult {
  operation: BumpOperation
  repository: string
  base: string
  branch: string
  target: BumpTarget
  digestOrigin?: 'given' | 'registry'
  plan: BumpPlan
  /** Milliseconds spent finding and editing values (read, parse, edit, check), without the network. */
  findEditMs: number
  commit?: { sha: string; verified: boolean }
  /** The pull request of the branch; for `declined`, the closed one that declined this version. */
  pullRequest?: { number: number; url: string }
  /** The unified diff of every edited file. */
  diff: string
  /** The pull request's title and body for this run's change (planned, on a dry run). */
  text?: PullRequestText
}
