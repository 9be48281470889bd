import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from '../../../../../test/support/repo-root.js'
import { BrokenInputError } from '../../runtime/errors.js'
import { parsePeriod } from '../period.js'
import { readGitOpsStatus, revisionSha } from './status.js'
import { deploymentOf, driftMetrics } from './timeline.js'

const EXAMPLES = path.join(REPO_ROOT, 'examples', 'metrics')
const FILES = [
  'argocd/app-list-2026-09-28.json',
  'argocd/app-list-2026-09-30.json',
  'flux/kustomizations-2026-09-29.json',
  'flux/kustomizations-2026-09-30.json'
]
const PROMOTED = '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b'
const HOUR = 3_600_000
const at = (t: string) => Date.parse(t)

function readExamples() {
  const all = FILES.map(f => readGitOpsStatus(readFileSync(path.join(EXAMPLES, f), 'utf8'), f))
  return { observations: all.flatMap(r => r.observations), deployments: all.flatMap(r => r.deployments) }
}

describe('drift from exported Argo CD and Flux status', () => {
  const period = parsePeriod('7d', new Date('2026-10-01T00:00:00Z'), 'period')

  it('reads each application and kustomization of the example exports', () => {
    const { observations } = readExamples()
    expect(observations.map(o => [o.app, o.inDrift])).toEqual([
      ['Application/argocd/guestbook', false],
      ['Application/argocd/payments', true],
      ['Application/argocd/guestbook', true],
      ['Application/argocd/payments', false],
      ['Kustomization/flux-system/apps', true],
      ['Kustomization/flux-system/infrastructure', false],
      ['Kustomization/flux-system/apps', false],
      ['Kustomization/flux-system/infrastructure', false]
    ])
    expect(observations[4]!.reason).toBe(
      `Ready=False (HealthCheckFailed), revision main@sha1:${PROMOTED} not applied`
    )
  })

  it('counts drift events and time in drift per application, and flags a revision that was not promoted', () => {
    const { observations } = readExamples()
    const drift = driftMetrics(observations, period, PROMOTED)
    const byApp = Object.fromEntries(drift.apps.map(a => [a.app, a]))
    // payments: OutOfSync when seen on the 28th at 10:00, Synced when seen on the 30th at 10:00.
    expect(byApp['Application/argocd/payments']).toMatchObject({
      events: 1,
      driftMs: 48 * HOUR,
      inDriftNow: false
    })
    // guestbook: OutOfSync since it was seen on the 30th at 10:00, still at the period's end.
    expect(byApp['Application/argocd/guestbook']).toMatchObject({
      events: 1,
      driftMs: 14 * HOUR,
      inDriftNow: true
    })
    expect(byApp['Application/argocd/guestbook']!.revisionMismatch).toEqual({
      deployed: '4f1c2d9e8b7a6c5d4e3f2a1b0c9d8e7f6a5b4c3d',
      promoted: PROMOTED
    })
    // apps: Ready=False from 03:10 (its lastTransitionTime) to Ready again at 09:40 on the 29th.
    expect(byApp['Kustomization/flux-system/apps']).toMatchObject({
      events: 1,
      driftMs: 6.5 * HOUR,
      inDriftNow: false
    })
    expect(byApp['Kustomization/flux-system/apps']!.revisionMismatch).toBeUndefined()
    expect(byApp['Kustomization/flux-system/infrastructure']).toMatchObject({ events: 0, driftMs: 0 })
    expect(drift.events).toBe(3)
    expect(drift.driftMs).toBe(68.5 * HOUR)
    expect(drift.mismatches).toBe(1)
  })

  it('only the part of a drift inside the period counts', () => {
    const { observations } = readExamples()
    const short = parsePeriod('2026-09-29..2026-09-29', new Date(0), 'period')
    const drift = driftMetrics(observations, short, undefined)
    const byApp = Object.fromEntries(drift.apps.map(a => [a.app, a]))
    expect(byApp['Application/argocd/payments']).toMatchObject({ events: 0, driftMs: 24 * HOUR - 1 })
    expect(byApp['Kustomization/flux-system/apps']).toMatchObject({ events: 1, driftMs: 6.5 * HOUR })
  })

  it('finds when a revision was deployed from Argo CD history, short or long', () => {
    const { observations, deployments } = readExamples()
    expect(deploymentOf(PROMOTED, deployments, observations)).toEqual({
      app: 'Application/argocd/payments',
      at: at('2026-09-29T16:40:30Z')
    })
    expect(deploymentOf('c3d4e5f', deployments, observations)?.at).toBe(at('2026-09-20T08:01:30Z'))
    expect(deploymentOf('0'.repeat(40), deployments, observations)).toBeUndefined()
  })

  it('reads one object (argocd app get), a list without kinds (older argocd), and skips other kinds', () => {
    const list = JSON.parse(readFileSync(path.join(EXAMPLES, FILES[0]!), 'utf8')) as Array<
      Record<string, unknown>
    >
    const one = readGitOpsStatus(JSON.stringify(list[1]), 'get.json')
    expect(one.observations.map(o => o.app)).toEqual(['Application/argocd/payments'])
    const bare = readGitOpsStatus(
      JSON.stringify(list.map(({ apiVersion: _a, kind: _k, ...rest }) => rest)),
      'bare.json'
    )
    expect(bare.observations).toHaveLength(2)
    const mixed = readGitOpsStatus(
      JSON.stringify({
        kind: 'List',
        items: [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' } }, list[0]]
      }),
      'm.json'
    )
    expect([mixed.observations.length, mixed.skipped]).toEqual([1, 1])
  })

  it.each([
    ['not JSON', '{', /not JSON/],
    [
      'an Application without a sync status name',
      JSON.stringify([{ metadata: { name: 'a' }, status: { sync: {} } }]),
      /item 0: not an Argo CD Application status \(status\.sync\.status/
    ],
    [
      'a Kustomization without Ready',
      JSON.stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'k' },
        status: { conditions: [] }
      }),
      /no Ready condition/
    ],
    [
      'a time that is not a time',
      JSON.stringify({
        apiVersion: 'argoproj.io/v1alpha1',
        kind: 'Application',
        metadata: { name: 'a' },
        status: { sync: { status: 'Synced' }, reconciledAt: 'soon' }
      }),
      /reconciledAt/
    ]
  ])('refuses %s as a broken input naming the file', (_what, text, message) => {
    expect(() => readGitOpsStatus(text, 'status.json')).toThrow(BrokenInputError)
    expect(() => readGitOpsStatus(text, 'status.json')).toThrow(message)
  })

  describe('a Flux Kustomization', () => {
    const kustomization = (status: Record<string, unknown>) =>
      JSON.stringify({
        apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
        kind: 'Kustomization',
        metadata: { name: 'apps', namespace: 'flux-system' },
        status
      })
    const ready = (state: string, time: string) => ({
      type: 'Ready',
      status: state,
      lastTransitionTime: time
    })

    it('seen when its conditions say, whatever the reconcile request annotation holds ($(date +%s), as in the Flux docs)', () => {
      const [stuck] = readGitOpsStatus(
        kustomization({
          conditions: [ready('False', '2026-09-29T03:00:00Z')],
          lastHandledReconcileAt: '1727700000'
        }),
        'flux-1.json'
      ).observations
      expect(stuck!.at).toBe(at('2026-09-29T03:00:00Z'))
      const [fixed] = readGitOpsStatus(
        kustomization({ conditions: [ready('True', '2026-09-29T09:00:00Z')] }),
        'flux-2.json'
      ).observations
      // Read in either order, the later look is the one in sync.
      const drift = driftMetrics([fixed!, stuck!], period, undefined)
      expect(drift.apps[0]).toMatchObject({ inDriftNow: false, driftMs: 6 * HOUR })
    })

    it('with hundreds of thousands of conditions is read, not a crash of the whole run', () => {
      const many = Array.from({ length: 200_000 }, () => ({
        type: 'Reconciling',
        status: 'False',
        lastTransitionTime: '2026-09-29T01:00:00Z'
      }))
      const [seen] = readGitOpsStatus(
        kustomization({ conditions: [...many, ready('True', '2026-09-29T02:00:00Z')] }),
        'flux-huge.json'
      ).observations
      expect(seen!.at).toBe(at('2026-09-29T02:00:00Z'))
    })
  })

  it('takes the commit out of every revision form Flux and Argo CD write', () => {
    expect(revisionSha(`main@sha1:${PROMOTED}`)).toBe(PROMOTED)
    expect(revisionSha(`main/${PROMOTED}`)).toBe(PROMOTED)
    expect(revisionSha(`sha1:${PROMOTED}`)).toBe(PROMOTED)
    expect(revisionSha(PROMOTED.toUpperCase())).toBe(PROMOTED)
    expect(revisionSha('v1.2.3')).toBeUndefined()
  })
})
