import { describe, expect, it } from '@jest/globals'
import { withCommandsStopped } from './annotations.js'

describe('withCommandsStopped', () => {
  it('resumes workflow commands only on its own last line, whatever the lines say', () => {
    const written: string[] = []
    const hostile = ['::sp-0x::', '::SP-1X::', 'x ::sp-2x:: y', '::error::not obeyed']
    withCommandsStopped(line => written.push(line), hostile)
    const token = /^::stop-commands::(.+)$/.exec(written[0]!)?.[1]
    expect(token).toBe('sp-3x')
    expect(written.slice(1, -1)).toEqual(hostile)
    expect(written.at(-1)).toBe(`::${token}::`)
    expect(hostile.some(line => line.toLowerCase().includes(token!))).toBe(false)
  })
})
