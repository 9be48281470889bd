import { expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import type { Severity } from '../../packages/core/src/findings/finding.js'
import { runGate } from '../../packages/core/src/gate/run-gate.js'
import { testConfig, testPorts } from '../support/gate-ports.js'
import { expected, reportFiles, SCANNERS, tally, type Json } from '../support/expected-findings.js'
import { describeWithSharedFixtures } from '../support/shared-fixtures.js'

/* Independent of our code: which results a scanner marked as suppressed, and whether it reported a failure. */
function suppressedSeverities(raw: Json, severities: Severity[]): Severity[] {
  if (raw.runs) {
    const flags = raw.runs.flatMap((run: Json) =>
      (run.results ?? []).map((r: Json) => (r.suppressions ?? []).some((s: Json) => s.status !== 'rejected'))
    )
    return severities.filter((_, i) => flags[i])
  }
  if (raw.paths && raw.results) return severities.filter((_, i) => raw.results[i]?.extra?.is_ignored === true)
  return []
}

function reportsScannerFailure(raw: Json): boolean {
  if (raw.runs) {
    return raw.runs.some(
      (run: Json) =>
        run.results === undefined ||
        (run.invocations ?? []).some(
          (inv: Json) =>
            inv.executionSuccessful === false ||
            (inv.toolExecutionNotifications ?? []).some((n: Json) => n.level === 'error')
        )
    )
  }
  if (raw.paths && raw.errors) return raw.errors.some((e: Json) => (e.level ?? 'error') === 'error')
  return false
}

function minus(all: Severity[], removed: Severity[]): Severity[] {
  const left = [...all]
  for (const s of removed) left.splice(left.indexOf(s), 1)
  return left
}

async function gateOn(file: string, damage?: (text: string) => string) {
  const workspace = mkdtempSync(path.join(tmpdir(), 'gate-conformance-'))
  mkdirSync(path.join(workspace, 'reports'))
  const copy = path.join(workspace, 'reports', path.basename(file))
  cpSync(path.join(SCANNERS, file), copy)
  if (damage) writeFileSync(copy, damage(readFileSync(copy, 'utf8')))
  const { ports } = testPorts()
  const result = await runGate(testConfig(workspace), ports)
  const summary = ports.summary
  return {
    ...result,
    summary: summary.render(),
    evidence: JSON.parse(readFileSync(result.evidenceFile, 'utf8'))
  }
}

describeWithSharedFixtures('the gate over every real scanner output', () => {
  it.each(reportFiles())('%s: counts, suppressions and verdict', async file => {
    const raw = JSON.parse(readFileSync(path.join(SCANNERS, file), 'utf8')) as Json
    const all = expected(raw).severities
    const counted = minus(all, suppressedSeverities(raw, all))
    const failure = reportsScannerFailure(raw)
    const { verdict, summary, evidence } = await gateOn(file)

    const nonZero = (c: Record<string, number>) =>
      Object.fromEntries(Object.entries(c).filter(([, n]) => n > 0))
    expect(nonZero(verdict.counts.all.bySeverity)).toEqual(tally(all))
    expect(nonZero(verdict.counts.counted.bySeverity)).toEqual(tally(counted))
    const wantOutcome = failure
      ? 'fail-broken-input'
      : counted.some(s => s === 'critical' || s === 'high')
        ? 'fail-findings'
        : 'pass'
    expect(verdict.outcome).toBe(wantOutcome)
    expect(evidence.verdict.outcome).toBe(wantOutcome)
    expect(evidence.reports[0].sha256).toMatch(/^[0-9a-f]{64}$/)
    expect(Buffer.byteLength(summary)).toBeLessThan(1024 * 1024)
  })
})

describeWithSharedFixtures('the fixtures exercise both findings outcomes', () => {
  it('has passes and findings failures among them', async () => {
    const outcomes = new Set<string>()
    for (const file of reportFiles()) outcomes.add((await gateOn(file)).verdict.outcome)
    expect(outcomes).toEqual(new Set(['fail-findings', 'pass']))
  })
})

describeWithSharedFixtures('a real report cut short is a broken input, never fewer findings', () => {
  it.each(reportFiles())('%s truncated', async file => {
    const { verdict } = await gateOn(file, text => text.slice(0, Math.floor(text.length / 2)))
    expect(verdict.outcome).toBe('fail-broken-input')
    expect(verdict.brokenInputs[0]?.message).toMatch(/truncated|malformed|JSON/i)
  })
})
