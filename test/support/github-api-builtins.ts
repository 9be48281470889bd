import type { IncomingHttpHeaders } from 'node:http'
import { gunzipSync } from 'node:zlib'
import type { DoubleRepo, DoubleState, TreeEntry } from './github-api-state.js'
import { commentView, commitView, pullView, refView, repoView, treeView } from './github-api-views.js'

/** Built-in behaviour for the operations the gate and bump-manifest-pr use. */

export interface DoubleRequest {
  operationId: string
  method: string
  path: string
  pathParams: Record<string, string>
  query: Record<string, string | string[]>
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- already validated against the spec
  body: any
  headers: IncomingHttpHeaders
}

export interface DoubleResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

export interface HandlerContext {
  state: DoubleState
  /** The double's own base URL, for `url` fields and pagination links. */
  baseUrl: string
  /** The built-in behaviour for this request (404-like 501 when there is none). */
  builtin(): DoubleResponse
}

export type Handler = (
  request: DoubleRequest,
  context: HandlerContext
) => DoubleResponse | undefined | Promise<DoubleResponse | undefined>

type Builtin = (
  req: DoubleRequest,
  repo: DoubleRepo,
  ctx: { state: DoubleState; api: string }
) => DoubleResponse

const DOCS = 'https://docs.github.com/rest'
/** Code scanning refuses SARIF above 10 MB once gzip-compressed. */
const SARIF_MAX_GZIP_BYTES = 10 * 1024 * 1024

export const notFound = (): DoubleResponse => ({
  status: 404,
  body: { message: 'Not Found', documentation_url: DOCS }
})

export function validationFailed(
  errors: Array<Record<string, unknown>>,
  message = 'Validation Failed'
): DoubleResponse {
  return { status: 422, body: { message, errors, documentation_url: DOCS } }
}

function unprocessable(message: string): DoubleResponse {
  return { status: 422, body: { message, documentation_url: DOCS } }
}

function page<T>(req: DoubleRequest, items: T[], api: string): DoubleResponse {
  const perPage = Math.min(Number(req.query.per_page ?? 30), 100)
  const current = Math.max(Number(req.query.page ?? 1), 1)
  const last = Math.max(Math.ceil(items.length / perPage), 1)
  const link = (n: number, rel: string) => {
    const url = new URL(`${api}${req.path}`)
    for (const [k, v] of Object.entries(req.query)) url.searchParams.set(k, String(v))
    url.searchParams.set('per_page', String(perPage))
    url.searchParams.set('page', String(n))
    return `<${url.toString()}>; rel="${rel}"`
  }
  const links = []
  if (current < last) links.push(link(current + 1, 'next'), link(last, 'last'))
  if (current > 1) links.push(link(1, 'first'), link(current - 1, 'prev'))
  const headers: Record<string, string> = links.length > 0 ? { link: links.join(', ') } : {}
  return { status: 200, body: items.slice((current - 1) * perPage, current * perPage), headers }
}

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
  'pulls/update': (req, repo, { state, api }) => {
    const pull = repo.pulls.get(Number(req.pathParams.pull_number))
    if (!pull) return notFound()
    for (const key of ['title', 'body', 'state', 'base'] as const) {
      if (req.body[key] !== undefined) Object.assign(pull, { [key]: req.body[key] })
    }
    pull.updatedAt = state.now()
    return { status: 200, body: pullView(pull, repo, api) }
  }
}

const git: Record<string, Builtin> = {
  'git/get-ref': (req, repo, { api }) => {
    const ref = `refs/${req.pathParams.ref}`
    return repo.refs.has(ref) ? { status: 200, body: refView(repo, ref, api) } : notFound()
  },
  'git/create-ref': (req, repo, { api }) => {
    const ref = req.body.ref as string
    if (!/^refs\/[^/]+\/.+/.test(ref))
      return unprocessable("Reference name must start with 'refs/' and have at least two slashes.")
    if (repo.refs.has(ref)) return unprocessable('Reference already exists')
    if (!repo.commits.has(req.body.sha)) return unprocessable('Object does not exist')
    repo.refs.set(ref, req.body.sha)
    return {
      status: 201,
      body: refView(repo, ref, api),
      headers: { location: `${api}/repos/${repo.fullName}/git/${ref}` }
    }
  },
  'git/update-ref': (req, repo, { api }) => {
    const ref = `refs/${req.pathParams.ref}`
    const current = repo.refs.get(ref)
    if (!current) return unprocessable('Reference does not exist')
    if (!repo.commits.has(req.body.sha)) return unprocessable('Object does not exist')
    if (req.body.force !== true && !repo.isAncestor(current, req.body.sha))
      return unprocessable('Update is not a fast forward')
    repo.refs.set(ref, req.body.sha)
    return { status: 200, body: refView(repo, ref, api) }
  },
  'git/delete-ref': (req, repo) =>
    repo.refs.delete(`refs/${req.pathParams.ref}`)
      ? { status: 204 }
      : unprocessable('Reference does not exist'),
  'git/create-blob': (req, repo, { api }) => {
    const encoding = req.body.encoding === 'base64' ? 'base64' : 'utf8'
    const sha = repo.putBlob(Buffer.from(req.body.content as string, encoding))
    return { status: 201, body: { sha, url: `${api}/repos/${repo.fullName}/git/blobs/${sha}` } }
  },
  'git/get-blob': (req, repo, { api }) => {
    const blob = repo.blobs.get(req.pathParams.file_sha as string)
    if (!blob) return notFound()
    const sha = req.pathParams.file_sha
    const url = `${api}/repos/${repo.fullName}/git/blobs/${sha}`
    return {
      status: 200,
      body: {
        sha,
        node_id: `B_${sha}`,
        size: blob.length,
        url,
        content: blob.toString('base64'),
        encoding: 'base64'
      }
    }
  },
  'git/create-tree': (req, repo, { api }) => {
    const base = req.body.base_tree as string | undefined
    if (base !== undefined && !repo.trees.has(base)) return unprocessable('base_tree is not a valid tree oid')
    const entries = new Map<string, TreeEntry>(base ? repo.trees.get(base) : [])
    for (const item of req.body.tree as Array<{
      path: string
      mode: string
      type: TreeEntry['type']
      sha?: string | null
      content?: string
    }>) {
      if (item.sha === null) {
        entries.delete(item.path)
        continue
      }
      const sha = item.content !== undefined ? repo.putBlob(Buffer.from(item.content)) : (item.sha as string)
      if (item.type === 'blob' && !repo.blobs.has(sha))
        return unprocessable(`tree.sha ${sha} is not a valid blob`)
      entries.set(item.path, { mode: item.mode, type: item.type, sha })
    }
    return { status: 201, body: treeView(repo.putTree(entries), repo, api) }
  },
  'git/get-tree': (req, repo, { api }) =>
    repo.trees.has(req.pathParams.tree_sha as string)
      ? { status: 200, body: treeView(req.pathParams.tree_sha as string, repo, api) }
      : notFound(),
  'git/create-commit': (req, repo, { api }) => {
    const parents = (req.body.parents ?? []) as string[]
    if (!repo.trees.has(req.body.tree)) return unprocessable('Tree SHA does not exist')
    if (parents.some(p => !repo.commits.has(p)))
      return unprocessable('Parent SHA does not exist or is not a commit object')
    const sha = repo.putCommit({
      tree: req.body.tree,
      parents,
      message: req.body.message,
      author: req.body.author,
      committer: req.body.committer
    })
    return { status: 201, body: commitView(repo.commits.get(sha)!, repo, api) }
  },
  'git/get-commit': (req, repo, { api }) => {
    const commit = repo.commits.get(req.pathParams.commit_sha as string)
    return commit ? { status: 200, body: commitView(commit, repo, api) } : notFound()
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
  ...git,
  ...codeScanning
}

export function hasBuiltin(operationId: string): boolean {
  return operationId in builtins
}

export function runBuiltin(req: DoubleRequest, state: DoubleState, api: string): DoubleResponse | undefined {
  const builtin = builtins[req.operationId]
  if (!builtin) return undefined
  const repo = state.repo(req.pathParams.owner ?? '', req.pathParams.repo ?? '')
  if (!repo) return notFound()
  return builtin(req, repo, { state, api })
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
