import type { Period } from '../period.js'
import { revisionSha, type Deployment, type Observation } from './status.js'

export interface DriftInterval {
  start: number
  /** undefined: still in drift at the last observation. */
  end?: number
  reason: string
}

export interface AppDrift {
  app: string
  tool: Observation['tool']
  /** Drift events that began in the period (an app seen in drift first counts from then). */
  events: number
  /** Time in drift inside the period, ms; an ongoing drift counts up to the period's end. */
  driftMs: number
  intervals: DriftInterval[]
  inDriftNow: boolean
  health?: string
  deployedRevision?: string
  /** The deployed revision differs from the one the pipeline promoted. */
  revisionMismatch?: { deployed: string; promoted: string }
  observations: number
}

export interface DriftMetrics {
  apps: AppDrift[]
  events: number
  driftMs: number
  mismatches: number
}

/** Short and full forms of one commit are the same revision. */
function sameRevision(a: string, b: string): boolean {
  const x = revisionSha(a) ?? a.toLowerCase()
  const y = revisionSha(b) ?? b.toLowerCase()
  return x.length >= 7 && y.length >= 7 && (x.startsWith(y) || y.startsWith(x))
}

/**
 * Drift per application from its observations in time order: an event starts when it is first seen in
 * drift after being seen in sync (or at its first observation), and ends when it is next seen in sync,
 * at the time the status says the state changed when it says so (Flux), else at the observation.
 */
export function driftMetrics(
  observations: readonly Observation[],
  period: Period,
  promoted: string | undefined
): DriftMetrics {
  const byApp = new Map<string, Observation[]>()
  for (const o of observations) {
    const list = byApp.get(o.app)
    if (list) list.push(o)
    else byApp.set(o.app, [o])
  }
  const from = period.from.getTime()
  const to = period.to.getTime()
  const apps: AppDrift[] = []
  for (const [app, seen] of byApp) {
    seen.sort((a, b) => a.at - b.at)
    const intervals: DriftInterval[] = []
    let current: DriftInterval | undefined
    for (const o of seen) {
      const when = o.since ?? o.at
      if (o.inDrift && !current) intervals.push((current = { start: when, reason: o.reason }))
      else if (!o.inDrift && current) {
        current.end = Math.max(when, current.start)
        current = undefined
      }
    }
    const overlap = (i: DriftInterval) => Math.max(0, Math.min(i.end ?? to, to) - Math.max(i.start, from))
    const last = seen[seen.length - 1]!
    const deployed = last.revision
    apps.push({
      app,
      tool: last.tool,
      events: intervals.filter(i => i.start >= from && i.start <= to).length,
      driftMs: intervals.reduce((n, i) => n + overlap(i), 0),
      intervals,
      inDriftNow: last.inDrift,
      health: last.health,
      deployedRevision: deployed,
      revisionMismatch:
        promoted && deployed && !sameRevision(deployed, promoted) ? { deployed, promoted } : undefined,
      observations: seen.length
    })
  }
  apps.sort((a, b) => b.events - a.events || b.driftMs - a.driftMs || a.app.localeCompare(b.app))
  return {
    apps,
    events: apps.reduce((n, a) => n + a.events, 0),
    driftMs: apps.reduce((n, a) => n + a.driftMs, 0),
    mismatches: apps.filter(a => a.revisionMismatch).length
  }
}

/** When a revision (a bump PR's merge commit in the manifests repository) was first deployed, and where. */
export function deploymentOf(
  revision: string,
  deployments: readonly Deployment[],
  observations: readonly Observation[]
): { app: string; at?: number } | undefined {
  const recorded = deployments.filter(d => sameRevision(d.revision, revision)).sort((a, b) => a.at - b.at)[0]
  if (recorded) return { app: recorded.app, at: recorded.at }
  const seen = observations
    .filter(o => o.revision && sameRevision(o.revision, revision))
    .sort((a, b) => a.at - b.at)[0]
  return seen ? { app: seen.app, at: seen.since ?? seen.at } : undefined
}
