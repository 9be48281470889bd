// The Pod Security Standards checks (rules/pss-*.ts) in CEL, one revision at a time. Each expression
// repeats its evaluator: a field that is absent, null or of the wrong type counts as the evaluator
// counts it (asRecord, asArray, === comparisons), so CI and the cluster give the same verdict.
import { BASELINE_CAPABILITIES, safeSysctls } from '../rules/pss-baseline.js'
import { SELINUX_TYPES_1_0, SELINUX_TYPES_1_31 } from '../rules/pss-profiles.js'
import { ALLOWED_VOLUME_SOURCES } from '../rules/pss-restricted.js'
import { celList, celString, mapAt } from './cel-text.js'

/** One check as CEL: true when the pod passes. */
export interface PssCel {
  /** When true the pod is not judged (windows pods, pods in a user namespace). */
  skip?: string
  /** On the pod spec (`variables.podSpec`). */
  pod?: string
  /** On each container `c` (init, regular and ephemeral), a map. */
  each?: string
  /** On the pod template's annotations (a map expression); may read `variables.containers`. */
  annotations?: (annotations: string) => string
}

const SPEC = 'variables.podSpec'
const POD_SC = `${SPEC}.securityContext`
const SC = 'c.securityContext'

const not = (condition: string) => `!(${condition})`
const isTrue = (path: string) => `(has(${path}) && ${path} == true)`
const listAt = (path: string) => `(has(${path}) && type(${path}) == list)`
/** Set to a non-empty string: `host`, `user`, `role`. */
const nonEmptyString = (path: string) => `(has(${path}) && type(${path}) == string && ${path} != '')`

const hostUsersFalse = `(has(${SPEC}.hostUsers) && ${SPEC}.hostUsers == false)`
const windowsPod = `(${mapAt(SPEC, 'os')} && has(${SPEC}.os.name) && ${SPEC}.os.name == 'windows')`

const ALLOWED_PROFILE_TYPES = celList(['RuntimeDefault', 'Localhost'])
const allowedProfile = (profile: string) =>
  `(has(${profile}.type) && ${profile}.type in ${ALLOWED_PROFILE_TYPES})`

/** A `<field>.type` set on the pod or a container must be RuntimeDefault or Localhost. */
function profileType(field: 'appArmorProfile' | 'seccompProfile'): PssCel {
  return {
    pod: `(${not(mapAt(SPEC, 'securityContext', field))} || ${allowedProfile(`${POD_SC}.${field}`)})`,
    each: `(${not(mapAt('c', 'securityContext', field))} || ${allowedProfile(`${SC}.${field}`)})`
  }
}

/** Every annotation whose key starts with `prefix` has a value `allowed` admits. */
const annotationsWithPrefix = (prefix: string, allowed: (value: string) => string) => (annotations: string) =>
  `${annotations}.all(k, !k.startsWith(${celString(prefix)}) || ${allowed(`${annotations}[k]`)})`

const appArmorAnnotation = (value: string) =>
  `(type(${value}) == string && (${value} == '' || ${value} == 'runtime/default' || ${value}.startsWith('localhost/')))`

const seccompAnnotation = (value: string) =>
  `(type(${value}) == string && (${value} == 'runtime/default' || ${value} == 'docker/default' || ${value}.startsWith('localhost/')))`

function seLinux(since: number): PssCel {
  const types = celList(since >= 31 ? SELINUX_TYPES_1_31 : SELINUX_TYPES_1_0)
  const allowed = (options: string) =>
    `((!has(${options}.type) || ${options}.type == null || (type(${options}.type) == string && ${options}.type in ${types})) && ` +
    `!${nonEmptyString(`${options}.user`)} && !${nonEmptyString(`${options}.role`)})`
  return {
    pod: `(${not(mapAt(SPEC, 'securityContext', 'seLinuxOptions'))} || ${allowed(`${POD_SC}.seLinuxOptions`)})`,
    each: `(${not(mapAt('c', 'securityContext', 'seLinuxOptions'))} || ${allowed(`${SC}.seLinuxOptions`)})`
  }
}

function procMount(relaxForUserNamespaces: boolean): PssCel {
  return {
    ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
    each: not(
      `${mapAt('c', 'securityContext')} && has(${SC}.procMount) && ${SC}.procMount != null && ${SC}.procMount != 'Default'`
    )
  }
}

const SECCOMP_POD_ANNOTATION = 'seccomp.security.alpha.kubernetes.io/pod'
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/'

/** Before 1.19 the alpha annotations: the pod's, and each container's by its name. */
const seccompAnnotations: PssCel = {
  annotations: a => {
    const key = `(${celString(SECCOMP_CONTAINER_PREFIX)} + (has(c.name) && type(c.name) == string ? c.name : ''))`
    return (
      `(!(${celString(SECCOMP_POD_ANNOTATION)} in ${a}) || ${seccompAnnotation(`${a}[${celString(SECCOMP_POD_ANNOTATION)}]`)}) && ` +
      `variables.containers.all(c, type(c) != map || !(${key} in ${a}) || ${seccompAnnotation(`${a}[${key}]`)})`
    )
  }
}

function sysctls(since: number): PssCel {
  const list = `${POD_SC}.sysctls`
  return {
    pod:
      `(!(${mapAt(SPEC, 'securityContext')} && ${listAt(list)}) || ` +
      `${list}.all(s, type(s) == map && has(s.name) && type(s.name) == string && s.name in ${celList(safeSysctls(since))}))`
  }
}

const HANDLERS = [
  ['livenessProbe'],
  ['readinessProbe'],
  ['startupProbe'],
  ['lifecycle', 'postStart'],
  ['lifecycle', 'preStop']
]

const hostProbes: PssCel = {
  each: HANDLERS.flatMap(handler =>
    ['httpGet', 'tcpSocket'].map(kind =>
      not(`${mapAt('c', ...handler, kind)} && ${nonEmptyString(['c', ...handler, kind, 'host'].join('.'))}`)
    )
  ).join(' && ')
}

const volumes = (test: string) => `(!${listAt(`${SPEC}.volumes`)} || ${SPEC}.volumes.all(v, ${test}))`

const restrictedVolumes: PssCel = {
  // A volume without a source is defaulted to emptyDir by the API server.
  pod: volumes(
    `type(v) != map || v.all(k, k == 'name' || v[k] == null) || ` +
      `${celList(ALLOWED_VOLUME_SOURCES)}.exists(s, s in v && v[s] != null)`
  )
}

const podFieldNot = (field: string, value: string) =>
  not(`${mapAt(SPEC, 'securityContext')} && has(${POD_SC}.${field}) && ${POD_SC}.${field} == ${value}`)
const containerFieldNot = (field: string, value: string) =>
  not(`${mapAt('c', 'securityContext')} && has(${SC}.${field}) && ${SC}.${field} == ${value}`)

function runAsNonRoot(relaxForUserNamespaces: boolean): PssCel {
  const podTrue = `(${mapAt(SPEC, 'securityContext')} && ${isTrue(`${POD_SC}.runAsNonRoot`)})`
  const containerSet = `(${mapAt('c', 'securityContext')} && has(${SC}.runAsNonRoot) && ${SC}.runAsNonRoot != null)`
  return {
    ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
    pod: podFieldNot('runAsNonRoot', 'false'),
    each: `(${containerSet} ? ${SC}.runAsNonRoot != false : ${podTrue})`
  }
}

function runAsUser(relaxForUserNamespaces: boolean): PssCel {
  return {
    ...(relaxForUserNamespaces ? { skip: hostUsersFalse } : {}),
    pod: podFieldNot('runAsUser', '0'),
    each: containerFieldNot('runAsUser', '0')
  }
}

function seccompRestricted(exemptWindows: boolean): PssCel {
  const podProfile = `${POD_SC}.seccompProfile`
  const podHas = mapAt(SPEC, 'securityContext', 'seccompProfile')
  return {
    ...(exemptWindows ? { skip: windowsPod } : {}),
    pod: `(!${podHas} || ${allowedProfile(podProfile)})`,
    each: `(${mapAt('c', 'securityContext', 'seccompProfile')} ? ${allowedProfile(`${SC}.seccompProfile`)} : (${podHas} && ${allowedProfile(podProfile)}))`
  }
}

function capabilitiesRestricted(exemptWindows: boolean): PssCel {
  const caps = `${SC}.capabilities`
  return {
    ...(exemptWindows ? { skip: windowsPod } : {}),
    each:
      `(${mapAt('c', 'securityContext', 'capabilities')} && ${listAt(`${caps}.drop`)} && 'ALL' in ${caps}.drop && ` +
      `(!${listAt(`${caps}.add`)} || ${caps}.add.all(x, x == 'NET_BIND_SERVICE')))`
  }
}

const capabilitiesBaseline: PssCel = {
  each:
    `(!(${mapAt('c', 'securityContext', 'capabilities')} && ${listAt(`${SC}.capabilities.add`)}) || ` +
    `${SC}.capabilities.add.all(x, type(x) == string && x in ${celList(BASELINE_CAPABILITIES)}))`
}

const windowsHostProcess: PssCel = {
  pod: not(
    `${mapAt(SPEC, 'securityContext', 'windowsOptions')} && ${isTrue(`${POD_SC}.windowsOptions.hostProcess`)}`
  ),
  each: not(
    `${mapAt('c', 'securityContext', 'windowsOptions')} && ${isTrue(`${SC}.windowsOptions.hostProcess`)}`
  )
}

/**
 * Each rule's CEL for the revision that starts at `since` (rules/pss.ts picks it for the level and
 * version); the thresholds below are the ones rules/pss.ts hands its evaluators.
 */
export const PSS_CEL: Record<string, (since: number) => PssCel> = {
  'pss-host-namespaces': () => ({
    pod: ['hostNetwork', 'hostPID', 'hostIPC'].map(f => not(isTrue(`${SPEC}.${f}`))).join(' && ')
  }),
  'pss-privileged': () => ({
    each: not(`${mapAt('c', 'securityContext')} && ${isTrue(`${SC}.privileged`)}`)
  }),
  'pss-capabilities-baseline': () => capabilitiesBaseline,
  'pss-host-path-volumes': () => ({
    pod: volumes(`!(type(v) == map && has(v.hostPath) && v.hostPath != null)`)
  }),
  'pss-host-ports': () => ({
    each: `(!${listAt('c.ports')} || c.ports.all(p, !(type(p) == map && has(p.hostPort) && p.hostPort != null && p.hostPort != 0)))`
  }),
  'pss-apparmor': () => ({
    ...profileType('appArmorProfile'),
    annotations: annotationsWithPrefix('container.apparmor.security.beta.kubernetes.io/', appArmorAnnotation)
  }),
  'pss-selinux': seLinux,
  'pss-proc-mount': since => procMount(since >= 35),
  'pss-seccomp-baseline': since => (since >= 19 ? profileType('seccompProfile') : seccompAnnotations),
  'pss-sysctls': sysctls,
  'pss-windows-host-process': () => windowsHostProcess,
  'pss-host-probes': () => hostProbes,
  'pss-restricted-volumes': () => restrictedVolumes,
  'pss-allow-privilege-escalation': since => ({
    ...(since >= 25 ? { skip: windowsPod } : {}),
    each: `(${mapAt('c', 'securityContext')} && has(${SC}.allowPrivilegeEscalation) && ${SC}.allowPrivilegeEscalation == false)`
  }),
  'pss-run-as-non-root': since => runAsNonRoot(since >= 35),
  'pss-run-as-user': since => runAsUser(since >= 35),
  'pss-seccomp-restricted': since => seccompRestricted(since >= 25),
  'pss-capabilities-restricted': since => capabilitiesRestricted(since >= 25),
  'pss-proc-mount-restricted': () => procMount(false)
}
