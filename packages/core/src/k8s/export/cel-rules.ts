// k8s-policy's rules written once in CEL, with the options baked in. Gatekeeper (K8sNativeValidation),
// Kyverno (ValidatingPolicy) and native ValidatingAdmissionPolicy all evaluate Kubernetes CEL, so the
// three formats wrap the same expressions. Each expression repeats the evaluator in rules/*.ts.
import type { K8sPolicyOptions } from '../options.js'
import { QUANTITY } from '../quantity.js'
import { RULES, ruleMeta } from '../rules/catalog.js'
import { pssRevisionsFor } from '../rules/pss.js'
import { PSS_CEL } from './cel-pss.js'
import { celString, hasMap } from './cel-text.js'
import { allowedImagePatterns, DIGEST_PINNED, TAGGED } from './image-patterns.js'

export interface CelVariable {
  name: string
  expression: string
}

export interface CelValidation {
  expression: string
  message: string
}

/** One rule as CEL over `object` (any workload kind); `serving`: only long-running kinds are judged. */
export interface CelRule {
  id: string
  serving: boolean
  variables: CelVariable[]
  validations: CelValidation[]
  /**
   * A test on the pod template's annotations, which sit in a different place per kind: the format's
   * wrapper binds it as `variables.podAnnotationsAllowed` (true without annotations).
   */
  podAnnotations?: (annotations: string) => string
  /** True for an object the policy file's exceptions exclude from this rule (exclusions.ts). */
  excluded?: string
}

export interface NotExportable {
  id: string
  reason: string
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/

type ContainerFields = readonly ('initContainers' | 'containers' | 'ephemeralContainers')[]

const ALL_CONTAINERS: ContainerFields = ['initContainers', 'containers', 'ephemeralContainers']
const RESOURCED_CONTAINERS: ContainerFields = ['initContainers', 'containers']

/** The rule's containers, from `variables.podSpec` (set by the format's wrapper). */
function containersVariable(fields: ContainerFields): CelVariable {
  const lists = fields.map(f => `(has(variables.podSpec.${f}) ? variables.podSpec.${f} : [])`)
  return { name: 'containers', expression: lists.join(' + ') }
}

const isString = (field: string) => `(has(c.${field}) && type(c.${field}) == string)`

/** exemptImages: an exact image, or a prefix when the entry ends with `*` (images/reference.ts). */
function exempt(options: K8sPolicyOptions): string {
  if (options.exemptImages.length === 0) return 'false'
  const tests = options.exemptImages.map(p =>
    p.endsWith('*') ? `c.image.startsWith(${celString(p.slice(0, -1))})` : `c.image == ${celString(p)}`
  )
  return `(${isString('image')} && (${tests.join(' || ')}))`
}

/** A field that is absent, null or '' counts as missing (seed.ts `missing`). */
const present = (path: string) =>
  `(has(${path}) && ${path} != null && (type(${path}) != string || ${path} != ''))`

const QUANTITY_CEL = `^\\s*(${QUANTITY.source.slice(1, -1)})\\s*$`

function limitCheck(key: 'cpu' | 'memory', max: string | undefined): string {
  const value = `c.resources.limits.${key}`
  // A list of types would not type-check (its elements differ), so each type is compared on its own.
  const scalar = ['string', 'int', 'uint', 'double'].map(t => `type(${value}) == ${t}`).join(' || ')
  const parses = `((${scalar}) && string(${value}).matches(${celString(QUANTITY_CEL)}))`
  const withinMax =
    max === undefined ? '' : ` && quantity(string(${value})).compareTo(quantity(${celString(max)})) <= 0`
  return `(${present(value)} && ${parses}${withinMax})`
}

function rule(
  id: string,
  fields: ContainerFields,
  each: string,
  extra: Partial<Pick<CelRule, 'serving'>> = {}
): CelRule {
  const meta = ruleMeta(id)
  return {
    id,
    serving: extra.serving ?? false,
    variables: [containersVariable(fields)],
    validations: [
      { expression: `variables.containers.all(c, ${each})`, message: `${meta.title}: ${meta.help}` }
    ]
  }
}

type Builder = (options: K8sPolicyOptions) => CelRule | NotExportable

const BUILDERS: Record<string, Builder> = {
  'privileged-container': options =>
    rule(
      'privileged-container',
      ALL_CONTAINERS,
      `${exempt(options)} || !(${hasMap('c.securityContext')} && has(c.securityContext.privileged) && c.securityContext.privileged == true)`
    ),
  'image-disallowed-tag': options => {
    const tags = options.disallowedTags.map(t => `c.image.endsWith(${celString(`:${t}`)})`)
    const banned = tags.length === 0 ? 'false' : tags.join(' || ')
    return rule(
      'image-disallowed-tag',
      ALL_CONTAINERS,
      `!${isString('image')} || ${exempt(options)} || !(${banned})`
    )
  },
  'image-untagged': options =>
    rule(
      'image-untagged',
      ALL_CONTAINERS,
      `!${isString('image')} || ${exempt(options)} || c.image.matches(${celString(TAGGED)})`
    ),
  'resource-limits': options => {
    const keys = (['cpu', 'memory'] as const).filter(k => options.limits[k])
    const max = { cpu: options.limits.maxCpu, memory: options.limits.maxMemory }
    const checks = keys.map(k => ` && ${limitCheck(k, max[k])}`).join('')
    return rule(
      'resource-limits',
      RESOURCED_CONTAINERS,
      `${exempt(options)} || (${hasMap('c.resources')} && ${hasMap('c.resources.limits')}${checks})`
    )
  },
  'resource-requests': options => {
    const keys = (['cpu', 'memory'] as const).filter(k => options.requests[k])
    const checks = keys.map(k => present(`c.resources.requests.${k}`))
    if (checks.length === 0) return rule('resource-requests', RESOURCED_CONTAINERS, 'true')
    return rule(
      'resource-requests',
      RESOURCED_CONTAINERS,
      `${exempt(options)} || (${hasMap('c.resources')} && ${hasMap('c.resources.requests')} && ${checks.join(' && ')})`
    )
  },
  'allowed-registries': options => {
    const patterns = allowedImagePatterns(options.allowedRegistries).map(p =>
      p.notLocalhost
        ? `(c.image.matches(${celString(p.regex)}) && !c.image.startsWith('localhost/'))`
        : `c.image.matches(${celString(p.regex)})`
    )
    const admitted = patterns.length === 0 ? 'false' : patterns.join(' || ')
    return rule(
      'allowed-registries',
      ALL_CONTAINERS,
      `${isString('image')} && c.image != '' && (${admitted})`
    )
  },
  'image-digest': () =>
    rule(
      'image-digest',
      ALL_CONTAINERS,
      `${isString('image')} && c.image.matches(${celString(DIGEST_PINNED)})`
    ),
  'required-probes': options => {
    const names = [...options.probes.required, ...options.probes.handlers]
    const odd = names.find(n => !IDENTIFIER.test(n))
    if (odd !== undefined)
      return {
        id: 'required-probes',
        reason: `probe or handler name '${odd}' is not a field name CEL can test`
      }
    // A handler written as null is none (probes.ts); has() alone is true for it.
    const handler = (path: string) => `(has(${path}) && ${path} != null)`
    const handled = (probe: string) =>
      options.probes.handlers.length === 0
        ? 'false'
        : options.probes.handlers.map(h => handler(`c.${probe}.${h}`)).join(' || ')
    const each = options.probes.required.map(p => `(${hasMap(`c.${p}`)} && (${handled(p)}))`)
    return rule('required-probes', ['containers'], each.length === 0 ? 'true' : each.join(' && '), {
      serving: true
    })
  }
}

/** A Pod Security Standards rule at the revision in force: pod, containers and annotations all pass. */
function pssRule(id: string, since: number): CelRule {
  const cel = PSS_CEL[id]?.(since)
  if (!cel) throw new Error(`no CEL form of ${id}`)
  const meta = ruleMeta(id)
  const tests = [
    ...(cel.pod ? [cel.pod] : []),
    ...(cel.each ? [`variables.containers.all(c, type(c) != map || ${cel.each})`] : []),
    ...(cel.annotations ? ['variables.podAnnotationsAllowed'] : [])
  ]
  const passes = tests.join(' && ')
  return {
    id,
    serving: false,
    variables: [containersVariable(ALL_CONTAINERS)],
    validations: [
      { expression: cel.skip ? `${cel.skip} || (${passes})` : passes, message: `${meta.title}: ${meta.help}` }
    ],
    ...(cel.annotations ? { podAnnotations: cel.annotations } : {})
  }
}

/**
 * The enabled rules in the catalog's order: as CEL, or why they cannot be exported. A Pod Security
 * Standards rule the level and version do not put in force is not checked in CI either, and is left out.
 */
export function celRules(options: K8sPolicyOptions): { rules: CelRule[]; notExportable: NotExportable[] } {
  const rules: CelRule[] = []
  const notExportable: NotExportable[] = []
  const pss = pssRevisionsFor(options.level, options.version)
  for (const id of RULES.map(r => r.id).filter(id => options.rules.has(id))) {
    if (ruleMeta(id).pss) {
      const revision = pss.get(id)
      if (revision) rules.push(pssRule(id, revision.since))
      continue
    }
    const build = BUILDERS[id]
    if (!build) {
      notExportable.push({ id, reason: 'no admission form of this rule yet' })
      continue
    }
    const built = build(options)
    if ('reason' in built) notExportable.push(built)
    else rules.push(built)
  }
  return { rules, notExportable }
}
