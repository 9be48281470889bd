import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { DAY, evidenceHistory } from '../../../../test/support/metrics-history.js'
import type { GateEvidence } from '../evidence/schema.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import type { MetricsOptions } from './ports.js'
import { runMetrics } from './run-metrics.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'metrics-trust-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

const NOW = Date.parse('2026-10-01T00:00:00Z')
/** Three gate runs of acme/app's main, 30, 15 and 1 days before now; each test rewrites them. */
const history = evidenceHistory({ seed: 7, start: NOW - 30 * DAY, end: NOW - DAY, runs: 3, findings: 0 })
const critical = {
  fingerprint: 'f1',
  ruleId: 'CVE-2026-0001',
  severity: 'critical' as const,
  scanner: 'trivy',
  blocking: true,
  new: true
}

/** Metrics over local evidence files only (no token), as an air-gapped run or downloaded artifacts give them. */
async function measure(dir: string, docs: GateEvidence[], extra: Partial<MetricsOptions> = {}) {
  mkdirSync(path.join(workspace, dir))
  docs.forEach((doc, i) => writeFileSync(path.join(workspace, dir, `${i}.json`), JSON.stringify(doc)))
  const options: MetricsOptions = {
    workspace,
    period: '90d',
    evidence: [`${dir}/*.json`],
    evidenceLookbackDays: 0,
    maxArtifacts: 1,
    codeScanning: 'auto',
    workflowRuns: true,
    branchProtection: true,
    changeRecords: true,
    deployments: [],
    bumpBranchPrefix: 'b/',
    pipelineChecks: [],
    sampleSize: 1,
    outputDir: path.join(workspace, `out-${dir}`),
    inputNames: { period: 'period', end: 'end', evidence: 'evidence', deployments: 'd', outputDir: 'o' },
    ...extra
  }
  const { document } = await runMetrics(options, {
    logger: memoryLogger(),
    summary: new JobSummary(),
    now: () => new Date(NOW),
    context: { repository: 'acme/app', defaultBranch: 'main' }
  })
  return document
}

describe('gate evidence that cannot speak for the branch', () => {
  it("of another repository is refused as broken: its empty list closes none of this repository's findings", async () => {
    const elsewhere = history.document(2)
    const doc = await measure('other-repository', [
      { ...history.document(0), findings: [critical] },
      { ...history.document(1), findings: [critical] },
      { ...elsewhere, findings: [], run: { ...elsewhere.run, repository: 'mallory/app' } }
    ])
    expect(doc.vulnerabilities.open?.critical).toBe(1)
    expect(doc.vulnerabilities.remediatedInPeriod).toBe(0)
    expect(doc.sources.evidence).toMatchObject({ branchRuns: 2 })
    expect(doc.sources.evidence.broken).toEqual([
      {
        source: 'other-repository/2.json',
        message: 'was written in repository mallory/app, not acme/app, the one measured'
      }
    ])
  })

  it('listing a broken input remediates nothing, whatever its verdict says', async () => {
    const doc = await measure('broken-but-pass', [
      { ...history.document(0), findings: [critical] },
      { ...history.document(1), findings: [critical] },
      {
        ...history.document(2),
        findings: [],
        brokenInputs: [{ source: 'secure-pipeline/trivy.sarif', message: 'the report does not exist' }]
      }
    ])
    expect(doc.vulnerabilities.open?.critical).toBe(1)
    expect(doc.vulnerabilities.remediatedInPeriod).toBe(0)
    // Not a complete run either: the slice it falls in shows the run before it, not its zero.
    expect(doc.vulnerabilities.series.at(-1)!.bySeverity).toBeNull()
  })
})

describe('a period reaching past the run', () => {
  it('ages open findings up to now, not up to an end still to come', async () => {
    const doc = await measure(
      'future-end',
      [
        { ...history.document(0), findings: [] },
        { ...history.document(1), findings: [critical] },
        { ...history.document(2), findings: [critical] }
      ],
      { period: '2026-07-01..2026-12-31' }
    )
    expect(doc.period.to).toBe('2026-10-01T00:00:00.000Z')
    expect(doc.vulnerabilities.open?.critical).toBe(1)
    expect(doc.vulnerabilities.oldestOpenDays).toBe(15.5)
    expect(doc.vulnerabilities.series.at(-1)!.label).toBe('week to 2026-09-30')
  })
})
