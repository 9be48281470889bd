import { describe, expect, it } from '@jest/globals'
import { checkScan, FILES, NEW_FLAW, PRE_EXISTING } from '../../../bench/p3-sast-diff.js'
import type { SastScanResult } from '../../../packages/core/src/sast/scan.js'

const result = (found: string[], problems: SastScanResult['problems'] = []) =>
  ({
    findings: found.map(line => {
      const [ruleId, where] = line.split(' ') as [string, string]
      const [file, startLine] = where.split(':') as [string, string]
      return { ruleId, location: { path: file, startLine: Number(startLine) } }
    }),
    problems
  }) as unknown as SastScanResult

describe('P3 result check', () => {
  it('knows the flaws on main: one os.system call in every 250th module', () => {
    expect(PRE_EXISTING).toHaveLength(FILES / 250)
    expect(PRE_EXISTING[0]).toMatch(/^py-command-injection svc0\/mod_0\.py:\d+$/)
    expect(PRE_EXISTING.every(line => !line.endsWith(':0'))).toBe(true)
  })

  it('passes a diff scan that reported the new flaw and only it, and nothing else', () => {
    expect(() => checkScan('diff', result([NEW_FLAW]), [NEW_FLAW])).not.toThrow()
    expect(() => checkScan('diff', result([NEW_FLAW, PRE_EXISTING[0]!]), [NEW_FLAW])).toThrow(
      'diff scan reported 2 finding(s), not the 1 expected'
    )
    expect(() => checkScan('diff', result([]), [NEW_FLAW])).toThrow(/reported 0 finding/)
    expect(() =>
      checkScan('full', result([NEW_FLAW], [{ level: 'error', message: 'semgrep exited 2' }]), [NEW_FLAW])
    ).toThrow('full scan: engine errors: semgrep exited 2')
  })
})
