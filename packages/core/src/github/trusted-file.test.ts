import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git } from '../../../../test/support/git-repo.js'
import { pullRequestCheckout } from '../../../../test/support/pull-request-checkout.js'
import { BrokenInputError } from '../runtime/errors.js'
import { buildActionsContext } from './context.js'
import { resolvePullRequestBase, type PullRequestBase } from './pull-request-base.js'
import { readTrustedFile } from './trusted-file.js'

const BASE_POLICY = 'gate:\n  fail-on: [critical, high]\n'
const PR_POLICY = 'gate:\n  fail-on: []\n'

let workspace: string
let baseCommit: string
let payload: Record<string, unknown>

function pullRequest() {
  return buildActionsContext(
    {
      GITHUB_EVENT_NAME: 'pull_request',
      GITHUB_REPOSITORY: 'octo-org/octo-repo',
      GITHUB_SHA: git(workspace, 'rev-parse', 'HEAD')
    },
    payload
  )
}

beforeAll(() => {
  const checkout = pullRequestCheckout({
    base: { '.github/secure-pipeline.yml': BASE_POLICY, 'src/app.js': 'x\n' },
    change: {
      '.github/secure-pipeline.yml': PR_POLICY,
      'secure-pipeline/sast.sarif': '{"version":"2.1.0","runs":[]}',
      '.semgrepignore/x': 'hidden\n'
    }
  })
  workspace = checkout.workspace
  baseCommit = checkout.baseSha
  payload = checkout.event.payload as Record<string, unknown>
})

describe('the base of a pull request and the files it controls', () => {
  let base: PullRequestBase
  beforeAll(async () => {
    base = (await resolvePullRequestBase(pullRequest(), workspace))!
  })

  it('is the merge-base with the base branch, and knows what the PR changed', () => {
    expect(base.commit).toBe(baseCommit)
    expect(base.changed('secure-pipeline/sast.sarif')).toBe(true)
    expect(base.changed('.github/secure-pipeline.yml')).toBe(true)
    expect(base.changed('src/app.js')).toBe(false)
  })

  it('lets the base policy decide and shows the PR version as proposed', async () => {
    const policy = await readTrustedFile('.github/secure-pipeline.yml', {
      workspace,
      source: 'base',
      base,
      what: 'Policy file'
    })
    expect(policy.deciding).toEqual({ text: BASE_POLICY, origin: `merge-base ${baseCommit.slice(0, 12)}` })
    expect(policy.proposed).toEqual({ text: PR_POLICY, origin: 'workspace' })
    const head = await readTrustedFile('.github/secure-pipeline.yml', {
      workspace,
      source: 'head',
      base,
      what: 'Policy file'
    })
    expect(head).toEqual({
      path: '.github/secure-pipeline.yml',
      deciding: { text: PR_POLICY, origin: 'workspace' }
    })
  })

  it('reads a file the base did not have as absent, and a PR directory in its place as only proposed', async () => {
    const ignore = await readTrustedFile('.semgrepignore', {
      workspace,
      source: 'base',
      base,
      what: '.semgrepignore'
    })
    expect(ignore.deciding.text).toBeUndefined()
    expect(ignore.proposed?.origin).toMatch(/not a regular file/)
    await expect(
      readTrustedFile('.semgrepignore', { workspace, source: 'head', base, what: '.semgrepignore' })
    ).rejects.toThrow(/\.semgrepignore is not a regular file/)
  })

  it('never follows a link the PR put in the workspace', async () => {
    mkdirSync(path.join(workspace, 'linked'))
    symlinkSync('/etc/passwd', path.join(workspace, 'linked', 'policy.yml'))
    await expect(
      readTrustedFile('linked/policy.yml', {
        workspace,
        source: 'head',
        base: undefined,
        what: 'Policy file'
      })
    ).rejects.toThrow(/symbolic link/)
  })

  it('is absent on a push, and an error when git cannot tell', async () => {
    const push = buildActionsContext({ GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' }, {})
    expect(await resolvePullRequestBase(push, workspace)).toBeUndefined()
    const notGit = mkdtempSync(path.join(tmpdir(), 'not-git-'))
    await expect(resolvePullRequestBase(pullRequest(), notGit)).rejects.toThrow(BrokenInputError)
    await expect(resolvePullRequestBase(pullRequest(), notGit)).rejects.toThrow(/fetch-depth: 0/)
  })
})

describe('a pull request branched before the base tightened its policy', () => {
  const OLD_POLICY = 'gate:\n  fail-on: [critical]\n'
  const TIGHTENED = 'gate:\n  fail-on: [critical, high, medium]\n'

  it('is judged by the base branch as it is now, not by the older commit it forked from', async () => {
    const checkout = pullRequestCheckout({
      base: { '.github/secure-pipeline.yml': OLD_POLICY },
      change: { 'src/new.js': 'eval(input)\n' }
    })
    const origin = path.join(path.dirname(checkout.workspace), 'origin')
    git(origin, 'checkout', '-q', 'main')
    writeFileSync(path.join(origin, '.github/secure-pipeline.yml'), TIGHTENED)
    git(origin, 'commit', '-q', '-am', 'tighten the policy')
    const tip = git(origin, 'rev-parse', 'HEAD')
    git(checkout.workspace, 'fetch', '-q', 'origin')
    const context = buildActionsContext(
      {
        GITHUB_EVENT_NAME: 'pull_request',
        GITHUB_REPOSITORY: 'octo-org/octo-repo',
        GITHUB_SHA: checkout.headSha
      },
      checkout.event.payload as Record<string, unknown>
    )
    const forked = (await resolvePullRequestBase(context, checkout.workspace))!
    // What the change did is still told from where it forked; what decides is what the base has merged since.
    expect(forked.commit).toBe(checkout.baseSha)
    const policy = await readTrustedFile('.github/secure-pipeline.yml', {
      workspace: checkout.workspace,
      source: 'base',
      base: forked,
      what: 'Policy file'
    })
    expect(policy.deciding).toEqual({ text: TIGHTENED, origin: `base branch ${tip.slice(0, 12)}` })
    // The branch only holds the older version; it proposes nothing.
    expect(policy.proposed).toBeUndefined()
  })
})
