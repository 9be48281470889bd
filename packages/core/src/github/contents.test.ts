import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { readRepositoryFile } from './contents.js'
import { createOctokit, type GitHubClient } from './octokit.js'

const POLICY = 'gate:\n  fail-on: [critical, high]\n'
const repository = { owner: 'octo-org', repo: 'policies' }

let api: GitHubApiDouble
let octokit: GitHubClient

/** The central repository as the contents API serves it: refs → path → text. */
const files: Record<string, Record<string, string>> = {
  main: { 'pipeline/secure-pipeline.yml': POLICY, 'big.yml': 'x'.repeat(2 * 1024 * 1024) },
  v1: { 'pipeline/secure-pipeline.yml': 'gate:\n  fail-on: [critical]\n' }
}

beforeAll(async () => {
  api = await startGitHubApiDouble()
  api.on('repos/get-content', req => {
    if (req.pathParams.repo === 'private')
      return { status: 403, body: { message: 'Resource not accessible by integration' } }
    // A private repository the token cannot see: GitHub answers 404, as for one that does not exist.
    if (req.pathParams.repo === 'hidden') return { status: 404, body: { message: 'Not Found' } }
    const ref = String(req.query.ref ?? 'main')
    if (!files[ref]) return { status: 404, body: { message: `No commit found for the ref ${ref}` } }
    const file = String(req.pathParams.path)
    if (file === 'pipeline') return { status: 200, body: [{ type: 'file', name: 'secure-pipeline.yml' }] }
    const text = files[ref]?.[file]
    if (text === undefined) return { status: 404, body: { message: 'Not Found' } }
    const big = text.length > 1024 * 1024
    return {
      status: 200,
      body: {
        type: 'file',
        encoding: big ? 'none' : 'base64',
        size: text.length,
        name: file.split('/').pop(),
        path: file,
        content: big ? '' : Buffer.from(text).toString('base64'),
        sha: 'a'.repeat(40)
      }
    }
  })
  api.on('repos/get', req =>
    req.pathParams.repo === 'hidden' ? { status: 404, body: { message: 'Not Found' } } : undefined
  )
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
  api.assertNoSpecViolations()
})

describe('readRepositoryFile', () => {
  it('reads a file at the default branch and at a ref, with a valid request', async () => {
    expect(await readRepositoryFile({ octokit, repository, path: 'pipeline/secure-pipeline.yml' })).toEqual({
      text: POLICY,
      sha: 'a'.repeat(40)
    })
    const v1 = await readRepositoryFile({
      octokit,
      repository,
      path: 'pipeline/secure-pipeline.yml',
      ref: 'v1'
    })
    expect(v1?.text).toBe('gate:\n  fail-on: [critical]\n')
    expect(api.requestsFor('repos/get-content').map(r => [r.path, r.query])).toEqual([
      ['/repos/octo-org/policies/contents/pipeline/secure-pipeline.yml', {}],
      ['/repos/octo-org/policies/contents/pipeline/secure-pipeline.yml', { ref: 'v1' }]
    ])
  })

  it('encodes each part of the path but keeps its slashes', async () => {
    files.main!['with space/#1?.yml'] = 'x'
    expect((await readRepositoryFile({ octokit, repository, path: 'with space/#1?.yml' }))?.text).toBe('x')
    expect(api.requestsFor('repos/get-content').at(-1)?.path).toBe(
      '/repos/octo-org/policies/contents/with%20space/%231%3F.yml'
    )
  })

  it('answers undefined for a missing file, and refuses a directory, a large file and an unreadable repository', async () => {
    expect(await readRepositoryFile({ octokit, repository, path: 'nope.yml' })).toBeUndefined()
    await expect(readRepositoryFile({ octokit, repository, path: 'pipeline' })).rejects.toThrow(
      /octo-org\/policies:pipeline is a directory, not a file/
    )
    await expect(readRepositoryFile({ octokit, repository, path: 'big.yml' })).rejects.toThrow(
      /over the 1048576-byte limit/
    )
    const denied = readRepositoryFile({
      octokit,
      repository: { owner: 'octo-org', repo: 'private' },
      path: 'x.yml'
    })
    await expect(denied).rejects.toThrow(ConfigurationError)
    await expect(
      readRepositoryFile({ octokit, repository: { owner: 'octo-org', repo: 'private' }, path: 'x.yml' })
    ).rejects.toThrow(
      /GITHUB_TOKEN reads only the repository of the workflow; give a token with 'contents: read' on octo-org\/private/
    )
  })

  it('tells a repository the token cannot see, and a ref that does not exist, from a missing file', async () => {
    await expect(
      readRepositoryFile({ octokit, repository: { owner: 'octo-org', repo: 'hidden' }, path: 'x.yml' })
    ).rejects.toThrow(
      /octo-org\/hidden does not exist or the token cannot see it \(404: Not Found\).*'contents: read' on octo-org\/hidden/
    )
    await expect(
      readRepositoryFile({ octokit, repository, path: 'pipeline/secure-pipeline.yml', ref: 'v9' })
    ).rejects.toThrow(/octo-org\/policies has no branch, tag or commit 'v9' \(404: No commit found/)
    expect(await readRepositoryFile({ octokit, repository, path: 'nope.yml', ref: 'v1' })).toBeUndefined()
  })
})
