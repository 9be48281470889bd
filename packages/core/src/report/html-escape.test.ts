import { describe, expect, it } from '@jest/globals'
import { truncateText } from './html-escape.js'

describe('truncateText', () => {
  it('keeps text that fits and marks a cut with …, within the limit', () => {
    expect(truncateText('abcdef', 6)).toBe('abcdef')
    expect(truncateText('abcdef', 4)).toBe('abc…')
  })

  it('never keeps half of a character written as a surrogate pair', () => {
    // '😀' is two UTF-16 units; a cut between them left a lone surrogate, shown as U+FFFD.
    expect(truncateText('ab😀cd', 4)).toBe('ab…')
    expect(truncateText('ab😀cd', 5)).toBe('ab😀…')
    expect(Buffer.from(truncateText('😀😀😀', 4)).toString()).toBe('😀…')
  })
})
