import { gunzipSync } from 'node:zlib'
import { archiveBuiltins } from './github-api-archive.js'
import { gitBuiltins } from './github-api-git.js'
import type { DoubleRepo, DoubleState } from './github-api-state.js'
import {
  DOCS,
  notFound,
  SARIF_MAX_GZIP_BYTES,
  validationFailed,
  type Builtin,
  type DoubleRequest,
  type DoubleResponse
} from './github-api-types.js'
import { commentView, pullView, repoView } from './github-api-views.js'
import { metricsBuiltins } from './github-api-metrics.js'
import { page } from './github-api-page.js'

export * from './github-api-types.js'

/** Built-in behaviour for the operations the gate and bump-manifest-pr use. */

function issueNumber(req: DoubleRequest, repo: DoubleRepo): number | undefined {
  const n = Number(req.pathParams.issue_number ?? req.pathParams.pull_number)
  return repo.hasIssueOrPull(n) ? n : undefined
}

function headBranch(repo: DoubleRepo, head: string): string | undefined {
  const [owner, branch] = head.includes(':') ? head.split(':', 2) : [repo.owner, head]
  return owner?.toLowerCase() === repo.owner.toLowerCase() ? branch : undefined
}

const comments: Record<string, Builtin> = {
  'issues/list-comments': (req, repo, { api }) => {
    const n = issueNumber(req, repo)
    if (n === undefined) return notFound()
    const list = [...repo.comments.values()]
      .filter(c => c.issueNumber === n)
      .map(c => commentView(c, repo, api))
    return page(req, list, api)
  },
  'issues/create-comment': (req, repo, { state, api }) => {
    const n = issueNumber(req, repo)
    if (n === undefined) return notFound()
    const now = state.now()
    const id = state.nextId()
    repo.comments.set(id, {
      id,
      issueNumber: n,
      body: req.body.body,
      user: state.viewer,
      createdAt: now,
      updatedAt: now
    })
    return { status: 201, body: commentView(repo.comments.get(id)!, repo, api) }
  },
  'issues/get-comment': (req, repo, { api }) => {
    const comment = repo.comments.get(Number(req.pathParams.comment_id))
    return comment ? { status: 200, body: commentView(comment, repo, api) } : notFound()
  },
  'issues/update-comment': (req, repo, { state, api }) => {
    const comment = repo.comments.get(Number(req.pathParams.comment_id))
    if (!comment) return notFound()
    Object.assign(comment, { body: req.body.body, updatedAt: state.now() })
    return { status: 200, body: commentView(comment, repo, api) }
  },
  'issues/delete-comment': (req, repo) =>
    repo.comments.delete(Number(req.pathParams.comment_id)) ? { status: 204 } : notFound()
}

const pulls: Record<string, Builtin> = {
  'pulls/list': (req, repo, { api }) => {
    const wanted = (req.query.state as string | undefined) ?? 'open'
    const head = req.query.head ? headBranch(repo, String(req.query.head)) : undefined
    const list = [...repo.pulls.values()].filter(
      p =>
        (wanted === 'all' || p.state === wanted) &&
        (req.query.head === undefined || p.head === head) &&
        (req.query.base === undefined || p.base === req.query.base)
    )
    // GitHub sorts by `sort` (created, updated…), descending unless told; unsorted requests keep number order.
    if (req.query.sort === 'updated' || req.query.sort === 'created') {
      const key = req.query.sort === 'updated' ? 'updatedAt' : 'createdAt'
      const sign = req.query.direction === 'asc' ? 1 : -1
      list.sort((a, b) => sign * (a[key] < b[key] ? -1 : a[key] > b[key] ? 1 : a.number - b.number))
    }
    return page(
      req,
      list.map(p => pullView(p, repo, api)),
      api
    )
  },
  'pulls/get': (req, repo, { api }) => {
    const pull = repo.pulls.get(Number(req.pathParams.pull_number))
    return pull ? { status: 200, body: pullView(pull, repo, api) } : notFound()
  },
  'pulls/create': (req, repo, { state, api }) => {
    const head = headBranch(repo, req.body.head)
    const base = req.body.base as string
    const headSha = head === undefined ? undefined : repo.refs.get(`refs/heads/${head}`)
    const baseSha = repo.refs.get(`refs/heads/${base}`)
    if (!headSha) return validationFailed([{ resource: 'PullRequest', field: 'head', code: 'invalid' }])
    if (!baseSha) return validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }])
    const open = [...repo.pulls.values()].find(p => p.state === 'open' && p.head === head && p.base === base)
    if (open) {
      const message = `A pull request already exists for ${repo.owner}:${head}.`
      return validationFailed([{ resource: 'PullRequest', code: 'custom', message }])
    }
    if (repo.isAncestor(headSha, baseSha)) {
      return validationFailed([
        { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${head}` }
      ])
    }
    const pull = repo.seedPullRequest({
      head: head as string,
      base,
      title: req.body.title,
      user: state.viewer
    })
    Object.assign(pull, { body: req.body.body ?? null, draft: req.body.draft === true })
    return { status: 201, body: pullView(pull, repo, api) }
  },
  'issues/add-labels': (req, repo, { api }) => {
    const pull = repo.pulls.get(Number(req.pathParams.issue_number))
    if (!pull) return notFound()
    const names = (Array.isArray(req.body) ? req.body : (req.body?.labels ?? [])) as Array<
      string | { name: string }
    >
    pull.labels = [
      ...new Set([...(pull.labels ?? []), ...names.map(l => (typeof l === 'string' ? l : l.name))])
    ]
    return { status: 200, body: pullView(pull, repo, api).labels as unknown[] }
  },
  'pulls/request-reviewers': (req, repo, { api }) => {
    const pull = repo.pulls.get(Number(req.pathParams.pull_number))
    if (!pull) return notFound()
    const users = (req.body.reviewers ?? []) as string[]
    if (users.some(u => u.toLowerCase() === pull.user.login.toLowerCase()))
      return validationFailed([], 'Review cannot be requested from pull request author.')
    pull.reviewers = [...new Set([...(pull.reviewers ?? []), ...users])]
    pull.teamReviewers = [
      ...new Set([...(pull.teamReviewers ?? []), ...((req.body.team_reviewers ?? []) as string[])])
    ]
    return { status: 201, body: pullView(pull, repo, api) }
  },
  'pulls/update': (req, repo, { state, api }) => {
    const pull = repo.pulls.get(Number(req.pathParams.pull_number))
    if (!pull) return notFound()
    // Closing freezes the head the pull request shows (later pushes or deleting the branch leave it);
    // reopening follows the branch again, and needs it to exist, as on GitHub.
    if (req.body.state === 'open' && pull.state === 'closed') {
      if (pull.merged) return validationFailed([], 'Cannot reopen a merged pull request.')
      if (!repo.refs.has(`refs/heads/${pull.head}`))
        return validationFailed([{ resource: 'PullRequest', field: 'state', code: 'invalid' }])
      delete pull.headSha
      delete pull.closedAt
    }
    if (req.body.state === 'closed' && pull.state === 'open') {
      pull.headSha = repo.refs.get(`refs/heads/${pull.head}`)
      pull.closedAt = state.now()
    }
    for (const key of ['title', 'body', 'state', 'base'] as const) {
      if (req.body[key] !== undefined) Object.assign(pull, { [key]: req.body[key] })
    }
    pull.updatedAt = state.now()
    return { status: 200, body: pullView(pull, repo, api) }
  }
}

const codeScanning: Record<string, Builtin> = {
  'code-scanning/upload-sarif': (req, repo, { state, api }) => {
    const encoded = req.body.sarif as string
    if (Buffer.byteLength(encoded) * 0.75 > SARIF_MAX_GZIP_BYTES) {
      return { status: 413, body: { message: 'Payload Too Large', documentation_url: DOCS } }
    }
    const id = `${state.nextId().toString(16)}-0000-0000-0000-000000000000`.padStart(36, '0')
    repo.sarifs.set(id, {
      id,
      commitSha: req.body.commit_sha,
      ref: req.body.ref,
      checkoutUri: req.body.checkout_uri,
      toolName: req.body.tool_name,
      sarif: JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')),
      statuses: [...state.sarifStatuses],
      errors: null
    })
    return { status: 202, body: { id, url: `${api}/repos/${repo.fullName}/code-scanning/sarifs/${id}` } }
  },
  'code-scanning/get-sarif': (req, repo, { api }) => {
    const upload = repo.sarifs.get(req.pathParams.sarif_id as string)
    if (!upload) return notFound()
    const status = (upload.statuses.length > 1 ? upload.statuses.shift() : upload.statuses[0]) ?? 'complete'
    const analyses = `${api}/repos/${repo.fullName}/code-scanning/analyses?sarif_id=${upload.id}`
    const errors = status === 'failed' ? (upload.errors ?? ['SARIF could not be processed']) : null
    return {
      status: 200,
      body: { processing_status: status, analyses_url: status === 'complete' ? analyses : null, errors }
    }
  }
}

const builtins: Record<string, Builtin> = {
  'repos/get': (_req, repo, { api }) => ({ status: 200, body: repoView(repo, api) }),
  ...comments,
  ...pulls,
  ...gitBuiltins,
  ...archiveBuiltins,
  ...codeScanning,
  ...metricsBuiltins
}

/**
 * The one GraphQL mutation the actions use, `enablePullRequestAutoMerge` (auto-merge has no REST
 * endpoint), answered as GitHub does, errors included; anything else is an error the test sees.
 */
export function runGraphql(body: unknown, state: DoubleState): DoubleResponse {
  const { query, variables } = (body ?? {}) as { query?: string; variables?: Record<string, unknown> }
  const failure = (type: string, message: string): DoubleResponse => ({
    status: 200,
    body: { data: null, errors: [{ type, message }] }
  })
  if (typeof query !== 'string' || !/^\s*mutation\b[\s\S]*\benablePullRequestAutoMerge\s*\(/.test(query))
    return failure(
      'UNSUPPORTED',
      'The GitHub API double answers only the enablePullRequestAutoMerge mutation.'
    )
  const id = String(variables?.id ?? '')
  const method = String(variables?.mergeMethod ?? 'MERGE')
  for (const repo of state.repos.values())
    for (const pull of repo.pulls.values()) {
      if (`PR_${pull.id}` !== id) continue
      if (!repo.allowAutoMerge)
        return failure('UNPROCESSABLE', 'Pull request Auto merge is not allowed for this repository')
      if (!['MERGE', 'SQUASH', 'REBASE'].includes(method))
        return failure('INVALID', `Unknown merge method ${method}`)
      pull.autoMerge = { mergeMethod: method as 'MERGE' | 'SQUASH' | 'REBASE' }
      return {
        status: 200,
        body: { data: { enablePullRequestAutoMerge: { pullRequest: { number: pull.number } } } }
      }
    }
  return failure('NOT_FOUND', `Could not resolve to a node with the global id of '${id}'.`)
}

/**
 * GET /user as GitHub answers it: an installation token (GITHUB_TOKEN, a GitHub App's, `ghs_…`) is
 * refused with 403 "Resource not accessible by integration"; any other token is the user `octocat`.
 */
function authenticatedUser(req: DoubleRequest): DoubleResponse {
  if (String(req.headers.authorization).includes('ghs_'))
    return {
      status: 403,
      body: {
        message: 'Resource not accessible by integration',
        documentation_url: 'https://docs.github.com/rest/users/users#get-the-authenticated-user',
        status: '403'
      }
    }
  return { status: 200, body: { login: 'octocat', id: 583231, type: 'User' } }
}

/** Operations about the token's account rather than a repository. */
const accountBuiltins: Record<string, (req: DoubleRequest) => DoubleResponse> = {
  'users/get-authenticated': authenticatedUser
}

export function hasBuiltin(operationId: string): boolean {
  return operationId in builtins || operationId in accountBuiltins
}

export function runBuiltin(req: DoubleRequest, state: DoubleState, api: string): DoubleResponse | undefined {
  const account = accountBuiltins[req.operationId]
  if (account) return account(req)
  const builtin = builtins[req.operationId]
  if (!builtin) return undefined
  const repo = state.repo(req.pathParams.owner ?? '', req.pathParams.repo ?? '')
  if (!repo) return notFound()
  return builtin(req, repo, { state, api })
}

type Plain = Record<string, unknown>
const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v)

/** Our values win; an explicit `undefined` removes the example's key (e.g. `parent` on a non-fork). */
function overlay(template: unknown, ours: unknown): unknown {
  if (!isPlain(template) || !isPlain(ours)) return ours
  const result: Plain = { ...template }
  for (const [key, value] of Object.entries(ours)) {
    if (value === undefined) delete result[key]
    else result[key] = overlay(template[key], value)
  }
  return result
}

/**
 * Fills the many fields we do not model (every `*_url`, counters, flags) from GitHub's own example for
 * the response, re-pointed at this repository and this server, so clients see complete bodies.
 */
export function dressLikeGitHub(example: unknown, body: unknown, fullName: string, api: string): unknown {
  if (example === undefined) return body
  const text = JSON.stringify(example)
    .replaceAll('https://api.github.com', api)
    .replaceAll('octocat/Hello-World', fullName)
  const template = JSON.parse(text) as unknown
  if (Array.isArray(body))
    return body.map(item => overlay(Array.isArray(template) ? template[0] : undefined, item))
  return overlay(template, body)
}

/** Checks the SARIF upload payload is what the spec describes (gzip, then base64, of a JSON log). */
export function sarifPayloadProblem(encoded: unknown): string | undefined {
  if (typeof encoded !== 'string') return undefined
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded)) return 'body/sarif is not base64'
  try {
    JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8'))
    return undefined
  } catch (error) {
    return `body/sarif is not gzip+base64 JSON: ${(error as Error).message}`
  }
}
