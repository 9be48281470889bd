import { asRecord, SERVING_KINDS, type PodContext } from '../pod-spec.js'
import type { Offense } from './types.js'

export interface ProbeOptions {
  /** Probe fields each container must have, e.g. livenessProbe, readinessProbe. */
  required: readonly string[]
  /** A probe counts only if it has one of these handlers. */
  handlers: readonly string[]
}

/** The probe fields of a container, in the order the API documents them. */
export const PROBE_FIELDS = ['livenessProbe', 'readinessProbe', 'startupProbe'] as const

export const DEFAULT_PROBE_HANDLERS = ['httpGet', 'tcpSocket', 'exec', 'grpc']

/**
 * required-probes (gatekeeper K8sRequiredProbes): app containers of long-running workloads need each
 * required probe with a handler. Jobs and CronJobs run to completion and are not checked.
 */
export function requiredProbes(pod: PodContext, options: ProbeOptions): Offense[] {
  if (!SERVING_KINDS.has(pod.workloadKind)) return []
  const out: Offense[] = []
  for (const c of pod.containers) {
    if (c.field !== 'containers') continue
    for (const probe of options.required) {
      const value = asRecord(c.container[probe])
      const handled =
        value !== undefined &&
        options.handlers.some(h => value[h] !== undefined && value[h] !== null && value[h] !== false)
      if (handled) continue
      out.push({
        path: [...c.path, probe in c.container ? probe : 'name'],
        message: `container '${c.name}' has no ${probe}${value ? ' handler' : ''}`,
        container: c
      })
    }
  }
  return out
}
