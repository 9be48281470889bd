import { NULL_SHA, type TreeEntry } from './github-api-state.js'
import { notFound, unprocessable, type Builtin } from './github-api-types.js'
import { commitView, refView, treeView } from './github-api-views.js'

/** The git data API as bump-manifest-pr uses it: refs, blobs, trees, commits (fast-forward rules included). */

export const gitBuiltins: Record<string, Builtin> = {
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
    repo.push(ref, req.body.sha)
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
    repo.push(ref, req.body.sha)
    return { status: 200, body: refView(repo, ref, api) }
  },
  'git/delete-ref': (req, repo) => {
    const ref = `refs/${req.pathParams.ref}`
    if (!repo.refs.has(ref)) return unprocessable('Reference does not exist')
    repo.push(ref, NULL_SHA)
    return { status: 204 }
  },
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
      committer: req.body.committer,
      // GitHub signs API commits made with an installation token (an App's, GITHUB_TOKEN), not a personal one's.
      signed: !/^(?:token |bearer )?(?:ghp_|github_pat_)/i.test(String(req.headers.authorization ?? ''))
    })
    return { status: 201, body: commitView(repo.commits.get(sha)!, repo, api) }
  },
  'git/get-commit': (req, repo, { api }) => {
    const commit = repo.commits.get(req.pathParams.commit_sha as string)
    return commit ? { status: 200, body: commitView(commit, repo, api) } : notFound()
  }
}
