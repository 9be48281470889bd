import type { RuleMeta } from './types.js'

const PSS_URI = 'https://kubernetes.io/docs/concepts/security/pod-security-standards/'

const pss = (
  id: string,
  checkId: string,
  level: 'baseline' | 'restricted',
  since: string,
  title: string,
  help: string
): RuleMeta => ({
  id,
  groups: ['pod-security', level === 'baseline' ? 'pss-baseline' : 'pss-restricted'],
  title,
  help: `${help} (Pod Security Standards ${level}, check '${checkId}', policy ${since}+.)`,
  severity: level === 'baseline' ? 'high' : 'medium',
  helpUri: PSS_URI,
  pss: { checkId, level, since }
})

/** Every rule this action knows, in the order the README lists them. */
export const RULES: readonly RuleMeta[] = [
  {
    id: 'privileged-container',
    groups: ['seed'],
    title: 'Privileged container',
    help: 'A privileged container has every capability and all host devices; a compromise is a node compromise. Remove securityContext.privileged or set it to false; grant only the capabilities the process needs.',
    severity: 'high'
  },
  {
    id: 'image-disallowed-tag',
    groups: ['seed', 'images'],
    title: 'Image uses a disallowed tag such as latest',
    help: "A moving tag like 'latest' deploys whatever was pushed last, so the same manifest runs different code over time and rollbacks do not roll back. Pin a release tag (e.g. nginx:1.27.3) or, better, a digest (nginx@sha256:…).",
    severity: 'medium'
  },
  {
    id: 'image-untagged',
    groups: ['seed', 'images'],
    title: 'Image without a tag',
    help: "An image without a tag or digest is pulled as ':latest'. Add an explicit release tag or pin the digest (image@sha256:…).",
    severity: 'medium'
  },
  {
    id: 'resource-limits',
    groups: ['seed', 'resources'],
    title: 'Container without CPU/memory limits (or above the allowed maximum)',
    help: 'Without limits one container can starve its node (noisy neighbour, memory exhaustion). Set resources.limits.cpu and resources.limits.memory on every container and init container, within the configured maximum.',
    severity: 'medium'
  },
  {
    id: 'resource-requests',
    groups: ['seed', 'resources'],
    title: 'Container without CPU/memory requests',
    help: "Without requests the scheduler cannot place the pod sensibly and it gets BestEffort QoS (evicted first). Set resources.requests.cpu and resources.requests.memory; turn this off with 'require-requests: false'.",
    severity: 'low'
  },
  {
    id: 'allowed-registries',
    groups: ['images'],
    title: 'Image from a registry that is not allowed',
    help: "Images must come from the registries or repository paths listed in 'allowed-registries' (e.g. 'ghcr.io/my-org/': registry ghcr.io, repositories under my-org/; the reference is parsed, so 'ghcr.io' does not admit 'ghcr.io.evil.net/x'). Mirror the image into an allowed registry or add its registry or path to the list.",
    severity: 'high'
  },
  {
    id: 'image-digest',
    groups: ['images'],
    title: 'Image not pinned by digest',
    help: "'require-digest' is on: a tag can be re-pointed, a digest cannot. Reference the image as name@sha256:<digest> (you may keep the tag: name:1.2.3@sha256:<digest>).",
    severity: 'medium'
  },
  {
    id: 'required-probes',
    groups: ['probes'],
    title: 'Container without the required probes',
    help: "Long-running containers must declare the probes listed in 'required-probes' (default livenessProbe and readinessProbe) with a handler (httpGet, tcpSocket, exec or grpc), so Kubernetes restarts hung processes and routes traffic only to ready pods.",
    severity: 'low'
  },
  pss(
    'pss-host-namespaces',
    'hostNamespaces',
    'baseline',
    'v1.0',
    'Pod shares host namespaces',
    'Sharing the host network, PID or IPC namespace breaks pod isolation. Remove hostNetwork, hostPID and hostIPC or set them to false.'
  ),
  pss(
    'pss-privileged',
    'privileged',
    'baseline',
    'v1.0',
    'Privileged container (Pod Security Standards)',
    'Privileged containers disable most isolation. Remove securityContext.privileged or set it to false.'
  ),
  pss(
    'pss-capabilities-baseline',
    'capabilities_baseline',
    'baseline',
    'v1.0',
    'Container adds a capability beyond the default set',
    'Only AUDIT_WRITE, CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, MKNOD, NET_BIND_SERVICE, SETFCAP, SETGID, SETPCAP, SETUID and SYS_CHROOT may be added. Remove the other entries from securityContext.capabilities.add.'
  ),
  pss(
    'pss-host-path-volumes',
    'hostPathVolumes',
    'baseline',
    'v1.0',
    'hostPath volume',
    'hostPath volumes expose the node filesystem. Use a persistentVolumeClaim, configMap, secret or emptyDir instead.'
  ),
  pss(
    'pss-host-ports',
    'hostPorts',
    'baseline',
    'v1.0',
    'Container uses a hostPort',
    'hostPort binds a port on the node. Remove ports[].hostPort and expose the pod through a Service.'
  ),
  pss(
    'pss-apparmor',
    'appArmorProfile',
    'baseline',
    'v1.0',
    'AppArmor disabled',
    "Do not set appArmorProfile.type to Unconfined (or the container.apparmor.security.beta.kubernetes.io annotation to 'unconfined'); use RuntimeDefault or Localhost."
  ),
  pss(
    'pss-selinux',
    'seLinuxOptions',
    'baseline',
    'v1.0',
    'Custom SELinux options',
    'seLinuxOptions.type may only be container_t, container_init_t, container_kvm_t or container_engine_t (1.31+), and user/role must not be set. Remove the custom values.'
  ),
  pss(
    'pss-proc-mount',
    'procMount',
    'baseline',
    'v1.0',
    'Unmasked /proc mount',
    "securityContext.procMount must be unset or 'Default' (baseline allows other values for pods with hostUsers: false from 1.35)."
  ),
  pss(
    'pss-seccomp-baseline',
    'seccompProfile_baseline',
    'baseline',
    'v1.0',
    'Seccomp explicitly disabled',
    "Do not set seccompProfile.type to Unconfined (or the seccomp alpha annotations to 'unconfined' before 1.19); use RuntimeDefault or Localhost."
  ),
  pss(
    'pss-sysctls',
    'sysctls',
    'baseline',
    'v1.0',
    'Unsafe sysctl',
    'Only namespaced, isolated sysctls are allowed (kernel.shm_rmid_forced, net.ipv4.ip_local_port_range, net.ipv4.tcp_syncookies, net.ipv4.ping_group_range, net.ipv4.ip_unprivileged_port_start, and the later additions of the policy version). Remove the others from spec.securityContext.sysctls.'
  ),
  pss(
    'pss-windows-host-process',
    'windowsHostProcess',
    'baseline',
    'v1.0',
    'Windows HostProcess container',
    'HostProcess containers run with host access. Remove windowsOptions.hostProcess or set it to false.'
  ),
  pss(
    'pss-host-probes',
    'hostProbesAndHostLifecycle',
    'baseline',
    'v1.34',
    'Probe or lifecycle handler targets another host',
    'Probes and lifecycle hooks with a host can reach services on the node network. Remove httpGet.host / tcpSocket.host so they target the pod itself.'
  ),
  pss(
    'pss-restricted-volumes',
    'restrictedVolumes',
    'restricted',
    'v1.0',
    'Volume type not allowed by restricted',
    'Only configMap, csi, downwardAPI, emptyDir, ephemeral, image, persistentVolumeClaim, projected and secret volumes are allowed. Move the data behind a PersistentVolumeClaim.'
  ),
  pss(
    'pss-allow-privilege-escalation',
    'allowPrivilegeEscalation',
    'restricted',
    'v1.8',
    'Privilege escalation allowed',
    'Set securityContext.allowPrivilegeEscalation: false on every container, init container and ephemeral container (it defaults to true).'
  ),
  pss(
    'pss-run-as-non-root',
    'runAsNonRoot',
    'restricted',
    'v1.0',
    'Container may run as root',
    'Set securityContext.runAsNonRoot: true on the pod (or on every container) and build the image with a non-root USER.'
  ),
  pss(
    'pss-run-as-user',
    'runAsUser',
    'restricted',
    'v1.23',
    'Container runs as UID 0',
    'Do not set runAsUser: 0; use a non-zero UID.'
  ),
  pss(
    'pss-seccomp-restricted',
    'seccompProfile_restricted',
    'restricted',
    'v1.19',
    'Seccomp profile not set',
    'Set securityContext.seccompProfile.type: RuntimeDefault (or Localhost) on the pod or on every container.'
  ),
  pss(
    'pss-capabilities-restricted',
    'capabilities_restricted',
    'restricted',
    'v1.22',
    'Capabilities not dropped',
    'Set securityContext.capabilities.drop: ["ALL"] on every container; add back only NET_BIND_SERVICE if needed.'
  ),
  pss(
    'pss-proc-mount-restricted',
    'procMount_restricted',
    'restricted',
    'v1.35',
    'Unmasked /proc mount (restricted)',
    "securityContext.procMount must be unset or 'Default', also for pods with hostUsers: false."
  )
]

export const RULES_BY_ID: ReadonlyMap<string, RuleMeta> = new Map(RULES.map(rule => [rule.id, rule]))

export function ruleMeta(id: string): RuleMeta {
  const rule = RULES_BY_ID.get(id)
  if (!rule) throw new Error(`unknown k8s-policy rule ${id}`)
  return rule
}
