import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { putDatedCommit } from '../../../../test/support/github-api-metrics.js'
import { memoryLogger } from '../runtime/logger.js'
import { branchTip, inHistoryOf } from './compare.js'
import { createOctokit, type GitHubClient } from './octokit.js'

const repo = { owner: 'acme', repo: 'graph' }
/**
 * The operation the double records for `GET /compare/{basehead}`: GitHub's description also lists the URL
 * as `/compare/{base}...{head}`, which its router matches first.
 */
const COMPARE = 'repos/compare-commits'
const id = (name: string) => name.repeat(40).slice(0, 40)
/*
 *   root ── a ── b            main
 *           │     └── t       tag "main" (a tag push's commit, on top of main)
 *           └── x             feature (diverged from main)
 *   u                         unrelated history
 */
const ROOT = id('0')
const A = id('a')
const B = id('b')
const T = id('7')
const X = id('e')
const U = id('9')
const UNKNOWN = id('5')

let api: GitHubApiDouble
let octokit: GitHubClient

beforeAll(async () => {
  api = await startGitHubApiDouble()
  const r = api.repo(repo.owner, repo.repo)
  const author = { login: 'dev', id: 7, type: 'User' as const }
  const graph: Array<[string, string[]]> = [
    [ROOT, []],
    [A, [ROOT]],
    [X, [A]],
    [B, [A]],
    [T, [B]],
    [U, []]
  ]
  graph.forEach(([sha, parents], day) =>
    putDatedCommit(r, { sha, parents, date: `2026-09-0${day + 1}T00:00:00Z`, message: sha, author })
  )
  r.refs.set('refs/heads/main', B)
  r.refs.set('refs/heads/feature', X)
  r.refs.set('refs/tags/main', T)
  octokit = createOctokit({
    token: 'ghp_x',
    baseUrl: api.url,
    logger: memoryLogger(),
    timeUnitMs: 1,
    registerSecret: () => {}
  })
})

afterAll(async () => {
  await api.close()
})

describe('branchTip', () => {
  it("is the branch's commit even when a tag has the branch's name; undefined without the branch", async () => {
    expect(await branchTip(octokit, repo, 'main')).toBe(B)
    expect(await branchTip(octokit, repo, 'gone')).toBeUndefined()
  })
})

describe('inHistoryOf', () => {
  it('is true for the tip itself and for a commit behind it', async () => {
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: B })).toBe(true)
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: A })).toBe(true)
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: ROOT })).toBe(true)
  })

  it('is false for a commit ahead of the tip, diverged from it, unrelated to it or unknown', async () => {
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: T })).toBe(false)
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: X })).toBe(false)
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: U })).toBe(false)
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: UNKNOWN })).toBe(false)
  })

  it('asks for one commit per page, by commit ids', async () => {
    const before = api.requestsFor(COMPARE).length
    await inHistoryOf(octokit, repo, { tip: B, sha: A })
    const [request] = api.requestsFor(COMPARE).slice(before)
    expect(request).toMatchObject({ path: `/repos/acme/graph/compare/${B}...${A}`, query: { per_page: '1' } })
  })

  it('rejects, never answers, when GitHub fails after the retries or refuses', async () => {
    api.fail(COMPARE, { kind: 'server-error', status: 502 }, 4)
    await expect(inHistoryOf(octokit, repo, { tip: B, sha: A })).rejects.toMatchObject({ status: 502 })
    api.fail(COMPARE, { kind: 'forbidden' })
    await expect(inHistoryOf(octokit, repo, { tip: B, sha: A })).rejects.toMatchObject({ status: 403 })
    // The double recovers: the same question is answered again.
    expect(await inHistoryOf(octokit, repo, { tip: B, sha: A })).toBe(true)
  })
})

describe("the API double's comparison", () => {
  const compare = (basehead: string, query: { per_page?: number; page?: number } = {}) =>
    octokit.rest.repos.compareCommitsWithBasehead({ ...repo, basehead, ...query })

  it('answers each status with the counts, the merge base and the commits ahead, oldest first', async () => {
    const summary = async (basehead: string) => {
      const { data } = await compare(basehead)
      return {
        status: data.status,
        ahead: data.ahead_by,
        behind: data.behind_by,
        total: data.total_commits,
        base: data.base_commit.sha,
        mergeBase: data.merge_base_commit.sha,
        commits: data.commits.map(c => c.sha),
        files: data.files
      }
    }
    expect(await summary(`${B}...${B}`)).toEqual({
      status: 'identical',
      ahead: 0,
      behind: 0,
      total: 0,
      base: B,
      mergeBase: B,
      commits: [],
      files: []
    })
    expect(await summary(`${B}...${ROOT}`)).toEqual({
      status: 'behind',
      ahead: 0,
      behind: 2,
      total: 0,
      base: B,
      mergeBase: ROOT,
      commits: [],
      files: []
    })
    expect(await summary(`${A}...${T}`)).toEqual({
      status: 'ahead',
      ahead: 2,
      behind: 0,
      total: 2,
      base: A,
      mergeBase: A,
      commits: [B, T],
      files: []
    })
    expect(await summary('main...feature')).toEqual({
      status: 'diverged',
      ahead: 1,
      behind: 2,
      total: 1,
      base: T,
      mergeBase: A,
      commits: [X],
      files: []
    })
  })

  it('resolves a bare name as git does, a tag before a branch: why a branch is compared by its commit', async () => {
    expect((await compare(`main...${T}`)).data.status).toBe('identical')
  })

  it('pages the commits ahead by per_page and page', async () => {
    const first = await compare(`${ROOT}...${T}`, { per_page: 2 })
    expect(first.data.commits.map(c => c.sha)).toEqual([A, B])
    expect(first.data.total_commits).toBe(3)
    expect(first.headers.link).toMatch(/rel="next"/)
    const second = await compare(`${ROOT}...${T}`, { per_page: 2, page: 2 })
    expect(second.data.commits.map(c => c.sha)).toEqual([T])
  })

  it('answers 404 for an unknown commit and for histories without a common ancestor', async () => {
    await expect(compare(`${B}...${UNKNOWN}`)).rejects.toMatchObject({ status: 404 })
    await expect(compare(`main...${U}`)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining(`No common ancestor between main and ${U}.`)
    })
    api.assertNoSpecViolations()
  })
})
