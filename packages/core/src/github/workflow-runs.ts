import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'
import { readPermitted } from './readable.js'

/** One workflow run, as much of it as metrics needs (10,000 of these are held at once). */
export interface WorkflowRunRecord {
  id: number
  /** The workflow's name (`name:` in its file, else its path). */
  workflow: string
  path: string
  branch: string | null
  event: string
  status: string | null
  conclusion: string | null
  createdAt: string
  attempt: number
  headSha: string
  /** Its commit came from another repository (a fork's pull request, or a run it triggered). */
  fromFork: boolean
}

export interface RunWindow {
  from: Date
  to: Date
}

/**
 * The workflow runs created in the window, newest first. No filter parameter is sent: GitHub answers a
 * filtered list (`created`, `branch`, `status`…) with at most 1,000 runs, so the unfiltered list is read
 * page by page (100 runs each) until a page reaches past `from`. Requests grow with pages, not runs.
 */
export async function listWorkflowRuns(
  octokit: GitHubClient,
  repo: RepoRef,
  window: RunWindow
): Promise<WorkflowRunRecord[]> {
  const from = window.from.getTime()
  const to = window.to.getTime()
  return readPermitted(async () => {
    const runs: WorkflowRunRecord[] = []
    const pages = octokit.paginate.iterator(octokit.rest.actions.listWorkflowRunsForRepo, {
      ...repo,
      per_page: 100,
      exclude_pull_requests: true
    })
    for await (const { data } of pages) {
      let older = false
      for (const run of data) {
        const created = Date.parse(run.created_at)
        if (created < from) older = true
        else if (created <= to) runs.push(toRecord(run))
      }
      if (older) break
    }
    return runs
  }, actionsReadFix('GET /repos/{owner}/{repo}/actions/runs'))
}

/** What a token refused an Actions read is missing. */
export const actionsReadFix = (endpoint: string) =>
  `${endpoint} needs 'permissions: actions: read' in the job (GITHUB_TOKEN reads only its own repository)`

type RunData = Awaited<ReturnType<GitHubClient['rest']['actions']['getWorkflowRun']>>['data']

function toRecord(run: RunData): WorkflowRunRecord {
  return {
    id: run.id,
    workflow: run.name ?? run.path,
    path: run.path,
    branch: run.head_branch,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    createdAt: run.created_at,
    attempt: run.run_attempt ?? 1,
    headSha: run.head_sha,
    // head_repository is null once the fork is deleted (GitHub's description says otherwise): the repository
    // read here exists, so such a run's commit was another repository's.
    fromFork: run.head_repository?.id !== run.repository.id
  }
}

/**
 * One workflow run by its id (its latest attempt): what started it (`event`) and the commit and branch
 * GitHub names it after. An artifact's listing names the run's branch and commit but not its event.
 */
export async function getWorkflowRun(
  octokit: GitHubClient,
  repo: RepoRef,
  runId: number
): Promise<WorkflowRunRecord> {
  const { data } = await octokit.rest.actions.getWorkflowRun({ ...repo, run_id: runId })
  return toRecord(data)
}
