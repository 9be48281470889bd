import { BrokenInputError, ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { assertBranchName, Git, isObjectId, type FileChange } from './git.js'

export interface ResolveMergeBaseOptions {
  /** A Git for the checkout, or its directory. */
  git?: Git
  cwd?: string
  /**
   * pull_request: the base branch name (`pull_request.base.ref` / GITHUB_BASE_REF). Its CURRENT tip is
   * used, never the `base.sha` frozen in the payload when the PR was opened.
   */
  baseRef?: string
  /** merge_group (`merge_group.base_sha`) or push (`before`): the exact base commit. */
  baseSha?: string
  /** Defaults to HEAD. */
  headSha?: string
  remote?: string
  /** First deepening step in commits; doubles each round (default 32). */
  initialDeepen?: number
  /** Total commits to deepen by before falling back to --unshallow (default 1000). */
  maxDeepen?: number
  logger?: Logger
}

export interface MergeBaseResult {
  mergeBase: string
  /** The base commit compared against: the branch tip for baseRef, the given commit for baseSha. */
  baseSha: string
  headSha: string
  /** Commits the clone was deepened by, and whether it had to be unshallowed. */
  deepenedBy: number
  unshallowed: boolean
}

async function gitFor(options: ResolveMergeBaseOptions): Promise<Git> {
  if (options.git) return options.git
  if (!options.cwd) throw new ConfigurationError('resolveMergeBase needs a git work tree (git or cwd)')
  return Git.create(options.cwd)
}

/** Makes sure `sha` is present locally, fetching just that commit if needed (GitHub serves any reachable sha). */
async function ensureCommit(
  git: Git,
  remote: string,
  sha: string,
  what: string,
  logger?: Logger
): Promise<string> {
  if (!isObjectId(sha)) throw new ConfigurationError(`${what} '${sha}' is not a commit SHA`)
  const present = await git.resolveCommit(sha)
  if (present) return present
  logger?.info(`Fetching ${what} ${sha} from ${remote}`)
  await git.fetch(remote, [sha], (await git.isShallow()) ? ['--depth=1'] : [])
  const fetched = await git.resolveCommit(sha)
  if (!fetched) throw new BrokenInputError('git', `${what} ${sha} is not in '${remote}' (force-pushed away?)`)
  return fetched
}

/**
 * The commit to diff against. For a pull request that is `git merge-base <base tip> HEAD`: the frozen
 * `pull_request.base.sha` goes stale as soon as the base branch moves, and diffing against it would
 * blame the PR for every change merged since it was opened. Shallow clones (actions/checkout's
 * default depth 1) are deepened progressively until the histories meet.
 */
export async function resolveMergeBase(options: ResolveMergeBaseOptions): Promise<MergeBaseResult> {
  const { logger } = options
  const remote = options.remote ?? 'origin'
  if ((options.baseRef === undefined) === (options.baseSha === undefined)) {
    throw new ConfigurationError(
      'resolveMergeBase needs exactly one of baseRef (pull_request) or baseSha (merge_group, push)'
    )
  }
  const git = await gitFor(options)
  const headSha = options.headSha
    ? await ensureCommit(git, remote, options.headSha, 'head commit', logger)
    : await git.resolveCommit('HEAD')
  if (!headSha) throw new BrokenInputError('git', 'HEAD does not name a commit; is the checkout empty?')

  if (options.baseSha !== undefined) {
    const baseSha = await ensureCommit(git, remote, options.baseSha, 'base commit', logger)
    return { mergeBase: baseSha, baseSha, headSha, deepenedBy: 0, unshallowed: false }
  }

  const baseRef = (options.baseRef as string).replace(/^refs\/heads\//, '')
  assertBranchName(baseRef, 'Base branch')
  const tracking = `refs/remotes/${remote}/${baseRef}`
  const refspec = `+refs/heads/${baseRef}:${tracking}`
  let baseSha = await git.resolveCommit(tracking)
  if (!baseSha) {
    logger?.info(`Fetching base branch '${baseRef}' from ${remote}`)
    try {
      await git.fetch(remote, [refspec], (await git.isShallow()) ? ['--depth=1'] : [])
    } catch (error) {
      throw new BrokenInputError(
        'git',
        `base branch '${baseRef}' could not be fetched from '${remote}': ${getErrorMessage(error)}`
      )
    }
    baseSha = await git.resolveCommit(tracking)
    if (!baseSha) throw new BrokenInputError('git', `base branch '${baseRef}' does not exist on '${remote}'`)
  }

  let mergeBase = await git.mergeBase(baseSha, headSha)
  let deepenedBy = 0
  let unshallowed = false
  const maxDeepen = options.maxDeepen ?? 1000
  let step = options.initialDeepen ?? 32
  while (!mergeBase && (await git.isShallow())) {
    if (deepenedBy >= maxDeepen) {
      logger?.info(`No merge base after deepening by ${deepenedBy} commits; fetching the full history`)
      await git.fetch(remote, [refspec], ['--unshallow'])
      unshallowed = true
    } else {
      const by = Math.min(step, maxDeepen - deepenedBy)
      logger?.info(
        `No merge base of '${baseRef}' and HEAD in the shallow clone yet; deepening by ${by} commits`
      )
      await git.fetch(remote, [refspec], [`--deepen=${by}`])
      deepenedBy += by
      step *= 2
    }
    mergeBase = await git.mergeBase(baseSha, headSha)
  }
  if (!mergeBase) {
    throw new BrokenInputError(
      'git',
      `'${baseRef}' (${baseSha}) and HEAD (${headSha}) share no history even with the full clone; nothing to compare against`
    )
  }
  logger?.info(
    `Merge base of '${baseRef}' and HEAD: ${mergeBase}${deepenedBy ? ` (deepened by ${deepenedBy})` : ''}`
  )
  return { mergeBase, baseSha, headSha, deepenedBy, unshallowed }
}

/** Files a change added, copied, modified or renamed (deleted ones have nothing left to scan). */
export async function changedFiles(git: Git, mergeBase: string, head: string): Promise<FileChange[]> {
  if (!isObjectId(mergeBase) || !isObjectId(head)) {
    throw new ConfigurationError(`changedFiles needs commit SHAs, got '${mergeBase}' and '${head}'`)
  }
  return git.changes(mergeBase, head)
}
