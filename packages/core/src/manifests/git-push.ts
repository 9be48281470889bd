import { Git } from '../github/git.js'
import type { CommitInfo } from '../github/git-data.js'
import { ConfigurationError } from '../runtime/errors.js'
import { selectPaths } from '../runtime/glob.js'
import type { Logger } from '../runtime/logger.js'
import {
  advanceParents,
  judgeHead,
  mayBeUpdateMerge,
  newerClaim,
  refuseBaseAsBranch,
  readUpdateMerges,
  rebuildClaim,
  type HistoryReads
} from './bump-head.js'
import { buildChange, checkPlan, type Change } from './change.js'
import type { BumpPorts, BumpRunOptions } from './options.js'
import { MAX_ATTEMPTS, withoutOrigin, type PublishPlace, type Published } from './publish-api.js'
import { commitMessage, composePullRequest } from './pull-request-text.js'
import { syncPullRequest } from './pull-request-sync.js'
import type { ManifestSet } from './sources.js'
import { MAX_MANIFEST_BYTES } from './yaml-source.js'

/** Who a pushed commit is by: git needs a name, and GitHub shows this one as the Actions bot. */
const IDENTITY = [
  '-c',
  'user.name=github-actions[bot]',
  '-c',
  'user.email=41898282+github-actions[bot]@users.noreply.github.com'
]
/** Nothing of the checkout's own configuration runs: no hooks, no signing prompt. */
const QUIET = ['-c', 'core.hooksPath=/dev/null', '-c', 'commit.gpgSign=false']
const REMOTE = 'origin'
/** A shallow clone is deepened by this many commits, doubling each time, before its whole history is fetched. */
const DEEPEN_FIRST = 32
const DEEPEN_MAX = 1024
const BASE_REF = 'refs/secure-pipeline/base'
const HEAD_REF = 'refs/secure-pipeline/bump'

interface TreeLine {
  mode: string
  type: string
  sha: string
  path: string
}

function parseTree(output: string): TreeLine[] {
  return output
    .split('\0')
    .filter(Boolean)
    .map(line => {
      const tab = line.indexOf('\t')
      const [mode, type, sha] = line.slice(0, tab).split(' ')
      return { mode: mode!, type: type!, sha: sha!, path: line.slice(tab + 1) }
    })
}

/** The files `paths` selects in a commit, read from git's objects (not the working tree). */
async function treeManifests(git: Git, commit: string, options: BumpRunOptions): Promise<ManifestSet> {
  const lines = parseTree(
    (await git.exec(['ls-tree', '-r', '-z', '--full-tree', '--end-of-options', commit])).stdout
  )
  const byPath = new Map(lines.filter(l => l.type === 'blob').map(l => [l.path, l]))
  const set: ManifestSet = { files: [], modes: new Map(), skipped: [] }
  const chosen = selectPaths([...byPath.keys()], options.paths, options.inputNames.paths).map(p =>
    byPath.get(p)!
  )
  const blobs = await git.readBlobs(
    chosen.filter(l => l.mode !== '120000').map(l => l.sha),
    MAX_MANIFEST_BYTES
  )
  for (const line of chosen) {
    const bytes = blobs.get(line.sha)
    if (line.mode === '120000')
      set.skipped.push({ file: line.path, reason: 'a symbolic link; never followed' })
    else if (!bytes)
      set.skipped.push({ file: line.path, reason: `over ${MAX_MANIFEST_BYTES} bytes; not read` })
    else {
      set.files.push({ path: line.path, bytes })
      set.modes.set(line.path, line.mode === '100755' ? '100755' : '100644')
    }
  }
  return set
}

/** A tree like `tree` with the given files replaced, built bottom-up with `git mktree`. */
async function writeTree(
  git: Git,
  tree: string,
  files: Map<string, { mode: string; sha: string }>
): Promise<string> {
  const entries = new Map(
    parseTree((await git.exec(['ls-tree', '-z', '--end-of-options', tree])).stdout).map(e => [e.path, e])
  )
  const below = new Map<string, Map<string, { mode: string; sha: string }>>()
  for (const [file, blob] of files) {
    const slash = file.indexOf('/')
    if (slash < 0) entries.set(file, { ...blob, type: 'blob', path: file })
    else {
      const dir = file.slice(0, slash)
      if (!below.has(dir)) below.set(dir, new Map())
      below.get(dir)!.set(file.slice(slash + 1), blob)
    }
  }
  for (const [dir, sub] of below) {
    const child = entries.get(dir)
    if (child?.type !== 'tree') throw new Error(`${dir} is not a directory in tree ${tree}`)
    entries.set(dir, { ...child, sha: await writeTree(git, child.sha, sub) })
  }
  const input = [...entries.values()].map(e => `${e.mode} ${e.type} ${e.sha}\t${e.path}\0`).join('')
  return (await git.exec(['mktree', '-z'], { input })).stdout.trim()
}

async function remoteHeads(
  git: Git,
  base: string | undefined,
  branch: string
): Promise<{ base: string; heads: Map<string, string> }> {
  let name = base
  if (name === undefined) {
    const symref = await git.exec(['ls-remote', '--symref', '--', REMOTE, 'HEAD'])
    name = /^ref: refs\/heads\/(\S+)\tHEAD$/m.exec(symref.stdout)?.[1]
    if (!name)
      throw new ConfigurationError(`The remote ${REMOTE} names no default branch; give the base branch.`)
  }
  const listed = await git.exec(['ls-remote', '--', REMOTE, `refs/heads/${name}`, `refs/heads/${branch}`])
  const heads = new Map(
    listed.stdout
      .split('\n')
      .filter(Boolean)
      .map(line => {
        const [sha, ref] = line.split('\t')
        return [ref!.replace(/^refs\/heads\//, ''), sha!] as [string, string]
      })
  )
  return { base: name, heads }
}

async function fetchHeads(
  git: Git,
  base: string,
  branch: string,
  branchExists: boolean
): Promise<{ baseSha: string; headSha?: string }> {
  const specs = [
    `+refs/heads/${base}:${BASE_REF}`,
    ...(branchExists ? [`+refs/heads/${branch}:${HEAD_REF}`] : [])
  ]
  await git.fetch(REMOTE, specs)
  const baseSha = await git.resolveCommit(BASE_REF)
  if (!baseSha) throw new Error(`fetching ${base} from ${REMOTE} gave no commit`)
  return { baseSha, ...(branchExists ? { headSha: await git.resolveCommit(HEAD_REF) } : {}) }
}

/** The edited files as git blobs, with the modes they had. */
async function writeBlobs(git: Git, change: Change): Promise<Map<string, { mode: string; sha: string }>> {
  const blobs = new Map<string, { mode: string; sha: string }>()
  for (const edit of change.plan.edits) {
    const sha = (
      await git.exec(['hash-object', '-w', '--stdin'], { input: Buffer.from(edit.after).toString('utf8') })
    ).stdout.trim()
    blobs.set(edit.file, { mode: change.set.modes.get(edit.file) ?? '100644', sha })
  }
  return blobs
}

async function readCommit(git: Git, sha: string): Promise<CommitInfo> {
  const out = (await git.exec(['show', '-s', '--format=%T%x00%P%x00%an%x00%B', '--end-of-options', sha]))
    .stdout
  const [tree, parents, author, ...message] = out.split('\0')
  return {
    sha,
    tree: tree!,
    parents: parents!.split(' ').filter(Boolean),
    author: author!,
    message: message.join('\0'),
    verified: false,
    verification: 'unsigned'
  }
}

/** git merge-base --is-ancestor: exit 0 yes, 1 no; anything else (a missing object) is an error. */
async function isAncestor(git: Git, sha: string, of: string): Promise<boolean> {
  const result = await git.exec(['merge-base', '--is-ancestor', '--end-of-options', sha, of], {
    allowExitCodes: [0, 1]
  })
  return result.exitCode === 0
}

/**
 * Whether `sha` is the base head or one of its ancestors. A "yes" is always true, a "no" only with the
 * history between them: actions/checkout clones one commit deep, so a shallow clone is deepened from the
 * remote base branch until git can tell (the fetched branch head brought `sha` and its history already).
 */
async function inBaseHistory(git: Git, base: string, sha: string, baseSha: string): Promise<boolean> {
  let deepened = 0
  for (let by = DEEPEN_FIRST; !(await isAncestor(git, sha, baseSha)); by *= 2) {
    if (!(await git.isShallow())) return false
    const flag = deepened >= DEEPEN_MAX ? '--unshallow' : `--deepen=${by}`
    await git.fetch(REMOTE, [`refs/heads/${base}`], [flag])
    deepened += by
  }
  return true
}

/** The history reads of an "Update branch" merge, from the clone (deepened when shallow). */
const cloneHistory = (git: Git, base: string, baseSha: string): HistoryReads => ({
  commit: sha => readCommit(git, sha),
  inBase: sha => inBaseHistory(git, base, sha, baseSha)
})

/**
 * The git-push path, for remotes that are not GitHub or when no API token may write: the same rebuild
 * from the fetched base head, a commit made from git's objects (the working tree is not touched), and a
 * push that is never forced, so a branch another run moved is rejected and everything is read again.
 */
export async function publishThroughGit(
  checkout: string,
  options: BumpRunOptions,
  place: Omit<PublishPlace, 'base'> & { base: string | undefined },
  ports: Pick<BumpPorts, 'git' | 'gitData'>,
  logger: Logger
): Promise<Published & { base: string }> {
  const git = await Git.create(checkout, ports.git)
  for (let attempt = 1; ; attempt++) {
    const remote = await remoteHeads(git, place.base, place.branch)
    refuseBaseAsBranch(place.branch, remote.base, options.inputNames)
    if (!remote.heads.has(remote.base))
      throw new ConfigurationError(`The base branch ${remote.base} does not exist on ${REMOTE}.`)
    const { baseSha, headSha } = await fetchHeads(
      git,
      remote.base,
      place.branch,
      remote.heads.has(place.branch)
    )
    const set = await treeManifests(git, baseSha, options)
    const rebuilt = buildChange(() => set, place.request)
    checkPlan(rebuilt.plan, place.request.target, options)
    if (rebuilt.plan.edits.length === 0) return { kind: 'no-change', change: rebuilt, base: remote.base }
    const head = headSha ? await readCommit(git, headSha) : undefined
    let text = composePullRequest({
      ...place.story,
      base: remote.base,
      target: place.request.target,
      plan: rebuilt.plan
    })
    const baseTree = (await readCommit(git, baseSha)).tree
    const tree = await writeTree(git, baseTree, await writeBlobs(git, rebuilt))
    const claim = head?.parents[0] === baseSha ? newerClaim(head, place.request.target) : undefined
    const theirs = claim
      ? await rebuildClaim(
          () => set,
          place.request,
          claim,
          async theirChange => writeTree(git, baseTree, await writeBlobs(git, theirChange))
        )
      : undefined
    // Commits pushed with git are unsigned, this action's own included: the trees alone decide here.
    const updateMerge = mayBeUpdateMerge(head, baseSha, place.request.target, false)
      ? await readUpdateMerges(
          head,
          { baseSha, target: place.request.target, requireSigned: false },
          cloneHistory(git, remote.base, baseSha)
        )
      : undefined
    const verdict = judgeHead(
      {
        head,
        baseSha,
        ours: tree,
        requireSigned: false,
        ...(theirs ? { theirs: theirs.tree } : {}),
        ...(updateMerge ? { updateMerge } : {})
      },
      place.request.target,
      options,
      place.branch
    )
    let commit = head
    if (verdict.kind === 'superseded')
      text = composePullRequest({
        ...withoutOrigin(place.story),
        base: remote.base,
        target: theirs!.target,
        plan: theirs!.change.plan
      })
    else if (verdict.kind === 'create' || verdict.kind === 'advance') {
      const parents = advanceParents(baseSha, head, updateMerge !== undefined)
      const made = (
        await git.exec(
          [...IDENTITY, ...QUIET, 'commit-tree', tree, ...parents.flatMap(p => ['-p', p]), '-F', '-'],
          {
            input: commitMessage(text)
          }
        )
      ).stdout.trim()
      const push = await git.exec(
        [...QUIET, 'push', '--porcelain', '--', REMOTE, `${made}:refs/heads/${place.branch}`],
        { allowExitCodes: [0, 1] }
      )
      if (push.exitCode !== 0) {
        if (!/\t\[rejected\]/.test(push.stdout) || attempt >= MAX_ATTEMPTS)
          throw new Error(
            `git push to ${REMOTE} failed: ${(push.stdout + push.stderr).trim().split('\n').slice(-3).join(' ')}`
          )
        logger.info(
          `${place.branch} moved on ${REMOTE} since it was read; rebuilding from ${remote.base} (attempt ${attempt + 1}).`
        )
        continue
      }
      commit = await readCommit(git, made)
      logger.info(`Pushed ${place.branch} at ${made} to ${REMOTE}.`)
    }
    const wrote = commit !== head
    const kind = verdict.kind === 'superseded' ? 'superseded' : 'published'
    if (!ports.gitData)
      return { kind, change: rebuilt, commit: commit!, wrote, created: false, text, base: remote.base }
    const synced = await syncPullRequest(
      ports.gitData(place.repository),
      { ...options, requireVerified: false },
      { branch: place.branch, base: remote.base, ours: commit!, text },
      logger
    )
    return {
      kind,
      change: rebuilt,
      commit: commit!,
      wrote,
      pullRequest: { number: synced.pullRequest.number, url: synced.pullRequest.url },
      created: synced.created,
      text,
      base: remote.base
    }
  }
}
