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
    // The runner trims with .NET, where U+0085 is white space too.
    expect(logLine('\u0085::stop-commands::pwned')).toBe('\u200b\u0085::stop-commands::pwned')
    expect(logLine('plain text')).toBe('plain text')
  })

  it('breaks the legacy ##[command] form wherever it stands in the line', () => {
    const line = logLine('scanned src/##[add-mask]x.js and ##[set-output name=outcome]pass')
    expect(line).toBe('scanned src/##\u200b[add-mask]x.js and ##\u200b[set-output name=outcome]pass')
    expect(line).not.toContain('##[')
    expect(logLine('issue #12 [closed]')).toBe('issue #12 [closed]')
  })
})
