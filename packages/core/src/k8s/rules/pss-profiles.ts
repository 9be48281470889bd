// Baseline checks of the Kubernetes Pod Security Standards on security profiles (AppArmor, SELinux,
// /proc mount, seccomp), with the semantics and versions of pod-security-admission's policy/check_*.go.
import { asRecord, type PodContext, type Rec } from '../pod-spec.js'
import type { YamlPath } from '../types.js'
import {
  containerSecurityContext,
  podScPath,
  podSecurityContext,
  usesUserNamespace,
  validSeccompType
} from './pss-helpers.js'
import type { Offense } from './types.js'

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'
const allowedAppArmorType = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost'
const allowedAppArmorAnnotation = (value: unknown) =>
  typeof value === 'string' && (value === '' || value === 'runtime/default' || value.startsWith('localhost/'))

/** A `<field>.type` set on the pod or any container must be one the check allows. */
function profileTypeOffenses(
  pod: PodContext,
  field: 'appArmorProfile' | 'seccompProfile',
  allowed: (type: unknown) => boolean
): Offense[] {
  const out: Offense[] = []
  const podProfile = asRecord(podSecurityContext(pod)?.[field])
  if (podProfile && !allowed(podProfile.type)) {
    out.push({ path: podScPath(pod, field, 'type'), message: `pod must not set ${field}.type to ${String(podProfile.type)}` })
  }
  for (const c of pod.containers) {
    const profile = asRecord(containerSecurityContext(c.container)?.[field])
    if (profile && !allowed(profile.type)) {
      out.push({
        path: [...c.path, 'securityContext', field, 'type'],
        message: `container '${c.name}' must not set ${field}.type to ${String(profile.type)}`,
        container: c
      })
    }
  }
  return out
}

/** appArmorProfile: the field (pod and containers) and the beta annotations may not select unconfined. */
export function appArmorProfile(pod: PodContext): Offense[] {
  const out = profileTypeOffenses(pod, 'appArmorProfile', allowedAppArmorType)
  const annotations = asRecord(pod.metadata.annotations) ?? {}
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(value)) {
      out.push({
        path: [...pod.metadataPath, 'annotations', key],
        message: `annotation ${key}=${String(value)} disables AppArmor`
      })
    }
  }
  return out
}

export const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t']
export const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t']

/** seLinuxOptions: type from the allowed set (container_engine_t from 1.31), user and role unset. */
export function seLinuxOptions(since: number) {
  const allowed = new Set(since >= 31 ? SELINUX_TYPES_1_31 : SELINUX_TYPES_1_0)
  const problems = (options: Rec, base: YamlPath, who: string): Offense[] => {
    const out: Offense[] = []
    const type = options.type ?? ''
    if (typeof type !== 'string' || !allowed.has(type)) {
      out.push({
        path: [...base, 'type'],
        message: `${who} must not set seLinuxOptions.type to ${String(type)}`
      })
    }
    for (const field of ['user', 'role'] as const) {
      const value = options[field]
      if (typeof value === 'string' && value.length > 0) {
        out.push({ path: [...base, field], message: `${who} must not set seLinuxOptions.${field}` })
      }
    }
    return out
  }
  return (pod: PodContext): Offense[] => {
    const out: Offense[] = []
    const podOptions = asRecord(podSecurityContext(pod)?.seLinuxOptions)
    if (podOptions) out.push(...problems(podOptions, podScPath(pod, 'seLinuxOptions'), 'pod'))
    for (const c of pod.containers) {
      const options = asRecord(containerSecurityContext(c.container)?.seLinuxOptions)
      if (!options) continue
      const found = problems(
        options,
        [...c.path, 'securityContext', 'seLinuxOptions'],
        `container '${c.name}'`
      )
      out.push(...found.map(o => ({ ...o, container: c })))
    }
    return out
  }
}

/** procMount: securityContext.procMount must be unset or Default (baseline relaxes it for user-namespace pods from 1.35). */
export function procMount(relaxForUserNamespaces: boolean) {
  return (pod: PodContext): Offense[] => {
    if (relaxForUserNamespaces && usesUserNamespace(pod)) return []
    return pod.containers.flatMap(c => {
      const value = containerSecurityContext(c.container)?.procMount
      if (value === undefined || value === null || value === 'Default') return []
      return [
        {
          path: [...c.path, 'securityContext', 'procMount'],
          message: `container '${c.name}' must not set securityContext.procMount to ${String(value)}`,
          container: c
        }
      ]
    })
  }
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod'
const SECCOMP_CONTAINER_ANNOTATION_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/'
const validSeccompAnnotation = (value: unknown) =>
  typeof value === 'string' &&
  (value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/'))

/** seccompProfile_baseline before 1.19: the alpha annotations must not select unconfined. */
export function seccompBaselineAnnotations(pod: PodContext): Offense[] {
  const annotations = asRecord(pod.metadata.annotations) ?? {}
  const out: Offense[] = []
  const check = (key: string) => {
    if (key in annotations && !validSeccompAnnotation(annotations[key])) {
      out.push({
        path: [...pod.metadataPath, 'annotations', key],
        message: `annotation ${key}=${String(annotations[key])} disables seccomp`
      })
    }
  }
  check(SECCOMP_POD_ANNOTATION)
  for (const c of pod.containers) check(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)
  return out
}

/** seccompProfile_baseline from 1.19: a seccompProfile that is set must be RuntimeDefault or Localhost. */
export function seccompBaselineFields(pod: PodContext): Offense[] {
  return profileTypeOffenses(pod, 'seccompProfile', validSeccompType)
}
