import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { createOctokit, type GitHubClient } from './octokit.js'
import {
  composeCommentBody,
  MAX_COMMENT_LENGTH,
  resolveCommentAuthor,
  upsertPullRequestComment,
  type CommentAuthor
} from './pr-comment.js'

let double: GitHubApiDouble
let octokit: GitHubClient

beforeAll(async () => {
  double = await startGitHubApiDouble()
  octokit = createOctokit({
    token: 'ghs_x',
    baseUrl: double.url,
    logger: memoryLogger(),
    timeUnitMs: 1,
    registerSecret: () => {}
  })
})

afterAll(async () => {
  await double.close()
  expect(double.failures).toEqual([])
})

function newPullRequest(head: string) {
  const repo = double.repo('acme', 'app')
  return { repo, number: repo.seedPullRequest({ head }).number }
}

const upsert = (
  issueNumber: number,
  body: string,
  { marker = 'gate', logger = memoryLogger(), author = { kind: 'app' } as CommentAuthor } = {}
) =>
  upsertPullRequestComment({ octokit, owner: 'acme', repo: 'app', issueNumber, marker, body, logger, author })

describe('upsertPullRequestComment', () => {
  it('creates the comment once, then edits it in place: one comment after two runs', async () => {
    const { repo, number } = newPullRequest('two-runs')
    const first = await upsert(number, '3 findings')
    const second = await upsert(number, '1 finding')
    expect(first.status).toBe('created')
    expect(second).toMatchObject({
      status: 'updated',
      commentId: first.status === 'created' ? first.commentId : -1
    })
    const ours = [...repo.comments.values()].filter(c => c.issueNumber === number)
    expect(ours).toHaveLength(1)
    expect(ours[0]?.body).toBe('<!-- secure-pipeline:gate -->\n1 finding')
    expect(double.requestsFor('issues/create-comment')).toHaveLength(1)
  })

  it('finds its comment on a later page among many, and ignores other markers and quotes of its own', async () => {
    const { repo, number } = newPullRequest('busy')
    const others = [...Array(150).keys()].map(i => `comment ${i}`)
    others.push(
      '> <!-- secure-pipeline:gate -->\n> quoted by a human',
      '<!-- secure-pipeline:bump -->\nother tool'
    )
    await upsert(number, 'ours v1')
    for (const body of others) {
      const now = double.state.now()
      const id = double.state.nextId()
      repo.comments.set(id, {
        id,
        issueNumber: number,
        body,
        user: { login: 'dev', id: 1, type: 'User' },
        createdAt: now,
        updatedAt: now
      })
    }
    // Put ours last so that it is only found on page 2.
    const ownId = [...repo.comments.values()].find(c => c.body.endsWith('ours v1'))?.id as number
    const own = repo.comments.get(ownId)
    repo.comments.delete(ownId)
    repo.comments.set(ownId, own!)
    const listBefore = double.requestsFor('issues/list-comments').length
    const result = await upsert(number, 'ours v2')
    expect(result).toMatchObject({ status: 'updated', commentId: ownId })
    expect(double.requestsFor('issues/list-comments').length - listBefore).toBe(2)
    expect(repo.comments.get(ownId)?.body).toBe('<!-- secure-pipeline:gate -->\nours v2')
    expect([...repo.comments.values()].filter(c => c.body.includes('other tool'))).toHaveLength(1)
  })

  it('truncates to GitHub’s 65,536-character limit with a note and a closed code fence', async () => {
    const { repo, number } = newPullRequest('huge')
    const huge = '```text\n' + 'x'.repeat(100_000)
    const result = await upsert(number, huge)
    expect(result).toMatchObject({ status: 'created', truncated: true })
    const body = [...repo.comments.values()].find(c => c.issueNumber === number)?.body as string
    expect(body.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
    expect(body.length).toBeGreaterThan(MAX_COMMENT_LENGTH - 200)
    expect(body).toMatch(
      /\n```\n\n---\n_Truncated: [\d,]+ characters omitted; see the job summary for the full report._$/
    )
  })

  it('never splits a surrogate pair when truncating', () => {
    for (let shift = 0; shift < 4; shift++) {
      const { text } = composeCommentBody('gate', 'a'.repeat(shift) + '😀'.repeat(40_000))
      expect(text.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/)
    }
    expect(composeCommentBody('gate', 'short')).toEqual({
      text: '<!-- secure-pipeline:gate -->\nshort',
      truncated: false
    })
  })

  it('closes a <details> block the cut leaves open, so the note is not folded away, and cuts at a line end', () => {
    const row = (i: number) => `| \`rule-${i}\` | src/app.ts:${i} | &lt;high&gt; |`
    const rows = [...Array(3000).keys()].map(row)
    const body = `## 3000 findings\n\n<details><summary>All</summary>\n\n${rows.join('\n')}\n\n</details>\n`
    const { text, truncated } = composeCommentBody('gate', body)
    expect(truncated).toBe(true)
    expect(text.length).toBeLessThanOrEqual(MAX_COMMENT_LENGTH)
    expect(text).toMatch(/ \| &lt;high&gt; \|\n\n<\/details>\n\n---\n_Truncated: [\d,]+ characters omitted; /)
    const kept = text.split('\n\n</details>\n\n---\n')[0]!.split('\n').slice(1)
    expect(kept.every(line => body.split('\n').includes(line))).toBe(true)
  })

  it('closes a ~~~ or a longer ``` fence with its own kind, and ignores <details> inside a fence', () => {
    const lines = [...Array(20_000).keys()].map(i => `line ${i} <details>`).join('\n')
    const tilde = composeCommentBody('gate', `~~~text\n${lines}`).text
    expect(tilde).toMatch(/<details>\n~~~\n\n---\n_Truncated/)
    const four = composeCommentBody('gate', `\`\`\`\`md\n\`\`\`\n${lines}`).text
    expect(four).toMatch(/<details>\n````\n\n---\n_Truncated/)
  })

  it('skips without throwing when the token is read-only (fork PR)', async () => {
    const { repo, number } = newPullRequest('fork')
    double.fail('issues/create-comment', { kind: 'forbidden' })
    const logger = memoryLogger()
    const result = await upsert(number, 'x', { logger })
    expect(result.status).toBe('skipped')
    expect(result.status === 'skipped' && result.reason).toMatch(
      /Resource not accessible by integration.*pull-requests: write/
    )
    expect(logger.lines.join('\n')).toMatch(/^warning: GitHub refused the PR comment/m)
    expect([...repo.comments.values()].filter(c => c.issueNumber === number)).toHaveLength(0)
  })

  it('throws on other errors, and refuses a marker that could break out of the HTML comment', async () => {
    await expect(upsert(99_999, 'x')).rejects.toMatchObject({ status: 404 })
    await expect(upsert(1, 'x', { marker: 'gate -->' })).rejects.toThrow(ConfigurationError)
  })
})

/** A comment written straight into the double's state, as another account would have written it. */
function seedComment(
  repo: ReturnType<GitHubApiDouble['repo']>,
  issueNumber: number,
  body: string,
  login: string
) {
  const now = double.state.now()
  const id = double.state.nextId()
  const type = login.endsWith('[bot]') ? ('Bot' as const) : ('User' as const)
  repo.comments.set(id, {
    id,
    issueNumber,
    body,
    user: { login, id: 7, type },
    createdAt: now,
    updatedAt: now
  })
  return id
}

describe('whose comment the upsert edits', () => {
  const PLANTED = '<!-- secure-pipeline:gate -->\n✅ **Passed** (planted by a person)'

  it("never edits a person's comment that starts with our marker, whatever its position", async () => {
    const { repo, number } = newPullRequest('planted')
    const planted = seedComment(repo, number, PLANTED, 'mallory')
    const first = await upsert(number, '❌ Failed')
    expect(first.status).toBe('created')
    const second = await upsert(number, '❌ Failed again')
    expect(second).toMatchObject({
      status: 'updated',
      commentId: first.status === 'created' ? first.commentId : -1
    })
    expect(repo.comments.get(planted)?.body).toBe(PLANTED)
    expect(
      [...repo.comments.values()]
        .filter(c => c.issueNumber === number)
        .map(c => c.user.login)
        .sort()
    ).toEqual(['github-actions[bot]', 'mallory'])
  })

  it('with a user token, edits only that user’s comment, never another person’s or a bot’s', async () => {
    const { repo, number } = newPullRequest('user-token')
    const other = seedComment(repo, number, PLANTED, 'mallory')
    const bot = seedComment(repo, number, '<!-- secure-pipeline:gate -->\nfrom a bot', 'github-actions[bot]')
    const mine = seedComment(repo, number, '<!-- secure-pipeline:gate -->\nmine', 'octocat')
    const result = await upsert(number, 'updated', { author: { kind: 'user', login: 'OctoCat' } })
    expect(result).toMatchObject({ status: 'updated', commentId: mine })
    expect(repo.comments.get(other)?.body).toBe(PLANTED)
    expect(repo.comments.get(bot)?.body).toBe('<!-- secure-pipeline:gate -->\nfrom a bot')
  })
})

describe('a comment of ours that goes away mid-run', () => {
  it('posts the verdict anew when the comment it found is deleted before the edit', async () => {
    const { repo, number } = newPullRequest('deleted')
    const gone = seedComment(repo, number, '<!-- secure-pipeline:gate -->\n✅ Passed', 'github-actions[bot]')
    // Someone deletes it after the list was read: the edit is refused with 404.
    double.fail('issues/update-comment', { kind: 'not-found' })
    const result = await upsert(number, '❌ Failed')
    expect(result.status).toBe('created')
    const bodies = [...repo.comments.values()].filter(c => c.id !== gone && c.issueNumber === number)
    expect(bodies.map(c => c.body)).toEqual(['<!-- secure-pipeline:gate -->\n❌ Failed'])
  })
})

describe('a create whose answer is lost', () => {
  it('posts one comment when GitHub made it but answered 502, instead of a second on the retry', async () => {
    const { repo, number } = newPullRequest('lost-answer')
    let lose = true
    double.on('issues/create-comment', (_request, { builtin }) => {
      if (!lose) return undefined
      lose = false
      builtin()
      return { status: 502, body: { message: 'Server Error' } }
    })
    const result = await upsert(number, '❌ Failed')
    const ours = [...repo.comments.values()].filter(c => c.issueNumber === number)
    expect(ours.map(c => c.body)).toEqual(['<!-- secure-pipeline:gate -->\n❌ Failed'])
    expect(result).toMatchObject({ status: 'created', commentId: ours[0]?.id })
  })

  it('takes the comment its last create made as posted, though that create too answered 502', async () => {
    const { repo, number } = newPullRequest('lost-last')
    let calls = 0
    double.on('issues/create-comment', (_request, { builtin }) => {
      if (++calls > 3) return undefined
      // The first two made nothing; the last one made the comment but its answer was lost.
      if (calls === 3) builtin()
      return { status: 502, body: { message: 'Server Error' } }
    })
    const result = await upsert(number, '❌ Failed')
    const ours = [...repo.comments.values()].filter(c => c.issueNumber === number)
    expect(ours.map(c => c.body)).toEqual(['<!-- secure-pipeline:gate -->\n❌ Failed'])
    expect(result).toMatchObject({ status: 'created', commentId: ours[0]?.id })
  })

  it('creates it again when the failed create made nothing', async () => {
    const { repo, number } = newPullRequest('lost-create')
    double.fail('issues/create-comment', { kind: 'server-error', status: 502 })
    expect(await upsert(number, '❌ Failed')).toMatchObject({ status: 'created' })
    expect([...repo.comments.values()].filter(c => c.issueNumber === number)).toHaveLength(1)
  })
})

describe('duplicate comments of ours', () => {
  it('keeps one and removes the twin a concurrent run created, so no stale verdict stays', async () => {
    const { repo, number } = newPullRequest('race')
    const kept = seedComment(repo, number, '<!-- secure-pipeline:gate -->\n❌ Failed', 'github-actions[bot]')
    const twin = seedComment(repo, number, '<!-- secure-pipeline:gate -->\n✅ Passed', 'github-actions[bot]')
    const other = seedComment(repo, number, '<!-- secure-pipeline:gate -->\n✅ Passed', 'other-app[bot]')
    const planted = seedComment(repo, number, '<!-- secure-pipeline:gate -->\n✅ Passed', 'mallory')
    const result = await upsert(number, '❌ Failed again')
    expect(result).toMatchObject({ status: 'updated', commentId: kept })
    expect(repo.comments.has(twin)).toBe(false)
    expect(repo.comments.get(kept)?.body).toBe('<!-- secure-pipeline:gate -->\n❌ Failed again')
    expect(repo.comments.has(other)).toBe(true)
    expect(repo.comments.has(planted)).toBe(true)
  })

  it('only warns when a twin cannot be removed', async () => {
    const { repo, number } = newPullRequest('race-denied')
    const kept = seedComment(repo, number, '<!-- secure-pipeline:gate -->\nold', 'github-actions[bot]')
    const twin = seedComment(repo, number, '<!-- secure-pipeline:gate -->\nold', 'github-actions[bot]')
    double.fail('issues/delete-comment', { kind: 'forbidden' })
    const logger = memoryLogger()
    expect(await upsert(number, 'new', { logger })).toMatchObject({ status: 'updated', commentId: kept })
    expect(repo.comments.has(twin)).toBe(true)
    expect(logger.lines.join('\n')).toMatch(
      /^warning: Could not remove duplicate PR comment .*Resource not accessible/m
    )
  })
})

describe('resolveCommentAuthor against the API double', () => {
  let api: GitHubApiDouble
  const client = (token: string) =>
    createOctokit({
      token,
      baseUrl: api.url,
      logger: memoryLogger(),
      timeUnitMs: 1,
      registerSecret: () => {}
    })

  beforeAll(async () => {
    api = await startGitHubApiDouble()
  })
  afterAll(async () => {
    await api.close()
    api.assertNoSpecViolations()
  })

  it('names the user of a user token and calls an installation token an app', async () => {
    expect(await resolveCommentAuthor(client('ghp_usertoken'))).toEqual({ kind: 'user', login: 'octocat' })
    expect(await resolveCommentAuthor(client('ghs_installation'))).toEqual({ kind: 'app' })
    expect(api.requestsFor('users/get-authenticated')).toHaveLength(2)
  })

  it('does not mistake a rate limit (also a 403) for an installation token', async () => {
    api.fail('users/get-authenticated', { kind: 'primary-rate-limit', resetInSeconds: 1 }, 3)
    await expect(resolveCommentAuthor(client('ghs_installation'))).rejects.toMatchObject({ status: 403 })
  })
})
