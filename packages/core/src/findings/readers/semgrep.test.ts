import { describe, expect, it } from '@jest/globals'
import { readSemgrep, semgrepProblems } from './semgrep.js'

describe('semgrepProblems', () => {
  it('fails on rule errors, timeouts and dropped matches, warns on target syntax errors', () => {
    const problems = semgrepProblems('semgrep', [
      {
        level: 'warn',
        type: 'Timeout',
        rule_id: 'r',
        path: 'big.py',
        message: 'Timeout when running r on big.py:\n '
      },
      { level: 'warn', type: 'Out of memory', path: 'x.js', message: 'oom' },
      { level: 'warn', type: 'Syntax error', path: 'broken.py', message: 'at line 3' },
      { level: 'warn', type: ['PartialParsing', []], path: 'p.go', message: 'partial' },
      { level: 'error', type: 'Missing plugin', message: 'x' },
      { level: 'warn', type: 'Too many matches', rule_id: 'r', path: 'gen.js', message: 'dropped' }
    ])
    expect(problems.map(p => p.level)).toEqual(['error', 'error', 'warning', 'warning', 'error', 'error'])
    expect(problems[0]?.message).toBe('semgrep Timeout in big.py: Timeout when running r on big.py:')
  })

  it('takes a missing or unknown level for an error, and info for a warning', () => {
    const levels = semgrepProblems('semgrep', [
      { type: 'Other', message: 'no level' },
      { level: 'fatal?', type: 'Other', message: 'unknown level' },
      { level: 'info', type: 'Other', message: 'a notice' }
    ]).map(p => p.level)
    expect(levels).toEqual(['error', 'error', 'warning'])
  })

  it('reads a missing errors array as no problems', () => {
    expect(semgrepProblems('semgrep', undefined)).toEqual([])
  })
})

describe('readSemgrep (a Semgrep JSON report the gate reads)', () => {
  it('fails the report when Semgrep dropped matches or timed out, as the sast action does', () => {
    // Past 10,000 matches of a rule in a file, Semgrep reports none of them and only warns.
    const report = readSemgrep(
      {
        results: [],
        errors: [
          { level: 'warn', type: 'Too many matches', rule_id: 'r', path: 'gen.js', message: 'dropped' },
          { level: 'warn', type: 'Timeout', rule_id: 'r', path: 'big.py', message: 'timeout' }
        ]
      },
      'semgrep.json'
    )
    expect(report.problems).toEqual([
      { level: 'error', message: 'semgrep Too many matches in gen.js: dropped' },
      { level: 'error', message: 'semgrep Timeout in big.py: timeout' }
    ])
  })
})
