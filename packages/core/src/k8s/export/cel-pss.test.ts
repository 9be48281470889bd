import { describe, expect, it } from '@jest/globals'
import { defaultOptions } from '../options.js'
import { PSS_RULE_IDS, pssChecksFor } from '../rules/pss.js'
import { LATEST_PSS_VERSION } from '../rules/pss-version.js'
import { PSS_CEL } from './cel-pss.js'
import { exportAdmission } from './export.js'

const exportedPss = (level: 'baseline' | 'restricted', version: number) =>
  exportAdmission(defaultOptions({ level, version }), ['vap']).exported.filter(id => id.startsWith('pss-'))

describe('the Pod Security Standards rules in the admission export', () => {
  it('has a CEL form for every check', () => {
    expect(Object.keys(PSS_CEL).sort()).toEqual([...PSS_RULE_IDS].sort())
  })

  it('exports exactly the checks CI runs, at every level and policy version', () => {
    for (const level of ['baseline', 'restricted'] as const)
      for (let version = 0; version <= LATEST_PSS_VERSION; version++)
        expect({ level, version, rules: exportedPss(level, version).sort() }).toEqual({
          level,
          version,
          rules: [...pssChecksFor(level, version).keys()].sort()
        })
  })

  it('writes the revision of the requested version', () => {
    const vap = (level: 'baseline' | 'restricted', version: number) =>
      exportAdmission(defaultOptions({ level, version }), ['vap']).files[0]!.content
    expect(vap('baseline', 18)).toContain('seccomp.security.alpha.kubernetes.io/pod')
    expect(vap('baseline', 19)).not.toContain('seccomp.security.alpha.kubernetes.io/pod')
    expect(vap('baseline', 30)).not.toContain("'container_engine_t'")
    expect(vap('baseline', 31)).toContain("'container_engine_t'")
    expect(vap('baseline', 36)).not.toContain("'net.ipv4.tcp_slow_start_after_idle'")
    expect(vap('baseline', 37)).toContain("'net.ipv4.tcp_slow_start_after_idle'")
    expect(exportedPss('restricted', 37)).toContain('pss-restricted-volumes')
    expect(exportedPss('restricted', 37)).not.toContain('pss-host-path-volumes')
  })
})
