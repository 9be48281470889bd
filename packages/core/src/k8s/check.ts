import type { Logger } from '../runtime/logger.js'
import { byCodeUnits } from '../runtime/order.js'
import { evaluateObjects, type Violation } from './evaluate.js'
import type { K8sPolicyOptions } from './options.js'
import { isWorkload } from './pod-spec.js'
import { collectManifests, type CollectRequest, type StartedCollection } from './scan.js'
import type { ScanNote, ScanProblem, UncheckedFile } from './types.js'

export interface K8sPolicyReport {
  violations: Violation[]
  /** Violations per rule id, for the `by-rule` output and the summary. */
  byRule: Record<string, number>
  problems: ScanProblem[]
  notes: ScanNote[]
  /** Files that match `paths` and were not checked, with the reason. */
  unchecked: UncheckedFile[]
  files: string[]
  kustomizations: string[]
  objects: number
  workloads: number
}

export function countByRule(violations: readonly Violation[]): Record<string, number> {
  const counts: Record<string, number> = {}
  for (const v of violations) counts[v.ruleId] = (counts[v.ruleId] ?? 0) + 1
  // Rule ids are lower-case ASCII (rules/catalog.test.ts), where code-unit order is alphabetical order.
  return Object.fromEntries(Object.entries(counts).sort(([a], [b]) => byCodeUnits(a, b)))
}

/**
 * Collects every manifest in scope (from `started`, when discovery and kustomize were started earlier)
 * and evaluates it: the whole check minus the action's inputs and outputs.
 */
export async function checkKubernetesManifests(
  request: CollectRequest,
  options: K8sPolicyOptions,
  logger?: Logger,
  started?: StartedCollection
): Promise<K8sPolicyReport> {
  const collected = await collectManifests(request, started)
  const violations = evaluateObjects(collected.objects, options)
  const workloads = collected.objects.filter(isWorkload).length
  logger?.info(
    `Checked ${workloads} workload(s) among ${collected.objects.length} object(s) from ${collected.files.length} file(s)` +
      ` and ${collected.kustomizations.length} kustomization(s): ${violations.length} violation(s); ` +
      `${collected.unchecked.length} matching file(s) not checked.`
  )
  return {
    violations,
    byRule: countByRule(violations),
    problems: collected.problems,
    notes: collected.notes,
    unchecked: collected.unchecked,
    files: collected.files,
    kustomizations: collected.kustomizations,
    objects: collected.objects.length,
    workloads
  }
}
