// The Baseline checks of the Pod Security Standards on host access (namespaces, privileged, capabilities,
// hostPath, ports, sysctls, HostProcess, probe hosts), with the semantics and versions of
// pod-security-admission's policy/check_*.go (each function notes the check id it mirrors).
import { asArray, asRecord, asString, type PodContext } from '../pod-spec.js'
import type { YamlPath } from '../types.js'
import { containerSecurityContext, podScPath, podSecurityContext } from './pss-helpers.js'
import type { Offense } from './types.js'

/** hostNamespaces: hostNetwork, hostPID and hostIPC must be unset or false. */
export function hostNamespaces(pod: PodContext): Offense[] {
  return (['hostNetwork', 'hostPID', 'hostIPC'] as const)
    .filter(field => pod.spec[field] === true)
    .map(field => ({
      path: [...pod.specPath, field],
      message: `${field}=true shares the node's namespace with the pod`
    }))
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

/** The capabilities baseline lets a container add: the container runtime's defaults. */
export const BASELINE_CAPABILITIES: ReadonlySet<string> = new Set([
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
    names: [
      'net.ipv4.tcp_keepalive_time',
      'net.ipv4.tcp_fin_timeout',
      'net.ipv4.tcp_keepalive_intvl',
      'net.ipv4.tcp_keepalive_probes'
    ]
  },
  { since: 32, names: ['net.ipv4.tcp_rmem', 'net.ipv4.tcp_wmem'] },
  { since: 37, names: ['net.ipv4.tcp_slow_start_after_idle', 'net.ipv4.tcp_notsent_lowat'] }
]

export const SYSCTL_VERSIONS = SYSCTLS_BY_VERSION.map(entry => entry.since)

/** The safe sysctls of the revision that starts at `since`. */
export const safeSysctls = (since: number): string[] =>
  SYSCTLS_BY_VERSION.filter(entry => entry.since <= since).flatMap(entry => entry.names)

/** sysctls: only the namespaced, isolated "safe" sysctls of the policy version. */
export function sysctls(since: number) {
  const allowed = new Set(safeSysctls(since))
  return (pod: PodContext): Offense[] => {
    const out: Offense[] = []
    asArray(podSecurityContext(pod)?.sysctls).forEach((entry, i) => {
      const name = asRecord(entry)?.name
      if (typeof name === 'string' && allowed.has(name)) return
      out.push({
        path: podScPath(pod, 'sysctls', i, 'name'),
        message: `sysctl ${String(name)} is not in the safe set`
      })
    })
    return out
  }
}

/** windowsHostProcess: windowsOptions.hostProcess must not be true on the pod or any container. */
export function windowsHostProcess(pod: PodContext): Offense[] {
  const out: Offense[] = []
  if (asRecord(podSecurityContext(pod)?.windowsOptions)?.hostProcess === true) {
    out.push({
      path: podScPath(pod, 'windowsOptions', 'hostProcess'),
      message: 'pod must not set windowsOptions.hostProcess=true'
    })
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
