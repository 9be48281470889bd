import type { Severity } from '../findings/finding.js'
import type { ExceptionEntry, PolicyFile, Thresholds } from './schema.js'

export interface ResolvedThresholds {
  failOn: Severity[]
  fixAvailableOnly: boolean
  max: Partial<Record<Severity, number>>
}

export interface GatePolicy {
  defaults: ResolvedThresholds
  scanners: Record<string, Partial<ResolvedThresholds>>
  categories: Record<string, Partial<ResolvedThresholds>>
  warnOnly: boolean
  maxExceptionDays: number
  upload: boolean | 'auto'
  comment: boolean | 'auto'
  exceptions: ExceptionEntry[]
  /** `k8s-policy.rules`: rule id → on/off, applied by k8s-policy over its inputs. */
  k8sRules: Record<string, boolean>
  /** sha256 of the policy file bytes, or of the empty string when the defaults are used. */
  digest: string
  source: string
}

export const DEFAULT_POLICY_PATH = '.github/secure-pipeline.yml'
/** The source and origin of the policy an absent file gives. */
export const BUILT_IN_POLICY = 'built-in defaults'
export const DEFAULT_FAIL_ON: Severity[] = ['critical', 'high']
export const DEFAULT_MAX_EXCEPTION_DAYS = 90
/** sha256 of the empty text: the digest the built-in defaults have always carried in the evidence. */
export const EMPTY_POLICY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'

function partial(t: Thresholds | undefined): Partial<ResolvedThresholds> {
  const out: Partial<ResolvedThresholds> = {}
  if (t?.['fail-on']) out.failOn = t['fail-on']
  if (t?.['fix-available-only'] !== undefined) out.fixAvailableOnly = t['fix-available-only']
  if (t?.max) out.max = t.max
  return out
}

function mapValues<T, U>(record: Record<string, T> | undefined, fn: (v: T) => U): Record<string, U> {
  return Object.fromEntries(Object.entries(record ?? {}).map(([k, v]) => [k.toLowerCase(), fn(v)]))
}

export function resolvePolicy(file: PolicyFile, digest: string, source: string): GatePolicy {
  const gate = file.gate ?? {}
  return {
    defaults: {
      failOn: gate['fail-on'] ?? DEFAULT_FAIL_ON,
      fixAvailableOnly: gate['fix-available-only'] ?? false,
      max: gate.max ?? {}
    },
    scanners: mapValues(gate.scanners, partial),
    categories: mapValues(gate.categories, partial),
    warnOnly: gate['warn-only'] ?? false,
    maxExceptionDays: gate['max-exception-days'] ?? DEFAULT_MAX_EXCEPTION_DAYS,
    upload: gate.upload ?? 'auto',
    comment: gate.comment ?? 'auto',
    exceptions: file.exceptions ?? [],
    k8sRules: file['k8s-policy']?.rules ?? {},
    digest,
    source
  }
}

/**
 * The policy of an absent file, as parsing an empty one gives it. Built without the YAML parser and the
 * schema: most runs have no policy file, and loading those two was most of an action's start-up.
 */
export function defaultPolicy(): GatePolicy {
  return resolvePolicy({}, EMPTY_POLICY_SHA256, BUILT_IN_POLICY)
}

/** Category settings win over scanner settings, which win over the defaults, field by field. */
export function thresholdsFor(policy: GatePolicy, scanner: string, category?: string): ResolvedThresholds {
  const byScanner = policy.scanners[scanner.toLowerCase()] ?? {}
  const byCategory = category ? (policy.categories[category.toLowerCase()] ?? {}) : {}
  return { ...policy.defaults, ...byScanner, ...byCategory }
}
