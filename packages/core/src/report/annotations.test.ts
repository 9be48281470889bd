import { describe, expect, it } from '@jest/globals'
import { formatAnnotation, withCommandsStopped } from './annotations.js'

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

describe('formatAnnotation and bidi controls (Trojan Source)', () => {
  it('shows them as code points in the message and title, and leaves the file GitHub resolves exact', () => {
    const line = formatAnnotation({
      level: 'error',
      title: 'rule \u202Eeulav',
      message: 'in src/\u202Esj.nimda',
      file: 'src/\u202Esj.nimda',
      startLine: 3
    })
    expect(line).toBe(
      '::error title=rule [U+202E]eulav,file=src/\u202Esj.nimda,line=3::in src/[U+202E]sj.nimda'
    )
  })
})

describe('formatAnnotation and long texts', () => {
  it('cuts a megabyte-long title and message, and keeps the file whole', () => {
    const file = `k8s/${'n'.repeat(300)}.yaml`
    const line = formatAnnotation({
      level: 'error',
      title: `rule ${'t'.repeat(1_000_000)}`,
      message: `Deployment/${'x'.repeat(1_000_000)}: privileged`,
      file,
      startLine: 1
    })
    expect(line.length).toBeLessThan(5_000)
    expect(line).toContain(`title=rule ${'t'.repeat(249)}…,file=${file},line=1::Deployment/`)
    expect(line.endsWith('x…')).toBe(true)
  })
})
