import { describe, expect, it } from '@jest/globals'
import { logLine } from './logger.js'

describe('logLine', () => {
  it('keeps data on one line that can never start a workflow command', () => {
    const hostile = 'x\n::add-mask::secret\r\n::error file=a::forged\rend'
    const line = logLine(`report ${hostile}: broken`)
    expect(line).not.toMatch(/[\r\n]/)
    expect(line).toBe('report x⏎::add-mask::secret⏎::error file=a::forged⏎end: broken')
    expect(logLine('::warning::from data')).toBe('\u200b::warning::from data')
    expect(logLine('  ::debug::x').startsWith('::')).toBe(false)
    expect(logLine('plain text')).toBe('plain text')
  })
})
