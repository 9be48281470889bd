import { describe, expect, it } from '@jest/globals'
import type { PullRequestRecord } from '../../github/pull-requests.js'
import { addPromotion, bumpPullRequests, lastPromoted } from './promotion.js'
import type { ChangeRecord } from './records.js'

const PROMOTED = 'a'.repeat(40)
const GITOPS = 'acme/gitops'
const PREFIX = 'secure-pipeline/bump/'

const bump = (n: number, extra: Partial<PullRequestRecord> = {}): PullRequestRecord => ({
  number: n,
  title: `Bump app to ${PROMOTED}`,
  author: 'bump-app[bot]',
  authorType: 'Bot',
  url: `https://github.com/${GITOPS}/pull/${n}`,
  headRef: `${PREFIX}app-1234abcd`,
  headRepository: GITOPS,
  headSha: `head${n}`,
  baseRef: 'main',
  mergedAt: `2026-09-1${n}T12:00:00Z`,
  mergeCommitSha: `merge${n}`,
  body: '',
  ...extra
})
const record = (): ChangeRecord => ({
  id: '#7',
  commit: PROMOTED,
  commits: [PROMOTED],
  at: '2026-09-09T12:00:00Z',
  author: 'dev',
  approvals: [],
  checks: [],
  flags: [],
  notes: []
})
const nowhere = { deployments: [], observations: [] }

describe('which merged pull requests are the pipeline bumps', () => {
  it('counts one the pipeline opened: from a branch of the manifests repository, by an App or GITHUB_TOKEN', () => {
    const { counted, refused } = bumpPullRequests([bump(1)], PREFIX, GITOPS)
    expect(counted.map(p => p.number)).toEqual([1])
    expect(refused).toEqual([])
  })

  it('leaves out a fork pull request under the prefix, whoever opened it, and says why', () => {
    const fork = bump(2, { headRepository: 'mallory/gitops', author: 'mallory', authorType: 'User' })
    const deleted = bump(3, { headRepository: undefined })
    const { counted, refused } = bumpPullRequests([fork, deleted], PREFIX, GITOPS)
    expect(counted).toEqual([])
    expect(refused.map(r => [r.pull.number, r.reason])).toEqual([
      [2, expect.stringContaining('mallory/gitops')],
      [3, expect.stringContaining('deleted')]
    ])
  })

  it('leaves out one a person opened from a branch they named like a bump branch', () => {
    const person = bump(4, { author: 'dev', authorType: 'User' })
    const unknown = bump(5, { authorType: undefined })
    const { counted, refused } = bumpPullRequests([person, unknown], PREFIX, GITOPS)
    expect(counted).toEqual([])
    expect(refused.map(r => r.pull.number)).toEqual([4, 5])
    expect(refused[0]!.reason).toContain('dev')
  })

  it('takes the repository name case-insensitively, as GitHub does', () => {
    expect(
      bumpPullRequests([bump(1, { headRepository: 'Acme/GitOps' })], PREFIX, GITOPS).counted
    ).toHaveLength(1)
  })

  it('never takes a forged bump as the promoted revision or as a change promotion, and notes it on the change', () => {
    const forged = bump(6, { headRepository: 'mallory/gitops', mergeCommitSha: 'forged' })
    const bumps = bumpPullRequests([forged], PREFIX, GITOPS)
    expect(lastPromoted(bumps.counted)).toBeUndefined()
    const records = [record()]
    addPromotion(records, bumps, GITOPS, nowhere)
    expect(records[0]!.bump).toBeUndefined()
    expect(records[0]!.notes).toEqual([expect.stringMatching(/#6.*not counted.*mallory\/gitops/)])
  })

  it('joins a verified bump to the change it names', () => {
    const records = [record()]
    addPromotion(records, bumpPullRequests([bump(1)], PREFIX, GITOPS), GITOPS, nowhere)
    expect(records[0]!.bump?.number).toBe(1)
    expect(records[0]!.notes).toEqual([])
  })
})
