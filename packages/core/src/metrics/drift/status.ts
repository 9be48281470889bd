import {
  array,
  checkShape,
  dateTime,
  nonEmptyString,
  nullable,
  object,
  oneOf,
  optional,
  string,
  type Infer
} from '../../runtime/json-shape.js'
import { BrokenInputError } from '../../runtime/errors.js'

/*
 * GitOps status as Argo CD and Flux export it, read from their documented fields only:
 * Argo CD `Application` (`argocd app list -o json`, `argocd app get -o json`, `kubectl get applications
 * -o json`): status.sync, status.health, status.operationState, status.history, status.reconciledAt.
 * Flux `Kustomization` (`kubectl get kustomizations -o json`): the Ready condition, lastAppliedRevision
 * and lastAttemptedRevision.
 */

/** One look at one application: in drift or not, since when if the status says, and what is deployed. */
export interface Observation {
  app: string
  tool: 'argocd' | 'flux'
  /** When this status was current (Argo reconciledAt; Flux the latest condition or reconcile time). */
  at: number
  /** When the current state began, when the status records it (Flux Ready's lastTransitionTime). */
  since?: number
  inDrift: boolean
  /** Why: OutOfSync, Ready=False (reason), a newer revision that failed to apply. */
  reason: string
  health?: string
  /** The revision (commit) the cluster runs, as the tool reports it. */
  revision?: string
  source: string
}

/** A deployment Argo CD recorded in status.history. */
export interface Deployment {
  app: string
  revision: string
  at: number
}

const time = optional(nullable(dateTime()))
const meta = object({ name: nonEmptyString(), namespace: optional(string()) })

// Other fields of these documents are left as they are: only the documented ones are read.
const argoApplication = object({
  metadata: meta,
  status: object({
    sync: object({
      status: string(),
      revision: optional(string()),
      revisions: optional(array(string()))
    }),
    health: optional(object({ status: optional(string()) })),
    reconciledAt: time,
    operationState: optional(
      object({
        phase: optional(string()),
        startedAt: time,
        finishedAt: time,
        syncResult: optional(object({ revision: optional(string()) }))
      })
    ),
    history: optional(
      array(
        object({
          revision: optional(string()),
          revisions: optional(array(string())),
          deployedAt: dateTime()
        })
      )
    )
  })
})

const condition = object({
  type: string(),
  status: oneOf(['True', 'False', 'Unknown']),
  reason: optional(string()),
  lastTransitionTime: dateTime()
})

const fluxKustomization = object({
  metadata: meta,
  status: object({
    conditions: optional(array(condition)),
    lastAppliedRevision: optional(string()),
    lastAttemptedRevision: optional(string()),
    lastHandledReconcileAt: optional(string())
  })
})

/** `main@sha1:<sha>` (Flux 2.1+), `main/<sha>` (earlier), `sha1:<sha>` or a bare sha → the sha. */
export function revisionSha(revision: string | undefined): string | undefined {
  if (!revision) return undefined
  const match =
    /(?:@sha1:|@sha256:|^sha1:|^sha256:|\/)([0-9a-f]{7,64})$/i.exec(revision) ??
    /^([0-9a-f]{7,64})$/i.exec(revision)
  return match?.[1]?.toLowerCase()
}

const appName = (kind: string, m: Infer<typeof meta>) =>
  `${kind}/${m.namespace ? `${m.namespace}/` : ''}${m.name}`
const ms = (t: string | null | undefined) => (t ? Date.parse(t) : undefined)

function argo(
  item: unknown,
  source: string,
  where: string
): { observation?: Observation; deployments: Deployment[] } {
  const parsed = checkShape(argoApplication, item)
  if (!parsed.success)
    throw new BrokenInputError(
      source,
      `${where}: not an Argo CD Application status (${parsed.issues[0]?.path.join('.')}: ${parsed.issues[0]?.message})`
    )
  const { metadata, status } = parsed.data
  const app = appName('Application', metadata)
  const deployments = (status.history ?? []).flatMap(h => {
    const revision = h.revision ?? h.revisions?.[0]
    return revision ? [{ app, revision, at: Date.parse(h.deployedAt) }] : []
  })
  const lastDeployment = deployments.reduce<number | undefined>((t, d) => Math.max(t ?? 0, d.at), undefined)
  const at = ms(status.reconciledAt) ?? ms(status.operationState?.finishedAt) ?? lastDeployment
  if (at === undefined)
    throw new BrokenInputError(source, `${where} (${app}): no reconciledAt, operationState or history time`)
  const outOfSync = status.sync.status === 'OutOfSync'
  return {
    observation: {
      app,
      tool: 'argocd',
      at,
      inDrift: outOfSync,
      reason: `sync ${status.sync.status}${status.operationState?.phase ? `, last sync ${status.operationState.phase}` : ''}`,
      health: status.health?.status,
      revision:
        status.sync.revision ?? status.sync.revisions?.[0] ?? status.operationState?.syncResult?.revision,
      source
    },
    deployments
  }
}

function flux(item: unknown, source: string, where: string): Observation {
  const parsed = checkShape(fluxKustomization, item)
  if (!parsed.success)
    throw new BrokenInputError(
      source,
      `${where}: not a Flux Kustomization status (${parsed.issues[0]?.path.join('.')}: ${parsed.issues[0]?.message})`
    )
  const { metadata, status } = parsed.data
  const app = appName('Kustomization', metadata)
  const conditions = status.conditions ?? []
  const ready = conditions.find(c => c.type === 'Ready')
  if (!ready) throw new BrokenInputError(source, `${where} (${app}): no Ready condition`)
  const times = conditions.map(c => Date.parse(c.lastTransitionTime))
  // The reconcile request annotation is free text ("$(date +%s)" in Flux's docs): a time only when it parses.
  const requested = ms(status.lastHandledReconcileAt)
  if (requested !== undefined && !Number.isNaN(requested)) times.push(requested)
  const applied = revisionSha(status.lastAppliedRevision)
  const attempted = revisionSha(status.lastAttemptedRevision)
  const stuck = attempted !== undefined && applied !== attempted
  const notReady = ready.status !== 'True'
  return {
    app,
    tool: 'flux',
    // Not Math.max(...times): spreading a hundred thousand conditions overflows the call stack.
    at: times.reduce((latest, t) => Math.max(latest, t)),
    since: Date.parse(ready.lastTransitionTime),
    inDrift: notReady || stuck,
    reason: [
      notReady ? `Ready=${ready.status}${ready.reason ? ` (${ready.reason})` : ''}` : 'Ready',
      stuck ? `revision ${status.lastAttemptedRevision} not applied` : ''
    ]
      .filter(Boolean)
      .join(', '),
    revision: status.lastAppliedRevision,
    source
  }
}

function isFlux(item: Record<string, unknown>): boolean {
  return typeof item.apiVersion === 'string' && item.apiVersion.startsWith('kustomize.toolkit.fluxcd.io/')
}

function isArgo(item: Record<string, unknown>): boolean {
  if (typeof item.apiVersion === 'string')
    return item.apiVersion.startsWith('argoproj.io/') && item.kind === 'Application'
  // `argocd app list -o json` may leave out apiVersion and kind: an Application has status.sync.
  const status = item.status as Record<string, unknown> | undefined
  return typeof status?.sync === 'object' && status.sync !== null
}

/**
 * Every Argo CD Application and Flux Kustomization in one exported file: a JSON array, one object, or a
 * Kubernetes List. Objects of other kinds are counted as skipped; a malformed status of either kind is a
 * broken input, never a quietly missing application.
 */
export function readGitOpsStatus(
  text: string,
  source: string
): { observations: Observation[]; deployments: Deployment[]; skipped: number } {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    throw new BrokenInputError(source, `not JSON: ${(error as Error).message}`)
  }
  const items = Array.isArray(json)
    ? json
    : json !== null && typeof json === 'object' && Array.isArray((json as { items?: unknown }).items)
      ? (json as { items: unknown[] }).items
      : [json]
  const observations: Observation[] = []
  const deployments: Deployment[] = []
  let skipped = 0
  items.forEach((item, index) => {
    const where = `item ${index}`
    if (item === null || typeof item !== 'object' || Array.isArray(item))
      throw new BrokenInputError(source, `${where} is not an object`)
    const object = item as Record<string, unknown>
    if (isFlux(object)) {
      if (object.kind === 'Kustomization') observations.push(flux(object, source, where))
      else skipped++
    } else if (isArgo(object)) {
      const r = argo(object, source, where)
      if (r.observation) observations.push(r.observation)
      deployments.push(...r.deployments)
    } else skipped++
  })
  return { observations, deployments, skipped }
}
