import { expect, it } from '@jest/globals'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { loadManifestText } from '../../packages/core/src/k8s/manifests.js'
import { podContextOf } from '../../packages/core/src/k8s/pod-spec.js'
import { evaluatePodSecurity, type PssLevel } from '../../packages/core/src/k8s/rules/pss.js'
import { parsePssVersion } from '../../packages/core/src/k8s/rules/pss-version.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'

interface Case {
  level: PssLevel
  version: string
  expected: 'pass' | 'fail'
  file: string
}

/** `<level>/<version>/<pass|fail>/<check><n>.yaml`, as pod-security-admission's TestFixtures lays them out. */
function listCases(root: string): Case[] {
  const cases: Case[] = []
  for (const level of readdirSync(root).filter(d => d === 'baseline' || d === 'restricted') as PssLevel[]) {
    for (const version of readdirSync(path.join(root, level))) {
      for (const expected of ['pass', 'fail'] as const) {
        const dir = path.join(root, level, version, expected)
        let files: string[]
        try {
          files = readdirSync(dir).filter(f => f.endsWith('.yaml'))
        } catch {
          continue
        }
        for (const file of files) cases.push({ level, version, expected, file: path.join(dir, file) })
      }
    }
  }
  return cases.sort((a, b) => a.file.localeCompare(b.file))
}

describeWithSharedFixtures('Pod Security Standards: agreement with pod-security-admission fixtures', () => {
  const root = sharedFixture('k8s', 'pod-security')
  const cases = listCases(root)

  it('agrees with every pass/fail fixture at its level and version', () => {
    expect(cases.length).toBeGreaterThan(0)
    const disagreements: string[] = []
    for (const c of cases) {
      const loaded = loadManifestText(readFileSync(c.file, 'utf8'), path.relative(root, c.file))
      expect(loaded.problems).toEqual([])
      const pods = loaded.objects.map(podContextOf)
      expect(pods.every(pod => pod !== undefined)).toBe(true)
      const violations = pods.flatMap(pod => evaluatePodSecurity(pod!, c.level, parsePssVersion(c.version)))
      const verdict = violations.length > 0 ? 'fail' : 'pass'
      if (verdict !== c.expected) {
        disagreements.push(
          `${path.relative(root, c.file)}: expected ${c.expected}, got ${verdict} ${JSON.stringify(violations.map(v => v.message))}`
        )
      }
    }
    const agreed = cases.length - disagreements.length
    const failCases = cases.filter(c => c.expected === 'fail').length
    console.log(
      `pod-security agreement: ${agreed}/${cases.length} (${((100 * agreed) / cases.length).toFixed(0)}%) — ` +
        `${cases.length - failCases} pass + ${failCases} fail fixtures over ${new Set(cases.map(c => `${c.level}/${c.version}`)).size} level/version pairs`
    )
    expect(disagreements).toEqual([])
  })

  it('explains each failing fixture with the check it is named after', () => {
    // The fixture file name starts with the upstream check id (e.g. `runasnonroot0.yaml`).
    const upstreamToRule: Record<string, string> = {
      allowprivilegeescalation: 'pss-allow-privilege-escalation',
      apparmorprofile: 'pss-apparmor',
      capabilities_baseline: 'pss-capabilities-baseline',
      capabilities_restricted: 'pss-capabilities-restricted',
      hostnamespaces: 'pss-host-namespaces',
      hostpathvolumes: 'pss-host-path-volumes',
      hostports: 'pss-host-ports',
      privileged: 'pss-privileged',
      procmount: 'pss-proc-mount',
      restrictedvolumes: 'pss-restricted-volumes',
      runasnonroot: 'pss-run-as-non-root',
      runasuser: 'pss-run-as-user',
      seccompprofile_baseline: 'pss-seccomp-baseline',
      seccompprofile_restricted: 'pss-seccomp-restricted',
      selinuxoptions: 'pss-selinux',
      sysctls: 'pss-sysctls'
    }
    for (const c of cases.filter(c => c.expected === 'fail')) {
      const check = path.basename(c.file, '.yaml').replace(/\d+$/, '')
      const loaded = loadManifestText(readFileSync(c.file, 'utf8'), c.file)
      const ruleIds = loaded.objects
        .flatMap(o => evaluatePodSecurity(podContextOf(o)!, c.level, parsePssVersion(c.version)))
        .map(v => v.ruleId)
      // restrictedvolumes19 is a hostPath volume: restricted reports it under restrictedVolumes, which overrides hostPathVolumes.
      expect({ file: path.basename(c.file), rules: ruleIds }).toEqual({
        file: path.basename(c.file),
        rules: expect.arrayContaining([upstreamToRule[check]])
      })
    }
  })
})
