import { describe, expect, it } from '@jest/globals'
import { BrokenInputError } from '../runtime/errors.js'
import { parseGateEvidence } from './read.js'
import { EVIDENCE_SCHEMA } from './names.js'

const zero = { critical: 0, high: 0, medium: 0, low: 0, info: 0 }
const counts = { total: 0, bySeverity: zero, byScanner: {} }

/** The smallest document the gate writes: no reports, nothing found. */
function minimal(): Record<string, unknown> {
  return {
    schema: EVIDENCE_SCHEMA,
    generatedAt: '2026-10-01T08:00:00.000Z',
    run: { commit: 'c'.repeat(40), ref: 'refs/heads/main' },
    verdict: { outcome: 'pass', passed: true, warnOnly: false, reasons: [] },
    policy: {
      decidedBy: 'head',
      source: 'built-in defaults',
      origin: 'built-in defaults',
      sha256: 'e3b0',
      other: null
    },
    tools: [],
    reports: [],
    brokenInputs: [],
    counts: { all: counts, counted: counts, blocking: counts },
    baseline: null,
    suppressed: { byException: 0, inReports: 0 },
    inSourceSuppressions: { mode: 'honour', total: 0, inChangedFiles: null },
    exceptions: { used: [], expired: [], stale: [] },
    upload: null,
    findings: []
  }
}

const read = (doc: unknown) => parseGateEvidence(Buffer.from(JSON.stringify(doc)), 'runs/7/evidence.json')

describe('parseGateEvidence', () => {
  it('reads a document without the uncounted list (written before it existed)', () => {
    const r = read(minimal())
    expect(r.evidence.uncounted).toBeUndefined()
    expect(r.evidence.verdict.outcome).toBe('pass')
    expect(r.sha256).toMatch(/^[0-9a-f]{64}$/)
  })

  it.each([
    ['not JSON', '{"schema":', /runs\/7\/evidence\.json: not JSON/],
    [
      'another schema',
      JSON.stringify({ ...minimal(), schema: 'secure-pipeline/gate-evidence@9' }),
      /not a gate evidence file \(schema "secure-pipeline\/gate-evidence@9"/
    ],
    ['a SARIF file', JSON.stringify({ version: '2.1.0', runs: [] }), /schema null/],
    [
      'a finding with an unknown severity',
      JSON.stringify({
        ...minimal(),
        findings: [
          { fingerprint: 'f', ruleId: 'r', severity: 'urgent', scanner: 's', blocking: true, new: true }
        ]
      }),
      /findings\.0\.severity/
    ],
    [
      'a count that is not a number',
      JSON.stringify({ ...minimal(), suppressed: { byException: '3', inReports: 0 } }),
      /suppressed\.byException/
    ],
    ['a time that is not a time', JSON.stringify({ ...minimal(), generatedAt: 'yesterday' }), /generatedAt/]
  ])('refuses %s as a broken input, never as an empty history', (_what, text, message) => {
    const attempt = () => parseGateEvidence(Buffer.from(text), 'runs/7/evidence.json')
    expect(attempt).toThrow(BrokenInputError)
    expect(attempt).toThrow(message)
  })
})
