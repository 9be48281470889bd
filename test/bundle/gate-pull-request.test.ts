import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { git } from '../support/git-repo.js'
import { pullRequestCheckout, type PullRequestCheckout } from '../support/pull-request-checkout.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'

/*
 * A pull request that tries to pass its own findings by changing what judges them, run through the
 * bundle against a real git history (the base read from git objects, as on a runner).
 */

const POLICY = '.github/secure-pipeline.yml'
const REVIEWED = 'gate:\n  fail-on: [critical, high]\n'
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex')

/** An exception date inside the 90-day horizon of whatever day the test runs. */
function soon(days = 30): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10)
}

const WEAKENED = `gate:\n  fail-on: []\n  warn-only: true\nexceptions:\n  - id: "**"\n    reason: release day\n    owner: mallory\n    expires: ${soon()}\nk8s-policy:\n  rules:\n    required-probes: off\n`

interface Result {
  ruleId?: string
  level?: string
  uri: string
  line?: number
  suppressed?: boolean
}

function sarif(results: Result[]): string {
  return JSON.stringify({
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'Semgrep OSS',
            rules: [{ id: 'js.sqli', defaultConfiguration: { level: 'error' } }]
          }
        },
        results: results.map(r => ({
          ruleId: r.ruleId ?? 'js.sqli',
          level: r.level ?? 'error',
          message: { text: 'SQL built from input' },
          locations: [
            { physicalLocation: { artifactLocation: { uri: r.uri }, region: { startLine: r.line ?? 3 } } }
          ],
          ...(r.suppressed ? { suppressions: [{ kind: 'inSource', justification: 'nosemgrep' }] } : {})
        }))
      }
    ]
  })
}

/** The scanner step's output, written after the checkout and never committed. */
function scanned(checkout: PullRequestCheckout, report: string, file = 'secure-pipeline/sast.sarif') {
  mkdirSync(path.dirname(path.join(checkout.workspace, file)), { recursive: true })
  writeFileSync(path.join(checkout.workspace, file), report)
  return checkout
}

function evidenceOf(checkout: PullRequestCheckout) {
  return JSON.parse(readFileSync(path.join(checkout.workspace, 'secure-pipeline/gate/evidence.json'), 'utf8'))
}

describe.each(nodeRuntimes())('gate bundle on a pull request on $label', ({ node }) => {
  const run = (
    checkout: PullRequestCheckout,
    inputs: Record<string, string> = {},
    env: Record<string, string> = {}
  ) =>
    runBundle('gate', {
      node,
      workspace: checkout.workspace,
      inputs,
      env: { ...checkout.env, ...env },
      event: checkout.event
    })

  it('lets the base policy decide, and shows the PR’s weakened policy and its verdict beside it', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { [POLICY]: REVIEWED, 'src/db.js': 'a' },
        change: { [POLICY]: WEAKENED, 'src/db.js': 'b' }
      }),
      sarif([{ uri: 'src/db.js' }])
    )
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs).toMatchObject({ outcome: 'fail-findings', 'other-policy-outcome': 'pass' })
    expect(r.stdout).toContain('::warning::This pull request changes the policy; the base version decides.')
    expect(r.summary).toContain('### What this pull request changes about its own checks')
    expect(r.summary).toContain('| verdict | ❌ fail-findings | ✅ pass |')
    for (const change of [
      '- ⚠️ weakens `gate.fail-on`: \\[critical, high\\] → \\[\\] (no longer fails on critical, high)',
      '- ⚠️ weakens `gate.warn-only`: switched on',
      `- ⚠️ weakens \`exceptions\`: added \\*\\* (matches every finding), expires ${soon()}`,
      '- ⚠️ weakens `k8s-policy.rules.required-probes`: turned off'
    ])
      expect(r.summary).toContain(change)
    const evidence = evidenceOf(checkout)
    expect(evidence.policy).toEqual({
      decidedBy: 'base',
      source: POLICY,
      origin: `merge-base ${checkout.baseSha.slice(0, 12)}`,
      sha256: sha256(REVIEWED),
      other: {
        role: 'proposed',
        source: POLICY,
        origin: 'this pull request',
        sha256: sha256(WEAKENED),
        outcome: 'pass',
        reasons: []
      }
    })
    // No runner path in the evidence: it is shared beyond this machine.
    expect(JSON.stringify(evidence)).not.toContain(checkout.workspace)
  }, 60_000)

  it('with policy-source head lets the PR’s policy decide and shows the reviewed verdict beside it', async () => {
    const checkout = scanned(
      pullRequestCheckout({ base: { [POLICY]: REVIEWED }, change: { [POLICY]: 'gate:\n  fail-on: []\n' } }),
      sarif([{ uri: 'src/db.js' }])
    )
    const r = await run(checkout, { 'policy-source': 'head' })
    expect(r.status).toBe(0)
    expect(r.outputs).toMatchObject({ outcome: 'pass', 'other-policy-outcome': 'fail-findings' })
    expect(r.summary).toContain('its own version decides (`policy-source: head`)')
    expect(evidenceOf(checkout).policy).toMatchObject({
      decidedBy: 'head',
      origin: 'workspace',
      sha256: sha256('gate:\n  fail-on: []\n')
    })
  }, 60_000)

  it('keeps the policy change and the findings in the summary when the PR floods its ignore files', async () => {
    const change: Record<string, string> = { [POLICY]: WEAKENED }
    // 20 ignore files of ten 6,000-character lines: 1.2 MB listed in full took every section after the
    // verdict, the weakened policy and the findings among them, out of the summary.
    for (let d = 0; d < 20; d++)
      change[`d${d}/.semgrepignore`] = Array.from(
        { length: 10 },
        (_, l) => `d${d}/${l}/${'x'.repeat(6000)}`
      ).join('\n')
    const checkout = scanned(
      pullRequestCheckout({ base: { [POLICY]: REVIEWED, 'src/db.js': 'a' }, change }),
      sarif([{ uri: 'src/db.js' }])
    )
    const r = await run(checkout)
    expect(r.outputs.outcome).toBe('fail-findings')
    expect(r.summary).not.toContain("over GitHub's 1 MiB limit")
    expect(r.summary).toContain('- ⚠️ weakens `gate.warn-only`: switched on')
    expect(r.summary).toContain('…and 10 more.')
    expect(r.summary).toContain('### Top findings (1 of 1, new first)')
    // The summary shows ten; the evidence keeps all twenty, by line counts, for whoever audits the merge.
    const listed = evidenceOf(checkout).ignoreFiles
    expect(listed).toHaveLength(20)
    expect(listed).toContainEqual({
      path: 'd19/.semgrepignore',
      status: 'added',
      linesAdded: 10,
      linesRemoved: 0,
      mayIgnoreMore: true
    })
  }, 60_000)

  it('refuses a report and a baseline the pull request commits itself', async () => {
    const clean = sarif([])
    const checkout = pullRequestCheckout({
      base: { 'src/db.js': 'a' },
      change: { 'secure-pipeline/sast.sarif': clean, 'baseline/sast.sarif': sarif([{ uri: 'src/db.js' }]) }
    })
    const r = await run(checkout, { baseline: 'baseline/*.sarif' })
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-broken-input')
    expect(r.summary).toContain(
      '| secure-pipeline/sast.sarif | the pull request itself adds or changes this report in git; a change never vouches for itself'
    )
    expect(r.summary).toContain(
      '| baseline/sast.sarif | the pull request itself adds or changes this baseline in git'
    )
  }, 60_000)

  it('warns about nosemgrep in files the PR changes, lists its ignore files, and counts the PR’s own unless told to honour it', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { 'src/old.js': 'a', '.semgrepignore': 'tests/\n' },
        change: {
          'src/new.js': 'eval(x) // nosemgrep',
          '.semgrepignore': 'tests/\nsrc/legacy/\n',
          '.trivyignore': 'CVE-2024-1\n'
        }
      }),
      sarif([
        { uri: 'src/new.js', suppressed: true },
        { uri: 'src/old.js', suppressed: true, level: 'warning' }
      ])
    )
    // The default (reviewed): src/new.js is the PR's, so is its nosemgrep; src/old.js's is the base's.
    const reviewed = await run(checkout)
    expect(reviewed.status).toBe(1)
    expect(reviewed.outputs).toMatchObject({ outcome: 'fail-findings', suppressed: '1' })
    expect(reviewed.stdout).toContain(
      '::warning::1 in-source suppression(s) sit in files this pull request changes; see the job summary.'
    )
    expect(reviewed.stdout).toContain(
      '::warning::1 in-source suppression(s) are added by this change and count until it is merged (in-source-suppressions: reviewed).'
    )
    expect(reviewed.summary).toContain('- ⚠️ `.semgrepignore` (modified): +1 −0 lines; adds `src/legacy/`')
    expect(reviewed.summary).toContain('- ⚠️ `.trivyignore` (added): +1 −0 lines; adds `CVE-2024-1`')
    expect(evidenceOf(checkout).ignoreFiles).toEqual([
      { path: '.semgrepignore', status: 'modified', linesAdded: 1, linesRemoved: 0, mayIgnoreMore: true },
      { path: '.trivyignore', status: 'added', linesAdded: 1, linesRemoved: 0, mayIgnoreMore: true }
    ])
    expect(reviewed.summary).toContain('- `js.sqli` at src/new.js:3: added by this change, counted')
    expect(reviewed.summary).toContain('### In-source suppressions (2)')
    expect(reviewed.summary).toContain(
      '| high | `js.sqli` | src/new.js:3 | nosemgrep | ⚠️ yes: added by this change, counted |'
    )
    expect(reviewed.summary).toContain(
      '| 🟧 high | **blocks**, suppressed in source by this change, counted | `js.sqli` |'
    )
    expect(evidenceOf(checkout).inSourceSuppressions).toEqual({
      mode: 'reviewed',
      total: 2,
      inChangedFiles: 1,
      byChange: 1
    })
    const honoured = await run(checkout, { 'in-source-suppressions': 'honour' })
    expect(honoured.outputs).toMatchObject({ outcome: 'pass', suppressed: '2' })
    expect(honoured.summary).toContain('| high | `js.sqli` | src/new.js:3 | nosemgrep | ⚠️ yes |')
    const counted = await run(checkout, { 'in-source-suppressions': 'report' })
    expect(counted.status).toBe(1)
    expect(counted.outputs).toMatchObject({ outcome: 'fail-findings', suppressed: '0' })
    expect(evidenceOf(checkout).inSourceSuppressions).toEqual({
      mode: 'report',
      total: 2,
      inChangedFiles: 1,
      byChange: null
    })
  }, 60_000)

  const DB_BASE = "const db = require('./db')\n\nrun(`SELECT * FROM t WHERE id = ${id}`) // nosemgrep\n"

  it('fails a PR that adds a vulnerable line with its own nosemgrep, and honours it on push', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { 'src/db.js': DB_BASE },
        change: { 'src/db.js': `${DB_BASE}run(\`DELETE FROM t WHERE id = \${id}\`) // nosemgrep\n` }
      }),
      sarif([
        { uri: 'src/db.js', line: 3, suppressed: true },
        { uri: 'src/db.js', line: 4, suppressed: true }
      ])
    )
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs).toMatchObject({ outcome: 'fail-findings', suppressed: '1' })
    expect(r.stdout).toContain(
      '::error::gate: findings exceed the policy: 1 high finding at a fail-on severity.'
    )
    expect(r.summary).toContain('- `js.sqli` at src/db.js:4: added by this change, counted')
    expect(r.summary).toContain('- `js.sqli` at src/db.js:3\n')
    // The old behaviour, asked for.
    expect((await run(checkout, { 'in-source-suppressions': 'honour' })).outputs.outcome).toBe('pass')
    // Once merged, the same code on push is reviewed code: every suppression applies.
    const pushed = await runBundle('gate', {
      node,
      workspace: checkout.workspace,
      env: { GITHUB_SHA: checkout.headSha, GITHUB_REF: 'refs/heads/main' },
      event: { name: 'push', payload: {} }
    })
    expect(pushed.status).toBe(0)
    expect(pushed.outputs).toMatchObject({ outcome: 'pass', suppressed: '2' })
    expect(evidenceOf(checkout).inSourceSuppressions).toMatchObject({ mode: 'reviewed', byChange: null })
  }, 60_000)

  it('passes a PR that only edits another line of a file whose nosemgrep the base already had', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { 'src/db.js': DB_BASE },
        change: { 'src/db.js': DB_BASE.replace("require('./db')", "require('./database')") }
      }),
      sarif([{ uri: 'src/db.js', line: 3, suppressed: true }])
    )
    const r = await run(checkout)
    expect(r.status).toBe(0)
    expect(r.outputs).toMatchObject({ outcome: 'pass', suppressed: '1' })
    expect(r.summary).toContain('The base already had each of them, so they apply')
    expect(evidenceOf(checkout).inSourceSuppressions).toMatchObject({ inChangedFiles: 1, byChange: 0 })
  }, 60_000)

  it('takes the nosemgrep as the PR’s when a link is planted in place of the file', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { 'src/db.js': DB_BASE },
        change: { 'src/db.js': `${DB_BASE}// edited\n` }
      }),
      sarif([{ uri: 'src/db.js', line: 3, suppressed: true }])
    )
    // A link to a copy of the base's text: read through, the suppression would look reviewed.
    writeFileSync(path.join(checkout.workspace, 'reviewed.js'), DB_BASE)
    rmSync(path.join(checkout.workspace, 'src/db.js'))
    symlinkSync(path.join(checkout.workspace, 'reviewed.js'), path.join(checkout.workspace, 'src/db.js'))
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-findings')
    expect(r.stdout).toContain(
      "::warning::in-source suppressions in src/db.js count as this change's: source file src/db.js is a symbolic link; it is read only as a regular file."
    )
    expect(r.summary).toContain(
      "- `src/db.js` cannot be compared with the base (source file src/db.js is a symbolic link; it is read only as a regular file.): its suppressions count as this change's."
    )
  }, 60_000)

  // Semgrep writes file names into its SARIF uris as they are (semgrep 1.185: `src%2Flegacy%2Fevil.js`,
  // `src\\legacy\\evil.js`); the reader decodes percent-escapes and turns `\` into `/`.
  it.each([
    ['a percent-escaped', 'src%2Flegacy%2Fevil.js'],
    ['a backslashed', 'src\\legacy\\evil.js']
  ])(
    'refuses to waive a finding in a file the PR names as %s path under a path exception',
    async (_, file) => {
      const exception = `exceptions:\n  - rule: js.sqli\n    path: src/legacy/**\n    reason: legacy module\n    owner: alice\n    expires: ${soon()}\n`
      const checkout = scanned(
        pullRequestCheckout({
          base: { [POLICY]: exception, 'src/legacy/old.js': 'a' },
          change: { [file]: 'run(`SELECT ${id}`)\n' }
        }),
        sarif([{ uri: file, line: 1 }])
      )
      const r = await run(checkout)
      expect(r.status).toBe(1)
      expect(r.outputs.outcome).toBe('fail-broken-input')
      expect(r.summary).toContain(
        `| secure-pipeline/sast.sarif | a finding at src/legacy/evil.js may be in ${file.replace(/\\/g, '\\\\')}, which this change adds or changes`
      )
    },
    60_000
  )

  it('refuses to honour a nosemgrep in a new file whose name reads as another path', async () => {
    const checkout = scanned(
      pullRequestCheckout({
        base: { 'src/db.js': DB_BASE },
        change: { 'src/a%41.js': `x\n${DB_BASE}` }
      }),
      sarif([{ uri: 'src/a%41.js', line: 4, suppressed: true }])
    )
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBe('fail-broken-input')
    expect(r.stdout).toContain(
      '::warning::report secure-pipeline/sast.sarif: a finding at src/aA.js may be in src/a%2541.js, which this change adds or changes'
    )
  }, 60_000)

  it('counts a nosemgrep in a new file whose path a report cannot place (a directory named C:)', async () => {
    const checkout = scanned(
      pullRequestCheckout({ base: { 'src/db.js': DB_BASE }, change: { 'C:/x.js': DB_BASE } }),
      sarif([{ uri: 'C:/x.js', line: 3, suppressed: true }])
    )
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs).toMatchObject({ outcome: 'fail-findings', suppressed: '0' })
    expect(r.summary).toContain(
      '| high | `js.sqli` | — | nosemgrep | ⚠️ yes: added by this change, counted |'
    )
  }, 60_000)

  it('reads the merge queue’s base_sha on merge_group', async () => {
    const checkout = scanned(
      pullRequestCheckout({ base: { [POLICY]: REVIEWED }, change: { [POLICY]: 'gate:\n  fail-on: []\n' } }),
      sarif([{ uri: 'src/db.js' }])
    )
    const event = {
      name: 'merge_group',
      payload: {
        merge_group: {
          base_sha: checkout.baseSha,
          head_sha: checkout.headSha,
          base_ref: 'refs/heads/main',
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-7'
        }
      }
    }
    const r = await runBundle('gate', {
      node,
      workspace: checkout.workspace,
      event,
      env: { GITHUB_SHA: checkout.headSha, GITHUB_REF: 'refs/heads/gh-readonly-queue/main/pr-7' }
    })
    expect(r.outputs).toMatchObject({ outcome: 'fail-findings', 'other-policy-outcome': 'pass' })
    expect(evidenceOf(checkout).policy.origin).toBe(`merge-base ${checkout.baseSha.slice(0, 12)}`)
  }, 60_000)

  it('fails, never guesses, when the base of the change is not in the checkout', async () => {
    const checkout = scanned(
      pullRequestCheckout({ base: { [POLICY]: REVIEWED }, change: { [POLICY]: 'gate:\n  fail-on: []\n' } }),
      sarif([{ uri: 'src/db.js' }])
    )
    git(checkout.workspace, 'remote', 'remove', 'origin')
    const r = await run(checkout)
    expect(r.status).toBe(1)
    expect(r.outputs.outcome).toBeUndefined()
    expect(r.stdout).toMatch(/^::error::git: could not read the base of this pull_request .*fetch-depth: 0/m)
  }, 60_000)
})

describe.each(nodeRuntimes())(
  'gate bundle on a pull request, against the GitHub API double, on $label',
  ({ node }) => {
    let api: GitHubApiDouble
    beforeAll(async () => {
      api = await startGitHubApiDouble()
      api.on('repos/get-content', req => {
        const central = 'gate:\n  fail-on: [critical, high, medium]\n'
        if (req.pathParams.repo !== 'policies' || req.pathParams.path !== 'pipeline/secure-pipeline.yml')
          return { status: 404, body: { message: 'Not Found' } }
        return {
          status: 200,
          body: {
            type: 'file',
            encoding: 'base64',
            size: central.length,
            name: 'secure-pipeline.yml',
            path: 'pipeline/secure-pipeline.yml',
            content: Buffer.from(central).toString('base64'),
            sha: 'c'.repeat(40)
          }
        }
      })
    })
    afterAll(async () => api.close())

    const TOKEN = 'ghs_SENTINEL0123456789abcdefXYZ'

    it('comments both verdicts and never edits a person’s comment that carries our marker', async () => {
      const repo = api.repo('octo-org', 'octo-repo')
      const pull = repo.seedPullRequest({ head: 'weaken' })
      const planted = '<!-- secure-pipeline:gate -->\n✅ **Passed**: nothing to see'
      const id = api.state.nextId()
      const now = api.state.now()
      repo.comments.set(id, {
        id,
        issueNumber: pull.number,
        body: planted,
        user: { login: 'mallory', id: 666, type: 'User' },
        createdAt: now,
        updatedAt: now
      })
      const checkout = scanned(
        pullRequestCheckout({
          base: { [POLICY]: REVIEWED },
          change: { [POLICY]: WEAKENED },
          number: pull.number
        }),
        sarif([{ uri: 'src/db.js' }])
      )
      const r = await runBundle('gate', {
        node,
        workspace: checkout.workspace,
        inputs: { token: TOKEN, upload: 'false' },
        env: { ...checkout.env, GITHUB_API_URL: api.url },
        event: checkout.event
      })
      expect(r.status).toBe(1)
      const comments = [...repo.comments.values()].filter(c => c.issueNumber === pull.number)
      expect(comments.map(c => c.user.login).sort()).toEqual(['github-actions[bot]', 'mallory'])
      expect(repo.comments.get(id)?.body).toBe(planted)
      const ours = comments.find(c => c.user.login === 'github-actions[bot]')!
      expect(ours.body).toContain('| verdict | ❌ fail-findings | ✅ pass |')
      expect(ours.body).toContain('- ⚠️ weakens `gate.fail-on`')
      api.assertNoSpecViolations()
    }, 60_000)

    it('keeps one comment per gate: another job’s verdict never overwrites this one’s, a re-run updates its own', async () => {
      const repo = api.repo('octo-org', 'octo-repo')
      const pull = repo.seedPullRequest({ head: 'two-gates' })
      const checkout = scanned(
        pullRequestCheckout({
          base: { 'src/db.js': 'a' },
          change: { 'src/db.js': 'b' },
          number: pull.number
        }),
        sarif([{ uri: 'src/db.js' }])
      )
      const gate = (job: string, inputs: Record<string, string> = {}) =>
        runBundle('gate', {
          node,
          workspace: checkout.workspace,
          inputs: { token: TOKEN, upload: 'false', ...inputs },
          env: { ...checkout.env, GITHUB_API_URL: api.url, GITHUB_WORKFLOW: 'security', GITHUB_JOB: job },
          event: checkout.event
        })
      expect((await gate('checks')).outputs.outcome).toBe('fail-findings')
      expect((await gate('other', { 'warn-only': 'true' })).outputs.outcome).toBe('pass')
      expect((await gate('checks')).outputs.outcome).toBe('fail-findings')
      const bodies = [...repo.comments.values()].filter(c => c.issueNumber === pull.number).map(c => c.body)
      expect(bodies).toHaveLength(2)
      expect(bodies.filter(body => body.includes('❌'))).toHaveLength(1)
      // The re-run found its own comment (unchanged, so left as it is) rather than adding a third.
      expect(
        api
          .requestsFor('issues/create-comment')
          .filter(r => r.path.endsWith(`/issues/${pull.number}/comments`))
      ).toHaveLength(2)
      api.assertNoSpecViolations()
    }, 90_000)

    it('reads a central policy with policy-token, and comments with token', async () => {
      const repo = api.repo('octo-org', 'octo-repo')
      const pull = repo.seedPullRequest({ head: 'policy-token' })
      const checkout = scanned(
        pullRequestCheckout({
          base: { 'src/db.js': 'a' },
          change: { 'src/db.js': 'b' },
          number: pull.number
        }),
        sarif([{ uri: 'src/db.js', level: 'warning' }])
      )
      const POLICY_TOKEN = 'github_pat_POLICYSENTINEL0123456789'
      const r = await runBundle('gate', {
        node,
        workspace: checkout.workspace,
        inputs: {
          token: TOKEN,
          'policy-token': POLICY_TOKEN,
          upload: 'false',
          'policy-repository': 'octo-org/policies',
          policy: 'pipeline/secure-pipeline.yml'
        },
        env: { ...checkout.env, GITHUB_API_URL: api.url },
        event: checkout.event
      })
      // The central policy fails medium findings: it was read, with the policy token only.
      expect(r.outputs.outcome).toBe('fail-findings')
      expect(api.requestsFor('repos/get-content').at(-1)?.headers.authorization).toBe(`token ${POLICY_TOKEN}`)
      const commented = api.requestsFor('issues/create-comment').at(-1)!
      expect(commented.path).toBe(`/repos/octo-org/octo-repo/issues/${pull.number}/comments`)
      expect(commented.headers.authorization).toBe(`token ${TOKEN}`)
      // Masked for the rest of the job, and never printed otherwise.
      expect(r.stdout.split('\n').filter(line => line.includes(POLICY_TOKEN))).toEqual([
        `::add-mask::${POLICY_TOKEN}`
      ])
      api.assertNoSpecViolations()
    }, 60_000)

    it('lets a central policy decide, read through the contents API, whatever the PR has', async () => {
      const checkout = scanned(
        pullRequestCheckout({
          base: { [POLICY]: 'gate:\n  fail-on: []\n' },
          change: { [POLICY]: 'gate:\n  fail-on: []\n  warn-only: true\n' }
        }),
        sarif([{ uri: 'src/db.js', level: 'warning' }])
      )
      const r = await runBundle('gate', {
        node,
        workspace: checkout.workspace,
        inputs: {
          token: TOKEN,
          upload: 'false',
          comment: 'false',
          'policy-repository': 'octo-org/policies',
          'policy-ref': 'v3',
          policy: 'pipeline/secure-pipeline.yml'
        },
        env: { ...checkout.env, GITHUB_API_URL: api.url },
        event: checkout.event
      })
      expect(r.status).toBe(1)
      expect(r.outputs.outcome).toBe('fail-findings')
      expect(r.outputs['other-policy-outcome']).toBeUndefined()
      expect(evidenceOf(checkout).policy).toMatchObject({
        decidedBy: 'central',
        origin: 'octo-org/policies@v3:pipeline/secure-pipeline.yml',
        sha256: sha256('gate:\n  fail-on: [critical, high, medium]\n'),
        other: null
      })
      expect(api.requestsFor('repos/get-content').at(-1)).toMatchObject({
        path: '/repos/octo-org/policies/contents/pipeline/secure-pipeline.yml',
        query: { ref: 'v3' }
      })
      api.assertNoSpecViolations()
    }, 60_000)
  }
)
