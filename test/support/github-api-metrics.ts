import { findOperationById, responseExample } from './github-openapi.js'
import { page } from './github-api-page.js'
import type { ActivityRecord, CommitRecord, DoubleRepo, DoubleUser } from './github-api-state.js'
import { DOCS, notFound, type Builtin, type DoubleRequest, type DoubleResponse } from './github-api-types.js'
import { pullView, userView } from './github-api-views.js'

/**
 * What the metrics action reads, served the way GitHub serves it: workflow runs, artifacts (a redirect to a
 * blob host), code scanning alerts, commits, reviews, check runs, statuses, branch protection, rulesets and
 * rule insights. Kept beside each repository of the double, seeded by tests (see metrics-history.ts).
 */

export interface RunSeed {
  id: number
  workflow: string
  path: string
  branch: string
  event: string
  status: 'completed' | 'in_progress' | 'queued'
  conclusion: string | null
  createdAt: string
  headSha: string
  attempt?: number
  /** The run's commit came from a fork (its head repository is another one). */
  fromFork?: boolean
}

export interface ArtifactSeed {
  id: number
  name: string
  runId: number
  branch: string
  headSha: string
  createdAt: string
  /** The zip archive's bytes, served by the blob host the download redirects to. */
  zip: Buffer
  expired?: boolean
  /** A fork's pull request uploaded it: its head repository is another one. */
  fromFork?: boolean
  /**
   * What started the run, when the run is known only by its artifacts (no RunSeed of its id): `push`
   * when absent. A RunSeed of the same id wins.
   */
  event?: string
}

export interface AlertSeed {
  number: number
  ruleId: string
  securitySeverity?: 'critical' | 'high' | 'medium' | 'low'
  severity?: 'error' | 'warning' | 'note' | 'none'
  tool: string
  createdAt: string
  state: 'open' | 'fixed' | 'dismissed'
  fixedAt?: string
  dismissedAt?: string
  dismissedReason?: 'false positive' | "won't fix" | 'used in tests'
}

export interface ReviewSeed {
  user: DoubleUser
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED'
  submittedAt: string
  commitId: string
}

export interface CheckSeed {
  name: string
  conclusion: string | null
  status?: 'completed' | 'in_progress' | 'queued'
}

/** Branch protection as an admin reads it; `undefined` fields are off. */
export interface ProtectionSeed {
  requiredApprovals?: number
  codeOwnerReview?: boolean
  dismissStale?: boolean
  lastPushApproval?: boolean
  strict?: boolean
  contexts?: string[]
  enforceAdmins?: boolean
  allowForcePushes?: boolean
  allowDeletions?: boolean
}

export interface RulesetSeed {
  id: number
  name: string
  rules: Array<{ type: string; parameters?: Record<string, unknown> }>
  bypassActors?: Array<{
    actor_id: number | null
    actor_type: string
    bypass_mode: 'always' | 'pull_request'
  }>
}

export interface RuleSuiteSeed {
  afterSha: string
  actor: string
  pushedAt: string
  result: 'pass' | 'fail' | 'bypass'
}

export interface MetricsData {
  runs: RunSeed[]
  artifacts: ArtifactSeed[]
  /** Origin of the blob host (an HttpFileServer serving /artifacts/<id>.zip). */
  blobOrigin?: string
  alerts: AlertSeed[]
  /** Code scanning answers 403 "Advanced Security must be enabled" when false. */
  codeScanning: boolean
  reviews: Map<number, ReviewSeed[]>
  checkRuns: Map<string, CheckSeed[]>
  statuses: Map<string, Array<{ context: string; state: 'success' | 'failure' | 'error' | 'pending' }>>
  /** The GitHub account behind each commit's author. */
  commitAuthors: Map<string, DoubleUser>
  /** A rebase merge's other commits on the default branch → the pull request they came from. */
  rebasedCommits: Map<string, number>
  /** null: not protected; `forbidden`: the token is not an admin (403). */
  protection: ProtectionSeed | null | 'forbidden'
  rulesets: RulesetSeed[]
  /** Bypass actors are hidden from tokens without write access. */
  rulesetBypassVisible: boolean
  ruleSuites: RuleSuiteSeed[] | 'forbidden'
  /**
   * The repository activity list: `forbidden` answers 403 as to a token without 'contents: read', `absent`
   * 404 as a GitHub Enterprise Server that has no such list.
   */
  activityList: 'served' | 'forbidden' | 'absent'
}

const store = new WeakMap<DoubleRepo, MetricsData>()

/** The repository's metrics data, created empty on first use. */
export function metricsData(repo: DoubleRepo): MetricsData {
  let data = store.get(repo)
  if (!data) {
    data = {
      runs: [],
      artifacts: [],
      alerts: [],
      codeScanning: true,
      reviews: new Map(),
      checkRuns: new Map(),
      statuses: new Map(),
      commitAuthors: new Map(),
      rebasedCommits: new Map(),
      protection: null,
      rulesets: [],
      rulesetBypassVisible: true,
      ruleSuites: 'forbidden',
      activityList: 'served'
    }
    store.set(repo, data)
  }
  return data
}

/** Test seeding: a commit with the given parents and date, authored by `author`, on no branch yet. */
export function putDatedCommit(
  repo: DoubleRepo,
  input: { parents: string[]; date: string; message: string; author: DoubleUser; sha: string }
): string {
  const person = {
    name: input.author.login,
    email: `${input.author.id}+${input.author.login}@users.noreply.github.com`,
    date: input.date
  }
  const parentTree = input.parents[0] ? repo.commits.get(input.parents[0])?.tree : undefined
  const commit: CommitRecord = {
    sha: input.sha,
    tree: parentTree ?? repo.putTree(new Map()),
    parents: input.parents,
    message: input.message,
    author: person,
    committer: { ...person, name: 'GitHub', email: 'noreply@github.com' },
    verified: true
  }
  repo.commits.set(input.sha, commit)
  metricsData(repo).commitAuthors.set(input.sha, input.author)
  return input.sha
}

/** The `page` of `per_page` items a request asks for, for lists GitHub pages without a link header. */
function onePage<T>(req: DoubleRequest, items: T[]): T[] {
  const perPage = Math.min(Number(req.query.per_page ?? 30), 100)
  const current = Math.max(Number(req.query.page ?? 1), 1)
  return items.slice((current - 1) * perPage, current * perPage)
}

const forbidden = (message: string): DoubleResponse => ({
  status: 403,
  body: { message, documentation_url: DOCS, status: '403' }
})

type Json = Record<string, unknown>
const isPlain = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v)

function overlay(template: unknown, ours: unknown): unknown {
  if (!isPlain(template) || !isPlain(ours)) return ours
  const result: Json = { ...template }
  for (const [key, value] of Object.entries(ours)) {
    if (value === undefined) delete result[key]
    else result[key] = overlay(template[key], value)
  }
  return result
}

const templates = new Map<string, unknown>()

/**
 * GitHub's own example of one item of a list response (the first element of `key`, or of the array),
 * re-pointed at this repository and server: list items are dressed here, one by one, because the double
 * dresses only the top level of a body.
 */
function itemTemplate(operationId: string, key: string | undefined, repo: DoubleRepo, api: string): unknown {
  const cacheKey = `${operationId} ${repo.fullName} ${api}`
  if (!templates.has(cacheKey)) {
    const example = responseExample(findOperationById(operationId)!, 200) as Json | unknown[]
    const list = key ? (example as Json)[key] : example
    const text = JSON.stringify((list as unknown[])[0])
      .replaceAll('https://api.github.com', api)
      .replaceAll('octocat/Hello-World', repo.fullName)
    templates.set(cacheKey, JSON.parse(text))
  }
  return templates.get(cacheKey)
}

function dressed(
  operationId: string,
  key: string | undefined,
  repo: DoubleRepo,
  api: string,
  items: unknown[]
) {
  const template = itemTemplate(operationId, key, repo, api)
  return items.map(item => overlay(structuredClone(template), item))
}

const newestFirst = <T extends { createdAt: string }>(items: T[]) =>
  [...items].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0))

function runView(run: RunSeed, repo: DoubleRepo, api: string, headRepositoryId = repo.id) {
  const url = `${api}/repos/${repo.fullName}/actions/runs/${run.id}`
  return {
    repository: { id: repo.id, full_name: repo.fullName, name: repo.name },
    head_repository: { id: headRepositoryId },
    id: run.id,
    name: run.workflow,
    node_id: `WFR_${run.id}`,
    head_branch: run.branch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.workflow,
    run_number: run.id,
    run_attempt: run.attempt ?? 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: Math.abs(hash(run.path)),
    url,
    html_url: `https://github.com/${repo.fullName}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.createdAt,
    run_started_at: run.createdAt,
    head_commit: null
  }
}

function hash(text: string): number {
  let h = 0
  for (const ch of text) h = (h * 31 + ch.charCodeAt(0)) | 0
  return h
}

function artifactView(a: ArtifactSeed, repo: DoubleRepo, api: string) {
  const url = `${api}/repos/${repo.fullName}/actions/artifacts/${a.id}`
  const expires = new Date(Date.parse(a.createdAt) + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z')
  return {
    id: a.id,
    node_id: `MDg6QXJ0aWZhY3Q${a.id}`,
    name: a.name,
    size_in_bytes: a.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: a.expired ?? false,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    expires_at: expires,
    workflow_run: {
      id: a.runId,
      repository_id: repo.id,
      head_repository_id: a.fromFork ? repo.id + 7777 : repo.id,
      head_branch: a.branch,
      head_sha: a.headSha
    }
  }
}

function alertView(a: AlertSeed, repo: DoubleRepo, api: string) {
  const url = `${api}/repos/${repo.fullName}/code-scanning/alerts/${a.number}`
  const closedAt = a.fixedAt ?? a.dismissedAt
  return {
    number: a.number,
    created_at: a.createdAt,
    updated_at: closedAt ?? a.createdAt,
    url,
    html_url: `https://github.com/${repo.fullName}/security/code-scanning/${a.number}`,
    instances_url: `${url}/instances`,
    state: a.state,
    fixed_at: a.fixedAt ?? null,
    dismissed_by: a.dismissedAt ? userView({ login: 'security-lead', id: 9001, type: 'User' }, api) : null,
    dismissed_at: a.dismissedAt ?? null,
    dismissed_reason: a.dismissedReason ?? null,
    dismissed_comment: null,
    rule: {
      id: a.ruleId,
      name: a.ruleId,
      severity: a.severity ?? 'warning',
      security_severity_level: a.securitySeverity ?? null,
      description: `Rule ${a.ruleId}`,
      tags: ['security']
    },
    tool: { name: a.tool, guid: null, version: '1.0.0' },
    most_recent_instance: {
      ref: `refs/heads/${repo.defaultBranch}`,
      analysis_key: '.github/workflows/pipeline.yml:gate',
      category: `${a.tool}/`,
      environment: '{}',
      state: a.state,
      commit_sha: 'f'.repeat(40),
      message: { text: `Alert ${a.number}` },
      location: { path: 'src/app.ts', start_line: 1, end_line: 1, start_column: 1, end_column: 2 },
      classifications: []
    }
  }
}

/** Every commit reachable from `start`, newest first by commit date, as list-commits walks them. */
function reachable(repo: DoubleRepo, start: string): CommitRecord[] {
  const seen = new Set<string>()
  const queue = [start]
  const found: CommitRecord[] = []
  while (queue.length > 0) {
    const sha = queue.pop()!
    if (seen.has(sha)) continue
    seen.add(sha)
    const commit = repo.commits.get(sha)
    if (!commit) continue
    found.push(commit)
    queue.push(...commit.parents)
  }
  return found.sort((a, b) =>
    a.committer.date < b.committer.date ? 1 : a.committer.date > b.committer.date ? -1 : 0
  )
}

function commitView(commit: CommitRecord, repo: DoubleRepo, api: string) {
  const author = metricsData(repo).commitAuthors.get(commit.sha)
  const base = `${api}/repos/${repo.fullName}`
  return {
    url: `${base}/commits/${commit.sha}`,
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    html_url: `https://github.com/${repo.fullName}/commit/${commit.sha}`,
    comments_url: `${base}/commits/${commit.sha}/comments`,
    commit: {
      url: `${base}/git/commits/${commit.sha}`,
      author: commit.author,
      committer: commit.committer,
      message: commit.message,
      comment_count: 0,
      tree: { sha: commit.tree, url: `${base}/git/trees/${commit.tree}` }
    },
    author: author ? userView(author, api) : null,
    committer: null,
    parents: commit.parents.map(sha => ({
      sha,
      url: `${base}/commits/${sha}`,
      html_url: `https://github.com/${repo.fullName}/commit/${sha}`
    }))
  }
}

/**
 * A commit-ish of a comparison: a commit id, a full ref, or a bare name resolved the way git resolves one
 * (refs/<name>, then refs/tags/<name>, then refs/heads/<name>), so a tag named like a branch wins.
 */
function commitish(repo: DoubleRepo, name: string): string | undefined {
  if (/^[0-9a-f]{40}$/.test(name)) return repo.commits.has(name) ? name : undefined
  const refs = name.startsWith('refs/') ? [name] : [`refs/${name}`, `refs/tags/${name}`, `refs/heads/${name}`]
  const sha = refs.map(ref => repo.refs.get(ref)).find(Boolean)
  return sha && repo.commits.has(sha) ? sha : undefined
}

/** Git's `base...head`: the merge base, and the commits each side has that the other lacks. */
function comparison(repo: DoubleRepo, base: string, head: string) {
  const baseSide = reachable(repo, base)
  const headSide = reachable(repo, head)
  const inBase = new Set(baseSide.map(c => c.sha))
  const inHead = new Set(headSide.map(c => c.sha))
  const mergeBase = headSide.find(c => inBase.has(c.sha))
  // Oldest first, as GitHub lists them.
  const ahead = headSide.filter(c => !inBase.has(c.sha)).reverse()
  const behindBy = baseSide.filter(c => !inHead.has(c.sha)).length
  const status =
    ahead.length === 0 && behindBy === 0
      ? 'identical'
      : behindBy === 0
        ? 'ahead'
        : ahead.length === 0
          ? 'behind'
          : 'diverged'
  return { mergeBase, ahead, behindBy, status }
}

function protectionView(p: ProtectionSeed, repo: DoubleRepo, branch: string, api: string) {
  const url = `${api}/repos/${repo.fullName}/branches/${branch}/protection`
  return {
    url,
    required_status_checks: p.contexts
      ? {
          url: `${url}/required_status_checks`,
          strict: p.strict ?? false,
          contexts: p.contexts,
          checks: p.contexts.map(context => ({ context, app_id: null })),
          contexts_url: `${url}/required_status_checks/contexts`
        }
      : undefined,
    enforce_admins: { url: `${url}/enforce_admins`, enabled: p.enforceAdmins ?? false },
    required_pull_request_reviews:
      p.requiredApprovals !== undefined
        ? {
            url: `${url}/required_pull_request_reviews`,
            dismiss_stale_reviews: p.dismissStale ?? false,
            require_code_owner_reviews: p.codeOwnerReview ?? false,
            required_approving_review_count: p.requiredApprovals,
            require_last_push_approval: p.lastPushApproval ?? false,
            // GitHub's example lists restrictions its own schema rejects; none are modelled here.
            dismissal_restrictions: undefined,
            bypass_pull_request_allowances: undefined
          }
        : undefined,
    restrictions: undefined,
    required_linear_history: { enabled: false },
    allow_force_pushes: { enabled: p.allowForcePushes ?? false },
    allow_deletions: { enabled: p.allowDeletions ?? false },
    block_creations: { enabled: false },
    required_conversation_resolution: { enabled: false },
    lock_branch: { enabled: false },
    allow_fork_syncing: { enabled: false },
    required_signatures: undefined
  }
}

const within = (value: string, since?: unknown, until?: unknown) =>
  (since === undefined || value >= String(since)) && (until === undefined || value <= String(until))

/** `GET /repos/{owner}/{repo}/compare/{basehead}`, computed from the commit graph. */
function compareCommits(req: DoubleRequest, repo: DoubleRepo, { api }: { api: string }): DoubleResponse {
  const basehead =
    (req.pathParams.basehead as string | undefined) ?? `${req.pathParams.base}...${req.pathParams.head}`
  const [baseName, headName] = basehead.split('...', 2)
  const base = commitish(repo, baseName ?? '')
  const head = headName === undefined ? undefined : commitish(repo, headName)
  if (!base || !head) return notFound()
  const { mergeBase, ahead, behindBy, status } = comparison(repo, base, head)
  if (!mergeBase)
    return {
      status: 404,
      body: { message: `No common ancestor between ${baseName} and ${headName}.`, documentation_url: DOCS }
    }
  const view = (c: CommitRecord) =>
    dressed('repos/list-commits', undefined, repo, api, [commitView(c, repo, api)])[0]
  const web = `https://github.com/${repo.fullName}/compare`
  const body = (commits: CommitRecord[]) => ({
    url: `${api}/repos/${repo.fullName}/compare/${basehead}`,
    html_url: `${web}/${basehead}`,
    permalink_url: `${web}/${repo.owner}:${base}...${repo.owner}:${head}`,
    diff_url: `${web}/${basehead}.diff`,
    patch_url: `${web}/${basehead}.patch`,
    base_commit: view(repo.commits.get(base)!),
    merge_base_commit: view(mergeBase),
    status,
    ahead_by: ahead.length,
    behind_by: behindBy,
    total_commits: ahead.length,
    commits: commits.map(view),
    // No file changes are modelled; GitHub lists them on the first page only.
    files: []
  })
  // Without paging parameters GitHub lists the last 250 commits, and no pages.
  if (req.query.per_page === undefined && req.query.page === undefined)
    return { status: 200, body: body(ahead.slice(-250)) }
  return page(req, ahead, api, body)
}

const cursorOf = (a: ActivityRecord) => Buffer.from(`cursor:${a.id}`).toString('base64url')

/**
 * `GET /repos/{owner}/{repo}/activity`: the ref updates the repository recorded, filtered, newest first
 * unless `direction=asc`, one page per request with cursors as GitHub pages this list: a Link header whose
 * `next` carries `after=<cursor of the page's last item>` and `prev` `before=<cursor of its first>`.
 */
function listActivities(req: DoubleRequest, repo: DoubleRepo, { api }: { api: string }): DoubleResponse {
  const mode = metricsData(repo).activityList
  if (mode === 'forbidden') return forbidden('Resource not accessible by integration')
  if (mode === 'absent') return notFound()
  if (req.query.time_period !== undefined)
    return { status: 501, body: { message: 'filter time_period is not modelled' } }
  const q = req.query as Record<string, string | undefined>
  const ref = q.ref === undefined || q.ref.startsWith('refs/') ? q.ref : `refs/heads/${q.ref}`
  const listed = repo.activities
    .filter(
      a =>
        (ref === undefined || a.ref === ref) &&
        (q.activity_type === undefined || a.type === q.activity_type) &&
        (q.actor === undefined || a.actor.login === q.actor)
    )
    .sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : a.id - b.id))
  if (q.direction !== 'asc') listed.reverse()
  const perPage = Math.min(Number(q.per_page ?? 30), 100)
  const at = (cursor: string) => listed.findIndex(a => cursorOf(a) === cursor)
  const cursor = q.after ?? q.before
  if (cursor !== undefined && at(cursor) < 0)
    return { status: 422, body: { message: 'Invalid cursor', documentation_url: DOCS } }
  const start =
    q.after !== undefined ? at(q.after) + 1 : q.before !== undefined ? Math.max(at(q.before) - perPage, 0) : 0
  const end = q.before !== undefined ? at(q.before) : start + perPage
  const items = listed.slice(start, Math.min(end, start + perPage))
  const link = (key: 'after' | 'before', a: ActivityRecord, rel: string) => {
    const url = new URL(`${api}${req.path}`)
    for (const [k, v] of Object.entries(q))
      if (v !== undefined && k !== 'after' && k !== 'before') url.searchParams.set(k, v)
    url.searchParams.set(key, cursorOf(a))
    return `<${url.toString()}>; rel="${rel}"`
  }
  const links = [
    ...(start + items.length < listed.length && items.length > 0
      ? [link('after', items.at(-1)!, 'next')]
      : []),
    ...(start > 0 && items.length > 0 ? [link('before', items[0]!, 'prev')] : [])
  ]
  // GitHub's example still shows the list's first shape (pushed_at, push_type, pusher): left out here.
  const body = items.map(a => ({
    id: a.id,
    node_id: `RA_${a.id}`,
    before: a.before,
    after: a.after,
    ref: a.ref,
    timestamp: a.timestamp,
    activity_type: a.type,
    actor: userView(a.actor, api),
    pushed_at: undefined,
    push_type: undefined,
    pusher: undefined
  }))
  return { status: 200, body, headers: links.length ? { link: links.join(', ') } : {} }
}

export const metricsBuiltins: Record<string, Builtin> = {
  'repos/list-activities': listActivities,
  'actions/list-workflow-runs-for-repo': (req, repo, { api }) => {
    // The filters this action never sends are not modelled; a test that sends one learns it here.
    for (const filter of ['actor', 'branch', 'created', 'event', 'status', 'head_sha', 'check_suite_id'])
      if (req.query[filter] !== undefined)
        return { status: 501, body: { message: `filter ${filter} is not modelled` } }
    const runs = newestFirst(metricsData(repo).runs)
    return page(req, runs, api, items => ({
      total_count: runs.length,
      workflow_runs: dressed(
        'actions/list-workflow-runs-for-repo',
        'workflow_runs',
        repo,
        api,
        items.map(r => runView(r, repo, api, r.fromFork ? repo.id + 7777 : repo.id))
      )
    }))
  },
  'actions/get-workflow-run': (req, repo, { api }) => {
    const id = Number(req.pathParams.run_id)
    const data = metricsData(repo)
    const seeded = data.runs.find(r => r.id === id)
    if (seeded)
      return { status: 200, body: runView(seeded, repo, api, seeded.fromFork ? repo.id + 7777 : repo.id) }
    // A run known only by the artifacts it uploaded: tests of evidence need not seed the runs list too
    // (whose every run counts in the build success rate).
    const uploaded = data.artifacts.find(a => a.runId === id)
    if (!uploaded) return notFound()
    const run: RunSeed = {
      id,
      workflow: 'secure-pipeline',
      path: '.github/workflows/pipeline.yml',
      branch: uploaded.branch,
      event: uploaded.event ?? 'push',
      status: 'completed',
      conclusion: 'success',
      createdAt: uploaded.createdAt,
      headSha: uploaded.headSha
    }
    return { status: 200, body: runView(run, repo, api, uploaded.fromFork ? repo.id + 7777 : repo.id) }
  },
  'actions/list-artifacts-for-repo': (req, repo, { api }) => {
    const all = newestFirst(metricsData(repo).artifacts).filter(
      a => req.query.name === undefined || a.name === req.query.name
    )
    return page(req, all, api, items => ({
      total_count: all.length,
      artifacts: dressed(
        'actions/list-artifacts-for-repo',
        'artifacts',
        repo,
        api,
        items.map(a => artifactView(a, repo, api))
      )
    }))
  },
  'actions/download-artifact': (req, repo) => {
    const data = metricsData(repo)
    const artifact = data.artifacts.find(a => a.id === Number(req.pathParams.artifact_id))
    if (!artifact) return notFound()
    if (artifact.expired)
      return { status: 410, body: { message: 'Artifact has expired', documentation_url: DOCS } }
    if (!data.blobOrigin)
      throw new Error('metricsData(repo).blobOrigin is not set: start a file server for artifacts')
    return {
      status: 302,
      headers: { location: `${data.blobOrigin}/artifacts/${artifact.id}.zip?sig=short-lived` }
    }
  },
  'code-scanning/list-alerts-for-repo': (req, repo, { api }) => {
    const data = metricsData(repo)
    if (!data.codeScanning)
      return forbidden('Advanced Security must be enabled for this repository to use code scanning.')
    const alerts = newestFirst(data.alerts).filter(
      a => req.query.state === undefined || a.state === req.query.state
    )
    return page(
      req,
      dressed(
        'code-scanning/list-alerts-for-repo',
        undefined,
        repo,
        api,
        alerts.map(a => alertView(a, repo, api))
      ),
      api
    )
  },
  'repos/list-commits': (req, repo, { api }) => {
    // `sha` takes a commit id or a name, resolved as git does: a tag named like a branch wins.
    const start = commitish(repo, String(req.query.sha ?? repo.defaultBranch))
    if (!start) return notFound()
    const commits = reachable(repo, start).filter(c =>
      within(c.committer.date, req.query.since, req.query.until)
    )
    return page(req, commits, api, items =>
      dressed(
        'repos/list-commits',
        undefined,
        repo,
        api,
        items.map(c => commitView(c, repo, api))
      )
    )
  },
  'repos/compare-commits-with-basehead': compareCommits,
  // The same URL under its older description, `/compare/{base}...{head}`: the router matches this one first.
  'repos/compare-commits': compareCommits,
  'repos/list-pull-requests-associated-with-commit': (req, repo, { api }) => {
    const sha = req.pathParams.commit_sha as string
    const rebased = metricsData(repo).rebasedCommits
    const pulls = [...repo.pulls.values()].filter(
      p => p.merged?.commitSha === sha || p.headSha === sha || rebased.get(sha) === p.number
    )
    return page(
      req,
      pulls.map(p => pullView(p, repo, api)),
      api
    )
  },
  'pulls/list-reviews': (req, repo, { api }) => {
    const n = Number(req.pathParams.pull_number)
    if (!repo.pulls.has(n)) return notFound()
    const reviews = (metricsData(repo).reviews.get(n) ?? []).map((r, i) => ({
      id: n * 1000 + i,
      node_id: `PRR_${n}_${i}`,
      user: userView(r.user, api),
      body: '',
      state: r.state,
      html_url: `https://github.com/${repo.fullName}/pull/${n}#pullrequestreview-${n * 1000 + i}`,
      pull_request_url: `${api}/repos/${repo.fullName}/pulls/${n}`,
      _links: {
        html: { href: `https://github.com/${repo.fullName}/pull/${n}` },
        pull_request: { href: `${api}/repos/${repo.fullName}/pulls/${n}` }
      },
      submitted_at: r.submittedAt,
      commit_id: r.commitId,
      author_association: 'MEMBER'
    }))
    return page(req, reviews, api)
  },
  'checks/list-for-ref': (req, repo, { api }) => {
    const runs = metricsData(repo).checkRuns.get(req.pathParams.ref as string) ?? []
    return page(req, runs, api, items => ({
      total_count: runs.length,
      check_runs: dressed(
        'checks/list-for-ref',
        'check_runs',
        repo,
        api,
        items.map((c, i) => ({
          id: hash(`${req.pathParams.ref}${c.name}`) >>> 0,
          name: c.name,
          head_sha: req.pathParams.ref,
          status: c.status ?? 'completed',
          conclusion: c.conclusion,
          external_id: String(i),
          pull_requests: []
        }))
      )
    }))
  },
  'repos/get-combined-status-for-ref': (req, repo, { api }) => {
    const ref = req.pathParams.ref as string
    const statuses = metricsData(repo).statuses.get(ref) ?? []
    const state = statuses.some(s => s.state === 'failure' || s.state === 'error')
      ? 'failure'
      : statuses.every(s => s.state === 'success')
        ? 'success'
        : 'pending'
    return {
      status: 200,
      body: {
        state,
        sha: ref,
        total_count: statuses.length,
        // Paged by `page`/`per_page` (default 30, at most 100) like GitHub's, with no link header.
        statuses: onePage(req, statuses).map((s, i) => ({
          url: `${api}/repos/${repo.fullName}/statuses/${ref}`,
          avatar_url: null,
          id: i + 1,
          node_id: `SC_${i}`,
          state: s.state,
          description: null,
          target_url: null,
          context: s.context,
          created_at: '2026-01-01T00:00:00Z',
          updated_at: '2026-01-01T00:00:00Z'
        })),
        commit_url: `${api}/repos/${repo.fullName}/commits/${ref}`,
        url: `${api}/repos/${repo.fullName}/commits/${ref}/status`
      }
    }
  },
  'repos/get-branch-protection': (req, repo, { api }) => {
    const protection = metricsData(repo).protection
    if (protection === 'forbidden') return forbidden('Resource not accessible by integration')
    if (protection === null)
      return {
        status: 404,
        body: { message: 'Branch not protected', documentation_url: DOCS, status: '404' }
      }
    return { status: 200, body: protectionView(protection, repo, req.pathParams.branch as string, api) }
  },
  'repos/get-branch': (req, repo, { api }) => {
    const branch = req.pathParams.branch as string
    const sha = repo.refs.get(`refs/heads/${branch}`)
    if (!sha)
      return { status: 404, body: { message: 'Branch not found', documentation_url: DOCS, status: '404' } }
    const protection = metricsData(repo).protection
    const contexts = protection && protection !== 'forbidden' ? (protection.contexts ?? []) : []
    return {
      status: 200,
      body: {
        name: branch,
        commit: { sha, url: `${api}/repos/${repo.fullName}/commits/${sha}` },
        _links: {
          html: `https://github.com/${repo.fullName}/tree/${branch}`,
          self: `${api}/repos/${repo.fullName}/branches/${branch}`
        },
        protected: protection !== null,
        protection: {
          enabled: protection !== null,
          required_status_checks: {
            enforcement_level: contexts.length > 0 ? 'non_admins' : 'off',
            contexts,
            checks: contexts.map(context => ({ context, app_id: null }))
          }
        },
        protection_url: `${api}/repos/${repo.fullName}/branches/${branch}/protection`
      }
    }
  },
  'repos/get-branch-rules': (req, repo, { api }) => {
    const rules = metricsData(repo).rulesets.flatMap(set =>
      set.rules.map(rule => ({
        ...rule,
        ruleset_source_type: 'Repository',
        ruleset_source: repo.fullName,
        ruleset_id: set.id
      }))
    )
    return page(req, rules, api)
  },
  'repos/get-repo-ruleset': (req, repo, { api }) => {
    const data = metricsData(repo)
    const set = data.rulesets.find(r => r.id === Number(req.pathParams.ruleset_id))
    if (!set) return notFound()
    return {
      status: 200,
      body: {
        id: set.id,
        name: set.name,
        target: 'branch',
        source_type: 'Repository',
        source: repo.fullName,
        enforcement: 'active',
        bypass_actors: data.rulesetBypassVisible ? (set.bypassActors ?? []) : undefined,
        current_user_can_bypass: 'never',
        node_id: `RRS_${set.id}`,
        _links: { self: { href: `${api}/repos/${repo.fullName}/rulesets/${set.id}` } },
        conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
        rules: set.rules,
        created_at: '2025-06-01T00:00:00Z',
        updated_at: '2025-06-01T00:00:00Z'
      }
    }
  },
  'repos/get-repo-rule-suites': (req, repo, { api }) => {
    const suites = metricsData(repo).ruleSuites
    if (suites === 'forbidden') return forbidden('Resource not accessible by integration')
    const wanted = suites.filter(
      s => req.query.rule_suite_result === undefined || s.result === req.query.rule_suite_result
    )
    return page(
      req,
      wanted.map((s, i) => ({
        id: i + 1,
        actor_id: 1,
        actor_name: s.actor,
        before_sha: '0'.repeat(40),
        after_sha: s.afterSha,
        ref: String(req.query.ref ?? `refs/heads/${repo.defaultBranch}`),
        repository_id: repo.id,
        repository_name: repo.name,
        pushed_at: s.pushedAt,
        result: s.result,
        evaluation_result: s.result
      })),
      api
    )
  }
}
