import { ConfigurationError } from '../runtime/errors.js'
import { inHistoryOf } from './compare.js'
import type { RepoRef } from './context.js'
import {
  apiMessageOf,
  createAtMostOnce,
  httpStatusOf,
  isRateLimitError,
  NO_RETRY,
  type GitHubClient
} from './octokit.js'

/*
 * The Git Data API as a bump uses it: read a branch and its commit, build blobs, a tree and a commit
 * without any clone, and move a branch with compare-and-swap semantics: creating fails when the branch
 * exists, and an update is a fast-forward from the commit the run read, so a branch another run moved
 * in between is never overwritten. Pull requests are found by head branch and updated in place.
 */

export interface CommitInfo {
  sha: string
  tree: string
  parents: string[]
  message: string
  /** GitHub's signature check: true for commits GitHub made and signed itself. */
  verified: boolean
  /** GitHub's reason, e.g. 'valid', 'unsigned'. */
  verification: string
  author: string
}

export interface TreeEntry {
  path: string
  /** 120000 is a symbolic link: read from a tree, never written by a bump. */
  mode: '100644' | '100755' | '120000'
  sha: string
}

export interface PullRequestInfo {
  number: number
  nodeId: string
  url: string
  title: string
  body: string
  /** Login of the account that opened it: `github-actions[bot]` means GITHUB_TOKEN. */
  author: string
  autoMerge: boolean
  state: 'open' | 'closed'
  merged: boolean
  /** The commit the pull request showed last: for a closed one, its head when it was closed. */
  headSha: string
}

/** What goes wrong with a token that cannot do a step, said so the user can fix it. */
function permissionError(
  error: unknown,
  repository: RepoRef,
  permission: 'contents' | 'pull-requests',
  tokenInput: string
): Error {
  const status = httpStatusOf(error)
  const message = apiMessageOf(error)
  const name = `${repository.owner}/${repository.repo}`
  if (status === 403 && /not permitted to create or approve pull requests/i.test(message))
    return new ConfigurationError(
      `GitHub refused to open the pull request: "${message}". Allow it under Settings → Actions → General → Workflow permissions → "Allow GitHub Actions to create and approve pull requests" of ${name} (or of its organisation, which can override the repository), or pass a GitHub App token in '${tokenInput}'.`
    )
  if ((status === 403 || status === 401) && !isRateLimitError(error))
    return new ConfigurationError(
      `The token in '${tokenInput}' may not do this on ${name} (${status}: ${message}): it needs '${permission}: write'. With GITHUB_TOKEN, add 'permissions: ${permission}: write' to the job (GITHUB_TOKEN reaches only the workflow's own repository); with a GitHub App token, grant the App ${permission === 'contents' ? 'Contents' : 'Pull requests'}: read and write on ${name}.`
    )
  if (status === 404)
    return new ConfigurationError(
      `${name} was not found with the token in '${tokenInput}' (404: ${message}). GITHUB_TOKEN reaches only the workflow's own repository; for another repository pass a GitHub App token (actions/create-github-app-token) with access to ${name}.`
    )
  return error instanceof Error ? error : new Error(String(error))
}

export interface GitDataOptions {
  octokit: GitHubClient
  repository: RepoRef
  /** The caller's input that holds the token, named in permission errors. */
  tokenInput: string
}

export class GitData {
  private readonly octokit: GitHubClient
  private readonly repo: RepoRef
  private readonly tokenInput: string

  constructor(options: GitDataOptions) {
    this.octokit = options.octokit
    this.repo = options.repository
    this.tokenInput = options.tokenInput
  }

  private fail(error: unknown, permission: 'contents' | 'pull-requests'): Error {
    return permissionError(error, this.repo, permission, this.tokenInput)
  }

  async defaultBranch(): Promise<string> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}', { ...this.repo })
      return data.default_branch
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /** The commit a branch points to, or undefined when there is no such branch. */
  async branchHead(branch: string): Promise<string | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/ref/{ref}', {
        ...this.repo,
        ref: `heads/${branch}`
      })
      // A prefix match answers with a list (heads/feature → heads/feature/x): that is not this branch.
      return Array.isArray(data) ? undefined : data.object.sha
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined
      throw this.fail(error, 'contents')
    }
  }

  async commit(sha: string): Promise<CommitInfo> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/commits/{commit_sha}', {
        ...this.repo,
        commit_sha: sha
      })
      return commitInfo(data)
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /** Whether `sha` is `tip` or one of its ancestors, by GitHub's comparison (see compare.ts). */
  async inHistoryOf(tip: string, sha: string): Promise<boolean> {
    try {
      return await inHistoryOf(this.octokit, this.repo, { tip, sha })
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /** The repository at `commit` as a gzipped tar, in one request however many files it holds. */
  async archive(commit: string): Promise<Uint8Array> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/tarball/{ref}', {
        ...this.repo,
        ref: commit
      })
      return new Uint8Array(data as ArrayBuffer)
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /** The git blob sha of a file at `commit`, undefined when there is none, or the kind of thing that is there. */
  async fileSha(path: string, commit: string): Promise<{ sha: string } | { kind: string } | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/contents/{+path}', {
        ...this.repo,
        path: path.split('/').map(encodeURIComponent).join('/'),
        ref: commit
      })
      if (Array.isArray(data)) return { kind: 'dir' }
      return data.type === 'file' ? { sha: data.sha } : { kind: data.type }
    } catch (error) {
      if (httpStatusOf(error) === 404) return undefined
      throw this.fail(error, 'contents')
    }
  }

  /** Every file of a tree, all levels down; `truncated` when GitHub cut the list (100,000 entries, 7 MB). */
  async treeFiles(tree: string): Promise<{ files: TreeEntry[]; truncated: boolean }> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/trees/{tree_sha}', {
        ...this.repo,
        tree_sha: tree,
        recursive: 'true'
      })
      const files = data.tree.flatMap(e =>
        e.type === 'blob' && e.path !== undefined && e.sha !== undefined
          ? [{ path: e.path, mode: gitMode(e.mode), sha: e.sha }]
          : []
      )
      return { files, truncated: data.truncated }
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  async blob(sha: string): Promise<Uint8Array> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/git/blobs/{file_sha}', {
        ...this.repo,
        file_sha: sha
      })
      return Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8')
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  async createBlob(bytes: Uint8Array): Promise<string> {
    try {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/git/blobs', {
        ...this.repo,
        content: Buffer.from(bytes).toString('base64'),
        encoding: 'base64'
      })
      return data.sha
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  async createTree(baseTree: string, entries: readonly TreeEntry[]): Promise<string> {
    try {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/git/trees', {
        ...this.repo,
        base_tree: baseTree,
        tree: entries.map(e => ({ path: e.path, mode: e.mode, type: 'blob' as const, sha: e.sha }))
      })
      return data.sha
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /**
   * A commit with no author or committer given: GitHub then makes and signs it itself (with an App or
   * GITHUB_TOKEN), which `verified` reports.
   */
  async createCommit(message: string, tree: string, parents: readonly string[]): Promise<CommitInfo> {
    try {
      const { data } = await this.octokit.request('POST /repos/{owner}/{repo}/git/commits', {
        ...this.repo,
        message,
        tree,
        parents: [...parents]
      })
      return commitInfo(data)
    } catch (error) {
      throw this.fail(error, 'contents')
    }
  }

  /** Creates the branch at `sha`; 'taken' when it exists already (another run made it first). */
  async createBranch(branch: string, sha: string): Promise<'created' | 'taken'> {
    try {
      await this.octokit.request('POST /repos/{owner}/{repo}/git/refs', {
        ...this.repo,
        ref: `refs/heads/${branch}`,
        sha
      })
      return 'created'
    } catch (error) {
      if (httpStatusOf(error) === 422 && /already exists/i.test(apiMessageOf(error))) return 'taken'
      throw this.fail(error, 'contents')
    }
  }

  /**
   * Moves the branch to `sha`, never forced: GitHub takes it only as a fast-forward, and `sha` has the
   * head this run read as a parent, so it succeeds only while the branch still points there (or
   * behind). 'moved-on' when another run moved or deleted the branch in between.
   */
  async advanceBranch(branch: string, sha: string): Promise<'advanced' | 'moved-on'> {
    try {
      await this.octokit.request('PATCH /repos/{owner}/{repo}/git/refs/{ref}', {
        ...this.repo,
        ref: `heads/${branch}`,
        sha,
        force: false
      })
      return 'advanced'
    } catch (error) {
      const status = httpStatusOf(error)
      if (
        (status === 422 || status === 409) &&
        /fast.forward|does not exist|conflict/i.test(apiMessageOf(error))
      )
        return 'moved-on'
      throw this.fail(error, 'contents')
    }
  }

  /** The open pull request from `branch` into `base`, if there is one. */
  async openPullRequest(branch: string, base: string): Promise<PullRequestInfo | undefined> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...this.repo,
        head: `${this.repo.owner}:${branch}`,
        base,
        state: 'open',
        per_page: 10
      })
      const pull = data[0]
      return pull ? pullInfo(pull) : undefined
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }

  /**
   * The newest pull requests from `branch` into `base`, open or closed, newest first: one page of at
   * most `limit`, never more (the newest are the ones that say what became of the last proposal).
   */
  async recentPullRequests(branch: string, base: string, limit: number): Promise<PullRequestInfo[]> {
    try {
      const { data } = await this.octokit.request('GET /repos/{owner}/{repo}/pulls', {
        ...this.repo,
        head: `${this.repo.owner}:${branch}`,
        base,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: limit
      })
      return data.map(pullInfo)
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }

  /**
   * Opens the pull request; 'exists' when one is open for the branch already (another run's). A create
   * that failed with a server error may have opened it: a retry would then answer 'exists', and this run
   * would not label it or enable auto-merge, so the open one found after such a failure is this run's.
   */
  async createPullRequest(
    branch: string,
    base: string,
    title: string,
    body: string
  ): Promise<PullRequestInfo | 'exists'> {
    try {
      return await createAtMostOnce(
        async () =>
          pullInfo(
            (
              await this.octokit.request('POST /repos/{owner}/{repo}/pulls', {
                ...this.repo,
                head: branch,
                base,
                title,
                body,
                request: NO_RETRY
              })
            ).data
          ),
        () => this.openPullRequest(branch, base)
      )
    } catch (error) {
      if (
        httpStatusOf(error) === 422 &&
        /already exists/i.test(
          JSON.stringify((error as { response?: { data?: unknown } }).response?.data ?? '')
        )
      )
        return 'exists'
      throw this.fail(error, 'pull-requests')
    }
  }

  async updatePullRequest(number: number, title: string, body: string): Promise<PullRequestInfo> {
    try {
      const { data } = await this.octokit.request('PATCH /repos/{owner}/{repo}/pulls/{pull_number}', {
        ...this.repo,
        pull_number: number,
        title,
        body
      })
      return pullInfo(data)
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    try {
      await this.octokit.request('POST /repos/{owner}/{repo}/issues/{issue_number}/labels', {
        ...this.repo,
        issue_number: number,
        labels: [...labels]
      })
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }

  async requestReviewers(number: number, users: readonly string[], teams: readonly string[]): Promise<void> {
    try {
      await this.octokit.request('POST /repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', {
        ...this.repo,
        pull_number: number,
        reviewers: [...users],
        team_reviewers: [...teams]
      })
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }

  /** Auto-merge exists only in GraphQL: `enablePullRequestAutoMerge`. */
  async enableAutoMerge(nodeId: string, method: 'MERGE' | 'SQUASH' | 'REBASE'): Promise<void> {
    try {
      await this.octokit.graphql(
        'mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) { enablePullRequestAutoMerge(input: {pullRequestId: $id, mergeMethod: $mergeMethod}) { pullRequest { number } } }',
        { id: nodeId, mergeMethod: method }
      )
    } catch (error) {
      throw this.fail(error, 'pull-requests')
    }
  }
}

/** A blob's mode as a bump reads it: a link, executable, or else a plain file (git's legacy 100664). */
const gitMode = (mode: string | undefined): TreeEntry['mode'] =>
  mode === '120000' || mode === '100755' ? mode : '100644'

function commitInfo(data: {
  sha: string
  tree: { sha: string }
  parents: { sha: string }[]
  message: string
  author: { name?: string } | null
  verification?: { verified: boolean; reason: string }
}): CommitInfo {
  return {
    sha: data.sha,
    tree: data.tree.sha,
    parents: data.parents.map(p => p.sha),
    message: data.message,
    verified: data.verification?.verified === true,
    verification: data.verification?.reason ?? 'unknown',
    author: data.author?.name ?? ''
  }
}

function pullInfo(data: {
  number: number
  node_id: string
  html_url: string
  title: string
  body: string | null
  user: { login: string } | null
  auto_merge: unknown
  state: string
  merged_at: string | null
  head: { sha: string }
}): PullRequestInfo {
  return {
    number: data.number,
    nodeId: data.node_id,
    url: data.html_url,
    title: data.title,
    body: data.body ?? '',
    author: data.user?.login ?? '',
    autoMerge: data.auto_merge !== null && data.auto_merge !== undefined,
    state: data.state === 'open' ? 'open' : 'closed',
    merged: data.merged_at !== null,
    headSha: data.head.sha
  }
}
