import { readFileSync } from 'node:fs'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'

/**
 * What the workflow run is about, computed from the event payload and the runner's environment.
 * Everything but `readActionsContext` is pure: tests pass payloads in.
 */

export interface RepoRef {
  owner: string
  repo: string
}

export interface ActionsContext {
  eventName: string
  repo: RepoRef
  /** Commit the workflow runs on (for pull_request: the test merge commit). */
  sha: string
  ref: string
  /** Only set for pull_request(-like) events. */
  baseRef?: string
  headRef?: string
  serverUrl: string
  apiUrl: string
  runId?: string
  runAttempt?: string
  payload: Record<string, unknown>
}

export interface PullRequestRefs {
  number?: number
  base: { ref: string; sha: string }
  head: { ref: string; sha: string }
}

/** What to compare against: a base branch (merge-base computed later) or an exact base commit. */
export type ComparisonTarget =
  | { kind: 'branch'; baseRef: string; headSha: string; frozenBaseSha?: string }
  | { kind: 'commit'; baseSha: string; headSha: string }
  | { kind: 'none'; reason: string }

const PULL_REQUEST_EVENTS = new Set([
  'pull_request',
  'pull_request_target',
  'pull_request_review',
  'pull_request_review_comment'
])
const ZERO_SHA = /^0+$/

type Json = Record<string, unknown>

function obj(value: unknown): Json | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined
}

export function parseRepository(value: string | undefined): RepoRef {
  const match = /^([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+)$/.exec(value?.trim() ?? '')
  if (!match) {
    throw new ConfigurationError(
      `GITHUB_REPOSITORY '${value ?? ''}' is not 'owner/repo'; run inside GitHub Actions or set it`
    )
  }
  return { owner: match[1] as string, repo: match[2] as string }
}

/** Builds the context from an environment and an already-parsed payload (pure). */
export function buildActionsContext(env: Record<string, string | undefined>, payload: Json): ActionsContext {
  const serverUrl = (env.GITHUB_SERVER_URL || 'https://github.com').replace(/\/+$/, '')
  return {
    eventName: env.GITHUB_EVENT_NAME || '',
    repo: parseRepository(env.GITHUB_REPOSITORY),
    sha: env.GITHUB_SHA || '',
    ref: env.GITHUB_REF || '',
    baseRef: env.GITHUB_BASE_REF || undefined,
    headRef: env.GITHUB_HEAD_REF || undefined,
    serverUrl,
    apiUrl: (env.GITHUB_API_URL || 'https://api.github.com').replace(/\/+$/, ''),
    runId: env.GITHUB_RUN_ID || undefined,
    runAttempt: env.GITHUB_RUN_ATTEMPT || undefined,
    payload
  }
}

/** Reads GITHUB_EVENT_PATH and the GITHUB_* variables; a missing event file gives an empty payload. */
export function readActionsContext(env: Record<string, string | undefined> = process.env): ActionsContext {
  const eventPath = env.GITHUB_EVENT_PATH
  let payload: Json = {}
  if (eventPath) {
    let text: string
    try {
      text = readFileSync(eventPath, 'utf8')
    } catch (error) {
      throw new ConfigurationError(
        `GITHUB_EVENT_PATH '${eventPath}' cannot be read: ${getErrorMessage(error)}`
      )
    }
    try {
      payload = obj(JSON.parse(text)) ?? {}
    } catch (error) {
      throw new ConfigurationError(`GITHUB_EVENT_PATH '${eventPath}' is not JSON: ${getErrorMessage(error)}`)
    }
  }
  return buildActionsContext(env, payload)
}

export function isPullRequestEvent(ctx: ActionsContext): boolean {
  return PULL_REQUEST_EVENTS.has(ctx.eventName)
}

/** The PR number for pull_request-like events; merge_group has none (the queue entry may batch several). */
export function pullRequestNumber(ctx: ActionsContext): number | undefined {
  if (!isPullRequestEvent(ctx)) return undefined
  const n = obj(ctx.payload.pull_request)?.number ?? ctx.payload.number
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : undefined
}

export function pullRequestRefs(ctx: ActionsContext): PullRequestRefs | undefined {
  if (isPullRequestEvent(ctx)) {
    const pr = obj(ctx.payload.pull_request)
    const base = obj(pr?.base)
    const head = obj(pr?.head)
    const refs = {
      base: { ref: str(base?.ref), sha: str(base?.sha) },
      head: { ref: str(head?.ref), sha: str(head?.sha) }
    }
    if (!refs.base.ref || !refs.base.sha || !refs.head.ref || !refs.head.sha) return undefined
    return { number: pullRequestNumber(ctx), ...(refs as PullRequestRefs) }
  }
  if (ctx.eventName === 'merge_group') {
    const group = obj(ctx.payload.merge_group)
    const baseSha = str(group?.base_sha)
    const headSha = str(group?.head_sha)
    const baseRef = str(group?.base_ref)
    const headRef = str(group?.head_ref)
    if (!baseSha || !headSha || !baseRef || !headRef) return undefined
    return {
      base: { ref: stripHeads(baseRef), sha: baseSha },
      head: { ref: stripHeads(headRef), sha: headSha }
    }
  }
  return undefined
}

function stripHeads(ref: string): string {
  return ref.replace(/^refs\/heads\//, '')
}

/**
 * A PR from a fork gets a read-only token and no secrets (pull_request). A deleted head repository
 * (`head.repo: null`) is treated as a fork: nothing proves it was not one.
 */
export function isForkPullRequest(ctx: ActionsContext): boolean {
  if (!isPullRequestEvent(ctx)) return false
  const pr = obj(ctx.payload.pull_request)
  const headRepo = obj(obj(pr?.head)?.repo)
  const baseRepo = obj(obj(pr?.base)?.repo)
  if (!headRepo) return true
  if (headRepo.fork === true) return true
  const headName = str(headRepo.full_name)?.toLowerCase()
  const baseName = (str(baseRepo?.full_name) ?? `${ctx.repo.owner}/${ctx.repo.repo}`).toLowerCase()
  return headName !== baseName
}

export function defaultBranch(ctx: ActionsContext): string | undefined {
  return str(obj(ctx.payload.repository)?.default_branch)
}

export function runUrl(ctx: ActionsContext): string | undefined {
  if (!ctx.runId) return undefined
  const url = `${ctx.serverUrl}/${ctx.repo.owner}/${ctx.repo.repo}/actions/runs/${ctx.runId}`
  return ctx.runAttempt && ctx.runAttempt !== '1' ? `${url}/attempts/${ctx.runAttempt}` : url
}

/**
 * pull_request: compare against the base branch's merge-base with HEAD, never the frozen `base.sha`.
 * merge_group: the queue built head on `base_sha`, so that commit is the base.
 * push: `before` when it is a real commit (not a new branch).
 */
export function comparisonTarget(ctx: ActionsContext): ComparisonTarget {
  const refs = pullRequestRefs(ctx)
  if (isPullRequestEvent(ctx)) {
    if (!refs) return { kind: 'none', reason: `the ${ctx.eventName} payload has no pull_request base/head` }
    return {
      kind: 'branch',
      baseRef: refs.base.ref,
      headSha: ctx.sha || refs.head.sha,
      frozenBaseSha: refs.base.sha
    }
  }
  if (ctx.eventName === 'merge_group') {
    if (!refs) return { kind: 'none', reason: 'the merge_group payload has no base_sha/head_sha' }
    return { kind: 'commit', baseSha: refs.base.sha, headSha: refs.head.sha }
  }
  if (ctx.eventName === 'push') {
    const before = str(ctx.payload.before)
    const after = str(ctx.payload.after) ?? ctx.sha
    if (!before || ZERO_SHA.test(before))
      return { kind: 'none', reason: 'the push created the branch (no previous commit)' }
    return { kind: 'commit', baseSha: before, headSha: after }
  }
  return { kind: 'none', reason: `event '${ctx.eventName || 'unknown'}' has nothing to compare against` }
}
