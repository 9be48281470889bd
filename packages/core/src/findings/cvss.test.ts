import { describe, expect, it } from '@jest/globals'
import { cvss3BaseScore } from './cvss.js'

describe('cvss3BaseScore', () => {
  it.each([
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H', 7.5],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N', 5.3],
    ['CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 7.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1],
    ['CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N', 4.8],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H', 10],
    ['CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:H', 8.2],
    ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N', 0]
  ])('%s → %d', (vector, score) => {
    expect(cvss3BaseScore(vector)).toBe(score)
  })
  it('rejects v2, v4 and incomplete vectors', () => {
    expect(cvss3BaseScore('AV:N/AC:L/Au:N/C:P/I:N/A:N')).toBeUndefined()
    expect(cvss3BaseScore('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N')).toBeUndefined()
    expect(cvss3BaseScore('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H')).toBeUndefined()
    expect(cvss3BaseScore('CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined()
    expect(cvss3BaseScore('CVSS:3.1/AV:constructor/AC:L/PR:toString/UI:N/S:U/C:H/I:H/A:H')).toBeUndefined()
  })
})

describe('severity words', () => {
  it('never resolve Object.prototype members', async () => {
    const { severityFromWord } = await import('./severity.js')
    for (const word of ['constructor', 'toString', '__proto__', 'valueOf', 'hasOwnProperty']) {
      expect(severityFromWord(word)).toBeUndefined()
    }
    expect(severityFromWord('Moderate')).toBe('medium')
  })
})
