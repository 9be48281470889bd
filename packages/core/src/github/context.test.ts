import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import {
  buildActionsContext,
  comparisonTarget,
  defaultBranch,
  isForkPullRequest,
  parseRepository,
  pullRequestNumber,
  pullRequestRefs,
  readActionsContext,
  runUrl
} from './context.js'

const BASE_SHA = 'b'.repeat(40)
const HEAD_SHA = 'c'.repeat(40)
const MERGE_SHA = 'd'.repeat(40)

const env = (eventName: string) => ({
  GITHUB_EVENT_NAME: eventName,
  GITHUB_REPOSITORY: 'acme/app',
  GITHUB_SHA: MERGE_SHA,
  GITHUB_REF: 'refs/pull/7/merge',
  GITHUB_SERVER_URL: 'https://ghe.example.com',
  GITHUB_API_URL: 'https://ghe.example.com/api/v3',
  GITHUB_RUN_ID: '42',
  GITHUB_RUN_ATTEMPT: '2'
})

function pullRequest(headRepo: unknown) {
  return {
    number: 7,
    pull_request: {
      number: 7,
      base: { ref: 'main', sha: BASE_SHA, repo: { full_name: 'acme/app', fork: false } },
      head: { ref: 'feature', sha: HEAD_SHA, repo: headRepo }
    },
    repository: { default_branch: 'main' }
  }
}

describe('actions context', () => {
  it('reads a same-repository pull_request', () => {
    const ctx = buildActionsContext(env('pull_request'), pullRequest({ full_name: 'acme/app', fork: false }))
    expect(ctx.repo).toEqual({ owner: 'acme', repo: 'app' })
    expect(pullRequestNumber(ctx)).toBe(7)
    expect(pullRequestRefs(ctx)).toEqual({
      number: 7,
      base: { ref: 'main', sha: BASE_SHA },
      head: { ref: 'feature', sha: HEAD_SHA }
    })
    expect(isForkPullRequest(ctx)).toBe(false)
    expect(defaultBranch(ctx)).toBe('main')
    expect(runUrl(ctx)).toBe('https://ghe.example.com/acme/app/actions/runs/42/attempts/2')
    // The base branch, not the frozen base.sha, is what the diff is computed against.
    expect(comparisonTarget(ctx)).toEqual({
      kind: 'branch',
      baseRef: 'main',
      headSha: MERGE_SHA,
      frozenBaseSha: BASE_SHA
    })
  })

  it.each([
    ['another repository', { full_name: 'mallory/app', fork: true }],
    ['a deleted head repository', null],
    ['a fork renamed to the same name', { full_name: 'acme/app', fork: true }]
  ])('treats a PR from %s as a fork', (_name, headRepo) => {
    expect(isForkPullRequest(buildActionsContext(env('pull_request_target'), pullRequest(headRepo)))).toBe(
      true
    )
  })

  it('gives merge_group no PR number but its base/head commits', () => {
    const ctx = buildActionsContext(env('merge_group'), {
      merge_group: {
        base_sha: BASE_SHA,
        head_sha: HEAD_SHA,
        base_ref: 'refs/heads/main',
        head_ref: 'refs/heads/gh-readonly-queue/main/pr-7-' + HEAD_SHA
      }
    })
    expect(pullRequestNumber(ctx)).toBeUndefined()
    expect(isForkPullRequest(ctx)).toBe(false)
    expect(pullRequestRefs(ctx)?.base).toEqual({ ref: 'main', sha: BASE_SHA })
    expect(comparisonTarget(ctx)).toEqual({ kind: 'commit', baseSha: BASE_SHA, headSha: HEAD_SHA })
  })

  it('compares a push against `before`, and a new branch against nothing', () => {
    const push = (before: string) => buildActionsContext(env('push'), { before, after: HEAD_SHA })
    expect(comparisonTarget(push(BASE_SHA))).toEqual({ kind: 'commit', baseSha: BASE_SHA, headSha: HEAD_SHA })
    expect(comparisonTarget(push('0'.repeat(40)))).toMatchObject({ kind: 'none' })
    expect(comparisonTarget(buildActionsContext(env('schedule'), {}))).toMatchObject({ kind: 'none' })
    expect(comparisonTarget(buildActionsContext(env('pull_request'), {}))).toMatchObject({ kind: 'none' })
  })

  it('refuses a malformed GITHUB_REPOSITORY and an unreadable or non-JSON event file', () => {
    expect(() => parseRepository('acme')).toThrow(ConfigurationError)
    expect(() => parseRepository('acme/app/extra')).toThrow(/owner\/repo/)
    const dir = mkdtempSync(path.join(tmpdir(), 'ctx-'))
    const broken = path.join(dir, 'event.json')
    writeFileSync(broken, '{"pull_request":')
    expect(() => readActionsContext({ ...env('pull_request'), GITHUB_EVENT_PATH: broken })).toThrow(
      /is not JSON/
    )
    expect(() =>
      readActionsContext({ ...env('pull_request'), GITHUB_EVENT_PATH: path.join(dir, 'nope') })
    ).toThrow(/cannot be read/)
    const good = path.join(dir, 'good.json')
    writeFileSync(good, JSON.stringify(pullRequest({ full_name: 'acme/app' })))
    const ctx = readActionsContext({ ...env('pull_request'), GITHUB_EVENT_PATH: good })
    expect([ctx.apiUrl, pullRequestNumber(ctx)]).toEqual(['https://ghe.example.com/api/v3', 7])
  })
})
