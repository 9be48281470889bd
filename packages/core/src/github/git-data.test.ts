import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { gitHash } from '../../../../test/support/github-api-state.js'
import { readTarball } from '../manifests/tar.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { GitData } from './git-data.js'
import { createOctokit } from './octokit.js'

// Every request is checked against GitHub's OpenAPI description; the first of each kind compiles its schema.
jest.setTimeout(60_000)

let api: GitHubApiDouble
const repository = { owner: 'octo-org', repo: 'manifests' }

const client = (token = 'ghs_app', repo = repository) =>
  new GitData({
    octokit: createOctokit({
      token,
      baseUrl: api.url,
      logger: memoryLogger(),
      timeUnitMs: 1,
      retries: 0,
      registerSecret: () => {}
    }),
    repository: repo,
    tokenInput: 'token'
  })

beforeAll(async () => {
  api = await startGitHubApiDouble()
  api
    .repo('octo-org', 'manifests')
    .seedCommit({ 'apps/app/kustomization.yaml': 'images: []\n', 'README.md': '# hi\n' })
})
afterAll(async () => {
  api.assertNoSpecViolations()
  await api.close()
})

describe('Git Data API client', () => {
  it('reads a branch head and its commit, and says undefined for a branch that does not exist', async () => {
    const git = client()
    const head = await git.branchHead('main')
    expect(head).toBe(api.repo('octo-org', 'manifests').refs.get('refs/heads/main'))
    expect((await git.commit(head!)).message).toBe('seed')
    expect(await git.branchHead('nope')).toBeUndefined()
  })

  it('downloads the archive of a commit in one request and reads the files out of it', async () => {
    const git = client()
    const head = (await git.branchHead('main'))!
    const before = api.requests.length
    const files = readTarball(await git.archive(head), 'octo-org/manifests')
    expect(files.map(f => [f.path, Buffer.from(f.bytes).toString()])).toEqual([
      ['README.md', '# hi\n'],
      ['apps/app/kustomization.yaml', 'images: []\n']
    ])
    expect(api.requests.slice(before).map(r => r.operationId ?? r.path.replace(/[^/]+$/, ':id'))).toEqual([
      'repos/download-tarball-archive',
      '/_codeload/:id'
    ])
  })

  it("gives a file's blob sha at a commit, and what else is there when it is not a file", async () => {
    const git = client()
    const head = (await git.branchHead('main'))!
    expect(await git.fileSha('apps/app/kustomization.yaml', head)).toEqual({
      sha: gitHash('blob', Buffer.from('images: []\n'))
    })
    expect(await git.fileSha('missing.yaml', head)).toBeUndefined()
  })

  it('makes blobs, a tree on the base tree and a commit GitHub signs when no author is given', async () => {
    const git = client()
    const base = await git.commit((await git.branchHead('main'))!)
    const blob = await git.createBlob(Buffer.from('\ufeffimages: [x]\r\n'))
    const tree = await git.createTree(base.tree, [
      { path: 'apps/app/kustomization.yaml', mode: '100644', sha: blob }
    ])
    const commit = await git.createCommit('Bump', tree, [base.sha])
    expect(commit).toMatchObject({ tree, parents: [base.sha], verified: true, verification: 'valid' })
    const stored = api.repo('octo-org', 'manifests')
    expect(stored.blobs.get(blob)).toEqual(Buffer.from('\ufeffimages: [x]\r\n'))
    expect([...stored.trees.get(tree)!.keys()].sort()).toEqual(['README.md', 'apps/app/kustomization.yaml'])
  })

  it('creates a branch only when it does not exist, and moves it only as a fast-forward from what was read', async () => {
    const git = client()
    const base = (await git.branchHead('main'))!
    const baseCommit = await git.commit(base)
    const first = await git.createCommit('one', baseCommit.tree, [base])
    const second = await git.createCommit('two', baseCommit.tree, [base])
    expect(await git.createBranch('secure-pipeline/bump/x', first.sha)).toBe('created')
    expect(await git.createBranch('secure-pipeline/bump/x', second.sha)).toBe('taken')
    // `second` does not descend from `first`: another run's commit is never overwritten.
    expect(await git.advanceBranch('secure-pipeline/bump/x', second.sha)).toBe('moved-on')
    const third = await git.createCommit('three', baseCommit.tree, [first.sha])
    expect(await git.advanceBranch('secure-pipeline/bump/x', third.sha)).toBe('advanced')
    expect(await git.branchHead('secure-pipeline/bump/x')).toBe(third.sha)
  })

  it('opens one pull request per branch, finds it, updates it, labels it, asks for reviews and enables auto-merge', async () => {
    const git = client()
    const base = (await git.branchHead('main'))!
    const tree = (await git.commit(base)).tree
    const change = await git.createCommit(
      'change',
      await git.createTree(tree, [
        { path: 'a.yaml', mode: '100644', sha: await git.createBlob(Buffer.from('a: 1\n')) }
      ]),
      [base]
    )
    await git.createBranch('secure-pipeline/bump/pr', change.sha)
    const pr = await git.createPullRequest('secure-pipeline/bump/pr', 'main', 'Bump', 'body')
    expect(pr).toMatchObject({ title: 'Bump', body: 'body', author: 'github-actions[bot]', autoMerge: false })
    expect(await git.createPullRequest('secure-pipeline/bump/pr', 'main', 'Bump', 'body')).toBe('exists')
    const found = await git.openPullRequest('secure-pipeline/bump/pr', 'main')
    expect(found?.number).toBe((pr as { number: number }).number)
    await git.updatePullRequest(found!.number, 'Bump 2', 'body 2')
    await git.addLabels(found!.number, ['dependencies'])
    await git.requestReviewers(found!.number, ['octocat'], ['platform'])
    await git.enableAutoMerge(found!.nodeId, 'SQUASH')
    const stored = api.repo('octo-org', 'manifests').pulls.get(found!.number)!
    expect(stored).toMatchObject({
      title: 'Bump 2',
      body: 'body 2',
      labels: ['dependencies'],
      reviewers: ['octocat'],
      teamReviewers: ['platform'],
      autoMerge: { mergeMethod: 'SQUASH' }
    })
    expect((await git.openPullRequest('secure-pipeline/bump/pr', 'main'))?.autoMerge).toBe(true)
    api.repo('octo-org', 'manifests').allowAutoMerge = false
    await expect(git.enableAutoMerge(found!.nodeId, 'SQUASH')).rejects.toThrow(/Auto merge is not allowed/)
    api.repo('octo-org', 'manifests').allowAutoMerge = true
  })

  it('turns the known traps into errors that say what to change', async () => {
    const git = client()
    api.on('pulls/create', () => ({
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' }
    }))
    const error = await git.createPullRequest('main', 'main', 't', 'b').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /Allow GitHub Actions to create and approve pull requests" of octo-org\/manifests \(or of its organisation, which can override the repository\), or pass a GitHub App token in 'token'/
    )

    api.fail('git/create-blob', { kind: 'forbidden' })
    await expect(git.createBlob(Buffer.from('x'))).rejects.toThrow(
      /needs 'contents: write'.*permissions: contents: write/
    )
    api.fail('pulls/list', { kind: 'forbidden' })
    await expect(git.openPullRequest('b', 'main')).rejects.toThrow(/needs 'pull-requests: write'/)

    api.fail('git/get-ref', { kind: 'not-found' })
    api.fail('repos/get', { kind: 'not-found' })
    await expect(client('ghs_app', { owner: 'octo-org', repo: 'elsewhere' }).defaultBranch()).rejects.toThrow(
      /GITHUB_TOKEN reaches only the workflow's own repository; for another repository pass a GitHub App token/
    )
  })
})

describe('a pull request whose create answer is lost', () => {
  it('is the pull request GitHub made, not "exists", when the create answered 502 after making it', async () => {
    // As in production: the client retries server errors.
    const git = new GitData({
      octokit: createOctokit({
        token: 'ghs_app',
        baseUrl: api.url,
        logger: memoryLogger(),
        timeUnitMs: 1,
        registerSecret: () => {}
      }),
      repository,
      tokenInput: 'token'
    })
    const base = api.repo('octo-org', 'manifests').refs.get('refs/heads/main')!
    const change = await git.createCommit('lost', (await git.commit(base)).tree, [base])
    await git.createBranch('secure-pipeline/bump/lost', change.sha)
    let lose = true
    api.on('pulls/create', (_request, { builtin }) => {
      if (!lose) return undefined
      lose = false
      builtin()
      return { status: 502, body: { message: 'Server Error' } }
    })
    const made = await git.createPullRequest('secure-pipeline/bump/lost', 'main', 'Bump', 'body')
    expect(made).toMatchObject({ title: 'Bump', state: 'open' })
    const open = [...api.repo('octo-org', 'manifests').pulls.values()].filter(
      p => p.head === 'secure-pipeline/bump/lost'
    )
    expect(open).toHaveLength(1)
    expect((made as { number: number }).number).toBe(open[0]!.number)
  })
})
