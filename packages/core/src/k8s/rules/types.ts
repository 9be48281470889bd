import type { Severity } from '../../findings/finding.js'
import type { ContainerRef } from '../pod-spec.js'
import type { YamlPath } from '../types.js'

export const RULE_GROUPS = [
  'seed',
  'images',
  'resources',
  'probes',
  'pod-security',
  'pss-baseline',
  'pss-restricted'
] as const
export type RuleGroup = (typeof RULE_GROUPS)[number]

export interface RuleMeta {
  id: string
  groups: RuleGroup[]
  title: string
  /** Plain text: what is wrong and how to fix it. */
  help: string
  severity: Severity
  helpUri?: string
  /** For Pod Security Standards rules: the pod-security-admission check this rule implements. */
  pss?: { checkId: string; level: 'baseline' | 'restricted'; since: string }
}

/** One offending field, relative to the manifest object. */
export interface Offense {
  path: YamlPath
  message: string
  container?: ContainerRef
}

export interface RuleViolation extends Offense {
  ruleId: string
}
