import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DAY, evidenceHistory } from '../../../../test/support/metrics-history.js'
import { metricsOptions } from '../../../../test/support/metrics-options.js'
import type { GateEvidence } from '../evidence/schema.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { runMetrics } from './run-metrics.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'metrics-reruns-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const END = Date.parse('2026-10-01T00:00:00Z')

const options = metricsOptions(workspace, {
  evidence: ['gate/*.json'],
  codeScanning: 'false',
  workflowRuns: false,
  branchProtection: false,
  changeRecords: false
})

const finding = {
  fingerprint: 'f'.repeat(32),
  ruleId: 'js.sqli',
  severity: 'high' as const,
  scanner: 'semgrep',
  blocking: true,
  new: true
}

function write(name: string, doc: GateEvidence): void {
  mkdirSync(path.join(workspace, 'gate'), { recursive: true })
  writeFileSync(path.join(workspace, 'gate', name), JSON.stringify(doc))
}

describe('gate runs that finish after a later run of the branch', () => {
  it("never reopen what the later run's commit fixed: a re-run, or a slow run of an older commit", async () => {
    // Commit A (run 0) has the finding, commit B (run 1) fixes it. Run 0 is then re-run (or simply finishes
    // last): its evidence is the newest by time, but tested the older commit.
    const h = evidenceHistory({ seed: 5, start: END - 30 * DAY, end: END - 20 * DAY, runs: 2, findings: 0 })
    const first = { ...h.document(0), findings: [finding] }
    write('0.json', first)
    write('1.json', { ...h.document(1), findings: [] })
    write('0-attempt-2.json', {
      ...first,
      generatedAt: new Date(END - 10 * DAY).toISOString(),
      run: { ...first.run, runAttempt: '2' }
    })
    const logger = memoryLogger()
    const { document } = await runMetrics(options, {
      logger,
      summary: new JobSummary(),
      now: () => new Date('2026-10-01T12:00:00Z'),
      context: { repository: 'acme/app', defaultBranch: 'main' }
    })
    expect(document.vulnerabilities.open?.high).toBe(0)
    expect(document.vulnerabilities.remediatedInPeriod).toBe(1)
    expect(document.vulnerabilities.openedInPeriod).toBe(0)
    expect(document.sources.evidence.supersededRuns).toBe(1)
    // The last slice with a complete run shows what the branch's newest run (commit B) saw.
    const observed = document.vulnerabilities.series.filter(p => p.bySeverity)
    expect(observed.at(-1)!.bySeverity!.high).toBe(0)
  })
})
