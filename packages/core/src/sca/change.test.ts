import { describe, expect, it } from '@jest/globals'
import type { PullRequestBase } from '../github/pull-request-base.js'
import { decideScaMode } from './change.js'

function changeOf(paths: string[]): PullRequestBase {
  return {
    event: 'pull_request',
    commit: 'b'.repeat(40),
    head: 'h'.repeat(40),
    changes: paths.map(path => ({ path, status: 'M' as const })),
    changed: file => paths.includes(file),
    read: () => Promise.resolve(undefined)
  }
}

const everything = { scanPath: '.', include: [], exclude: [] }

describe('decideScaMode', () => {
  it('scans a change that writes only a go.work: its replaces decide the versions go build uses', () => {
    const mode = decideScaMode('auto', changeOf(['svc/go.work', 'README.md']), everything, 'diff')
    expect(mode.kind).toBe('diff')
    expect(mode.kind === 'diff' && mode.changed.map(c => c.path)).toEqual(['svc/go.work'])
  })

  it('leaves a go.work out of scope as it leaves a lockfile, and skips a change to go.work.sum', () => {
    const scoped = { scanPath: '.', include: [], exclude: ['tools/**'] }
    expect(decideScaMode('auto', changeOf(['tools/go.work']), scoped, 'diff').kind).toBe('skip')
    expect(decideScaMode('auto', changeOf(['go.work.sum']), everything, 'diff').kind).toBe('skip')
  })
})
