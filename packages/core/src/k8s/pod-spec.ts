import type { ManifestObject, YamlPath } from './types.js'

export type Rec = Record<string, unknown>

export const asRecord = (value: unknown): Rec | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Rec) : undefined

export const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

export const asString = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined

export type ContainerField = 'initContainers' | 'containers' | 'ephemeralContainers'

export interface ContainerRef {
  field: ContainerField
  index: number
  name: string
  image: string | undefined
  container: Rec
  /** Path of the container inside the manifest object. */
  path: YamlPath
}

/** The pod a workload will create: its template metadata and spec, and where they sit in the object. */
export interface PodContext {
  object: ManifestObject
  workloadKind: string
  metadata: Rec
  metadataPath: YamlPath
  spec: Rec
  specPath: YamlPath
  /** Init containers, then containers, then ephemeral containers: the order pod-security-admission visits. */
  containers: ContainerRef[]
}

/** Where each workload kind keeps its pod template, and the API groups that define that kind. */
const TEMPLATE_PATHS: Record<string, { groups: RegExp; template: YamlPath }> = {
  Pod: { groups: /^v1$/, template: [] },
  PodTemplate: { groups: /^v1$/, template: ['template'] },
  ReplicationController: { groups: /^v1$/, template: ['spec', 'template'] },
  Deployment: { groups: /^(apps|extensions)\//, template: ['spec', 'template'] },
  StatefulSet: { groups: /^apps\//, template: ['spec', 'template'] },
  DaemonSet: { groups: /^(apps|extensions)\//, template: ['spec', 'template'] },
  ReplicaSet: { groups: /^(apps|extensions)\//, template: ['spec', 'template'] },
  Job: { groups: /^batch\//, template: ['spec', 'template'] },
  CronJob: { groups: /^batch\//, template: ['spec', 'jobTemplate', 'spec', 'template'] }
}

export const WORKLOAD_KINDS = Object.keys(TEMPLATE_PATHS)

export function isWorkload(object: Pick<ManifestObject, 'apiVersion' | 'kind'>): boolean {
  const entry = TEMPLATE_PATHS[object.kind]
  return entry !== undefined && entry.groups.test(object.apiVersion)
}

/** Long-running kinds: probes make sense for these, not for Jobs that run to completion. */
export const SERVING_KINDS = new Set([
  'Pod',
  'Deployment',
  'StatefulSet',
  'DaemonSet',
  'ReplicaSet',
  'ReplicationController'
])

/**
 * Where custom resources that run pods keep the pod template, as the built-in controllers do: Argo
 * Rollouts, OpenKruise (CloneSet, Advanced StatefulSet and DaemonSet, AdvancedCronJob), Knative
 * Services and the like. Their controllers create the pods, which the cluster's admission then judges.
 */
const CUSTOM_TEMPLATE_PATHS: readonly YamlPath[] = [
  ['spec', 'template'],
  ['spec', 'jobTemplate', 'spec', 'template']
]

const recordAt = (object: Rec, path: YamlPath): Rec | undefined => {
  let at: Rec | undefined = object
  for (const key of path) at = asRecord(at?.[key])
  return at
}

/**
 * The path of the pod template: a workload kind's, or for any other object the first of the usual
 * places that holds a pod spec with containers (so a template-shaped field without one is not taken).
 */
function templatePathOf(object: ManifestObject): YamlPath | undefined {
  if (isWorkload(object)) return TEMPLATE_PATHS[object.kind]?.template ?? []
  // Built-in kinds under another API group are refused by the API server; only custom kinds are read here.
  if (TEMPLATE_PATHS[object.kind] !== undefined && !object.apiVersion.includes('.')) return undefined
  return CUSTOM_TEMPLATE_PATHS.find(path =>
    Array.isArray(asRecord(recordAt(object.object, path)?.spec)?.containers)
  )
}

/**
 * Extracts the pod template of a workload, or of a custom resource that embeds one where workloads do.
 * Returns undefined for other objects and for a workload whose template has no spec (the API server
 * would reject it; there is nothing to check).
 */
export function podContextOf(object: ManifestObject): PodContext | undefined {
  const templatePath = templatePathOf(object)
  if (templatePath === undefined) return undefined
  const template = recordAt(object.object, templatePath)
  const spec = asRecord(template?.spec)
  if (!template || !spec) return undefined
  const specPath = [...templatePath, 'spec']
  const containers: ContainerRef[] = []
  for (const field of ['initContainers', 'containers', 'ephemeralContainers'] as const) {
    asArray(spec[field]).forEach((entry, index) => {
      const container = asRecord(entry)
      if (!container) return
      containers.push({
        field,
        index,
        name: asString(container.name) ?? `${field}[${index}]`,
        image: asString(container.image),
        container,
        path: [...specPath, field, index]
      })
    })
  }
  return {
    object,
    workloadKind: object.kind,
    metadata: asRecord(template.metadata) ?? {},
    metadataPath: [...templatePath, 'metadata'],
    spec,
    specPath,
    containers
  }
}
