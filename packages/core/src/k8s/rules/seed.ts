// The seed rules: no privileged containers, no latest/untagged images, CPU and memory limits
// (and requests). Semantics follow the gatekeeper-library policies they correspond to.
import { asRecord, type ContainerRef, type PodContext } from '../pod-spec.js'
import { isExempt } from '../../images/reference.js'
import { parseQuantity } from '../quantity.js'
import type { Offense } from './types.js'

export interface SeedOptions {
  /** Tags that may not be used (gatekeeper K8sDisallowedTags `tags`). */
  disallowedTags: readonly string[]
  /** Images skipped by the privileged, tag and resource rules (exact, or prefix when ending in `*`). */
  exemptImages: readonly string[]
  limits: { cpu: boolean; memory: boolean; maxCpu?: string; maxMemory?: string }
  requests: { cpu: boolean; memory: boolean }
}

const exempt = (c: ContainerRef, options: SeedOptions) => isExempt(c.image, options.exemptImages)

/** privileged-container (gatekeeper K8sPSPPrivilegedContainer): containers, init and ephemeral. */
export function privilegedContainer(pod: PodContext, options: SeedOptions): Offense[] {
  return pod.containers
    .filter(c => !exempt(c, options) && asRecord(c.container.securityContext)?.privileged === true)
    .map(c => ({
      path: [...c.path, 'securityContext', 'privileged'],
      message: `${c.field.slice(0, -1)} '${c.name}' runs privileged`,
      container: c
    }))
}

/** image-disallowed-tag (gatekeeper K8sDisallowedTags): the image ends with `:<tag>` for a disallowed tag. */
export function disallowedTag(pod: PodContext, options: SeedOptions): Offense[] {
  return pod.containers.flatMap(c => {
    if (c.image === undefined || exempt(c, options)) return []
    const image = c.image
    const tag = options.disallowedTags.find(t => image.endsWith(`:${t}`))
    if (tag === undefined) return []
    return [
      {
        path: [...c.path, 'image'],
        message: `${c.field.slice(0, -1)} '${c.name}' uses disallowed tag '${tag}' (${image})`,
        container: c
      }
    ]
  })
}

/** image-untagged (gatekeeper K8sDisallowedTags): the last path segment has no `:` (no tag, no digest). */
export function untaggedImage(pod: PodContext, options: SeedOptions): Offense[] {
  return pod.containers.flatMap(c => {
    if (c.image === undefined || exempt(c, options)) return []
    const last = c.image.split('/').pop() ?? ''
    if (last.includes(':')) return []
    return [
      {
        path: [...c.path, 'image'],
        message: `${c.field.slice(0, -1)} '${c.name}' image '${c.image}' has no tag`,
        container: c
      }
    ]
  })
}

const missing = (value: unknown) => value === undefined || value === null || value === ''
const cpuOf = (value: unknown) => parseQuantity(value)
const memoryOf = (value: unknown) => parseQuantity(value)

/**
 * resource-limits (gatekeeper K8sContainerLimits): containers and init containers (ephemeral containers
 * cannot set resources) need parseable cpu and memory limits, no higher than the configured maximum.
 */
export function resourceLimits(pod: PodContext, options: SeedOptions): Offense[] {
  const out: Offense[] = []
  const maxCpu = options.limits.maxCpu === undefined ? undefined : cpuOf(options.limits.maxCpu)
  const maxMemory = options.limits.maxMemory === undefined ? undefined : memoryOf(options.limits.maxMemory)
  for (const c of pod.containers) {
    if (c.field === 'ephemeralContainers' || exempt(c, options)) continue
    const who = `${c.field.slice(0, -1)} '${c.name}'`
    const resources = asRecord(c.container.resources)
    const limits = asRecord(resources?.limits)
    if (!limits) {
      out.push({
        path: [...c.path, resources ? 'resources' : 'name'],
        message: `${who} has no resource limits`,
        container: c
      })
      continue
    }
    const base = [...c.path, 'resources', 'limits']
    const checks = [
      { key: 'cpu', on: options.limits.cpu, parse: cpuOf, max: maxCpu, maxText: options.limits.maxCpu },
      {
        key: 'memory',
        on: options.limits.memory,
        parse: memoryOf,
        max: maxMemory,
        maxText: options.limits.maxMemory
      }
    ]
    for (const check of checks) {
      if (!check.on) continue
      const value = limits[check.key]
      if (missing(value)) {
        out.push({ path: base, message: `${who} has no ${check.key} limit`, container: c })
        continue
      }
      const parsed = check.parse(value)
      if (parsed === undefined) {
        out.push({
          path: [...base, check.key],
          message: `${who} ${check.key} limit '${String(value)}' could not be parsed`,
          container: c
        })
      } else if (check.max !== undefined && parsed > check.max) {
        out.push({
          path: [...base, check.key],
          message: `${who} ${check.key} limit ${String(value)} is higher than the maximum allowed of ${check.maxText}`,
          container: c
        })
      }
    }
  }
  return out
}

/** resource-requests: containers and init containers need cpu and memory requests. */
export function resourceRequests(pod: PodContext, options: SeedOptions): Offense[] {
  const out: Offense[] = []
  for (const c of pod.containers) {
    if (c.field === 'ephemeralContainers' || exempt(c, options)) continue
    const resources = asRecord(c.container.resources)
    const requests = asRecord(resources?.requests)
    for (const key of ['cpu', 'memory'] as const) {
      if (!options.requests[key] || !missing(requests?.[key])) continue
      const path = requests
        ? [...c.path, 'resources', 'requests']
        : [...c.path, resources ? 'resources' : 'name']
      out.push({ path, message: `${c.field.slice(0, -1)} '${c.name}' has no ${key} request`, container: c })
    }
  }
  return out
}
