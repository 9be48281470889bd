import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { formatTable, measure, median, percentile, runOnce, stats } from '../../../bench/measure.js'
import { benchFiles, parseRuns } from '../../../bench/run.js'

let work: string
beforeEach(() => void (work = mkdtempSync(path.join(tmpdir(), 'sp-bench-test-'))))
afterEach(() => rmSync(work, { recursive: true, force: true }))

describe('statistics', () => {
  it('takes medians and nearest-rank percentiles', () => {
    expect(median([5, 1, 3])).toBe(3)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90)).toBe(9)
    expect(percentile([7], 90)).toBe(7)
    expect(stats([3, 1, 2])).toEqual({ median: 2, p90: 3, min: 1, max: 3 })
    expect(median([])).toBeNaN()
  })

  it('pads a markdown table', () => {
    expect(formatTable(['a', 'long'], [['xyz', '1']])).toEqual([
      '| a   | long |',
      '|-----|------|',
      '| xyz | 1    |'
    ])
  })
})

describe('runOnce and measure (real processes)', () => {
  it('records exit code, output and a peak RSS that grows with allocation', () => {
    const small = runOnce({ label: 'small', command: process.execPath, args: ['-e', 'process.exit(3)'] })
    const big = runOnce({
      label: 'big',
      command: process.execPath,
      args: ['-e', 'const b = Buffer.alloc(200 * 1024 * 1024, 1); console.log(b[5])']
    })
    expect(small.exitCode).toBe(3)
    expect(big.stdout.trim()).toBe('1')
    expect(small.wallMs).toBeGreaterThan(0)
    expect(small.peakRssKb).toBeGreaterThan(1024)
    expect(big.peakRssKb ?? 0).toBeGreaterThan((small.peakRssKb ?? 0) + 150 * 1024)
  })

  it('falls back to a preloaded probe for node when GNU time is absent', () => {
    const sample = runOnce(
      { label: 'probe', command: process.execPath, args: ['-e', 'Buffer.alloc(100 * 1024 * 1024, 1)'] },
      false
    )
    expect(sample.exitCode).toBe(0)
    expect(sample.peakRssKb ?? 0).toBeGreaterThan(100 * 1024)
    const other = runOnce({ label: 'sh', command: '/bin/sh', args: ['-c', 'exit 0'] }, false)
    expect(other.peakRssKb).toBeUndefined()
  })

  it('interleaves commands run by run after a warm-up', () => {
    const log = path.join(work, 'order')
    writeFileSync(log, '')
    const spec = (label: string) => ({
      label,
      command: process.execPath,
      args: ['-e', `require('fs').appendFileSync(${JSON.stringify(log)}, '${label}')`]
    })
    const results = measure([spec('A'), spec('B')], 3, 1)
    expect(readFileSync(log, 'utf8')).toBe('ABABABAB')
    expect(results.map(r => [r.label, r.samples.length, r.exitCodes])).toEqual([
      ['A', 3, [0]],
      ['B', 3, [0]]
    ])
    expect(results[0]?.wallMs.median).toBeGreaterThan(0)
  })
})

describe('bench runner', () => {
  it('finds p*.ts files in numeric order and filters by prefix', () => {
    for (const name of ['p10-x.ts', 'p2-y.ts', 'p1-startup.ts', 'measure.ts', 'p3.ts', 'notes.md']) {
      writeFileSync(path.join(work, name), '')
    }
    expect(benchFiles(work)).toEqual(['p1-startup.ts', 'p2-y.ts', 'p3.ts', 'p10-x.ts'])
    expect(benchFiles(work, ['p1'])).toEqual(['p1-startup.ts'])
    expect(benchFiles(work, ['p3', 'p10'])).toEqual(['p3.ts', 'p10-x.ts'])
  })

  it('validates BENCH_RUNS', () => {
    expect(parseRuns(undefined)).toBe(15)
    expect(parseRuns('5')).toBe(5)
    expect(() => parseRuns('0')).toThrow(/BENCH_RUNS/)
    expect(() => parseRuns('many')).toThrow(/BENCH_RUNS/)
  })
})
