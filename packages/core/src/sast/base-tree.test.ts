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

  it('tells the side of an error without a path (the engine SARIF gives none) by the file its message names', () => {
    const baseTimeout = {
      type: 'Timeout',
      level: 'warn',
      message: 'Timeout when scanning /tmp/w/merge-base/src/slow.py'
    }
    const headTimeout = { type: 'Timeout', level: 'warn', message: 'Timeout when scanning src/slow.py' }
    const rule = { type: 'SemgrepError', level: 'error', message: 'Invalid rule schema' }
    const { head, base } = splitBaseResults(
      { results: [], errors: [baseTimeout, headTimeout, rule] },
      '/tmp/w/merge-base'
    )
    expect(head.errors).toEqual([headTimeout, rule])
    expect(base.errors).toEqual([baseTimeout])
  })
})
