import { ConfigurationError, escapeLineBreaks } from '../runtime/errors.js'
import { parseList } from '../runtime/inputs.js'
import { parseQuantity } from './quantity.js'
import { RULES, RULES_BY_ID } from './rules/catalog.js'
import { DEFAULT_PROBE_HANDLERS, PROBE_FIELDS, type ProbeOptions } from './rules/probes.js'
import type { PssLevel } from './rules/pss.js'
import { LATEST_PSS_VERSION, type PssVersion } from './rules/pss-version.js'
import type { SeedOptions } from './rules/seed.js'
import { RULE_GROUPS } from './rules/types.js'

/** Everything the pure evaluator needs; built once from the action inputs and the policy file. */
export interface K8sPolicyOptions extends SeedOptions {
  level: PssLevel
  version: PssVersion
  /** Ids of the rules that run. */
  rules: ReadonlySet<string>
  allowedRegistries: readonly string[]
  probes: ProbeOptions
}

export const DEFAULT_REQUIRED_PROBES = ['livenessProbe', 'readinessProbe']

export function defaultOptions(overrides: Partial<K8sPolicyOptions> = {}): K8sPolicyOptions {
  return {
    level: 'restricted',
    version: LATEST_PSS_VERSION,
    // Same as selecting 'all' with no parameters: the rules that need a list or a switch stay off.
    rules: new Set(
      RULES.map(rule => rule.id).filter(id => id !== 'allowed-registries' && id !== 'image-digest')
    ),
    disallowedTags: ['latest'],
    exemptImages: [],
    allowedRegistries: [],
    limits: { cpu: true, memory: true },
    requests: { cpu: true, memory: true },
    probes: { required: DEFAULT_REQUIRED_PROBES, handlers: DEFAULT_PROBE_HANDLERS },
    ...overrides
  }
}

/** A maximum limit as the user wrote it, checked with the same parser the rules use (`1Pi`, `1e3`, `500m`). */
export function parseQuantityOption(inputName: string, raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined
  const value = parseQuantity(raw)
  if (value === undefined || value < 0) {
    throw new ConfigurationError(
      `Input '${inputName}' must be a Kubernetes quantity like 500m, 2, 1e3 or 1Gi; got '${raw}'.`
    )
  }
  return raw.trim()
}

/** The probes every serving container must declare: a list of probe fields, or `none`. */
export function parseRequiredProbes(inputName: string, raw: string | undefined): string[] {
  if (raw === undefined) return [...DEFAULT_REQUIRED_PROBES]
  if (raw.trim().toLowerCase() === 'none') return []
  const probes = parseList(raw)
  for (const probe of probes) {
    if (!(PROBE_FIELDS as readonly string[]).includes(probe)) {
      throw new ConfigurationError(
        `Input '${inputName}' takes ${PROBE_FIELDS.join(', ')} or none; got '${probe}'.`
      )
    }
  }
  return probes
}

export interface RuleSelection {
  /** Tokens of the `rules` input: `all`, group names, rule ids; `!x` or `-x` removes. Empty means all. */
  tokens: readonly string[]
  /** `k8s-policy.rules` of the policy file: true = on, false = off; applied after the tokens. */
  policyRules?: Readonly<Record<string, boolean>>
  allowedRegistries: readonly string[]
  requireDigest: boolean
  requireRequests: boolean
  requiredProbes: readonly string[]
  /** The action's names for the inputs above, which errors speak of. */
  inputNames: RuleSelectionInputNames
}

export interface RuleSelectionInputNames {
  rules: string
  allowedRegistries: string
  requireRequests: string
  requiredProbes: string
}

const GROUP_NAMES: readonly string[] = RULE_GROUPS

function expand(token: string, inputName: string): string[] {
  if (token === 'all') return RULES.map(rule => rule.id)
  if (GROUP_NAMES.includes(token))
    return RULES.filter(rule => rule.groups.some(g => g === token)).map(rule => rule.id)
  if (RULES_BY_ID.has(token)) return [token]
  throw new ConfigurationError(
    `${inputName} names an unknown rule or group '${token}'; use 'all', a group (${GROUP_NAMES.join(', ')}) or a rule id from the k8s-policy README.`
  )
}

/**
 * Resolves which rules run. Rules that need a parameter stay off until it is given (allowed-registries
 * needs a list, image-digest needs require-digest), unless the rule is named explicitly, in which case
 * a missing parameter is a configuration error rather than a silent no-op.
 */
export function selectRules(selection: RuleSelection): Set<string> {
  const tokens = selection.tokens.length > 0 ? selection.tokens : ['all']
  const chosen = new Set<string>()
  const named = new Set<string>()
  for (const raw of tokens) {
    const token = raw.trim().toLowerCase()
    const negated = token.startsWith('!') || token.startsWith('-')
    const name = negated ? token.slice(1) : token
    for (const id of expand(name, `Input '${selection.inputNames.rules}'`)) {
      if (negated) chosen.delete(id)
      else chosen.add(id)
    }
    if (!negated && RULES_BY_ID.has(name)) named.add(name)
  }
  for (const [id, on] of Object.entries(selection.policyRules ?? {})) {
    if (!RULES_BY_ID.has(id)) {
      throw new ConfigurationError(
        `Policy file k8s-policy.rules names unknown rule '${escapeLineBreaks(id)}'; see the k8s-policy README for rule ids.`
      )
    }
    if (on) {
      chosen.add(id)
      named.add(id)
    } else {
      chosen.delete(id)
      named.delete(id)
    }
  }
  const needs = (id: string, given: boolean, fix: string) => {
    if (!chosen.has(id) || given) return
    if (named.has(id)) throw new ConfigurationError(`Rule '${id}' is enabled but ${fix}.`)
    chosen.delete(id)
  }
  needs(
    'allowed-registries',
    selection.allowedRegistries.length > 0,
    `'${selection.inputNames.allowedRegistries}' is empty; list the allowed prefixes`
  )
  needs(
    'resource-requests',
    selection.requireRequests,
    `'${selection.inputNames.requireRequests}' is false; set it to true`
  )
  needs(
    'required-probes',
    selection.requiredProbes.length > 0,
    `'${selection.inputNames.requiredProbes}' is empty; list probes such as livenessProbe`
  )
  if (chosen.has('image-digest') && !selection.requireDigest && !named.has('image-digest'))
    chosen.delete('image-digest')
  return chosen
}
