import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { parsePeriod } from './period.js'
import type { MetricsOptions } from './ports.js'
import { runMetrics } from './run-metrics.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'metrics-period-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

/** The period a run without a token measures, for the `period` and `end` inputs given. */
async function measured(period: string, end: string | undefined) {
  const options: MetricsOptions = {
    workspace,
    period,
    end,
    evidence: [],
    evidenceLookbackDays: 0,
    maxArtifacts: 1,
    codeScanning: 'false',
    workflowRuns: false,
    branchProtection: false,
    changeRecords: false,
    deployments: [],
    bumpBranchPrefix: 'b/',
    pipelineChecks: [],
    sampleSize: 1,
    outputDir: path.join(workspace, 'out'),
    inputNames: { period: 'period', end: 'end', evidence: 'e', deployments: 'd', outputDir: 'o' }
  }
  const { document } = await runMetrics(options, {
    logger: memoryLogger(),
    summary: new JobSummary(),
    now: () => new Date('2026-10-01T12:00:00Z'),
    context: { defaultBranch: 'main' }
  })
  return document.period
}

describe('the period inputs', () => {
  it('read a date to the end of that UTC day, and a time with its offset', async () => {
    expect((await measured('1d', '2026-06-30')).to).toBe('2026-06-30T23:59:59.999Z')
    expect((await measured('1d', '2026-06-30T12:00:00+02:00')).to).toBe('2026-06-30T10:00:00.000Z')
    expect((await measured('1d', '2026-06-30T12:00:00.5Z')).to).toBe('2026-06-30T12:00:00.500Z')
  })

  it.each(['2026-02-30', 'June 30', '1', '2026-06-30T25:00Z'])(
    "refuse the end '%s' instead of measuring another day",
    async end => {
      await expect(measured('90d', end)).rejects.toThrow(ConfigurationError)
      await expect(measured('90d', end)).rejects.toThrow(`Input 'end' ('${end}') must be a date`)
    }
  )

  it('refuse a range naming a day that does not exist', () => {
    expect(() => parsePeriod('2026-02-30..2026-03-31', new Date(0), 'period')).toThrow(
      /^Input 'period' \('2026-02-30\.\.2026-03-31'\) must be/
    )
    expect(parsePeriod('2028-02-29..2028-03-01', new Date(0), 'period').from.toISOString()).toBe(
      '2028-02-29T00:00:00.000Z'
    )
  })

  it('end now at the latest: a period reaching past the run is measured up to the run, a period not yet begun is refused', async () => {
    // The end of today (the run is at noon) and a range to the end of the year.
    expect(await measured('90d', '2026-10-01')).toEqual({
      from: '2026-07-03T23:59:59.999Z',
      to: '2026-10-01T12:00:00.000Z',
      label: '2026-07-03..2026-10-01'
    })
    expect(await measured('2026-07-01..2026-12-31', undefined)).toEqual({
      from: '2026-07-01T00:00:00.000Z',
      to: '2026-10-01T12:00:00.000Z',
      label: '2026-07-01..2026-10-01'
    })
    await expect(measured('30d', '2027-06-30')).rejects.toThrow(
      "Input 'end' ('2027-06-30') puts the whole period after now (2026-10-01T12:00:00.000Z): give an end up to today."
    )
    await expect(measured('2026-11-01..2026-11-30', undefined)).rejects.toThrow(
      /^Input 'period' \('2026-11-01\.\.2026-11-30'\) puts the whole period after now/
    )
  })
})
