import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { countFindings } from './counts.js'

describe('countFindings', () => {
  it('counts by severity and by scanner, even for scanner names that are Object.prototype members', () => {
    const counts = countFindings([
      makeFinding({ scanner: 'constructor', severity: 'high' }),
      makeFinding({ scanner: 'constructor', severity: 'high' }),
      makeFinding({ scanner: 'toString', severity: 'low' }),
      makeFinding({ scanner: 'trivy', severity: 'critical' })
    ])
    expect(counts.total).toBe(4)
    expect(counts.bySeverity).toEqual({ critical: 1, high: 2, medium: 0, low: 1, info: 0 })
    expect(counts.byScanner.constructor).toEqual({ critical: 0, high: 2, medium: 0, low: 0, info: 0 })
    expect(counts.byScanner.toString).toEqual({ critical: 0, high: 0, medium: 0, low: 1, info: 0 })
    expect(Object.keys(counts.byScanner)).toEqual(['constructor', 'toString', 'trivy'])
  })
})

describe('countFindings and __proto__', () => {
  it('keeps a scanner named __proto__ as its own entry instead of re-pointing the map’s prototype', () => {
    const counts = countFindings([
      makeFinding({ scanner: '__proto__', severity: 'high' }),
      makeFinding({ scanner: '__proto__', severity: 'low' })
    ])
    expect(Object.keys(counts.byScanner)).toEqual(['__proto__'])
    expect(Object.getPrototypeOf(counts.byScanner)).toBe(Object.prototype)
    expect(JSON.parse(JSON.stringify(counts.byScanner))).toEqual(
      JSON.parse('{"__proto__":{"critical":0,"high":1,"medium":0,"low":1,"info":0}}')
    )
  })
})
