import { listBranchActivities } from '../github/activities.js'
import { downloadArtifact, listArtifacts } from '../github/artifacts.js'
import { listRulesetBypasses, readBranchProtection } from '../github/branch-protection.js'
import { listCheckRuns, listCommitStatuses } from '../github/checks.js'
import { listCodeScanningAlerts } from '../github/code-scanning-alerts.js'
import { listCommits } from '../github/commits.js'
import { branchTip, commitsAhead, inHistoryOf } from '../github/compare.js'
import type { RepoRef } from '../github/context.js'
import { createOctokit, type CreateOctokitOptions } from '../github/octokit.js'
import { listMergedPullRequests, listReviews, pullRequestsForCommit } from '../github/pull-requests.js'
import { getWorkflowRun, listWorkflowRuns } from '../github/workflow-runs.js'
import type { Logger } from '../runtime/logger.js'
import type { MetricsGitHub } from './ports.js'

/** A push's commits read at most: 500, enough for any push a person reviews. */
const MAX_COMPARE_PAGES = 5

export interface MetricsGitHubOptions {
  token: string
  /** The caller's name for the token input, for the message when it is empty. */
  tokenInput: string
  repository: RepoRef
  env: Record<string, string | undefined>
  logger: Logger
  /** Test seams for the API double: time scale and retry counts. */
  octokit?: Partial<CreateOctokitOptions>
  /** The blob download's fetch (tests); the global one otherwise. */
  fetch?: typeof fetch
}

/**
 * Every GitHub read metrics makes, through one client with retries and rate-limit handling. It counts
 * requests and the time spent waiting for answers (retries and rate-limit waits included), so a report can
 * say what the run cost and a benchmark can tell time in the API from time in the code.
 */
export function createMetricsGitHub(options: MetricsGitHubOptions): MetricsGitHub {
  const { repository: repo, logger } = options
  const octokit = createOctokit({
    token: options.token,
    tokenInput: options.tokenInput,
    logger,
    env: options.env,
    ...options.octokit
  })
  let requests = 0
  // Wall time with at least one request in flight: requests run a few at a time, and their overlap is one wait.
  let waitMs = 0
  let inFlight = 0
  let busySince = 0
  const timed = async <T>(work: () => Promise<T>): Promise<T> => {
    if (inFlight++ === 0) busySince = performance.now()
    try {
      return await work()
    } finally {
      if (--inFlight === 0) waitMs += performance.now() - busySince
    }
  }
  octokit.hook.wrap('request', (request, endpoint) => {
    requests++
    return timed(async () => request(endpoint))
  })
  let described: Promise<{ id: number; defaultBranch: string }> | undefined
  // One tip per branch for the whole run: the change records and every placed commit read the same
  // history. A failed read is dropped, not kept: one transient failure must not refuse every later read.
  const tips = new Map<string, Promise<string | undefined>>()
  const tipOf = (branch: string) => {
    let tip = tips.get(branch)
    if (!tip) {
      const read = branchTip(octokit, repo, branch)
      read.catch(() => {
        if (tips.get(branch) === read) tips.delete(branch)
      })
      tips.set(branch, (tip = read))
    }
    return tip
  }
  return {
    repository: repo,
    describe: () =>
      (described ??= octokit.rest.repos
        .get({ ...repo })
        .then(({ data }) => ({ id: data.id, defaultBranch: data.default_branch }))),
    workflowRuns: window => listWorkflowRuns(octokit, repo, window),
    artifacts: (name, since) => listArtifacts(octokit, repo, { name, since }),
    // The blob download is outside Octokit; its time is API time too.
    downloadArtifact: (id, maxBytes) =>
      timed(() => downloadArtifact(octokit, repo, id, { maxBytes, fetch: options.fetch })),
    codeScanningAlerts: () => listCodeScanningAlerts(octokit, repo),
    mergedPullRequests: (repository, base, window) =>
      listMergedPullRequests(octokit, repository, { base, since: window.from, until: window.to }),
    pullRequestsForCommit: sha => pullRequestsForCommit(octokit, repo, sha),
    reviews: n => listReviews(octokit, repo, n),
    commits: async (branch, window) => {
      const tip = await tipOf(branch)
      if (tip === undefined) throw new Error(`there is no branch ${branch} (GitHub answered 404)`)
      return listCommits(octokit, repo, { tip, since: window.from, until: window.to })
    },
    branchTip: tipOf,
    commitOnBranch: async (branch, sha) => {
      const tip = await tipOf(branch)
      return tip !== undefined && inHistoryOf(octokit, repo, { tip, sha })
    },
    branchActivities: (branch, window) =>
      listBranchActivities(octokit, repo, { branch, since: window.from, until: window.to }),
    commitsAhead: (base, head) => commitsAhead(octokit, repo, { base, head, maxPages: MAX_COMPARE_PAGES }),
    workflowRun: id => getWorkflowRun(octokit, repo, id),
    checkRuns: ref => listCheckRuns(octokit, repo, ref),
    commitStatuses: ref => listCommitStatuses(octokit, repo, ref),
    branchProtection: branch => readBranchProtection(octokit, repo, branch),
    rulesetBypasses: branch => listRulesetBypasses(octokit, repo, `refs/heads/${branch}`),
    usage: () => ({
      requests,
      waitMs: Math.round(waitMs + (inFlight > 0 ? performance.now() - busySince : 0))
    })
  }
}
