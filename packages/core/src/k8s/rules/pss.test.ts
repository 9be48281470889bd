import { describe, expect, it } from '@jest/globals'
import { pod, podFrom } from '../../../../../test/support/k8s-pods.js'
import { evaluatePodSecurity, pssChecksFor } from './pss.js'
import { LATEST_PSS_VERSION, parsePssVersion } from './pss-version.js'

const restrictedOk = [
  '  securityContext:',
  '    runAsNonRoot: true',
  '    seccompProfile: {type: RuntimeDefault}',
  '  containers:',
  '    - name: c',
  '      image: a:1',
  '      securityContext:',
  '        allowPrivilegeEscalation: false',
  '        capabilities: {drop: [ALL]}'
]
const ids = (yaml: string, level: 'baseline' | 'restricted', version: number) =>
  evaluatePodSecurity(podFrom(yaml), level, version).map(v => v.ruleId)

describe('Pod Security Standards by version', () => {
  it('parses policy versions like the admission label and clamps newer ones', () => {
    expect(parsePssVersion('v1.25')).toBe(25)
    expect(parsePssVersion('1.30')).toBe(30)
    expect(parsePssVersion('latest')).toBe(LATEST_PSS_VERSION)
    expect(parsePssVersion('v1.99')).toBe(LATEST_PSS_VERSION)
    expect(() => parsePssVersion('v2.0')).toThrow(/'version' must be 'latest' or a Kubernetes minor version/)
  })

  it('a restricted-clean pod passes at every version', () => {
    for (let v = 0; v <= LATEST_PSS_VERSION; v++)
      expect(ids(pod(restrictedOk.join('\n') + '\n'), 'restricted', v)).toEqual([])
  })

  it('widens the safe sysctls at 1.27, 1.29, 1.32 and 1.37', () => {
    const withSysctl = (name: string) =>
      pod(
        `  securityContext:\n    sysctls: [{name: ${name}, value: "1"}]\n  containers: [{name: c, image: a:1}]\n`
      )
    expect(ids(withSysctl('net.ipv4.ip_local_reserved_ports'), 'baseline', 26)).toEqual(['pss-sysctls'])
    expect(ids(withSysctl('net.ipv4.ip_local_reserved_ports'), 'baseline', 27)).toEqual([])
    expect(ids(withSysctl('net.ipv4.tcp_keepalive_time'), 'baseline', 28)).toEqual(['pss-sysctls'])
    expect(ids(withSysctl('net.ipv4.tcp_keepalive_time'), 'baseline', 29)).toEqual([])
    expect(ids(withSysctl('net.ipv4.tcp_rmem'), 'baseline', 31)).toEqual(['pss-sysctls'])
    expect(ids(withSysctl('net.ipv4.tcp_rmem'), 'baseline', 32)).toEqual([])
    expect(ids(withSysctl('net.ipv4.tcp_notsent_lowat'), 'baseline', 36)).toEqual(['pss-sysctls'])
    expect(ids(withSysctl('net.ipv4.tcp_notsent_lowat'), 'baseline', 37)).toEqual([])
    expect(ids(withSysctl('kernel.msgmax'), 'baseline', 37)).toEqual(['pss-sysctls'])
  })

  it('checks probe and lifecycle hosts only from 1.34', () => {
    const yaml = pod(
      '  containers:\n    - name: c\n      image: a:1\n      livenessProbe: {httpGet: {host: 10.0.0.1, port: 80}}\n      lifecycle: {preStop: {tcpSocket: {host: node, port: 1}}}\n'
    )
    expect(ids(yaml, 'baseline', 33)).toEqual([])
    expect(ids(yaml, 'baseline', 34)).toEqual(['pss-host-probes', 'pss-host-probes'])
  })

  it('relaxes procMount, runAsNonRoot and runAsUser for user-namespace pods from 1.35, except restricted procMount', () => {
    const userns = pod(
      '  hostUsers: false\n  securityContext: {runAsUser: 0}\n  containers:\n    - name: c\n      image: a:1\n      securityContext: {procMount: Unmasked}\n'
    )
    expect(ids(userns, 'baseline', 34)).toEqual(['pss-proc-mount'])
    expect(ids(userns, 'baseline', 35)).toEqual([])
    const restricted34 = ids(userns, 'restricted', 34)
    expect(restricted34).toEqual(
      expect.arrayContaining(['pss-proc-mount', 'pss-run-as-non-root', 'pss-run-as-user'])
    )
    const restricted35 = ids(userns, 'restricted', 35)
    expect(restricted35).toContain('pss-proc-mount-restricted')
    expect(restricted35).not.toContain('pss-proc-mount')
    expect(restricted35).not.toContain('pss-run-as-non-root')
    expect(restricted35).not.toContain('pss-run-as-user')
  })

  it('exempts windows pods from Linux-only restricted controls from 1.25', () => {
    const windows = pod(
      '  os: {name: windows}\n  securityContext: {runAsNonRoot: true}\n  containers: [{name: c, image: a:1}]\n'
    )
    expect(ids(windows, 'restricted', 24)).toEqual([
      'pss-allow-privilege-escalation',
      'pss-seccomp-restricted',
      'pss-capabilities-restricted'
    ])
    expect(ids(windows, 'restricted', 25)).toEqual([])
  })

  it('reads seccomp from annotations before 1.19 and from fields after', () => {
    const annotated = pod(
      '  containers: [{name: c, image: a:1}]\n',
      '  annotations:\n    container.seccomp.security.alpha.kubernetes.io/c: unconfined\n'
    )
    const field = pod(
      '  securityContext: {seccompProfile: {type: Unconfined}}\n  containers: [{name: c, image: a:1}]\n'
    )
    expect(ids(annotated, 'baseline', 18)).toEqual(['pss-seccomp-baseline'])
    expect(ids(annotated, 'baseline', 19)).toEqual([])
    expect(ids(field, 'baseline', 18)).toEqual([])
    expect(ids(field, 'baseline', 19)).toEqual(['pss-seccomp-baseline'])
  })

  it('allows container_engine_t from 1.31 and never a SELinux user or role', () => {
    const engine = pod(
      '  securityContext: {seLinuxOptions: {type: container_engine_t}}\n  containers: [{name: c, image: a:1, securityContext: {seLinuxOptions: {role: sysadm_r}}}]\n'
    )
    expect(ids(engine, 'baseline', 30)).toEqual(['pss-selinux', 'pss-selinux'])
    expect(ids(engine, 'baseline', 31)).toEqual(['pss-selinux'])
  })

  it('checks AppArmor fields and annotations', () => {
    const yaml = pod(
      '  securityContext: {appArmorProfile: {type: Unconfined}}\n  containers: [{name: c, image: a:1}]\n',
      '  annotations:\n    container.apparmor.security.beta.kubernetes.io/c: unconfined\n'
    )
    expect(ids(yaml, 'baseline', 37)).toEqual(['pss-apparmor', 'pss-apparmor'])
  })

  it('treats a volume without a source as the emptyDir the API server defaults it to', () => {
    const yaml = pod(
      restrictedOk.join('\n') +
        '\n  volumes:\n    - name: scratch\n    - name: nfs\n      nfs: {server: x, path: /}\n'
    )
    expect(ids(yaml, 'restricted', 37)).toEqual(['pss-restricted-volumes'])
  })

  it('replaces overridden baseline checks in restricted only where the restricted check exists', () => {
    expect(pssChecksFor('restricted', 21).has('pss-capabilities-baseline')).toBe(true)
    expect(pssChecksFor('restricted', 22).has('pss-capabilities-baseline')).toBe(false)
    expect(pssChecksFor('restricted', 18).has('pss-seccomp-baseline')).toBe(true)
    expect(pssChecksFor('restricted', 19).has('pss-seccomp-baseline')).toBe(false)
    expect(pssChecksFor('restricted', 0).has('pss-host-path-volumes')).toBe(false)
    expect(pssChecksFor('baseline', 37).has('pss-run-as-non-root')).toBe(false)
  })

  it('checks ephemeral containers and never crashes on malformed specs', () => {
    const yaml = pod(
      '  ephemeralContainers:\n    - {name: e, image: a:1, securityContext: {privileged: true}}\n  containers: "not a list"\n  volumes: 7\n'
    )
    expect(ids(yaml, 'baseline', 37)).toEqual(['pss-privileged'])
    expect(() =>
      ids(pod('  containers: [null, 3, {securityContext: 5}]\n  securityContext: []\n'), 'restricted', 37)
    ).not.toThrow()
  })
})
