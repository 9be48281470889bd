import { describe, expect, it } from '@jest/globals'
import { splitBaseResults } from './base-tree.js'

describe('splitBaseResults', () => {
  it('separates merge-base results and per-file errors, with head-relative paths; rule errors stay with the head', () => {
    const raw = {
      version: '1.185.0',
      results: [
        { check_id: 'r', path: 'src/a.py' },
        { check_id: 'r', path: '/tmp/w/merge-base/src/a.py' },
        { check_id: 'r', path: '/tmp/w/merge-base-other/x.py' }
      ],
      errors: [
        { type: 'Timeout', path: '/tmp/w/merge-base/src/slow.py', level: 'warn' },
        { type: 'Rule parse error', rule_id: 'bad', level: 'error' }
      ],
      paths: { scanned: [] }
    }
    const { head, base } = splitBaseResults(raw, '/tmp/w/merge-base')
    expect(head.results).toEqual([
      { check_id: 'r', path: 'src/a.py' },
      { check_id: 'r', path: '/tmp/w/merge-base-other/x.py' }
    ])
    expect(head.errors).toEqual([{ type: 'Rule parse error', rule_id: 'bad', level: 'error' }])
    expect(base.results).toEqual([{ check_id: 'r', path: 'src/a.py' }])
    expect(base.errors).toEqual([{ type: 'Timeout', path: 'src/slow.py', level: 'warn' }])
    expect(base.version).toBe('1.185.0')
  })
})
