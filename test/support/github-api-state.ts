import { createHash } from 'node:crypto'

/** The in-memory GitHub the double serves: repositories, their git objects, issues, pulls and SARIF uploads. */

export interface DoubleUser {
  login: string
  id: number
  type: 'User' | 'Bot'
}

export interface CommentRecord {
  id: number
  issueNumber: number
  body: string
  user: DoubleUser
  createdAt: string
  updatedAt: string
}

export interface PullRecord {
  number: number
  id: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  draft: boolean
  /** Branch name in this repository (forks are not modelled). */
  head: string
  base: string
  user: DoubleUser
  createdAt: string
  updatedAt: string
  /** Set for a merged pull request (its head branch may be gone: `headSha` keeps the commit). */
  merged?: { at: string; commitSha: string; by: DoubleUser }
  closedAt?: string
  headSha?: string
  labels?: string[]
  reviewers?: string[]
  teamReviewers?: string[]
  autoMerge?: { mergeMethod: 'MERGE' | 'SQUASH' | 'REBASE' }
}

export interface TreeEntry {
  mode: string
  type: 'blob' | 'tree' | 'commit'
  sha: string
}

export interface CommitRecord {
  sha: string
  tree: string
  parents: string[]
  message: string
  author: { name: string; email: string; date: string }
  committer: { name: string; email: string; date: string }
  /** GitHub signs commits it creates itself (no author/committer given), so they show as verified. */
  verified: boolean
}

/** One update of a ref, as GitHub's repository activity list records it. */
export interface ActivityRecord {
  id: number
  ref: string
  /** Forty zeros for a ref that did not exist on that side of the update. */
  before: string
  after: string
  type: 'push' | 'force_push' | 'branch_creation' | 'branch_deletion' | 'pr_merge' | 'merge_queue_merge'
  /** The server's time of the update: never a commit's date, which the pusher sets. */
  timestamp: string
  actor: DoubleUser
}

export const NULL_SHA = '0'.repeat(40)

export interface SarifUpload {
  id: string
  commitSha: string
  ref: string
  checkoutUri?: string
  toolName?: string
  /** The decoded (gunzipped, parsed) SARIF log. */
  sarif: unknown
  /** Statuses that successive GETs report; the last one sticks. */
  statuses: Array<'pending' | 'complete' | 'failed'>
  errors: string[] | null
}

export class DoubleRepo {
  readonly refs = new Map<string, string>()
  readonly blobs = new Map<string, Buffer>()
  /** Trees are kept flat (full path → entry): enough for create/get with base_tree. */
  readonly trees = new Map<string, Map<string, TreeEntry>>()
  readonly commits = new Map<string, CommitRecord>()
  readonly comments = new Map<number, CommentRecord>()
  readonly pulls = new Map<number, PullRecord>()
  /** Issue numbers that exist and are not pulls. */
  readonly issues = new Set<number>()
  readonly sarifs = new Map<string, SarifUpload>()
  /** Every update of a ref made through `push`, oldest first: what the activity list serves. */
  readonly activities: ActivityRecord[] = []
  /** The repository setting "Allow auto-merge". */
  allowAutoMerge = true
  private nextNumber = 1

  constructor(
    private readonly world: DoubleState,
    readonly owner: string,
    readonly name: string,
    readonly id: number,
    readonly defaultBranch: string,
    readonly isPrivate: boolean
  ) {
    const tree = this.putTree(new Map())
    const root = this.putCommit({ tree, parents: [], message: 'Initial commit' })
    this.refs.set(`refs/heads/${defaultBranch}`, root)
  }

  get fullName(): string {
    return `${this.owner}/${this.name}`
  }

  allocateNumber(): number {
    return this.nextNumber++
  }

  openIssue(): number {
    const n = this.allocateNumber()
    this.issues.add(n)
    return n
  }

  hasIssueOrPull(n: number): boolean {
    return this.issues.has(n) || this.pulls.has(n)
  }

  putBlob(content: Buffer): string {
    const sha = gitHash('blob', content)
    this.blobs.set(sha, content)
    return sha
  }

  putTree(entries: Map<string, TreeEntry>): string {
    const listing = [...entries].sort(([a], [b]) => (a < b ? -1 : 1))
    const sha = gitHash(
      'tree',
      Buffer.from(listing.map(([p, e]) => `${e.mode} ${e.type} ${e.sha}\t${p}`).join('\n'))
    )
    this.trees.set(sha, new Map(listing))
    return sha
  }

  putCommit(input: {
    tree: string
    parents: string[]
    message: string
    author?: { name: string; email: string; date?: string }
    committer?: { name: string; email: string; date?: string }
    /** False for a commit made with a personal access token, which GitHub does not sign. */
    signed?: boolean
  }): string {
    const date = this.world.now()
    const bot = {
      name: 'github-actions[bot]',
      email: '41898282+github-actions[bot]@users.noreply.github.com'
    }
    const author = { ...bot, date, ...input.author }
    const committer = { ...(input.committer ?? { name: 'GitHub', email: 'noreply@github.com' }), date }
    const text = `tree ${input.tree}\n${input.parents.map(p => `parent ${p}\n`).join('')}author ${author.name}\n${
      this.world.sequence
    }\n\n${input.message}`
    const sha = gitHash('commit', Buffer.from(text))
    this.commits.set(sha, {
      sha,
      tree: input.tree,
      parents: input.parents,
      message: input.message,
      author,
      committer: { ...committer, date: committer.date ?? date },
      verified: input.author === undefined && input.committer === undefined && input.signed !== false
    })
    return sha
  }

  isAncestor(ancestor: string, of: string): boolean {
    const queue = [of]
    const seen = new Set<string>()
    while (queue.length > 0) {
      const sha = queue.pop() as string
      if (sha === ancestor) return true
      if (seen.has(sha)) continue
      seen.add(sha)
      queue.push(...(this.commits.get(sha)?.parents ?? []))
    }
    return false
  }

  /**
   * Moves `ref` to `after` (deletes it when `after` is the null sha) and records the update in the activity
   * list at the server's time: `at` when a test history gives one, else half a second after the double's
   * clock, so it never equals a commit date. The type follows from the move unless given (a merge).
   */
  push(
    ref: string,
    after: string,
    options: { at?: string; actor?: DoubleUser; type?: ActivityRecord['type'] } = {}
  ): void {
    const before = this.refs.get(ref) ?? NULL_SHA
    if (after === NULL_SHA) this.refs.delete(ref)
    else this.refs.set(ref, after)
    const type =
      options.type ??
      (before === NULL_SHA
        ? 'branch_creation'
        : after === NULL_SHA
          ? 'branch_deletion'
          : this.isAncestor(before, after)
            ? 'push'
            : 'force_push')
    this.activities.push({
      id: this.world.nextId(),
      ref,
      before,
      after,
      type,
      timestamp: options.at ?? this.world.serverTime(),
      actor: options.actor ?? this.world.viewer
    })
  }

  /** Test seeding: commits `files` on top of `branch` (created from the default branch if new). */
  seedCommit(files: Record<string, string>, branch = this.defaultBranch, message = 'seed'): string {
    const parent =
      this.refs.get(`refs/heads/${branch}`) ?? (this.refs.get(`refs/heads/${this.defaultBranch}`) as string)
    const entries = new Map(this.trees.get((this.commits.get(parent) as CommitRecord).tree))
    for (const [path, content] of Object.entries(files)) {
      entries.set(path, { mode: '100644', type: 'blob', sha: this.putBlob(Buffer.from(content)) })
    }
    const sha = this.putCommit({ tree: this.putTree(entries), parents: [parent], message })
    this.push(`refs/heads/${branch}`, sha)
    return sha
  }

  /** Test seeding: an open pull request from `head` (created if missing) into `base`. */
  seedPullRequest(input: { head: string; base?: string; title?: string; user?: DoubleUser }): PullRecord {
    const base = input.base ?? this.defaultBranch
    if (!this.refs.has(`refs/heads/${input.head}`))
      this.seedCommit({ [`${input.head}.txt`]: input.head }, input.head)
    const now = this.world.now()
    const pull: PullRecord = {
      number: this.allocateNumber(),
      id: this.world.nextId(),
      title: input.title ?? `Change from ${input.head}`,
      body: null,
      state: 'open',
      draft: false,
      head: input.head,
      base,
      user: input.user ?? { login: 'octocat', id: 583231, type: 'User' },
      createdAt: now,
      updatedAt: now
    }
    this.pulls.set(pull.number, pull)
    return pull
  }
}

export class DoubleState {
  readonly repos = new Map<string, DoubleRepo>()
  /** Whoever the token belongs to: GITHUB_TOKEN acts as this bot. */
  viewer: DoubleUser = { login: 'github-actions[bot]', id: 41898282, type: 'Bot' }
  /** What successive status polls of each new SARIF upload report; the last value sticks. */
  sarifStatuses: Array<'pending' | 'complete' | 'failed'> = ['complete']
  /** Archives served from /_codeload/<id>, as codeload.github.com serves what a tarball request redirects to. */
  readonly downloads = new Map<string, Buffer>()
  sequence = 0
  private id = 1000
  private clock = Date.parse('2026-01-01T00:00:00Z')

  constructor(private readonly autoCreate: boolean) {}

  nextId(): number {
    return ++this.id
  }

  /** A deterministic clock that ticks one second per call, so created/updated times are ordered. */
  now(): string {
    this.sequence++
    this.clock += 1000
    return new Date(this.clock).toISOString().replace(/\.\d{3}Z$/, 'Z')
  }

  /** Half a second past the clock, without ticking it: the time of an update that follows a commit. */
  serverTime(): string {
    return new Date(this.clock + 500).toISOString()
  }

  addRepo(
    owner: string,
    name: string,
    options: { defaultBranch?: string; private?: boolean } = {}
  ): DoubleRepo {
    const repo = new DoubleRepo(
      this,
      owner,
      name,
      this.nextId(),
      options.defaultBranch ?? 'main',
      !!options.private
    )
    this.repos.set(`${owner}/${name}`.toLowerCase(), repo)
    return repo
  }

  /** Looks a repository up; unknown ones spring into existence unless the double was told otherwise. */
  repo(owner: string, name: string): DoubleRepo | undefined {
    const found = this.repos.get(`${owner}/${name}`.toLowerCase())
    if (found || !this.autoCreate) return found
    return this.addRepo(owner, name)
  }
}

export function gitHash(type: string, content: Buffer): string {
  return createHash('sha1')
    .update(Buffer.concat([Buffer.from(`${type} ${content.length}\0`), content]))
    .digest('hex')
}
