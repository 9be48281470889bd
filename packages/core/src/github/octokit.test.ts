import { afterAll, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { issueTestCertificate, startTestProxy, startTlsFront } from '../../../../test/support/http-proxy.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { createOctokit, resolveApiBaseUrl } from './octokit.js'
import { runModuleScript } from '../../../../test/support/module-script.js'

const TOKEN = 'ghs_sentinelTokenValue123'
let double: GitHubApiDouble

beforeAll(async () => {
  double = await startGitHubApiDouble({ token: TOKEN })
  // The double compiles an operation's OpenAPI schemas on first use (seconds for repos/get on a busy
  // machine): paid here, so no test's own budget pays for it.
  await fetch(`${double.url}/repos/acme/app`, { headers: { authorization: `token ${TOKEN}` } })
}, 60_000)

afterAll(async () => {
  await double.close()
  double.assertNoSpecViolations()
})

beforeEach(() => {
  double.requests.length = 0
})

/** Real plugins and real HTTP; only the time unit shrinks (1 ms per advised second). */
function client(overrides: { retries?: number; requestTimeoutMs?: number } = {}) {
  const logger = memoryLogger()
  const registerSecret = jest.fn<(secret: string) => void>()
  const octokit = createOctokit({
    token: TOKEN,
    baseUrl: double.url,
    logger,
    timeUnitMs: 1,
    registerSecret,
    ...overrides
  })
  return { octokit, logger, registerSecret }
}

const getRepo = (octokit: ReturnType<typeof client>['octokit']) =>
  octokit.rest.repos.get({ owner: 'acme', repo: 'app' })

describe('createOctokit', () => {
  it('authenticates with the token, masks it, and never logs it', async () => {
    const { octokit, logger, registerSecret } = client()
    double.fail('repos/get', { kind: 'server-error' })
    const { data } = await getRepo(octokit)
    expect(data.full_name).toBe('acme/app')
    expect(registerSecret).toHaveBeenCalledWith(TOKEN)
    expect(double.requests[0]?.headers['user-agent']).toMatch(/^secure-pipeline/)
    expect(logger.lines.join('\n')).toMatch(/failed with 500/)
    const everything = logger.lines.join('\n')
    for (const form of [TOKEN, Buffer.from(TOKEN).toString('base64'), encodeURIComponent(TOKEN)]) {
      expect(everything).not.toContain(form)
    }
  })

  it('takes the API URL from GITHUB_API_URL (GHES) and refuses clear-text remote URLs', () => {
    expect(resolveApiBaseUrl(undefined, { GITHUB_API_URL: 'https://ghe.example.com/api/v3/' })).toBe(
      'https://ghe.example.com/api/v3'
    )
    expect(resolveApiBaseUrl(undefined, {})).toBe('https://api.github.com')
    expect(resolveApiBaseUrl('https://x.example/api', { GITHUB_API_URL: 'https://y.example' })).toBe(
      'https://x.example/api'
    )
    expect(() => resolveApiBaseUrl('http://ghe.example.com/api/v3', {})).toThrow(ConfigurationError)
    expect(() => resolveApiBaseUrl('not a url', {})).toThrow(/not a URL/)
    expect(() => createOctokit({ token: ' ', logger: memoryLogger() })).toThrow(/token is empty/)
  })

  it("names the caller's token input when the token is empty, and no input of its own otherwise", () => {
    const named = () => createOctokit({ token: '', tokenInput: 'token', logger: memoryLogger() })
    expect(named).toThrow(ConfigurationError)
    expect(named).toThrow(/^Input 'token' is empty: pass a token, such as \$\{\{ github\.token \}\}\.$/)
    const unnamed = () => createOctokit({ token: '  ', logger: memoryLogger() })
    expect(unnamed).toThrow(/^The GitHub token is empty: pass a token/)
    expect(unnamed).not.toThrow(/Input '|github-token/)
  })

  it('talks to GitHub Enterprise Server at GITHUB_API_URL', async () => {
    const ghes = await startGitHubApiDouble({ apiPrefix: '/api/v3' })
    try {
      const env = { GITHUB_API_URL: ghes.url }
      const octokit = createOctokit({ token: TOKEN, logger: memoryLogger(), env, registerSecret: () => {} })
      expect(ghes.url).toMatch(/\/api\/v3$/)
      await octokit.rest.repos.get({ owner: 'acme', repo: 'app' })
      expect(ghes.requests.map(r => [r.operationId, r.status])).toEqual([['repos/get', 200]])
      expect(ghes.failures).toEqual([])
    } finally {
      await ghes.close()
    }
  })

  it('retries a secondary rate limit once, honouring retry-after', async () => {
    const { octokit, logger } = client()
    double.fail('repos/get', { kind: 'secondary-rate-limit', retryAfterSeconds: 30 })
    const started = Date.now()
    await getRepo(octokit)
    expect(Date.now() - started).toBeGreaterThanOrEqual(30)
    expect(double.requests.map(r => r.status)).toEqual([429, 200])
    expect(logger.lines.join('\n')).toMatch(
      /secondary rate limit hit for GET \/repos\/\{owner\}\/\{repo\}; retrying once in 30 s/
    )
  })

  it('waits at least 60 advised seconds on a secondary limit without retry-after, and gives up on a second one', async () => {
    const { octokit } = client()
    double.fail('repos/get', { kind: 'secondary-rate-limit', status: 403 }, 2)
    const started = Date.now()
    await expect(getRepo(octokit)).rejects.toMatchObject({ status: 403 })
    expect(Date.now() - started).toBeGreaterThanOrEqual(60)
    expect(double.requests.map(r => r.status)).toEqual([403, 403])
  })

  it('retries a primary rate limit at most twice', async () => {
    const { octokit } = client()
    double.fail('repos/get', { kind: 'primary-rate-limit', resetInSeconds: 1 }, 3)
    await expect(getRepo(octokit)).rejects.toMatchObject({ status: 403 })
    expect(double.requests.map(r => r.status)).toEqual([403, 403, 403])
    double.requests.length = 0
    double.fail('repos/get', { kind: 'primary-rate-limit', resetInSeconds: 1 }, 2)
    await getRepo(octokit)
    expect(double.requests.map(r => r.status)).toEqual([403, 403, 200])
  })

  it('does not wait for a primary limit that resets too far ahead', async () => {
    const { octokit, logger } = client()
    double.fail('repos/get', { kind: 'primary-rate-limit', resetInSeconds: 3600 })
    await expect(getRepo(octokit)).rejects.toMatchObject({ status: 403 })
    expect(double.requests).toHaveLength(1)
    expect(logger.lines.join('\n')).toMatch(/not waiting/)
  })

  it('retries 5xx up to `retries` times with backoff', async () => {
    const { octokit } = client({ retries: 2 })
    double.fail('repos/get', { kind: 'server-error', status: 502 }, 2)
    await getRepo(octokit)
    expect(double.requests.map(r => r.status)).toEqual([502, 502, 200])
    double.requests.length = 0
    double.fail('repos/get', { kind: 'server-error' }, 3)
    await expect(getRepo(octokit)).rejects.toMatchObject({ status: 500 })
    expect(double.requests).toHaveLength(3)
  })

  it.each([
    ['404', { kind: 'not-found' } as const, 404],
    ['403 permission', { kind: 'forbidden' } as const, 403]
  ])('never retries %s', async (_name, fault, status) => {
    const { octokit } = client()
    double.fail('repos/get', fault)
    await expect(getRepo(octokit)).rejects.toMatchObject({ status })
    expect(double.requests).toHaveLength(1)
  })

  it('never retries 422', async () => {
    const { octokit } = client()
    await expect(
      octokit.rest.git.createRef({ owner: 'acme', repo: 'app', ref: 'refs/heads/x', sha: 'f'.repeat(40) })
    ).rejects.toMatchObject({ status: 422 })
    expect(double.requests).toHaveLength(1)
  })

  it('puts a deadline on each attempt', async () => {
    const { octokit } = client({ retries: 1, requestTimeoutMs: 50 })
    double.on('repos/get', () => new Promise(resolve => setTimeout(() => resolve(undefined), 300)))
    await expect(getRepo(octokit)).rejects.toThrow()
    double.on('repos/get', () => undefined)
    // Both attempts reached the double; neither waited for its slow answer.
    await new Promise(resolve => setTimeout(resolve, 350))
    expect(double.requestsFor('repos/get')).toHaveLength(2)
  })

  it('retries an attempt its deadline ends, in a process of its own as in production', async () => {
    // In jest, errors from Node's realm fail Octokit's `instanceof Error` and are wrapped (and retried)
    // whatever their name; only a plain Node process shows what a runner does with a timed-out attempt.
    double.on('repos/get', () => new Promise(resolve => setTimeout(() => resolve(undefined), 300)))
    const here = path.dirname(fileURLToPath(import.meta.url))
    const script = `const { createOctokit } = await import(${JSON.stringify(path.join(here, 'octokit.ts'))})
const { memoryLogger } = await import(${JSON.stringify(path.join(here, '..', 'runtime', 'logger.ts'))})
const octokit = createOctokit({ token: process.argv[1], baseUrl: process.argv[2], logger: memoryLogger(),
  registerSecret: () => {}, timeUnitMs: 1, retries: 1, requestTimeoutMs: 100, env: {} })
await octokit.rest.repos.get({ owner: 'acme', repo: 'app' }).catch(error => console.log(error.status))`
    try {
      const child = await runModuleScript(script, [TOKEN, double.url], { env: { PATH: process.env.PATH } })
      expect(child.stdout.trim()).toBe('500')
      // The double records a request when it answers, 300 ms after it came.
      await new Promise(resolve => setTimeout(resolve, 350))
      expect(double.requestsFor('repos/get')).toHaveLength(2)
    } finally {
      double.on('repos/get', () => undefined)
    }
  })
})

describe('createOctokit behind a proxy', () => {
  it('sends every call through the https_proxy tunnel, Proxy-Authorization to the proxy only', async () => {
    // api.github.test is the double behind TLS; the child trusts the throwaway CA from its start.
    const certificate = issueTestCertificate(['api.github.test'])
    const front = await startTlsFront(certificate, Number(new URL(double.url).port))
    const proxy = await startTestProxy({
      routes: { 'api.github.test:443': front.port },
      credentials: { user: 'runner', password: 's3cret' }
    })
    const here = path.dirname(fileURLToPath(import.meta.url))
    const script = `const { createOctokit } = await import(${JSON.stringify(path.join(here, 'octokit.ts'))})
const { memoryLogger } = await import(${JSON.stringify(path.join(here, '..', 'runtime', 'logger.ts'))})
const octokit = createOctokit({ token: process.argv[1], baseUrl: 'https://api.github.test', logger: memoryLogger(), registerSecret: () => {} })
const { data } = await octokit.rest.repos.get({ owner: 'acme', repo: 'app' })
console.log(data.full_name)`
    try {
      const child = await runModuleScript(script, [TOKEN], {
        env: {
          PATH: process.env.PATH,
          https_proxy: proxy.url.replace('http://', 'http://runner:s3cret@'),
          NODE_EXTRA_CA_CERTS: certificate.caFile
        }
      })
      expect(child.stdout.trim()).toBe('acme/app')
      expect(proxy.seen.map(s => [s.kind, s.target, s.status])).toEqual([
        ['connect', 'api.github.test:443', 200]
      ])
      expect(proxy.seen[0]!.proxyAuthorization).toBe(
        `Basic ${Buffer.from('runner:s3cret').toString('base64')}`
      )
      const [request] = double.requestsFor('repos/get')
      expect(request!.headers.authorization).toBe(`token ${TOKEN}`)
      expect(request!.headers['proxy-authorization']).toBeUndefined()
      expect(request!.headers.host).toBe('api.github.test')
    } finally {
      await Promise.all([proxy.close(), front.close()])
    }
  })

  it('stops at a 407 from the proxy with its ConfigurationError, after one attempt', async () => {
    const proxy = await startTestProxy({ routes: {}, credentials: { user: 'runner', password: 's3cret' } })
    const env = { https_proxy: proxy.url.replace('http://', 'http://runner:wrong@') }
    const octokit = createOctokit({
      token: TOKEN,
      baseUrl: 'https://api.github.test',
      logger: memoryLogger(),
      env,
      timeUnitMs: 1,
      registerSecret: () => {}
    })
    try {
      const failure = await getRepo(octokit).catch((error: unknown) => error)
      expect(failure).toBeInstanceOf(ConfigurationError)
      expect((failure as Error).message).toMatch(/answered 407 .*check the user and password in https_proxy/)
      expect((failure as Error).message).not.toContain('wrong')
      expect(proxy.seen).toHaveLength(1)
    } finally {
      await proxy.close()
    }
  })

  it('refuses a proxy variable that is no http(s) URL before the first call, without its password', () => {
    const env = { HTTPS_PROXY: 'socks5://runner:s3cret@proxy:1080' }
    const create = () =>
      createOctokit({ token: TOKEN, logger: memoryLogger(), env, registerSecret: () => {} })
    expect(create).toThrow(ConfigurationError)
    expect(create).toThrow(/^HTTPS_PROXY 'socks5:\/\/\*\*\*@proxy:1080' names a socks5 proxy/)
  })
})
