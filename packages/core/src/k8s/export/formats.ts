// The three wrappers around the same CEL rules. Each returns plain objects; export.ts serializes them.
import type { CelRule } from './cel-rules.js'
import {
  hasPodSpec,
  isServing,
  kindIn,
  podAnnotationsTest,
  podSpecOf,
  WORKLOAD_KINDS,
  type WorkloadKind
} from './workloads.js'

type Doc = Record<string, unknown>

const NAME_PREFIX = 'secure-pipeline-'

const kindsFor = (rule: CelRule) => WORKLOAD_KINDS.filter(k => !rule.serving || isServing(k))

/** The pod spec of whatever the rule matched, then the rule's own variables. */
const variablesOf = (rule: CelRule, kinds: readonly WorkloadKind[]) => [
  { name: 'podSpec', expression: podSpecOf(kinds) },
  ...rule.variables,
  ...(rule.podAnnotations
    ? [{ name: 'podAnnotationsAllowed', expression: podAnnotationsTest(kinds, rule.podAnnotations) }]
    : [])
]

/**
 * The kind test repeats the match rules inside the policy: the Kyverno CLI judges a
 * ValidatingAdmissionPolicy against every resource it is given, so without it a Job met required-probes.
 */
const matchConditionsOf = (rule: CelRule, kinds: readonly WorkloadKind[]) => [
  { name: 'is-checked-kind', expression: kindIn(kinds.map(k => k.kind)) },
  { name: 'has-pod-spec', expression: hasPodSpec(kinds) },
  // The policy file's exceptions that name a namespace or workload: the same objects CI waives.
  ...(rule.excluded ? [{ name: 'not-excepted', expression: `!(${rule.excluded})` }] : [])
]

/** Kubernetes resource rules for `kinds`: one entry per API group, as admission matching wants them. */
function resourceRules(kinds: readonly WorkloadKind[]): Doc[] {
  const byGroup = new Map<string, string[]>()
  for (const kind of kinds)
    for (const { group } of kind.groups)
      byGroup.set(group, [...(byGroup.get(group) ?? []), ...resourcesOf(kind.kind)])
  return [...byGroup.entries()].map(([group, resources]) => ({
    apiGroups: [group],
    apiVersions: ['*'],
    operations: ['CREATE', 'UPDATE'],
    resources
  }))
}

/**
 * The resources a workload kind is written through. `kubectl debug` adds its container with an UPDATE
 * of the pods/ephemeralcontainers subresource (its object is the whole Pod), which a rule for `pods`
 * alone never sees; Pod Security Admission and Gatekeeper's default webhook judge it too.
 */
const resourcesOf = (kind: string) => {
  const plural = `${kind.toLowerCase()}s`
  return kind === 'Pod' ? [plural, `${plural}/ephemeralcontainers`] : [plural]
}

const validations = (rule: CelRule) =>
  rule.validations.map(v => ({ expression: v.expression, message: v.message }))

// ---- native ValidatingAdmissionPolicy -------------------------------------------------------------

export function vapDocuments(rules: readonly CelRule[]): Doc[] {
  return rules.flatMap(rule => {
    const kinds = kindsFor(rule)
    const name = `${NAME_PREFIX}${rule.id}`
    return [
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicy',
        metadata: { name },
        spec: {
          failurePolicy: 'Fail',
          matchConstraints: { resourceRules: resourceRules(kinds) },
          matchConditions: matchConditionsOf(rule, kinds),
          variables: variablesOf(rule, kinds),
          validations: validations(rule)
        }
      },
      {
        apiVersion: 'admissionregistration.k8s.io/v1',
        kind: 'ValidatingAdmissionPolicyBinding',
        metadata: { name },
        spec: { policyName: name, validationActions: ['Deny'] }
      }
    ]
  })
}

// ---- Kyverno ValidatingPolicy (policies.kyverno.io/v1) --------------------------------------------

export function kyvernoDocuments(rules: readonly CelRule[]): Doc[] {
  return rules.map(rule => {
    const kinds = kindsFor(rule)
    return {
      apiVersion: 'policies.kyverno.io/v1',
      kind: 'ValidatingPolicy',
      metadata: { name: `${NAME_PREFIX}${rule.id}` },
      spec: {
        validationActions: ['Deny'],
        failurePolicy: 'Fail',
        // Every workload kind is matched and read directly; generated rules would judge them twice.
        autogen: { podControllers: { controllers: [] } },
        matchConstraints: { resourceRules: resourceRules(kinds) },
        matchConditions: matchConditionsOf(rule, kinds),
        variables: variablesOf(rule, kinds),
        validations: validations(rule)
      }
    }
  })
}

// ---- Gatekeeper: ConstraintTemplates (CEL), Constraints, ExpansionTemplate ------------------------

const pascal = (id: string) =>
  id
    .split('-')
    .map(part => part.charAt(0).toUpperCase() + part.slice(1))
    .join('')

export const gatekeeperKind = (rule: CelRule) => `SecurePipeline${pascal(rule.id)}`

/**
 * Kinds Gatekeeper judges as themselves, not as the Pod it expands from them. An expanded Pod is owned
 * by its workload alone, so a ReplicaSet's or Job's own owner (the Deployment or CronJob an exception
 * names) is lost, and the exclusion for an excepted Deployment's Pods (owner `<name>-<hash>`) would admit
 * any ReplicaSet so named.
 */
const JUDGED_DIRECTLY = new Set(['Pod', 'ReplicaSet', 'Job'])
const DIRECT_KINDS = WORKLOAD_KINDS.filter(k => JUDGED_DIRECTLY.has(k.kind))

/**
 * Gatekeeper judges the other workloads through the ExpansionTemplate: each rule matches the direct
 * kinds and the Pods expanded from a workload's template. required-probes depends on the workload kind
 * (Jobs run to completion), which an expanded Pod no longer shows, so it matches the serving kinds
 * themselves and only originals.
 */
export function gatekeeperDocuments(rules: readonly CelRule[]): Doc[] {
  const templates = rules.map(rule => {
    const kinds = rule.serving ? kindsFor(rule) : DIRECT_KINDS
    return {
      apiVersion: 'templates.gatekeeper.sh/v1',
      kind: 'ConstraintTemplate',
      metadata: { name: gatekeeperKind(rule).toLowerCase() },
      spec: {
        crd: { spec: { names: { kind: gatekeeperKind(rule) } } },
        targets: [
          {
            target: 'admission.k8s.gatekeeper.sh',
            code: [
              {
                engine: 'K8sNativeValidation',
                source: {
                  // Gatekeeper's K8sNativeValidation source spells this field in the singular.
                  matchCondition: matchConditionsOf(rule, kinds),
                  variables: variablesOf(rule, kinds),
                  validations: validations(rule)
                }
              }
            ]
          }
        ]
      }
    }
  })
  const constraints = rules.map(rule => {
    const kinds = rule.serving ? kindsFor(rule) : DIRECT_KINDS
    return {
      apiVersion: 'constraints.gatekeeper.sh/v1beta1',
      kind: gatekeeperKind(rule),
      metadata: {
        name: `${NAME_PREFIX}${rule.id}`,
        // The constraint's kind exists only once its template is in place.
        annotations: { 'argocd.argoproj.io/sync-options': 'SkipDryRunOnMissingResource=true' }
      },
      spec: {
        enforcementAction: 'deny',
        match: {
          kinds: kindGroups(kinds),
          ...(rule.serving ? { source: 'Original' } : {})
        }
      }
    }
  })
  return [...expansionTemplates(), ...templates, ...constraints]
}

function kindGroups(kinds: readonly WorkloadKind[]): Doc[] {
  const byGroup = new Map<string, string[]>()
  for (const kind of kinds)
    for (const { group } of kind.groups) byGroup.set(group, [...(byGroup.get(group) ?? []), kind.kind])
  return [...byGroup.entries()].map(([group, names]) => ({ apiGroups: [group], kinds: names }))
}

/** One ExpansionTemplate per template location: the workload is judged as the Pod it creates. */
function expansionTemplates(): Doc[] {
  const bySource = new Map<string, WorkloadKind[]>()
  for (const kind of WORKLOAD_KINDS.filter(k => !JUDGED_DIRECTLY.has(k.kind)))
    bySource.set(kind.template, [...(bySource.get(kind.template) ?? []), kind])
  return [...bySource.entries()].map(([templateSource, kinds]) => ({
    apiVersion: 'expansion.gatekeeper.sh/v1beta1',
    kind: 'ExpansionTemplate',
    metadata: { name: `${NAME_PREFIX}expand-${templateSource.replace(/\./g, '-').toLowerCase()}` },
    spec: {
      applyTo: kinds.flatMap(kind =>
        kind.groups.map(g => ({ groups: [g.group], kinds: [kind.kind], versions: [...g.versions] }))
      ),
      templateSource,
      generatedGVK: { group: '', version: 'v1', kind: 'Pod' }
    }
  }))
}
