import type { CommentRecord, CommitRecord, DoubleRepo, DoubleUser, PullRecord } from './github-api-state.js'

/** Minimal but schema-plausible JSON bodies, shaped like the ones GitHub sends. */

export const HTML_ROOT = 'https://github.com'

export function userView(user: DoubleUser, api: string) {
  const url = `${api}/users/${encodeURIComponent(user.login)}`
  return {
    login: user.login,
    id: user.id,
    node_id: `U_${user.id}`,
    avatar_url: `https://avatars.githubusercontent.com/u/${user.id}?v=4`,
    gravatar_id: '',
    url,
    html_url:
      user.type === 'Bot'
        ? `${HTML_ROOT}/apps/${user.login.replace(/\[bot\]$/, '')}`
        : `${HTML_ROOT}/${user.login}`,
    followers_url: `${url}/followers`,
    following_url: `${url}/following{/other_user}`,
    gists_url: `${url}/gists{/gist_id}`,
    starred_url: `${url}/starred{/owner}{/repo}`,
    subscriptions_url: `${url}/subscriptions`,
    organizations_url: `${url}/orgs`,
    repos_url: `${url}/repos`,
    events_url: `${url}/events{/privacy}`,
    received_events_url: `${url}/received_events`,
    type: user.type,
    site_admin: false
  }
}

export function repoView(repo: DoubleRepo, api: string) {
  const url = `${api}/repos/${repo.fullName}`
  return {
    id: repo.id,
    node_id: `R_${repo.id}`,
    name: repo.name,
    full_name: repo.fullName,
    private: repo.isPrivate,
    visibility: repo.isPrivate ? 'private' : 'public',
    owner: userView({ login: repo.owner, id: repo.id + 1, type: 'User' }, api),
    html_url: `${HTML_ROOT}/${repo.fullName}`,
    description: null,
    fork: false,
    url,
    git_url: `git://github.com/${repo.fullName}.git`,
    clone_url: `${HTML_ROOT}/${repo.fullName}.git`,
    default_branch: repo.defaultBranch,
    archived: false,
    disabled: false,
    permissions: { admin: false, maintain: false, push: true, triage: true, pull: true },
    created_at: '2020-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    pushed_at: '2026-01-01T00:00:00Z',
    language: null,
    license: null,
    parent: undefined,
    source: undefined,
    template_repository: undefined,
    organization: undefined
  }
}

export function commentView(comment: CommentRecord, repo: DoubleRepo, api: string) {
  const url = `${api}/repos/${repo.fullName}/issues/comments/${comment.id}`
  return {
    id: comment.id,
    node_id: `IC_${comment.id}`,
    url,
    html_url: `${HTML_ROOT}/${repo.fullName}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    issue_url: `${api}/repos/${repo.fullName}/issues/${comment.issueNumber}`,
    body: comment.body,
    user: userView(comment.user, api),
    author_association: comment.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    created_at: comment.createdAt,
    updated_at: comment.updatedAt
  }
}

function branchView(repo: DoubleRepo, branch: string, api: string, sha?: string) {
  return {
    label: `${repo.owner}:${branch}`,
    ref: branch,
    sha: sha ?? repo.refs.get(`refs/heads/${branch}`) ?? '0'.repeat(40),
    user: userView({ login: repo.owner, id: repo.id + 1, type: 'User' }, api),
    repo: repoView(repo, api)
  }
}

export function pullView(pull: PullRecord, repo: DoubleRepo, api: string) {
  const url = `${api}/repos/${repo.fullName}/pulls/${pull.number}`
  return {
    id: pull.id,
    node_id: `PR_${pull.id}`,
    number: pull.number,
    url,
    html_url: `${HTML_ROOT}/${repo.fullName}/pull/${pull.number}`,
    issue_url: `${api}/repos/${repo.fullName}/issues/${pull.number}`,
    comments_url: `${api}/repos/${repo.fullName}/issues/${pull.number}/comments`,
    state: pull.state,
    locked: false,
    title: pull.title,
    body: pull.body,
    draft: pull.draft,
    user: userView(pull.user, api),
    head: branchView(repo, pull.head, api, pull.headSha),
    base: branchView(repo, pull.base, api),
    merged: pull.merged !== undefined,
    mergeable: null,
    merged_by: pull.merged ? userView(pull.merged.by, api) : null,
    merge_commit_sha: pull.merged?.commitSha ?? null,
    labels: (pull.labels ?? []).map((name, i) => ({
      id: 9000 + i,
      node_id: `LA_${i}`,
      url: `${api}/repos/${repo.fullName}/labels/${encodeURIComponent(name)}`,
      name,
      description: '',
      color: 'ededed',
      default: false
    })),
    milestone: null,
    assignee: null,
    assignees: [],
    requested_reviewers: (pull.reviewers ?? []).map((login, i) =>
      userView({ login, id: 7000 + i, type: 'User' }, api)
    ),
    requested_teams: [],
    auto_merge: pull.autoMerge
      ? {
          enabled_by: userView(pull.user, api),
          merge_method: pull.autoMerge.mergeMethod.toLowerCase(),
          commit_title: pull.title,
          commit_message: ''
        }
      : null,
    active_lock_reason: null,
    maintainer_can_modify: false,
    created_at: pull.createdAt,
    updated_at: pull.updatedAt,
    closed_at: pull.closedAt ?? pull.merged?.at ?? null,
    merged_at: pull.merged?.at ?? null
  }
}

export function refView(repo: DoubleRepo, ref: string, api: string) {
  const sha = repo.refs.get(ref) as string
  return {
    ref,
    node_id: `REF_${Buffer.from(ref).toString('base64url')}`,
    url: `${api}/repos/${repo.fullName}/git/${ref}`,
    object: { type: 'commit', sha, url: `${api}/repos/${repo.fullName}/git/commits/${sha}` }
  }
}

export function commitView(commit: CommitRecord, repo: DoubleRepo, api: string) {
  const base = `${api}/repos/${repo.fullName}/git`
  return {
    sha: commit.sha,
    node_id: `C_${commit.sha}`,
    url: `${base}/commits/${commit.sha}`,
    html_url: `${HTML_ROOT}/${repo.fullName}/commit/${commit.sha}`,
    author: commit.author,
    committer: commit.committer,
    message: commit.message,
    tree: { sha: commit.tree, url: `${base}/trees/${commit.tree}` },
    parents: commit.parents.map(sha => ({
      sha,
      url: `${base}/commits/${sha}`,
      html_url: `${HTML_ROOT}/${repo.fullName}/commit/${sha}`
    })),
    verification: {
      verified: commit.verified,
      reason: commit.verified ? 'valid' : 'unsigned',
      signature: null,
      payload: null,
      verified_at: commit.verified ? commit.committer.date : null
    }
  }
}

export function treeView(sha: string, repo: DoubleRepo, api: string) {
  const entries = repo.trees.get(sha) ?? new Map()
  const base = `${api}/repos/${repo.fullName}/git`
  return {
    sha,
    url: `${base}/trees/${sha}`,
    truncated: false,
    tree: [...entries].map(([path, e]) => ({
      path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      size: e.type === 'blob' ? repo.blobs.get(e.sha)?.length : undefined,
      url: `${base}/${e.type === 'blob' ? 'blobs' : 'trees'}/${e.sha}`
    }))
  }
}
