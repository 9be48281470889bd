import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { compareWithBaseline } from './baseline.js'

// Two copies of one vulnerable line: a scanner with no fingerprint of its own gives both the same one.
const at = (startLine: number, fingerprint = 'eval-snippet') =>
  makeFinding({ ruleId: 'js.eval', fingerprint, location: { path: 'src/a.js', startLine } })

describe('compareWithBaseline', () => {
  it('counts a second copy of a known line as new', () => {
    const { isNew, fixed } = compareWithBaseline([at(3), at(10)], [at(3)])
    expect(isNew).toEqual([false, true])
    expect(fixed).toEqual([])
  })

  it('lists a removed copy as fixed, and the same finding read from two reports once', () => {
    const baseline = [at(3), at(10), at(10)]
    const { isNew, fixed } = compareWithBaseline([at(3)], baseline)
    expect(isNew).toEqual([false])
    expect(fixed.map(f => f.location?.startLine)).toEqual([10])
  })

  it('matches findings by fingerprint wherever they moved, and with no baseline everything is new', () => {
    expect(compareWithBaseline([at(40, 'x'), at(41, 'y')], [at(1, 'y'), at(2, 'z')])).toMatchObject({
      isNew: [true, false],
      fixed: [{ fingerprint: 'z' }]
    })
    expect(compareWithBaseline([at(3)], undefined)).toEqual({ isNew: [true], fixed: [] })
  })

  it('counts a baseline finding read from two reports once: a new copy of the line is still new', () => {
    // The baseline's glob reads one scan twice (its SARIF and its native JSON): one known place, not two.
    const { isNew } = compareWithBaseline([at(3), at(10)], [at(3), at(3)])
    expect(isNew).toEqual([false, true])
  })

  it('marks the added copy new, not the one that stayed, whatever the report order', () => {
    expect(compareWithBaseline([at(10), at(3)], [at(3)]).isNew).toEqual([true, false])
    // A copy that moved still matches, and the same place read from two reports is one finding.
    expect(compareWithBaseline([at(5), at(5), at(20)], [at(3)]).isNew).toEqual([false, false, true])
  })
})
