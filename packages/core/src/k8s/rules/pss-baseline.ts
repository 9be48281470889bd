// The Baseline checks of the Kubernetes Pod Security Standards, with the semantics and versions of
// pod-security-admission's policy/check_*.go (each function notes the check id it mirrors).
import { asArray, asRecord, asString, type PodContext, type Rec } from '../pod-spec.js'
import type { YamlPath } from '../types.js'
import type { Offense } from './types.js'

export const containerSecurityContext = (container: Rec): Rec | undefined => asRecord(container.securityContext)
export const podSecurityContext = (pod: PodContext): Rec | undefined => asRecord(pod.spec.securityContext)
const podScPath = (pod: PodContext, ...rest: YamlPath): YamlPath => [...pod.specPath, 'securityContext', ...rest]

/** hostNamespaces: hostNetwork, hostPID and hostIPC must be unset or false. */
export function hostNamespaces(pod: PodContext): Offense[] {
  return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter(field => pod.spec[field] === true)
    .map(field => ({ path: [...pod.specPath, field], message: `${field}=true shares the node's namespace with the pod` }))
}

/** privileged: no container may set securityContext.privileged=true. */
export function privileged(pod: PodContext): Offense[] {
  return pod.containers
    .filter(c => containerSecurityContext(c.container)?.privileged === true)
    .map(c => ({
      path: [...c.path, 'securityContext', 'privileged'],
      message: `container '${c.name}' must not set securityContext.privileged=true`,
      container: c
    }))
}

const BASELINE_CAPABILITIES = new Set([
  'AUDIT_WRITE',
  'CHOWN',
  'DAC_OVERRIDE',
  'FOWNER',
  'FSETID',
  'KILL',
  'MKNOD',
  'NET_BIND_SERVICE',
  'SETFCAP',
  'SETGID',
  'SETPCAP',
  'SETUID',
  'SYS_CHROOT'
])

/** capabilities_baseline: capabilities.add may only name the 13 default container capabilities. */
export function capabilitiesBaseline(pod: PodContext): Offense[] {
  const out: Offense[] = []
  for (const c of pod.containers) {
    const add = asArray(asRecord(containerSecurityContext(c.container)?.capabilities)?.add)
    add.forEach((capability, i) => {
      if (typeof capability === 'string' && BASELINE_CAPABILITIES.has(capability)) return
      out.push({
        path: [...c.path, 'securityContext', 'capabilities', 'add', i],
        message: `container '${c.name}' must not add capability ${String(capability)}`,
        container: c
      })
    })
  }
  return out
}

/** hostPathVolumes: no hostPath volumes. */
export function hostPathVolumes(pod: PodContext): Offense[] {
  const out: Offense[] = []
  asArray(pod.spec.volumes).forEach((entry, i) => {
    const volume = asRecord(entry)
    if (volume?.hostPath === undefined || volume.hostPath === null) return
    out.push({
      path: [...pod.specPath, 'volumes', i, 'hostPath'],
      message: `volume '${asString(volume.name) ?? i}' must not use hostPath`
    })
  })
  return out
}

/** hostPorts: no container port may set a non-zero hostPort. */
export function hostPorts(pod: PodContext): Offense[] {
  const out: Offense[] = []
  for (const c of pod.containers) {
    asArray(c.container.ports).forEach((entry, i) => {
      const hostPort = asRecord(entry)?.hostPort
      if (hostPort === undefined || hostPort === null || hostPort === 0) return
      out.push({
        path: [...c.path, 'ports', i, 'hostPort'],
        message: `container '${c.name}' must not set hostPort ${String(hostPort)}`,
        container: c
      })
    })
  }
  return out
}

const APPARMOR_ANNOTATION_PREFIX = 'container.apparmor.security.beta.kubernetes.io/'
const allowedAppArmorType = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost'
const allowedAppArmorAnnotation = (value: unknown) =>
  typeof value === 'string' && (value === '' || value === 'runtime/default' || value.startsWith('localhost/'))

/** appArmorProfile: the field (pod and containers) and the beta annotations may not select unconfined. */
export function appArmorProfile(pod: PodContext): Offense[] {
  const out: Offense[] = []
  const podProfile = asRecord(podSecurityContext(pod)?.appArmorProfile)
  if (podProfile && !allowedAppArmorType(podProfile.type)) {
    out.push({ path: podScPath(pod, 'appArmorProfile', 'type'), message: `pod must not set appArmorProfile.type to ${String(podProfile.type)}` })
  }
  for (const c of pod.containers) {
    const profile = asRecord(containerSecurityContext(c.container)?.appArmorProfile)
    if (profile && !allowedAppArmorType(profile.type)) {
      out.push({
        path: [...c.path, 'securityContext', 'appArmorProfile', 'type'],
        message: `container '${c.name}' must not set appArmorProfile.type to ${String(profile.type)}`,
        container: c
      })
    }
  }
  const annotations = asRecord(pod.metadata.annotations) ?? {}
  for (const [key, value] of Object.entries(annotations)) {
    if (key.startsWith(APPARMOR_ANNOTATION_PREFIX) && !allowedAppArmorAnnotation(value)) {
      out.push({ path: [...pod.metadataPath, 'annotations', key], message: `annotation ${key}=${String(value)} disables AppArmor` })
    }
  }
  return out
}

const SELINUX_TYPES_1_0 = ['', 'container_t', 'container_init_t', 'container_kvm_t']
const SELINUX_TYPES_1_31 = [...SELINUX_TYPES_1_0, 'container_engine_t']

/** seLinuxOptions: type from the allowed set (container_engine_t from 1.31), user and role unset. */
export function seLinuxOptions(since: number) {
  const allowed = new Set(since >= 31 ? SELINUX_TYPES_1_31 : SELINUX_TYPES_1_0)
  const problems = (options: Rec, base: YamlPath, who: string): Offense[] => {
    const out: Offense[] = []
    const type = options.type ?? ''
    if (typeof type !== 'string' || !allowed.has(type)) {
      out.push({ path: [...base, 'type'], message: `${who} must not set seLinuxOptions.type to ${String(type)}` })
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
      const found = problems(options, [...c.path, 'securityContext', 'seLinuxOptions'], `container '${c.name}'`)
      out.push(...found.map(o => ({ ...o, container: c })))
    }
    return out
  }
}

/** A pod in its own user namespace (hostUsers: false); some checks are relaxed for it from 1.35. */
export const usesUserNamespace = (pod: PodContext) => pod.spec.hostUsers === false

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
  typeof value === 'string' && (value === 'runtime/default' || value === 'docker/default' || value.startsWith('localhost/'))
export const validSeccompType = (type: unknown) => type === 'RuntimeDefault' || type === 'Localhost'

/** seccompProfile_baseline before 1.19: the alpha annotations must not select unconfined. */
export function seccompBaselineAnnotations(pod: PodContext): Offense[] {
  const annotations = asRecord(pod.metadata.annotations) ?? {}
  const out: Offense[] = []
  const check = (key: string) => {
    if (key in annotations && !validSeccompAnnotation(annotations[key])) {
      out.push({ path: [...pod.metadataPath, 'annotations', key], message: `annotation ${key}=${String(annotations[key])} disables seccomp` })
    }
  }
  check(SECCOMP_POD_ANNOTATION)
  for (const c of pod.containers) check(SECCOMP_CONTAINER_ANNOTATION_PREFIX + c.name)
  return out
}

/** seccompProfile_baseline from 1.19: a seccompProfile that is set must be RuntimeDefault or Localhost. */
export function seccompBaselineFields(pod: PodContext): Offense[] {
  const out: Offense[] = []
  const podProfile = asRecord(podSecurityContext(pod)?.seccompProfile)
  if (podProfile && !validSeccompType(podProfile.type)) {
    out.push({ path: podScPath(pod, 'seccompProfile', 'type'), message: `pod must not set seccompProfile.type to ${String(podProfile.type)}` })
  }
  for (const c of pod.containers) {
    const profile = asRecord(containerSecurityContext(c.container)?.seccompProfile)
    if (profile && !validSeccompType(profile.type)) {
      out.push({
        path: [...c.path, 'securityContext', 'seccompProfile', 'type'],
        message: `container '${c.name}' must not set seccompProfile.type to ${String(profile.type)}`,
        container: c
      })
    }
  }
  return out
}

const SYSCTLS_BY_VERSION: { since: number; names: string[] }[] = [
  {
    since: 0,
    names: [
      'kernel.shm_rmid_forced',
      'net.ipv4.ip_local_port_range',
      'net.ipv4.tcp_syncookies',
      'net.ipv4.ping_group_range',
      'net.ipv4.ip_unprivileged_port_start'
    ]
  },
  { since: 27, names: ['net.ipv4.ip_local_reserved_ports'] },
  {
    since: 29,
    names: ['net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout', 'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes']
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] }
]

export const SYSCTL_VERSIONS = SYSCTLS_BY_VERSION.map(entry => entry.since)

/** sysctls: only the namespaced, isolated "safe" sysctls of the policy version. */
export function sysctls(since: number) {
  const allowed = new Set(SYSCTLS_BY_VERSION.filter(entry => entry.since <= since).flatMap(entry => entry.names))
  return (pod: PodContext): Offense[] => {
    const out: Offense[] = []
    asArray(podSecurityContext(pod)?.sysctls).forEach((entry, i) => {
      const name = asRecord(entry)?.name
      if (typeof name === 'string' && allowed.has(name)) return
      out.push({ path: podScPath(pod, 'sysctls', i, 'name'), message: `sysctl ${String(name)} is not in the safe set` })
    })
    return out
  }
}

/** windowsHostProcess: windowsOptions.hostProcess must not be true on the pod or any container. */
export function windowsHostProcess(pod: PodContext): Offense[] {
  const out: Offense[] = []
  if (asRecord(podSecurityContext(pod)?.windowsOptions)?.hostProcess === true) {
    out.push({ path: podScPath(pod, 'windowsOptions', 'hostProcess'), message: 'pod must not set windowsOptions.hostProcess=true' })
  }
  for (const c of pod.containers) {
    if (asRecord(containerSecurityContext(c.container)?.windowsOptions)?.hostProcess === true) {
      out.push({
        path: [...c.path, 'securityContext', 'windowsOptions', 'hostProcess'],
        message: `container '${c.name}' must not set windowsOptions.hostProcess=true`,
        container: c
      })
    }
  }
  return out
}

/** hostProbesAndHostLifecycle (1.34+): probes and lifecycle handlers may not target another host. */
export function hostProbesAndLifecycle(pod: PodContext): Offense[] {
  const out: Offense[] = []
  for (const c of pod.containers) {
    const handlers: [YamlPath, unknown][] = [
      ...(['livenessProbe', 'readinessProbe', 'startupProbe'] as const).map(
        p => [[p], c.container[p]] as [YamlPath, unknown]
      ),
      ...(['postStart', 'preStop'] as const).map(
        h => [['lifecycle', h], asRecord(c.container.lifecycle)?.[h]] as [YamlPath, unknown]
      )
    ]
    for (const [base, handler] of handlers) {
      for (const kind of ['httpGet', 'tcpSocket'] as const) {
        const host = asRecord(asRecord(handler)?.[kind])?.host
        if (typeof host === 'string' && host !== '') {
          out.push({
            path: [...c.path, ...base, kind, 'host'],
            message: `container '${c.name}' must not set ${[...base, kind].join('.')}.host (${host})`,
            container: c
          })
        }
      }
    }
  }
  return out
}
