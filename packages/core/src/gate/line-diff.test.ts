import { describe, expect, it } from '@jest/globals'
import { insertedLines } from './line-diff.js'

const lines = (text: string) => text.split('\n')
const inserted = (before: string, after: string, maxEdits?: number) =>
  [...insertedLines(lines(before), lines(after), maxEdits)].sort((x, y) => x - y)

describe('insertedLines', () => {
  it('finds a copy of a line the base has elsewhere as inserted', () => {
    expect(
      inserted('a\nrun(x) // nosemgrep\nb', 'a\nrun(x) // nosemgrep\nb\nc\nrun(x) // nosemgrep')
    ).toEqual([4, 5])
  })

  it('finds inserted and replaced lines, not moved-around unchanged ones, and ignores indentation', () => {
    expect(inserted('a\nb\nc\nd', 'a\nx\nb\n  c  \ny')).toEqual([2, 5])
    expect(inserted('a\nb\nc', 'a\nb\nc')).toEqual([])
    expect(inserted('', 'a\nb')).toEqual([1, 2])
    expect(inserted('a\nb', 'b')).toEqual([])
  })

  it('counts every line between the common start and end as inserted past the edit limit', () => {
    expect(inserted('h\n1\n2\n3\nt', 'h\n4\n5\n6\nt', 2)).toEqual([2, 3, 4])
    expect(inserted('h\n1\n2\n3\nt', 'h\n4\n5\n6\nt')).toEqual([2, 3, 4])
  })

  it('agrees with the edit script of a larger pseudo-random change', () => {
    let seed = 7
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31
    const before = Array.from({ length: 400 }, (_, i) => `line ${i % 50}`)
    const after: string[] = []
    const fresh = new Set<number>()
    for (const line of before) {
      const r = random()
      if (r < 0.1) continue
      if (r < 0.2) {
        fresh.add(after.length + 1)
        after.push(`new ${after.length}`)
      }
      after.push(line)
    }
    // Lines no base line matches must be inserted; the total never exceeds what was written anew plus moves.
    const found = insertedLines(before, after)
    for (const line of fresh) expect(found.has(line)).toBe(true)
    expect(found.size).toBe(fresh.size)
  })
})
