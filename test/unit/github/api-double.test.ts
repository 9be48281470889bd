import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { Octokit } from '@octokit/rest'
import { gzipSync } from 'node:zlib'
import {
  assertNoSpecViolations,
  startGitHubApiDouble,
  type GitHubApiDouble
} from '../../support/github-api-double.js'

/** The double is only worth something if it can fail: these requests must be refused and recorded. */

let strict: GitHubApiDouble
/** The double `call` talks to: `strict` first, then a fresh one for the valid-request tests. */
let double: GitHubApiDouble

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(`${double.url}${path}`, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers
    },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body)
  })
  const text = await response.text()
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : undefined
  }
}

function lastFailure() {
  return double.failures.at(-1)
}

beforeAll(async () => {
  strict = await startGitHubApiDouble()
  double = strict
})

afterAll(async () => {
  await strict.close()
})

describe('GitHub API double rejects requests the REST description does not allow', () => {
  it('refuses create-comment without the required body property', async () => {
    const pr = double.repo('acme', 'app').seedPullRequest({ head: 'no-body' })
    const before = double.failures.length
    const res = await call('POST', `/repos/acme/app/issues/${pr.number}/comments`, {})
    expect(res.status).toBe(422)
    expect(res.body?.message).toMatch(/must have required property 'body'/)
    expect(double.failures).toHaveLength(before + 1)
    expect(lastFailure()?.operationId).toBe('issues/create-comment')
  })

  it('refuses a body property of the wrong type and one the spec does not declare', async () => {
    const pr = double.repo('acme', 'app').seedPullRequest({ head: 'wrong-type' })
    const res = await call('POST', `/repos/acme/app/issues/${pr.number}/comments`, { body: 42, bodi: 'typo' })
    expect(res.status).toBe(422)
    expect(lastFailure()?.problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/body\/body must be string/),
        expect.stringMatching(/'bodi'/)
      ])
    )
  })

  it('refuses an unknown path and a method the path does not define', async () => {
    expect((await call('GET', '/repos/acme/app/no-such-thing')).status).toBe(404)
    expect(lastFailure()?.problems[0]).toMatch(/no operation .* matches/)
    expect((await call('DELETE', '/repos/acme/app/pulls')).status).toBe(404)
    expect(lastFailure()?.problems[0]).toMatch(/DELETE is not defined/)
  })

  it('refuses a path parameter of the wrong type, a bad query enum and an unknown query parameter', async () => {
    expect((await call('GET', '/repos/acme/app/issues/abc/comments')).status).toBe(422)
    expect(lastFailure()?.problems.join()).toMatch(/path\/issue_number must be integer/)
    expect((await call('GET', '/repos/acme/app/pulls?state=merged')).status).toBe(422)
    expect(lastFailure()?.problems.join()).toMatch(/query\/state must be equal to one of the allowed values/)
    expect((await call('GET', '/repos/acme/app/pulls?colour=red')).status).toBe(422)
  })

  it('refuses malformed JSON, a bad commit SHA pattern and a SARIF payload that is not gzip+base64', async () => {
    expect((await call('POST', '/repos/acme/app/git/refs', '{"ref":')).status).toBe(422)
    expect(lastFailure()?.problems[0]).toMatch(/not JSON/)
    const upload = { commit_sha: 'abc', ref: 'refs/heads/main', sarif: Buffer.from('{}').toString('base64') }
    const res = await call('POST', '/repos/acme/app/code-scanning/sarifs', upload)
    expect(res.status).toBe(422)
    expect(lastFailure()?.problems.join('\n')).toMatch(/commit_sha must (NOT have fewer|match pattern)/)
    expect(lastFailure()?.problems.join('\n')).toMatch(/not gzip\+base64 JSON/)
  })

  it('throws from assertNoSpecViolations, naming each bad request', () => {
    expect(double.failures.length).toBeGreaterThan(5)
    expect(() => double.assertNoSpecViolations()).toThrow(
      /problem\(s\) \(invalid requests or unmodelled calls\):\nPOST \/repos\/acme\/app\/issues\/\d+\/comments/
    )
    expect(() => assertNoSpecViolations({ failures: [] })).not.toThrow()
  })
})

describe('GitHub API double serves valid requests', () => {
  let fresh: GitHubApiDouble
  beforeAll(async () => {
    fresh = await startGitHubApiDouble({ token: 'ghs_test' })
    double = fresh
  })
  afterAll(async () => {
    await fresh.close()
    fresh.assertNoSpecViolations()
  })

  const auth = { authorization: 'token ghs_test' }

  it('answers 401 without the token and sends rate-limit headers', async () => {
    expect((await call('GET', '/repos/acme/app')).status).toBe(401)
    const res = await call('GET', '/repos/acme/app', undefined, auth)
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ full_name: 'acme/app', default_branch: 'main' })
    expect(Number(res.headers.get('x-ratelimit-remaining'))).toBeLessThan(5000)
  })

  it('models the git data API: blob, tree, commit, refs, fast-forward only unless forced', async () => {
    const main = (await call('GET', '/repos/acme/app/git/ref/heads/main', undefined, auth)).body as {
      object: { sha: string }
    }
    const blob = await call(
      'POST',
      '/repos/acme/app/git/blobs',
      { content: 'image: app@sha256:1', encoding: 'utf-8' },
      auth
    )
    expect(blob.body?.sha).toMatch(/^[0-9a-f]{40}$/)
    const parent = (await call('GET', `/repos/acme/app/git/commits/${main.object.sha}`, undefined, auth))
      .body as { tree: { sha: string } }
    const tree = await call(
      'POST',
      '/repos/acme/app/git/trees',
      {
        base_tree: parent.tree.sha,
        tree: [{ path: 'deploy/values.yaml', mode: '100644', type: 'blob', sha: blob.body?.sha }]
      },
      auth
    )
    expect(tree.status).toBe(201)
    const commit = await call(
      'POST',
      '/repos/acme/app/git/commits',
      { message: 'bump', tree: tree.body?.sha, parents: [main.object.sha] },
      auth
    )
    expect(commit.body).toMatchObject({ verification: { verified: true } })
    const ref = await call(
      'POST',
      '/repos/acme/app/git/refs',
      { ref: 'refs/heads/bump/app', sha: commit.body?.sha },
      auth
    )
    expect(ref.status).toBe(201)
    expect(
      (
        await call(
          'POST',
          '/repos/acme/app/git/refs',
          { ref: 'refs/heads/bump/app', sha: commit.body?.sha },
          auth
        )
      ).body?.message
    ).toBe('Reference already exists')
    const sideways = await call(
      'POST',
      '/repos/acme/app/git/commits',
      { message: 'other', tree: tree.body?.sha, parents: [] },
      auth
    )
    const nonFf = await call(
      'PATCH',
      '/repos/acme/app/git/refs/heads%2Fbump%2Fapp',
      { sha: sideways.body?.sha },
      auth
    )
    expect([nonFf.status, nonFf.body?.message]).toEqual([422, 'Update is not a fast forward'])
    const forced = await call(
      'PATCH',
      '/repos/acme/app/git/refs/heads%2Fbump%2Fapp',
      { sha: sideways.body?.sha, force: true },
      auth
    )
    expect(forced.status).toBe(200)
  })

  it('models pulls: create, duplicate refused as GitHub does, list by head', async () => {
    fresh.repo('acme', 'app').seedCommit({ 'a.txt': '1' }, 'feature/x')
    const body = { title: 'Bump', head: 'feature/x', base: 'main' }
    expect((await call('POST', '/repos/acme/app/pulls', body, auth)).status).toBe(201)
    const again = await call('POST', '/repos/acme/app/pulls', body, auth)
    expect(again.status).toBe(422)
    expect(JSON.stringify(again.body)).toContain('A pull request already exists for acme:feature/x.')
    const list = await call('GET', '/repos/acme/app/pulls?head=acme%3Afeature%2Fx&base=main', undefined, auth)
    expect((list.body as unknown as unknown[]).length).toBe(1)
  })

  it('stores decoded SARIF uploads and reports processing status in sequence', async () => {
    fresh.state.sarifStatuses = ['pending', 'complete']
    const sarif = gzipSync(JSON.stringify({ version: '2.1.0', runs: [] })).toString('base64')
    const res = await call(
      'POST',
      '/repos/acme/app/code-scanning/sarifs',
      { commit_sha: 'a'.repeat(40), ref: 'refs/heads/main', sarif },
      auth
    )
    expect(res.status).toBe(202)
    expect(fresh.repo('acme', 'app').sarifs.get(res.body?.id as string)?.sarif).toEqual({
      version: '2.1.0',
      runs: []
    })
    const statuses = []
    for (let i = 0; i < 3; i++)
      statuses.push(
        (await call('GET', `/repos/acme/app/code-scanning/sarifs/${res.body?.id}`, undefined, auth)).body
          ?.processing_status
      )
    expect(statuses).toEqual(['pending', 'complete', 'complete'])
  })

  it('answers programmed faults, then recovers', async () => {
    fresh.fail('repos/get', { kind: 'secondary-rate-limit', retryAfterSeconds: 7 })
    const limited = await call('GET', '/repos/acme/app', undefined, auth)
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7'])
    expect((await call('GET', '/repos/acme/app', undefined, auth)).status).toBe(200)
    expect(() => fresh.fail('issues/no-such-op', { kind: 'forbidden' })).toThrow(/no operation/)
  })

  it('lets a handler replace or wrap the built-in behaviour', async () => {
    fresh.on('repos/get', (_req, ctx) => {
      const base = ctx.builtin()
      return { ...base, body: { ...(base.body as object), private: true } }
    })
    expect((await call('GET', '/repos/acme/app', undefined, auth)).body?.private).toBe(true)
  })

  it('records a valid but unmodelled operation as a failure (501)', async () => {
    const res = await call('GET', '/repos/acme/app/releases', undefined, auth)
    expect(res.status).toBe(501)
    expect(fresh.failures.pop()?.problems).toEqual(['unhandled operation repos/list-releases'])
  })
})

describe('GitHub API double answers with bodies that match the response schemas', () => {
  it('for every built-in operation, driven through Octokit', async () => {
    const own = await startGitHubApiDouble()
    try {
      const silent = { debug() {}, info() {}, warn() {}, error() {} }
      const o = new Octokit({ baseUrl: own.url, auth: 'x', log: silent })
      const q = { owner: 'o', repo: 'r' }
      const pr = own.repo('o', 'r').seedPullRequest({ head: 'feat' })
      await o.rest.repos.get(q)
      const comment = await o.rest.issues.createComment({ ...q, issue_number: pr.number, body: 'hi' })
      await o.rest.issues.updateComment({ ...q, comment_id: comment.data.id, body: 'edited' })
      await o.rest.issues.getComment({ ...q, comment_id: comment.data.id })
      await o.paginate(o.rest.issues.listComments, { ...q, issue_number: pr.number, per_page: 1 })
      await o.rest.pulls.get({ ...q, pull_number: pr.number })
      await o.rest.pulls.list({ ...q, head: 'o:feat' })
      const ref = await o.rest.git.getRef({ ...q, ref: 'heads/main' })
      const blob = await o.rest.git.createBlob({ ...q, content: 'x' })
      await o.rest.git.getBlob({ ...q, file_sha: blob.data.sha })
      const parent = await o.rest.git.getCommit({ ...q, commit_sha: ref.data.object.sha })
      const entry = { path: 'a/b.yaml', mode: '100644' as const, type: 'blob' as const, sha: blob.data.sha }
      const tree = await o.rest.git.createTree({ ...q, base_tree: parent.data.tree.sha, tree: [entry] })
      await o.rest.git.getTree({ ...q, tree_sha: tree.data.sha, recursive: 'true' })
      const next = await o.rest.git.createCommit({
        ...q,
        message: 'm',
        tree: tree.data.sha,
        parents: [parent.data.sha]
      })
      await o.rest.git.createRef({ ...q, ref: 'refs/heads/b', sha: next.data.sha })
      await o.rest.git.updateRef({ ...q, ref: 'heads/b', sha: next.data.sha })
      const created = await o.rest.pulls.create({ ...q, head: 'b', base: 'main', title: 't' })
      await o.rest.pulls.update({ ...q, pull_number: created.data.number, body: 'b' })
      const sarif = gzipSync('{"version":"2.1.0","runs":[]}').toString('base64')
      const upload = await o.rest.codeScanning.uploadSarif({
        ...q,
        commit_sha: 'a'.repeat(40),
        ref: 'refs/heads/main',
        sarif
      })
      await o.rest.codeScanning.getSarif({ ...q, sarif_id: upload.data.id as string })
      await o.rest.git.deleteRef({ ...q, ref: 'heads/b' })
      await o.rest.issues.deleteComment({ ...q, comment_id: comment.data.id })
      expect(created.data.head.repo?.full_name).toBe('o/r')
      expect(own.requests.every(r => r.status < 300)).toBe(true)
      expect(own.failures).toEqual([])
    } finally {
      await own.close()
    }
  })
})
