import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { gzipSync } from 'node:zlib'
import {
  assertNoSpecViolations,
  startGitHubApiDouble,
  type GitHubApiDouble
} from '../../support/github-api-double.js'

/** The double is only worth something if it can fail: these requests must be refused and recorded. */

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
  double = await startGitHubApiDouble()
})

afterAll(async () => {
  await double.close()
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
      /invalid request\(s\):\nPOST \/repos\/acme\/app\/issues\/\d+\/comments/
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
  afterAll(() => fresh.assertNoSpecViolations())

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
