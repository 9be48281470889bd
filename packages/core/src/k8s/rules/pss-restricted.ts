// The Restricted checks of the Kubernetes Pod Security Standards, with the semantics and versions of
// pod-security-admission's policy/check_*.go.
import { asArray, asRecord, asString, type PodContext } from '../pod-spec.js'
import {
  containerSecurityContext,
  podSecurityContext,
  usesUserNamespace,
  validSeccompType
} from './pss-helpers.js'
import type { Offense } from './types.js'

/** From policy 1.25 some Linux-only controls skip pods that declare `spec.os.name: windows`. */
const isWindowsPod = (pod: PodContext) => asRecord(pod.spec.os)?.name === 'windows'

export const ALLOWED_VOLUME_SOURCES: readonly string[] = [
  'configMap',
  'csi',
  'downwardAPI',
  'emptyDir',
  'ephemeral',
  'image',
  'persistentVolumeClaim',
  'projected',
  'secret'
]

/** restrictedVolumes: only the nine volume types that cannot reach the node. */
export function restrictedVolumes(pod: PodContext): Offense[] {
  const out: Offense[] = []
  asArray(pod.spec.volumes).forEach((entry, i) => {
    const volume = asRecord(entry) ?? {}
    const sources = Object.keys(volume).filter(
      key => key !== 'name' && volume[key] !== null && volume[key] !== undefined
    )
    // The API server defaults a volume without a source to emptyDir.
    if (sources.length === 0 || sources.some(source => ALLOWED_VOLUME_SOURCES.includes(source))) return
    out.push({
      path: [...pod.specPath, 'volumes', i, sources[0] ?? 'name'],
      message: `volume '${asString(volume.name) ?? i}' uses a restricted volume type (${sources.join(', ')})`
    })
  })
  return out
}

/** allowPrivilegeEscalation (1.8+): every container must set it to false explicitly (windows pods exempt from 1.25). */
export function allowPrivilegeEscalation(exemptWindows: boolean) {
  return (pod: PodContext): Offense[] => {
    if (exemptWindows && isWindowsPod(pod)) return []
    return pod.containers.flatMap(c => {
      const sc = containerSecurityContext(c.container)
      if (sc?.allowPrivilegeEscalation === false) return []
      const explicit = sc?.allowPrivilegeEscalation !== undefined
      return [
        {
          path: explicit
            ? [...c.path, 'securityContext', 'allowPrivilegeEscalation']
            : [...c.path, sc ? 'securityContext' : 'name'],
          message: `container '${c.name}' must set securityContext.allowPrivilegeEscalation=false`,
          container: c
        }
      ]
    })
  }
}

/** runAsNonRoot: true at pod level or on every container, false nowhere (skipped for user-namespace pods from 1.35). */
export function runAsNonRoot(relaxForUserNamespaces: boolean) {
  return (pod: PodContext): Offense[] => {
    if (relaxForUserNamespaces && usesUserNamespace(pod)) return []
    const out: Offense[] = []
    const podValue = podSecurityContext(pod)?.runAsNonRoot
    if (podValue === false) {
      out.push({
        path: [...pod.specPath, 'securityContext', 'runAsNonRoot'],
        message: 'pod must not set securityContext.runAsNonRoot=false'
      })
    }
    for (const c of pod.containers) {
      const sc = containerSecurityContext(c.container)
      const value = sc?.runAsNonRoot
      if (value === false) {
        out.push({
          path: [...c.path, 'securityContext', 'runAsNonRoot'],
          message: `container '${c.name}' must not set securityContext.runAsNonRoot=false`,
          container: c
        })
      } else if ((value === undefined || value === null) && podValue !== true) {
        out.push({
          path: [...c.path, sc ? 'securityContext' : 'name'],
          message: `container '${c.name}' must set securityContext.runAsNonRoot=true (on the container or the pod)`,
          container: c
        })
      }
    }
    return out
  }
}

/** runAsUser (1.23+): UID 0 may not be set on the pod or any container (skipped for user-namespace pods from 1.35). */
export function runAsUser(relaxForUserNamespaces: boolean) {
  return (pod: PodContext): Offense[] => {
    if (relaxForUserNamespaces && usesUserNamespace(pod)) return []
    const out: Offense[] = []
    if (podSecurityContext(pod)?.runAsUser === 0) {
      out.push({
        path: [...pod.specPath, 'securityContext', 'runAsUser'],
        message: 'pod must not set securityContext.runAsUser=0'
      })
    }
    for (const c of pod.containers) {
      if (containerSecurityContext(c.container)?.runAsUser === 0) {
        out.push({
          path: [...c.path, 'securityContext', 'runAsUser'],
          message: `container '${c.name}' must not set securityContext.runAsUser=0`,
          container: c
        })
      }
    }
    return out
  }
}

/** seccompProfile_restricted (1.19+): RuntimeDefault or Localhost on the pod or every container (windows exempt from 1.25). */
export function seccompRestricted(exemptWindows: boolean) {
  return (pod: PodContext): Offense[] => {
    if (exemptWindows && isWindowsPod(pod)) return []
    const out: Offense[] = []
    const podProfile = asRecord(podSecurityContext(pod)?.seccompProfile)
    let podSet = false
    if (podProfile) {
      if (validSeccompType(podProfile.type)) podSet = true
      else
        out.push({
          path: [...pod.specPath, 'securityContext', 'seccompProfile', 'type'],
          message: `pod must not set seccompProfile.type to ${String(podProfile.type)}`
        })
    }
    for (const c of pod.containers) {
      const sc = containerSecurityContext(c.container)
      const profile = asRecord(sc?.seccompProfile)
      if (profile) {
        if (!validSeccompType(profile.type)) {
          out.push({
            path: [...c.path, 'securityContext', 'seccompProfile', 'type'],
            message: `container '${c.name}' must not set seccompProfile.type to ${String(profile.type)}`,
            container: c
          })
        }
      } else if (!podSet) {
        out.push({
          path: [...c.path, sc ? 'securityContext' : 'name'],
          message: `container '${c.name}' must set securityContext.seccompProfile.type to RuntimeDefault or Localhost (on the container or the pod)`,
          container: c
        })
      }
    }
    return out
  }
}

/** capabilities_restricted (1.22+): drop ALL, add nothing but NET_BIND_SERVICE (windows exempt from 1.25). */
export function capabilitiesRestricted(exemptWindows: boolean) {
  return (pod: PodContext): Offense[] => {
    if (exemptWindows && isWindowsPod(pod)) return []
    const out: Offense[] = []
    for (const c of pod.containers) {
      const sc = containerSecurityContext(c.container)
      const capabilities = asRecord(sc?.capabilities)
      const base = [...c.path, 'securityContext']
      if (!asArray(capabilities?.drop).includes('ALL')) {
        out.push({
          path: capabilities ? [...base, 'capabilities'] : sc ? base : [...c.path, 'name'],
          message: `container '${c.name}' must set securityContext.capabilities.drop=["ALL"]`,
          container: c
        })
      }
      asArray(capabilities?.add).forEach((capability, i) => {
        if (capability === 'NET_BIND_SERVICE') return
        out.push({
          path: [...base, 'capabilities', 'add', i],
          message: `container '${c.name}' must not add capability ${String(capability)} (only NET_BIND_SERVICE)`,
          container: c
        })
      })
    }
    return out
  }
}
