import { describe, expect, it } from '@jest/globals'
import { baseFinding } from '../findings/readers/common.js'
import { applyIgnores } from './ignored-advisories.js'

const advisory = (ruleId: string, aliases: string[]) => ({
  ...baseFinding('osv-scanner', ruleId, `${ruleId} in x`, 'high', 'dependency'),
  aliases
})

describe('applyIgnores', () => {
  const log4shell = advisory('GHSA-jfh8-c2jp-5v3q', ['CVE-2021-44228'])
  const other = advisory('GHSA-7rjr-3q55-vv33', ['CVE-2021-45046'])

  it('hides an advisory whose id or alias is ignored, as osv-scanner does, and names it under each matching ignore', () => {
    const ignores = [
      { id: 'CVE-2021-44228', line: 1, reason: 'not reachable' },
      { id: 'GHSA-jfh8-c2jp-5v3q', line: 4 },
      { id: 'GHSA-none-none-none', line: 7 }
    ]
    const applied = applyIgnores([log4shell, other], ignores)
    expect(applied.kept).toEqual([other])
    expect(applied.hidden).toEqual([
      {
        ...log4shell,
        suppressions: [{ kind: 'external', status: 'accepted', justification: 'not reachable' }]
      }
    ])
    expect(applied.hits.map(h => [h.ignore.id, h.hidden.map(f => f.ruleId)])).toEqual([
      ['CVE-2021-44228', ['GHSA-jfh8-c2jp-5v3q']],
      ['GHSA-jfh8-c2jp-5v3q', ['GHSA-jfh8-c2jp-5v3q']],
      ['GHSA-none-none-none', []]
    ])
  })

  it('says which line ignores an advisory when the entry gives no reason', () => {
    expect(applyIgnores([other], [{ id: 'CVE-2021-45046', line: 3 }]).hidden[0]?.suppressions).toEqual([
      {
        kind: 'external',
        status: 'accepted',
        justification: 'osv-scanner.toml line 3 ignores it (no reason given)'
      }
    ])
  })
})
