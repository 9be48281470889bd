import type { PodContext } from '../pod-spec.js'
import * as hostAccess from './pss-baseline.js'
import * as profiles from './pss-profiles.js'
import { pickVersioned, type PssVersion } from './pss-version.js'
import * as restricted from './pss-restricted.js'
import type { Offense, RuleViolation } from './types.js'

export type PssLevel = 'baseline' | 'restricted'
type CheckFn = (pod: PodContext) => Offense[]

interface PssCheck {
  ruleId: string
  level: PssLevel
  versions: { since: PssVersion; value: CheckFn }[]
  /** Baseline rules this restricted check replaces wherever it is in force. */
  overrides?: string[]
}

const only = (fn: CheckFn, since = 0) => [{ since, value: fn }]

/** The registry of pod-security-admission: each check with the policy version each revision starts at. */
const CHECKS: readonly PssCheck[] = [
  { ruleId: 'pss-host-namespaces', level: 'baseline', versions: only(hostAccess.hostNamespaces) },
  { ruleId: 'pss-privileged', level: 'baseline', versions: only(hostAccess.privileged) },
  { ruleId: 'pss-capabilities-baseline', level: 'baseline', versions: only(hostAccess.capabilitiesBaseline) },
  { ruleId: 'pss-host-path-volumes', level: 'baseline', versions: only(hostAccess.hostPathVolumes) },
  { ruleId: 'pss-host-ports', level: 'baseline', versions: only(hostAccess.hostPorts) },
  { ruleId: 'pss-apparmor', level: 'baseline', versions: only(profiles.appArmorProfile) },
  {
    ruleId: 'pss-selinux',
    level: 'baseline',
    versions: [0, 31].map(since => ({ since, value: profiles.seLinuxOptions(since) }))
  },
  {
    ruleId: 'pss-proc-mount',
    level: 'baseline',
    versions: [
      { since: 0, value: profiles.procMount(false) },
      { since: 35, value: profiles.procMount(true) }
    ]
  },
  {
    ruleId: 'pss-seccomp-baseline',
    level: 'baseline',
    versions: [
      { since: 0, value: profiles.seccompBaselineAnnotations },
      { since: 19, value: profiles.seccompBaselineFields }
    ]
  },
  {
    ruleId: 'pss-sysctls',
    level: 'baseline',
    versions: hostAccess.SYSCTL_VERSIONS.map(since => ({ since, value: hostAccess.sysctls(since) }))
  },
  { ruleId: 'pss-windows-host-process', level: 'baseline', versions: only(hostAccess.windowsHostProcess) },
  { ruleId: 'pss-host-probes', level: 'baseline', versions: only(hostAccess.hostProbesAndLifecycle, 34) },
  {
    ruleId: 'pss-restricted-volumes',
    level: 'restricted',
    versions: only(restricted.restrictedVolumes),
    overrides: ['pss-host-path-volumes']
  },
  {
    ruleId: 'pss-allow-privilege-escalation',
    level: 'restricted',
    versions: [
      { since: 8, value: restricted.allowPrivilegeEscalation(false) },
      { since: 25, value: restricted.allowPrivilegeEscalation(true) }
    ]
  },
  {
    ruleId: 'pss-run-as-non-root',
    level: 'restricted',
    versions: [
      { since: 0, value: restricted.runAsNonRoot(false) },
      { since: 35, value: restricted.runAsNonRoot(true) }
    ]
  },
  {
    ruleId: 'pss-run-as-user',
    level: 'restricted',
    versions: [
      { since: 23, value: restricted.runAsUser(false) },
      { since: 35, value: restricted.runAsUser(true) }
    ]
  },
  {
    ruleId: 'pss-seccomp-restricted',
    level: 'restricted',
    versions: [
      { since: 19, value: restricted.seccompRestricted(false) },
      { since: 25, value: restricted.seccompRestricted(true) }
    ],
    overrides: ['pss-seccomp-baseline']
  },
  {
    ruleId: 'pss-capabilities-restricted',
    level: 'restricted',
    versions: [
      { since: 22, value: restricted.capabilitiesRestricted(false) },
      { since: 25, value: restricted.capabilitiesRestricted(true) }
    ],
    overrides: ['pss-capabilities-baseline']
  },
  {
    ruleId: 'pss-proc-mount-restricted',
    level: 'restricted',
    versions: only(profiles.procMount(false), 35),
    overrides: ['pss-proc-mount']
  }
]

export const PSS_RULE_IDS: readonly string[] = CHECKS.map(check => check.ruleId)

/** A check's revision in force: its implementation and the policy version that revision starts at. */
export interface PssRevision {
  since: PssVersion
  check: CheckFn
}

/** The revisions in force for a level and policy version, after restricted overrides, keyed by rule id. */
export function pssRevisionsFor(level: PssLevel, version: PssVersion): Map<string, PssRevision> {
  const active = new Map<string, PssRevision>()
  const overridden = new Set<string>()
  for (const check of CHECKS) {
    if (check.level === 'restricted' && level === 'baseline') continue
    const revision = pickVersioned(
      check.versions.map(v => ({ since: v.since, value: { since: v.since, check: v.value } })),
      version
    )
    if (!revision) continue
    active.set(check.ruleId, revision)
    for (const id of check.overrides ?? []) overridden.add(id)
  }
  for (const id of overridden) active.delete(id)
  return active
}

/** The checks in force for a level and policy version, keyed by rule id. */
export function pssChecksFor(level: PssLevel, version: PssVersion): Map<string, CheckFn> {
  return new Map([...pssRevisionsFor(level, version)].map(([id, revision]) => [id, revision.check]))
}

/** Evaluates one pod against the Pod Security Standards; `enabled` limits the rules (all when omitted). */
export function evaluatePodSecurity(
  pod: PodContext,
  level: PssLevel,
  version: PssVersion,
  enabled?: (ruleId: string) => boolean
): RuleViolation[] {
  const out: RuleViolation[] = []
  for (const [ruleId, check] of pssChecksFor(level, version)) {
    if (enabled && !enabled(ruleId)) continue
    for (const offense of check(pod)) out.push({ ruleId, ...offense })
  }
  return out
}
