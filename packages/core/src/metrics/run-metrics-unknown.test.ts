import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { metricsOptions } from '../../../../test/support/metrics-options.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { runMetrics } from './run-metrics.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'metrics-unknown-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const options = metricsOptions(workspace)

describe('metrics without a single gate run of the branch', () => {
  it('says the open findings are unknown, never 0', async () => {
    const summary = new JobSummary()
    const { document, files } = await runMetrics(options, {
      logger: memoryLogger(),
      summary,
      now: () => new Date('2026-10-01T12:00:00Z'),
      context: { repository: 'acme/app', defaultBranch: 'main' }
    })
    expect(document.vulnerabilities.open).toBeNull()
    expect(document.vulnerabilities.suppressed).toBeNull()
    const table = summary.render().split('\n')
    expect(table.find(line => line.startsWith('| critical |'))).toBe('| critical | — | — | 0 | — | — |')
    expect(summary.render()).toContain('No gate evidence of `main` was read')
    expect(readFileSync(files.html, 'utf8')).toContain(
      '<tr><th scope="row">open findings (suppressed)</th><td class="num">unknown: no gate evidence of the branch was read</td></tr>'
    )
  })
})
