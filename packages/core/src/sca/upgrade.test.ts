import { describe, expect, it } from '@jest/globals'
import { isAffected, smallestUpgrade, type PackageAdvisory } from './upgrade.js'
import { compareVersions } from './versions.js'

// Ranges as the real GHSA records give them (../shared/fixtures/advisories/osv).
const LOG4SHELL: PackageAdvisory = {
  id: 'GHSA-jfh8-c2jp-5v3q',
  ranges: [
    { events: [{ introduced: '2.13.0' }, { fixed: '2.15.0' }] },
    { events: [{ introduced: '2.0-beta9' }, { fixed: '2.3.1' }] },
    { events: [{ introduced: '2.4' }, { fixed: '2.12.2' }] }
  ],
  versions: [],
  fixed: ['2.15.0', '2.3.1', '2.12.2']
}
const LOG4J_FOLLOW_UP: PackageAdvisory = {
  id: 'GHSA-7rjr-3q55-vv33',
  ranges: [
    { events: [{ introduced: '2.13.0' }, { fixed: '2.16.0' }] },
    { events: [{ introduced: '0' }, { fixed: '2.12.2' }] }
  ],
  versions: [],
  fixed: ['2.16.0', '2.12.2']
}
const advisory = (id: string, events: PackageAdvisory['ranges'][number]['events']): PackageAdvisory => ({
  id,
  ranges: [{ events }],
  versions: [],
  fixed: events.flatMap(e => (e.fixed ? [e.fixed] : []))
})

describe('compareVersions', () => {
  it('orders numbers numerically, pre-releases below and post-releases above the release', () => {
    const sorted = [
      '1.10.0',
      '1.2.0',
      '1.2.0-beta.1',
      '1.2',
      '2.0rc1',
      '2.0',
      '2.9.0.post0',
      '2.9.0',
      'v1.9.9',
      '2.0.0-SNAPSHOT'
    ]
    expect([...sorted].sort(compareVersions)).toEqual([
      '1.2.0-beta.1',
      '1.2.0',
      '1.2',
      'v1.9.9',
      '1.10.0',
      '2.0rc1',
      '2.0.0-SNAPSHOT',
      '2.0',
      '2.9.0',
      '2.9.0.post0'
    ])
  })
})

describe('smallestUpgrade', () => {
  it('picks the one version that clears both log4j advisories: 2.16.0, not 2.15.0', () => {
    expect(smallestUpgrade('2.14.1', [LOG4SHELL, LOG4J_FOLLOW_UP])).toEqual({
      kind: 'upgrade',
      version: '2.16.0'
    })
  })
  it('stays on a maintenance branch when its fix clears everything (log4j 2.12.x)', () => {
    expect(smallestUpgrade('2.12.1', [LOG4SHELL, LOG4J_FOLLOW_UP])).toEqual({
      kind: 'upgrade',
      version: '2.12.2'
    })
  })
  it('takes the larger of two fixes on one line (lodash 4.17.11: 4.17.12 and 4.17.19)', () => {
    const a = advisory('GHSA-jf85-cpcp-j695', [{ introduced: '0' }, { fixed: '4.17.12' }])
    const b = advisory('GHSA-p6mc-m468-83gw', [{ introduced: '3.7.0' }, { fixed: '4.17.19' }])
    expect(smallestUpgrade('4.17.11', [a, b])).toEqual({ kind: 'upgrade', version: '4.17.19' })
  })
  it('says why when an advisory has no fix, or the installed version is unknown', () => {
    const open = advisory('GHSA-open', [{ introduced: '0' }, { last_affected: '4.3.2' }])
    expect(smallestUpgrade('4.3.0', [open])).toEqual({
      kind: 'none',
      reason: 'no fixed version is known for GHSA-open'
    })
    expect(smallestUpgrade(undefined, [LOG4SHELL])).toMatchObject({ kind: 'none' })
  })
  it('works from fixed versions alone (Trivy), per release line', () => {
    const urllib3: PackageAdvisory = {
      id: 'CVE-2024-37891',
      ranges: [],
      versions: [],
      fixed: ['1.26.19', '2.2.2']
    }
    expect(smallestUpgrade('2.0.5', [urllib3])).toEqual({ kind: 'upgrade', version: '2.2.2' })
    expect(smallestUpgrade('1.26.5', [urllib3])).toEqual({ kind: 'upgrade', version: '1.26.19' })
  })
  it('reads last_affected and explicit versions as affected', () => {
    const a = advisory('A', [{ introduced: '1.0.0' }, { last_affected: '1.4.0' }])
    expect(isAffected(a, '1.4.0', '1.0.0')).toBe(true)
    expect(isAffected(a, '1.4.1', '1.0.0')).toBe(false)
    expect(isAffected({ id: 'B', ranges: [], versions: ['6.3.2.1'], fixed: [] }, '6.3.2.1', '6.3.2.1')).toBe(
      true
    )
  })
})
