import { SERVING_KINDS } from '../pod-spec.js'

/**
 * The workload kinds k8s-policy judges (pod-spec.ts isWorkload), with the API groups it accepts for each
 * and where the pod template sits. Every format matches exactly these, so an object outside them is
 * unchecked everywhere.
 */
export interface WorkloadKind {
  kind: string
  /** API groups ('' is the core group) and the versions the expansion template names. */
  groups: readonly { group: string; versions: readonly string[] }[]
  /** Dotted path from the object to its pod template (metadata + spec); '' for a Pod. */
  template: string
}

export const WORKLOAD_KINDS: readonly WorkloadKind[] = [
  { kind: 'Pod', groups: [{ group: '', versions: ['v1'] }], template: '' },
  { kind: 'PodTemplate', groups: [{ group: '', versions: ['v1'] }], template: 'template' },
  { kind: 'ReplicationController', groups: [{ group: '', versions: ['v1'] }], template: 'spec.template' },
  {
    kind: 'Deployment',
    groups: [
      { group: 'apps', versions: ['v1', 'v1beta1', 'v1beta2'] },
      { group: 'extensions', versions: ['v1beta1'] }
    ],
    template: 'spec.template'
  },
  {
    kind: 'StatefulSet',
    groups: [{ group: 'apps', versions: ['v1', 'v1beta1', 'v1beta2'] }],
    template: 'spec.template'
  },
  {
    kind: 'DaemonSet',
    groups: [
      { group: 'apps', versions: ['v1', 'v1beta2'] },
      { group: 'extensions', versions: ['v1beta1'] }
    ],
    template: 'spec.template'
  },
  {
    kind: 'ReplicaSet',
    groups: [
      { group: 'apps', versions: ['v1', 'v1beta2'] },
      { group: 'extensions', versions: ['v1beta1'] }
    ],
    template: 'spec.template'
  },
  { kind: 'Job', groups: [{ group: 'batch', versions: ['v1'] }], template: 'spec.template' },
  {
    kind: 'CronJob',
    groups: [{ group: 'batch', versions: ['v1', 'v1beta1'] }],
    template: 'spec.jobTemplate.spec.template'
  }
]

export const isServing = (kind: WorkloadKind) => SERVING_KINDS.has(kind.kind)

const specPath = (kind: WorkloadKind) => (kind.template === '' ? 'spec' : `${kind.template}.spec`)

/** `has(object.a) && has(object.a.b) …`: true when every step of the path exists, never an error. */
function hasPath(path: string): string {
  const steps = path.split('.')
  return steps.map((_, i) => `has(object.${steps.slice(0, i + 1).join('.')})`).join(' && ')
}

/** Chooses per kind, falling back to the last kind's expression (all kinds are matched beforehand). */
function byKind(kinds: readonly WorkloadKind[], pick: (kind: WorkloadKind) => string): string {
  const groups = new Map<string, string[]>()
  for (const kind of kinds) groups.set(pick(kind), [...(groups.get(pick(kind)) ?? []), kind.kind])
  const entries = [...groups.entries()]
  const last = entries.pop()
  if (!last) throw new Error('no workload kinds')
  return entries.reduceRight(
    (otherwise, [expression, names]) => `(${kindIn(names)} ? ${expression} : ${otherwise})`,
    last[0]
  )
}

export const kindIn = (names: readonly string[]) =>
  names.length === 1
    ? `object.kind == '${names[0]}'`
    : `object.kind in [${names.map(n => `'${n}'`).join(', ')}]`

/** True when the object has a pod spec: podContextOf skips a workload without one, and so must every format. */
export const hasPodSpec = (kinds: readonly WorkloadKind[]) =>
  byKind(kinds, kind => `(${hasPath(specPath(kind))})`)

/** The pod spec of any of `kinds`. */
export const podSpecOf = (kinds: readonly WorkloadKind[]) => byKind(kinds, kind => `object.${specPath(kind)}`)

/** `test` on the annotations of the pod template of any of `kinds`; true when there are none. */
export const podAnnotationsTest = (kinds: readonly WorkloadKind[], test: (annotations: string) => string) =>
  byKind(kinds, kind => {
    const annotations = `${kind.template === '' ? '' : `${kind.template}.`}metadata.annotations`
    return `(!(${hasPath(annotations)}) || type(object.${annotations}) != map || ${test(`object.${annotations}`)})`
  })
