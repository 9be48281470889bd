import { describe, expect, it } from '@jest/globals'
import { buildActionsContext } from './context.js'
import { sarifUploadTarget } from './upload-target.js'

const MERGE = '1'.repeat(40)
const HEAD = '2'.repeat(40)
const OTHER = '3'.repeat(40)

const pullRequest = buildActionsContext(
  {
    GITHUB_EVENT_NAME: 'pull_request',
    GITHUB_REPOSITORY: 'o/r',
    GITHUB_SHA: MERGE,
    GITHUB_REF: 'refs/pull/42/merge'
  },
  {
    number: 42,
    pull_request: {
      number: 42,
      base: { ref: 'main', sha: OTHER },
      head: { ref: 'feature', sha: HEAD }
    }
  }
)
const push = buildActionsContext(
  { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: MERGE, GITHUB_REF: 'refs/heads/main' },
  {}
)

describe('sarifUploadTarget', () => {
  it("is the run's commit and ref when the workspace has that commit, or nobody can tell", () => {
    expect(sarifUploadTarget(pullRequest, MERGE)).toEqual({ commitSha: MERGE, ref: 'refs/pull/42/merge' })
    expect(sarifUploadTarget(pullRequest, MERGE.toUpperCase())).toEqual({
      commitSha: MERGE,
      ref: 'refs/pull/42/merge'
    })
    expect(sarifUploadTarget(push, undefined)).toEqual({ commitSha: MERGE, ref: 'refs/heads/main' })
  })

  it("files a checked-out pull request head under the PR's head ref", () => {
    expect(sarifUploadTarget(pullRequest, HEAD)).toEqual({
      commitSha: HEAD,
      ref: 'refs/pull/42/head',
      because:
        "the workspace has the pull request's head 222222222222 checked out, not 111111111111 (GITHUB_SHA)"
    })
  })

  it('files any other checked-out commit under it, on the run’s ref', () => {
    expect(sarifUploadTarget(pullRequest, OTHER)).toMatchObject({
      commitSha: OTHER,
      ref: 'refs/pull/42/merge'
    })
    expect(sarifUploadTarget(push, OTHER)).toEqual({
      commitSha: OTHER,
      ref: 'refs/heads/main',
      because: 'the workspace has 333333333333 checked out, not GITHUB_SHA 111111111111'
    })
  })

  it("files a pull_request_target run's checked-out pull request under the PR, never the base branch", () => {
    // pull_request_target: GITHUB_REF is the base branch, GITHUB_SHA its tip; the PR's code filed there
    // would replace the base branch's analysis and close its alerts.
    const target = buildActionsContext(
      {
        GITHUB_EVENT_NAME: 'pull_request_target',
        GITHUB_REPOSITORY: 'o/r',
        GITHUB_SHA: MERGE,
        GITHUB_REF: 'refs/heads/main'
      },
      {
        number: 42,
        pull_request: { number: 42, base: { ref: 'main', sha: MERGE }, head: { ref: 'feature', sha: HEAD } }
      }
    )
    expect(sarifUploadTarget(target, MERGE)).toEqual({ commitSha: MERGE, ref: 'refs/heads/main' })
    expect(sarifUploadTarget(target, HEAD)).toMatchObject({ commitSha: HEAD, ref: 'refs/pull/42/head' })
    expect(sarifUploadTarget(target, OTHER)).toMatchObject({ commitSha: OTHER, ref: 'refs/pull/42/merge' })
  })
})
