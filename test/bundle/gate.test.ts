import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { gunzipSync } from 'node:zlib'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { pullRequestCheckout } from '../support/pull-request-checkout.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'

const HOSTILE = 'SQL built from input\n::add-mask::hunter2\n::error::forged'

function sarif(level: 'error' | 'warning', score: string, message = HOSTILE): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Semgrep OSS',
            rules: [
              { id: 'js.sqli', defaultConfiguration: { level }, properties: { 'security-severity': score } }
            ]
          }
        },
        results: [
          {
            ruleId: 'js.sqli',
            message: { text: message },
            locations: [
              { physicalLocation: { artifactLocation: { uri: 'src/db.js' }, region: { startLine: 12 } } }
            ]
          }
        ]
      }
    ]
  })
}

function workspace(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'gate-ws-'))
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true })
    writeFileSync(path.join(dir, name), content)
  }
  return dir
}

/** A pull request into octo-org/octo-repo from `headRepo` (another repository = a fork), checked out with git. */
function pullRequest(number: number, headRepo: string, report: string) {
  const checkout = pullRequestCheckout({
    base: { 'src/db.js': 'query(a)\n' },
    change: { 'src/db.js': 'query(a + b)\n' },
    number,
    headRepo
  })
  mkdirSync(path.join(checkout.workspace, 'secure-pipeline'))
  writeFileSync(path.join(checkout.workspace, 'secure-pipeline', 'sast.sarif'), report)
  return checkout
}

describe.each(nodeRuntimes())('gate bundle on $label', ({ node }) => {
  it('fails on a high finding, annotates it safely and writes outputs, summary and evidence', async () => {
    const ws = workspace({ 'secure-pipeline/sast.sarif': sarif('error', '8.1') })
    const r = await runBundle('gate', { node, workspace: ws, inputs: { upload: 'false', comment: 'false' } })
    expect(r.status).toBe(1)
    expect(r.outputs).toMatchObject({
      passed: 'false',
      outcome: 'fail-findings',
      new: '1',
      'evidence-file': 'secure-pipeline/gate/evidence.json'
    })
    expect(JSON.parse(r.outputs.counts!)).toMatchObject({ total: 1, bySeverity: { high: 1 } })
    const lines = r.stdout.split('\n')
    expect(lines.filter(l => l.startsWith('::error title=high js.sqli'))).toEqual([
      '::error title=high js.sqli (semgrep),file=src/db.js,line=12::SQL built from input%0A::add-mask::hunter2%0A::error::forged'
    ])
    // The hostile text never starts a line, so the runner cannot obey it.
    expect(lines.some(l => l.startsWith('::add-mask::') || l.startsWith('::error::forged'))).toBe(false)
    expect(r.summary).toContain('Failed: findings exceed the policy')
    expect(r.summary).toMatch(/\| semgrep \| 0 \| 1 \| 0 \| 0 \| 0 \| 1 \|/)
    const evidence = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/gate/evidence.json'), 'utf8'))
    expect(evidence).toMatchObject({
      verdict: { outcome: 'fail-findings', passed: false },
      run: { commit: 'a'.repeat(40) }
    })
    expect(evidence.reports[0].sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it('passes in warn-only mode and still warns', async () => {
    const ws = workspace({ 'secure-pipeline/sast.sarif': sarif('error', '9.5', 'x') })
    const r = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { 'warn-only': 'true', upload: 'false' }
    })
    expect(r.status).toBe(0)
    expect(r.outputs).toMatchObject({ passed: 'true', outcome: 'pass' })
    expect(r.stdout).toContain('::warning::gate (warn-only): 1 critical finding at a fail-on severity.')
  })

  it.each([
    ['a truncated report', { 'secure-pipeline/sast.sarif': sarif('error', '8.1').slice(0, 80) }],
    ['an empty report', { 'secure-pipeline/sast.sarif': '' }],
    ['no report at all', { 'secure-pipeline/.keep': '' }]
  ])('fails closed on %s, even in warn-only mode', async (_label, files) => {
    const ws = workspace(files)
    const r = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { 'warn-only': 'true', upload: 'false' }
    })
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-broken-input')
    expect(r.summary).toContain('### Broken inputs')
    expect(r.stdout).toMatch(/^::error::gate: 1 report\(s\) missing or broken/m)
  })

  it('refuses a malformed input with one line naming it, and writes nothing', async () => {
    const ws = workspace({ 'secure-pipeline/sast.sarif': sarif('error', '8.1') })
    const r = await runBundle('gate', { node, workspace: ws, inputs: { 'warn-only': 'sometimes' } })
    expect(r.status).toBe(1)
    expect(r.stdout.split('\n').filter(l => l.startsWith('::error::'))).toEqual([
      "::error::Input 'warn-only' must be true or false, got 'sometimes'."
    ])
    expect(r.outputs).toEqual({})
    expect(existsSync(path.join(ws, 'secure-pipeline/gate'))).toBe(false)
  })

  it('refuses a policy path outside the workspace', async () => {
    const ws = workspace({ 'secure-pipeline/sast.sarif': sarif('error', '8.1') })
    const r = await runBundle('gate', { node, workspace: ws, inputs: { policy: '../../etc/passwd' } })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(
      /^::error::Input 'policy' \(\.\.\/\.\.\/etc\/passwd\) points outside the workspace/m
    )
  })
})

describe.each(nodeRuntimes())('gate bundle against the GitHub API double on $label', ({ node }) => {
  let api: GitHubApiDouble
  beforeAll(async () => {
    api = await startGitHubApiDouble()
  })
  afterAll(async () => api.close())

  it('comments once on a PR, edits the same comment on the next run, and uploads the SARIF', async () => {
    const repo = api.repo('octo-org', 'octo-repo')
    const pull = repo.seedPullRequest({ head: 'feature' })
    const checkout = pullRequest(pull.number, 'octo-org/octo-repo', sarif('warning', '5.0', 'medium thing'))
    const { event, workspace: ws } = checkout
    const env = { GITHUB_API_URL: api.url, ...checkout.env }
    const first = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { token: 'ghs_SENTINEL0123456789abcdefXYZ', upload: 'true' },
      env,
      event
    })
    expect(first.status).toBe(0)
    // The next push changes the findings, so the comment must change in place.
    writeFileSync(
      path.join(ws, 'secure-pipeline/sast.sarif'),
      sarif('warning', '4.5', 'another medium thing')
    )
    const second = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { token: 'ghs_SENTINEL0123456789abcdefXYZ', upload: 'true' },
      env,
      event
    })
    expect(second.status).toBe(0)
    const comments = [...repo.comments.values()].filter(c => c.issueNumber === pull.number)
    expect(comments).toHaveLength(1)
    expect(comments[0]!.body).toContain('another medium thing')
    expect(api.requestsFor('issues/update-comment')).toHaveLength(1)
    const uploads = api.requestsFor('code-scanning/upload-sarif')
    expect(uploads.length).toBe(2)
    const sent = JSON.parse(
      gunzipSync(Buffer.from((uploads[0]!.body as { sarif: string }).sarif, 'base64')).toString()
    )
    expect(sent.runs[0].results[0].partialFingerprints).toBeDefined()
    expect(second.stdout.split('\n').filter(l => l.includes('ghs_SENTINEL0123456789abcdefXYZ'))).toEqual([
      '::add-mask::ghs_SENTINEL0123456789abcdefXYZ'
    ])
    // The token, raw or encoded, appears nowhere but in the add-mask command.
    const sentinel = 'ghs_SENTINEL0123456789abcdefXYZ'
    const forms = [sentinel, Buffer.from(sentinel).toString('base64'), encodeURIComponent(sentinel)]
    const places = [
      second.summary,
      second.stderr,
      readFileSync(path.join(ws, 'secure-pipeline/gate/evidence.json'), 'utf8'),
      readFileSync(path.join(ws, 'secure-pipeline/gate/combined.sarif'), 'utf8'),
      ...comments.map(c => c.body),
      ...api.requests.map(r => JSON.stringify(r.body ?? ''))
    ]
    for (const form of forms) for (const place of places) expect(place).not.toContain(form)
    api.assertNoSpecViolations()
  }, 60_000)

  it("files the upload under the pull request's head when the workflow checked the head out", async () => {
    const repo = api.repo('octo-org', 'octo-repo')
    const pull = repo.seedPullRequest({ head: 'feature' })
    const checkout = pullRequest(pull.number, 'octo-org/octo-repo', sarif('warning', '5.0', 'medium thing'))
    const before = api.requestsFor('code-scanning/upload-sarif').length
    // GITHUB_SHA of a pull_request run is the test merge commit, not the head the workspace holds.
    const merge = 'c'.repeat(40)
    const r = await runBundle('gate', {
      node,
      workspace: checkout.workspace,
      inputs: { token: 'ghs_SENTINEL0123456789abcdefXYZ', upload: 'true', comment: 'false' },
      env: { GITHUB_API_URL: api.url, ...checkout.env, GITHUB_SHA: merge },
      event: checkout.event
    })
    expect(r.status).toBe(0)
    const uploads = api.requestsFor('code-scanning/upload-sarif').slice(before)
    expect(uploads.map(u => u.body)).toEqual([
      expect.objectContaining({ commit_sha: checkout.headSha, ref: `refs/pull/${pull.number}/head` })
    ])
    expect(r.stdout).toContain(`SARIF filed under refs/pull/${pull.number}/head, ${checkout.headSha}`)
    api.assertNoSpecViolations()
  }, 60_000)

  it('degrades to the summary and an artifact file without GHAS, and skips the comment on a fork', async () => {
    api.fail('code-scanning/upload-sarif', { kind: 'no-ghas' })
    api.fail('issues/list-comments', { kind: 'forbidden' })
    const repo = api.repo('octo-org', 'octo-repo')
    const pull = repo.seedPullRequest({ head: 'fork-branch' })
    const checkout = pullRequest(pull.number, 'someone/octo-repo', sarif('warning', '5.0', 'medium thing'))
    const ws = checkout.workspace
    const r = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { token: 'ghs_SENTINEL0123456789abcdefXYZ', upload: 'auto', comment: 'true' },
      env: { GITHUB_API_URL: api.url, ...checkout.env },
      event: checkout.event
    })
    expect(r.status).toBe(0)
    expect(r.summary).toMatch(/Code scanning upload unavailable: .*Advanced Security/)
    expect(r.summary).toContain('secure-pipeline/gate/combined.sarif')
    expect(r.summary).toMatch(/PR comment skipped: .*fork/)
    expect(existsSync(path.join(ws, 'secure-pipeline/gate/combined.sarif'))).toBe(true)
    api.assertNoSpecViolations()
  }, 60_000)
})
