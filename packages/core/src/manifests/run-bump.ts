import { realpathSync } from 'node:fs'
import { runUrl, type RepoRef } from '../github/context.js'
import { ConfigurationError, getErrorMessage } from '../runtime/errors.js'
import { prepareOutputFile, writeOutputFile } from '../runtime/output-files.js'
import { resolveInWorkspace } from '../runtime/paths.js'
import { bumpBranch } from './branch.js'
import { editCheckout } from './local-checkout.js'
import { publishThroughGit } from './git-push.js'
import type { BumpPorts, BumpResult, BumpRunOptions } from './options.js'
import type { BumpRequest } from './plan.js'
import { publishThroughApi, type Published } from './publish-api.js'
import { composePullRequest, type BumpStory } from './pull-request-text.js'
import { reportBump } from './report.js'
import { targetReference, type BumpTarget } from './target.js'

/** The target with its digest: given, or looked up in the registry for the tag when asked to. */
async function withDigest(
  options: BumpRunOptions,
  ports: BumpPorts
): Promise<{ target: BumpTarget; origin?: 'given' | 'registry' }> {
  const { target } = options
  if (target.digest !== undefined) return { target, origin: 'given' }
  if (target.tag === undefined || !options.resolveDigest) return { target }
  if (!ports.resolveDigest) throw new Error('no registry client to resolve the digest with')
  const reference = targetReference(target)
  let digest: string
  try {
    digest = await ports.resolveDigest(reference)
  } catch (error) {
    throw new ConfigurationError(
      `Could not resolve the digest of ${reference} from its registry: ${getErrorMessage(error)}. Give it in '${options.inputNames.digest}', or set '${options.inputNames.resolveDigest}' to false to pin the tag alone.`
    )
  }
  ports.logger.info(`Resolved ${reference} to ${digest} in its registry.`)
  return { target: { ...target, digest }, origin: 'registry' }
}

function storyOf(
  options: BumpRunOptions,
  ports: BumpPorts,
  repository: RepoRef,
  branch: string
): Omit<BumpStory, 'plan' | 'target'> {
  const { context } = ports
  const own = `${context.repo.owner}/${context.repo.repo}`
  return {
    repository: `${repository.owner}/${repository.repo}`,
    base: options.base ?? '',
    branch,
    ...(/^[0-9a-f]{40}$/.test(context.sha)
      ? {
          source: {
            repository: own,
            sha: context.sha,
            url: `${context.serverUrl}/${own}/commit/${context.sha}`
          }
        }
      : {}),
    ...(runUrl(context) ? { runUrl: runUrl(context) } : {}),
    ...(options.gate ? { gate: options.gate } : {}),
    ...(options.title ? { titleTemplate: options.title } : {})
  }
}

/** The checkout a dry run edits or a git push commits from: `working-directory`, else the workspace. */
function checkoutOf(options: BumpRunOptions): string {
  return options.workingDirectory
    ? resolveInWorkspace(options.inputNames.workingDirectory, options.workingDirectory, options.workspace)
    : options.workspace
}

function defaultBase(options: BumpRunOptions, ports: BumpPorts, repository: RepoRef): string | undefined {
  if (options.base) return options.base
  const own = ports.context.repo
  const sameRepository =
    own.owner.toLowerCase() === repository.owner.toLowerCase() &&
    own.repo.toLowerCase() === repository.repo.toLowerCase()
  const named = (ports.context.payload.repository as { default_branch?: unknown } | undefined)?.default_branch
  return sameRepository && typeof named === 'string' ? named : undefined
}

/**
 * The whole bump after its inputs are parsed: the digest, the branch, then one of three paths (a dry
 * run on a local checkout, the Git Data API, or git push), the report and the diff file.
 */
export async function runBump(options: BumpRunOptions, ports: BumpPorts): Promise<BumpResult> {
  const { logger } = ports
  refuseUngatedAutoMerge(options)
  const diffFile = prepareDiffFile(options)
  const { target, origin } = await withDigest(options, ports)
  const request: BumpRequest = {
    target,
    strategy: options.strategy,
    ...(options.helmKey ? { helmKey: options.helmKey } : {}),
    fluxPolicies: options.fluxPolicies
  }
  const repository = options.repository ?? ports.context.repo
  const branch = options.branch ?? bumpBranch(request, { base: options.base ?? '', paths: options.paths })
  const story = {
    ...storyOf(options, ports, repository, branch),
    ...(origin ? { digestOrigin: origin } : {})
  }
  const common = { repository: story.repository, branch, target, ...(origin ? { digestOrigin: origin } : {}) }

  let result: BumpResult
  if (options.dryRun) {
    const base = defaultBase(options, ports, repository) ?? '(the default branch)'
    const change = editCheckout(checkoutOf(options), options, request)
    const planned = composePullRequest({ ...story, base, target, plan: change.plan })
    result = {
      ...common,
      base,
      operation: 'dry-run',
      plan: change.plan,
      findEditMs: change.findEditMs,
      diff: change.diff,
      text: planned
    }
  } else if (options.push === 'git') {
    const published = await publishThroughGit(
      checkoutOf(options),
      options,
      { repository, base: options.base, branch, request, story },
      ports,
      logger
    )
    result = resultOf(published, { ...common, base: published.base })
  } else {
    if (!ports.gitData)
      throw new ConfigurationError(
        `Input '${options.inputNames.token}' is empty: the API path needs a token that may write to ${story.repository}.`
      )
    const git = ports.gitData(repository)
    const base = defaultBase(options, ports, repository) ?? (await git.defaultBranch())
    const published = await publishThroughApi(
      git,
      options,
      { repository, base, branch, request, story: { ...story, base } },
      logger
    )
    result = resultOf(published, { ...common, base })
  }
  writeOutputFile(realpathSync(options.workspace), diffFile, result.diff)
  reportBump(result, ports)
  return result
}

/**
 * Auto-merge merges the pull request without a person once its checks pass: with a gate outcome given
 * that is not `pass`, that would take an image the gate failed to the cluster. Refused before anything is
 * read or written; without auto-merge the pull request shows the outcome to whoever reviews it.
 */
function refuseUngatedAutoMerge(options: BumpRunOptions): void {
  const { gate, autoMerge, dryRun, inputNames: names } = options
  if (dryRun || !autoMerge || gate === undefined || gate === 'pass') return
  throw new ConfigurationError(
    `Input '${names.gate}' is '${gate.slice(0, 40).replace(/\s+/g, ' ')}', not pass, and '${names.autoMerge}' would merge the pull request without review: run this step only when the gate passed, or set '${names.autoMerge}' to false.`
  )
}

/**
 * The diff file is checked before any request or edit: a path out of the workspace (`..`, absolute,
 * through a committed link) found only at the end would come after the branch and pull request.
 */
function prepareDiffFile(options: BumpRunOptions): string {
  const name = options.inputNames.diffFile
  const file = resolveInWorkspace(name, options.diffFile, options.workspace)
  try {
    return prepareOutputFile(realpathSync(options.workspace), file)
  } catch (error) {
    if (error instanceof ConfigurationError)
      throw new ConfigurationError(`Input '${name}' (${options.diffFile}): ${error.message}`)
    throw error
  }
}

function resultOf(
  published: Published,
  common: Pick<BumpResult, 'repository' | 'base' | 'branch' | 'target' | 'digestOrigin'>
): BumpResult {
  const { change } = published
  const base = { ...common, plan: change.plan, findEditMs: change.findEditMs, diff: change.diff }
  if (published.kind === 'no-change') return { ...base, operation: 'no-change' }
  if (published.kind === 'declined')
    return { ...base, operation: 'declined', pullRequest: published.pullRequest }
  const operation =
    published.kind === 'superseded'
      ? 'superseded'
      : !published.wrote && !published.created
        ? 'unchanged'
        : !published.pullRequest
          ? 'pushed'
          : published.created
            ? 'created'
            : 'updated'
  return {
    ...base,
    operation,
    text: published.text,
    commit: { sha: published.commit.sha, verified: published.commit.verified },
    ...(published.pullRequest ? { pullRequest: published.pullRequest } : {})
  }
}
