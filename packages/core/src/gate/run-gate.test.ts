import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { formatAnnotation, selectAnnotations } from '../report/annotations.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { runGate } from './run-gate.js'
import type { GateConfig } from './ports.js'

const workspace = mkdtempSync(path.join(tmpdir(), 'run-gate-'))
afterAll(() => rmSync(workspace, { recursive: true, force: true }))

/** 60 results: high (blocking) and medium, some without a line, some suppressed in source. */
function sarif(): string {
  const results = Array.from({ length: 60 }, (_, i) => ({
    ruleId: i % 2 ? 'r.high' : 'r.medium',
    message: { text: `finding ${i}` },
    locations:
      i % 7 === 0
        ? [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.ts` } } }]
        : [{ physicalLocation: { artifactLocation: { uri: `src/f${i}.ts` }, region: { startLine: i + 1 } } }],
    ...(i % 5 === 0 ? { suppressions: [{ kind: 'inSource' }] } : {})
  }))
  const rules = [
    { id: 'r.high', defaultConfiguration: { level: 'error' } },
    { id: 'r.medium', defaultConfiguration: { level: 'warning' } }
  ]
  return JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'Semgrep OSS', rules } }, results }]
  })
}

describe('runGate annotations', () => {
  it('writes the first ten errors and ten warnings in report order, as selectAnnotations picks them', async () => {
    mkdirSync(path.join(workspace, 'reports'))
    writeFileSync(path.join(workspace, 'reports', 'sast.sarif'), sarif())
    const config: GateConfig = {
      workspace,
      reports: ['reports/*.sarif'],
      baseline: [],
      policyPath: '.github/secure-pipeline.yml',
      policyExplicit: false,
      upload: 'false',
      comment: 'false',
      annotations: true,
      outputDir: path.join(workspace, 'out'),
      topFindings: 50,
      today: '2026-11-25'
    }
    const lines: string[] = []
    const { verdict } = await runGate(config, {
      logger: memoryLogger(),
      summary: new JobSummary(),
      writeLine: line => lines.push(line),
      run: {},
      now: () => new Date('2026-11-25T12:00:00Z')
    })
    const expected = selectAnnotations(
      verdict.findings
        .filter(e => e.counted && e.finding.location?.startLine !== undefined)
        .map(e => ({
          level: e.blocking ? ('error' as const) : ('warning' as const),
          title: `${e.finding.severity} ${e.finding.ruleId} (${e.finding.scanner})`,
          message: e.finding.message,
          file: e.finding.location!.path,
          startLine: e.finding.location!.startLine
        }))
    ).map(formatAnnotation)
    expect(lines).toEqual(expected)
    expect(lines.filter(l => l.startsWith('::error '))).toHaveLength(10)
    expect(lines.filter(l => l.startsWith('::warning '))).toHaveLength(10)
    expect(lines[0]).toBe('::error title=high r.high (semgrep),file=src/f1.ts,line=2::finding 1')
  })
})
