import type { K8sPolicyOptions } from './options.js'
import { podContextOf, type ContainerField, type PodContext } from './pod-spec.js'
import { allowedRegistries, imageDigest } from './rules/images.js'
import { requiredProbes } from './rules/probes.js'
import { evaluatePodSecurity } from './rules/pss.js'
import {
  disallowedTag,
  privilegedContainer,
  resourceLimits,
  resourceRequests,
  untaggedImage
} from './rules/seed.js'
import type { Offense, RuleViolation } from './rules/types.js'
import type { ManifestObject, YamlPath } from './types.js'

/** A rule violation located in a file: what the SARIF result and the annotation point at. */
export interface Violation {
  ruleId: string
  message: string
  file: string
  line: number
  column: number
  /** Path of the offending field inside the object, e.g. `spec.template.spec.containers[0].image`. */
  fieldPath: string
  objectKind: string
  objectName?: string
  namespace?: string
  container?: { field: ContainerField; name: string; image?: string }
  /** Kustomization directory the object was rendered from, when it was. */
  renderedFrom?: string
}

type PodRule = (pod: PodContext, options: K8sPolicyOptions) => Offense[]

const POD_RULES: readonly [string, PodRule][] = [
  ['privileged-container', privilegedContainer],
  ['image-disallowed-tag', disallowedTag],
  ['image-untagged', untaggedImage],
  ['resource-limits', resourceLimits],
  ['resource-requests', resourceRequests],
  ['allowed-registries', (pod, options) => allowedRegistries(pod, options.allowedRegistries)],
  ['image-digest', pod => imageDigest(pod)],
  ['required-probes', (pod, options) => requiredProbes(pod, options.probes)]
]

/** Every enabled rule on one pod template. Pure. */
export function evaluatePod(pod: PodContext, options: K8sPolicyOptions): RuleViolation[] {
  const out: RuleViolation[] = []
  for (const [ruleId, rule] of POD_RULES) {
    if (!options.rules.has(ruleId)) continue
    for (const offense of rule(pod, options)) out.push({ ruleId, ...offense })
  }
  out.push(...evaluatePodSecurity(pod, options.level, options.version, id => options.rules.has(id)))
  return out
}

/** Evaluates every workload among `objects`; objects that carry no pod template are ignored. */
export function evaluateObjects(objects: readonly ManifestObject[], options: K8sPolicyOptions): Violation[] {
  const seen = new Set<string>()
  const out: Violation[] = []
  for (const object of objects) {
    const pod = podContextOf(object)
    if (!pod) continue
    for (const v of evaluatePod(pod, options)) {
      const { file, line, column } = object.locate(v.path)
      const violation: Violation = {
        ruleId: v.ruleId,
        message: `${object.kind}/${object.name ?? '(unnamed)'}: ${v.message}`,
        file,
        line,
        column,
        fieldPath: formatYamlPath(v.path),
        objectKind: object.kind,
        ...(object.name !== undefined ? { objectName: object.name } : {}),
        ...(object.namespace !== undefined ? { namespace: object.namespace } : {}),
        ...(v.container
          ? { container: { field: v.container.field, name: v.container.name, image: v.container.image } }
          : {}),
        ...(object.renderedFrom !== undefined ? { renderedFrom: object.renderedFrom } : {})
      }
      // Two overlays rendering the same base report the base's problem once, unless they made two
      // objects of it that an exception tells apart (namespace, image): one must not stand for the other.
      const key = [
        violation.ruleId,
        violation.file,
        violation.line,
        violation.column,
        violation.message,
        violation.namespace ?? '',
        violation.container?.image ?? ''
      ].join('\u0000')
      if (seen.has(key)) continue
      seen.add(key)
      out.push(violation)
    }
  }
  return out
}

export function formatYamlPath(path: YamlPath): string {
  return path
    .map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : i === 0 ? segment : `.${segment}`))
    .join('')
}
