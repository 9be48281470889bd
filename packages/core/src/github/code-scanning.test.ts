import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import { gunzipSync } from 'node:zlib'
import { startGitHubApiDouble, type GitHubApiDouble } from '../../../../test/support/github-api-double.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { uploadSarif, type UploadSarifOptions } from './code-scanning.js'
import { createOctokit, type GitHubClient } from './octokit.js'

const COMMIT = '0123456789abcdef0123456789abcdef01234567'
const SARIF = {
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'trivy', rules: [{ id: 'CVE-2024-0001' }] } },
      results: [{ ruleId: 'CVE-2024-0001', level: 'error', message: { text: 'openssl 3.0.1' } }]
    }
  ]
}

let double: GitHubApiDouble
let octokit: GitHubClient
let decoded: unknown[]

beforeAll(async () => {
  double = await startGitHubApiDouble({
    handlers: {
      // Decode the payload the way GitHub does before handing over to the built-in behaviour.
      'code-scanning/upload-sarif': (req, ctx) => {
        decoded.push(JSON.parse(gunzipSync(Buffer.from(req.body.sarif, 'base64')).toString('utf8')))
        return ctx.builtin()
      }
    }
  })
  octokit = createOctokit({
    token: 'ghs_x',
    baseUrl: double.url,
    logger: memoryLogger(),
    timeUnitMs: 1,
    registerSecret: () => {}
  })
})

beforeEach(() => {
  decoded = []
  double.state.sarifStatuses = ['complete']
})

afterAll(async () => {
  await double.close()
  expect(double.failures).toEqual([])
})

function upload(overrides: Partial<UploadSarifOptions> = {}) {
  const logger = memoryLogger()
  const options: UploadSarifOptions = {
    octokit,
    owner: 'acme',
    repo: 'app',
    sarif: JSON.stringify(SARIF),
    commitSha: COMMIT,
    ref: 'refs/pull/7/merge',
    logger,
    sleep: async () => {},
    ...overrides
  }
  return { logger, result: uploadSarif(options) }
}

describe('uploadSarif', () => {
  it('uploads gzip+base64 SARIF with the category set, and waits for processing', async () => {
    double.state.sarifStatuses = ['pending', 'pending', 'complete']
    const waits: number[] = []
    const { result } = upload({
      category: 'image:app',
      checkoutUri: 'file:///home/runner/work/app/app',
      waitForProcessing: true,
      pollDelaysMs: [1, 2, 3, 4],
      sleep: async ms => void waits.push(ms)
    })
    const done = await result
    expect(done).toMatchObject({ status: 'uploaded', processing: 'complete' })
    expect(waits).toEqual([1, 2, 3])
    expect(decoded).toHaveLength(1)
    expect(decoded[0]).toMatchObject({
      version: '2.1.0',
      runs: [{ automationDetails: { id: 'image:app/' } }]
    })
    const sent = double.requestsFor('code-scanning/upload-sarif')[0]?.body as Record<string, unknown>
    expect(sent).toMatchObject({
      commit_sha: COMMIT,
      ref: 'refs/pull/7/merge',
      checkout_uri: 'file:///home/runner/work/app/app'
    })
    expect(
      double.repo('acme', 'app').sarifs.get(done.status === 'uploaded' ? done.sarifId : '')?.commitSha
    ).toBe(COMMIT)
  })

  it('keeps a category a run already carries', async () => {
    const own = { ...SARIF, runs: [{ ...SARIF.runs[0], automationDetails: { id: 'mine/' } }] }
    const { result, logger } = upload({ sarif: JSON.stringify(own), category: 'other' })
    await result
    expect(decoded[0]).toMatchObject({ runs: [{ automationDetails: { id: 'mine/' } }] })
    expect(logger.lines.join('\n')).toMatch(/keeps its own category 'mine\/'/)
  })

  it('reports a processing failure as a broken report, and a never-ending one as pending', async () => {
    double.state.sarifStatuses = ['failed']
    await expect(upload({ waitForProcessing: true, pollDelaysMs: [1] }).result).rejects.toThrow(
      /could not process upload/
    )
    double.state.sarifStatuses = ['pending']
    const { result, logger } = upload({ waitForProcessing: true, pollDelaysMs: [1, 1] })
    expect(await result).toMatchObject({ processing: 'pending' })
    expect(logger.lines.join('\n')).toMatch(/still processing/)
  })

  it.each([
    ['no GHAS (403)', { kind: 'no-ghas' } as const, /Code Security \/ Advanced Security/],
    ['no GHAS (404)', { kind: 'no-ghas', status: 404 } as const, /Advanced Security must be enabled/],
    ['a read-only token', { kind: 'forbidden' } as const, /security-events: write/]
  ])('degrades to unavailable for %s without throwing', async (_name, fault, reason) => {
    double.fail('code-scanning/upload-sarif', fault)
    const { result, logger } = upload()
    const outcome = await result
    expect(outcome.status).toBe('unavailable')
    expect(outcome.status === 'unavailable' && outcome.reason).toMatch(reason)
    expect(logger.lines.some(l => l.startsWith('warning: '))).toBe(true)
  })

  it('retries after a secondary rate limit with retry-after, and throws on a server failure that persists', async () => {
    double.fail('code-scanning/upload-sarif', { kind: 'secondary-rate-limit', retryAfterSeconds: 2 })
    await expect(upload().result).resolves.toMatchObject({ status: 'uploaded' })
    expect(
      double
        .requestsFor('code-scanning/upload-sarif')
        .slice(-2)
        .map(r => r.status)
    ).toEqual([429, 202])
    // The default 3 retries: four attempts, all answered 500, then the error surfaces.
    double.fail('code-scanning/upload-sarif', { kind: 'server-error' }, 4)
    await expect(upload().result).rejects.toMatchObject({ status: 500 })
    expect(
      double
        .requestsFor('code-scanning/upload-sarif')
        .slice(-5)
        .map(r => r.status)
    ).toEqual([202, 500, 500, 500, 500])
  })

  it('refuses what is not SARIF, and a bad commit or ref, before calling GitHub', async () => {
    const before = double.requests.length
    await expect(upload({ sarif: '{"runs":' }).result).rejects.toThrow(BrokenInputError)
    await expect(upload({ sarif: '{"version":"2.1.0"}' }).result).rejects.toThrow(/no runs array/)
    await expect(upload({ commitSha: 'HEAD' }).result).rejects.toThrow(ConfigurationError)
    await expect(upload({ ref: 'main' }).result).rejects.toThrow(/refs\/heads/)
    expect(double.requests.length).toBe(before)
  })
})
