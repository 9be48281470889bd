import { afterAll, describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseGateEvidence } from '../evidence/read.js'
import { gateEvidenceSchema } from '../evidence/schema.js'
import { checkShape } from '../runtime/json-shape.js'
import { parsePolicy } from '../policy/load.js'
import { makeFinding } from '../../../../test/support/findings.js'
import { buildEvidence, policyEvidence, writeEvidenceFile, type EvidenceArgs } from './evidence.js'
import { evaluateGate } from './verdict.js'

const dir = mkdtempSync(path.join(tmpdir(), 'gate-evidence-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

function argsFor(
  findings: ReturnType<typeof makeFinding>[],
  policyText = '',
  baseline?: ReturnType<typeof makeFinding>[]
): EvidenceArgs {
  const policy = parsePolicy(policyText, 'built-in defaults')
  const verdict = evaluateGate({ findings, brokenInputs: [], policy, today: '2026-11-25', baseline })
  return {
    verdict,
    policy: policyEvidence(
      { decidedBy: 'head', deciding: { policy, origin: 'built-in defaults' } },
      undefined
    ),
    reports: [{ file: 'a.sarif', sha256: 'f'.repeat(64), bytes: 1, format: 'sarif', tools: [], findings: 1 }],
    run: { commit: 'abc' },
    generatedAt: '2026-11-25T12:00:00.000Z',
    uploaded: { status: 'skipped' }
  }
}

function written(args: EvidenceArgs): string {
  const file = path.join(dir, `evidence-${Math.random()}.json`)
  writeEvidenceFile(dir, file, args)
  return readFileSync(file, 'utf8')
}

describe('evidence file', () => {
  it('is byte for byte the JSON of buildEvidence, across write batches', () => {
    const findings = Array.from({ length: 9001 }, (_, i) =>
      makeFinding({
        severity: (['critical', 'high', 'medium', 'low', 'info'] as const)[i % 5],
        ruleId: `rule-${i % 7}`,
        scanner: i % 2 ? 'semgrep' : 'trivy',
        fingerprint: `${i.toString(16).padStart(32, '0')}`,
        suppressions: i % 11 === 0 ? [{ kind: 'inSource' }] : []
      })
    )
    const args = argsFor(findings)
    const text = written(args)
    expect(text).toBe(JSON.stringify(buildEvidence(args)))
    const evidence = JSON.parse(text)
    // Suppressed findings are not counted, so they are not listed.
    expect(evidence.findings).toHaveLength(9001 - Math.ceil(9001 / 11))
    expect(evidence.suppressed.inReports).toBe(Math.ceil(9001 / 11))
    // The suppressed ones are listed apart, by fingerprint, with the reason.
    expect(evidence.uncounted).toHaveLength(Math.ceil(9001 / 11))
    expect(evidence.uncounted[0]).toEqual({
      fingerprint: '0'.repeat(32),
      ruleId: 'rule-0',
      severity: 'critical',
      scanner: 'trivy',
      reason: 'suppressed'
    })
    expect(evidence.findings[0]).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{32}$/),
      ruleId: expect.any(String),
      severity: 'critical',
      scanner: expect.any(String),
      blocking: true,
      new: true
    })
  })

  it('leaves no half document when the run dies mid-write, and replaces an earlier one whole', () => {
    const file = path.join(dir, 'crash', 'evidence.json')
    writeEvidenceFile(dir, file, argsFor([makeFinding({ fingerprint: 'a'.repeat(32) })]))
    const earlier = readFileSync(file, 'utf8')
    const findings = Array.from({ length: 3000 }, (_, i) =>
      makeFinding({ ruleId: `rule-${i}`, fingerprint: i.toString(16).padStart(32, '0') })
    )
    const args = argsFor(findings)
    // The last row throws once thousands of rows (several write batches) are out.
    Object.defineProperty(args.verdict.findings.at(-1)!.finding, 'fingerprint', {
      get: () => {
        throw new Error('out of memory')
      }
    })
    expect(() => writeEvidenceFile(dir, file, args)).toThrow('out of memory')
    // Parsed: half a document is not JSON (and its text would flood the failure message).
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(JSON.parse(earlier))
    expect(readdirSync(path.dirname(file))).toEqual(['evidence.json'])
  })

  it('escapes fingerprints and rule ids that need it, as JSON.stringify does', () => {
    const findings = [
      makeFinding({ fingerprint: 'quote"back\\slash', ruleId: 'rule "x"' }),
      makeFinding({ fingerprint: 'line\nbreak\u0001', ruleId: 'ünïcode-\u2028' }),
      makeFinding({ fingerprint: 'lone-\ud800-surrogate', scanner: 'Scan"ner' }),
      makeFinding({ fingerprint: '' })
    ]
    const args = argsFor(findings)
    const text = written(args)
    expect(text).toBe(JSON.stringify(buildEvidence(args)))
    expect(JSON.parse(text).findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual([
      'quote"back\\slash',
      'line\nbreak\u0001',
      'lone-\ud800-surrogate',
      ''
    ])
  })

  it('writes an empty findings list when nothing is counted, and says why each finding did not count', () => {
    const known = makeFinding({ fingerprint: 'known', ruleId: 'r-known' })
    const args = argsFor(
      [
        makeFinding({ fingerprint: 'nosemgrep', ruleId: 'r-1', suppressions: [{ kind: 'inSource' }] }),
        makeFinding({ fingerprint: 'excepted', ruleId: 'CVE-2026-0001', severity: 'critical' }),
        makeFinding({ fingerprint: 'known', ruleId: 'r-known', severity: 'low' })
      ],
      'exceptions:\n  - id: CVE-2026-0001\n    reason: not reachable\n    owner: team-a\n    expires: 2026-12-31\n',
      [known]
    )
    const text = written(args)
    expect(text).toBe(JSON.stringify(buildEvidence(args)))
    const evidence = JSON.parse(text)
    expect(evidence.findings).toEqual([])
    // As the `new` output and the summary say: the excepted and the nosemgrep finding are new but do not count.
    expect(evidence.baseline).toEqual({ new: 0, fixed: 0 })
    expect(
      evidence.uncounted.map((u: { fingerprint: string; reason: string }) => [u.fingerprint, u.reason]).sort()
    ).toEqual([
      ['excepted', 'exception'],
      ['known', 'baseline'],
      ['nosemgrep', 'suppressed']
    ])
  })

  it('is the document metrics reads: the shared schema accepts it and knows every field it holds', () => {
    const known = makeFinding({ fingerprint: 'known' })
    const args = argsFor(
      [known, makeFinding({ severity: 'medium' }), makeFinding({ suppressions: [{ kind: 'external' }] })],
      'gate:\n  fail-on: [critical]\n',
      [known]
    )
    const text = written(args)
    // Exact: a field the schema does not declare would go unread by metrics.
    expect(checkShape(gateEvidenceSchema, JSON.parse(text), { exact: true })).toEqual({
      success: true,
      data: JSON.parse(text)
    })
    const read = parseGateEvidence(Buffer.from(text), 'evidence.json')
    expect(read.evidence).toEqual(JSON.parse(text))
    expect(read.sha256).toBe(createHash('sha256').update(text).digest('hex'))
    expect(read.bytes).toBe(Buffer.byteLength(text))
  })

  it('records the in-source mode and how many suppressions the change added, in the schema metrics reads', () => {
    const mine = makeFinding({ fingerprint: 'mine', suppressions: [{ kind: 'inSource' }] })
    const theirs = makeFinding({ fingerprint: 'theirs', suppressions: [{ kind: 'inSource' }] })
    const policy = parsePolicy('', 'built-in defaults')
    const verdict = evaluateGate({
      findings: [mine, theirs],
      brokenInputs: [],
      policy,
      today: '2026-11-25',
      inSourceByChange: new Set([mine])
    })
    const text = written({ ...argsFor([]), verdict, inSourceInChangedFiles: 2 })
    const evidence = JSON.parse(text)
    expect(evidence.inSourceSuppressions).toEqual({
      mode: 'reviewed',
      total: 2,
      inChangedFiles: 2,
      byChange: 1
    })
    expect(evidence.findings.map((f: { fingerprint: string }) => f.fingerprint)).toEqual(['mine'])
    expect(checkShape(gateEvidenceSchema, evidence, { exact: true }).success).toBe(true)
    // Off a change event nothing was told apart: null, as for files written before the mode existed.
    expect(JSON.parse(written(argsFor([mine]))).inSourceSuppressions).toEqual({
      mode: 'reviewed',
      total: 1,
      inChangedFiles: null,
      byChange: null
    })
  })

  it('lists every ignore file the change adds or modifies, with line counts and whether it may waive more', () => {
    // Twelve changes: the summary shows ten, an auditor reading the evidence sees all of them.
    const trimmed = Array.from({ length: 11 }, (_, i) => ({
      path: `svc${i}/.semgrepignore`,
      status: 'modified' as const,
      added: [],
      removed: [`vendor${i}/`]
    }))
    const ignoreFiles = [
      ...trimmed,
      {
        path: '.trivyignore',
        status: 'added' as const,
        added: ['CVE-2021-23337', 'CVE-2024-0001'],
        removed: [],
        problem: 'is a symbolic link'
      }
    ]
    const evidence = JSON.parse(written({ ...argsFor([]), ignoreFiles }))
    expect(evidence.ignoreFiles).toHaveLength(12)
    expect(evidence.ignoreFiles[0]).toEqual({
      path: 'svc0/.semgrepignore',
      status: 'modified',
      linesAdded: 0,
      linesRemoved: 1,
      mayIgnoreMore: false
    })
    // Counts, never the lines: what a pull request wrote there stays out of the audit record.
    expect(evidence.ignoreFiles[11]).toEqual({
      path: '.trivyignore',
      status: 'added',
      linesAdded: 2,
      linesRemoved: 0,
      mayIgnoreMore: true,
      problem: 'is a symbolic link'
    })
    expect(checkShape(gateEvidenceSchema, evidence, { exact: true }).success).toBe(true)
    // Off a change event there was nothing to compare: null, as for files written before the list existed.
    expect(JSON.parse(written(argsFor([]))).ignoreFiles).toBeNull()
  })

  it('records which policy decided and the digests of both versions, by repository path', () => {
    const base = parsePolicy('gate:\n  fail-on: [critical, high]\n', '.github/secure-pipeline.yml')
    const proposed = parsePolicy('gate:\n  fail-on: []\n', '.github/secure-pipeline.yml')
    const findings = [makeFinding({ severity: 'high' })]
    const judge = (policy: typeof base) =>
      evaluateGate({ findings, brokenInputs: [], policy, today: '2026-11-25' })
    const evidence = policyEvidence(
      {
        decidedBy: 'base',
        deciding: { policy: base, origin: 'merge-base 0123456789ab' },
        other: { role: 'proposed', origin: 'this pull request', policy: proposed }
      },
      judge(proposed)
    )
    const sha = (text: string) => createHash('sha256').update(text).digest('hex')
    expect(evidence).toEqual({
      decidedBy: 'base',
      source: '.github/secure-pipeline.yml',
      origin: 'merge-base 0123456789ab',
      sha256: sha('gate:\n  fail-on: [critical, high]\n'),
      other: {
        role: 'proposed',
        source: '.github/secure-pipeline.yml',
        origin: 'this pull request',
        sha256: sha('gate:\n  fail-on: []\n'),
        outcome: 'pass',
        reasons: []
      }
    })
    const broken = policyEvidence(
      {
        decidedBy: 'base',
        deciding: { policy: base, origin: 'merge-base 0123456789ab' },
        other: { role: 'proposed', origin: 'this pull request', error: 'Policy file is invalid' }
      },
      undefined
    )
    expect(broken.other).toEqual({
      role: 'proposed',
      origin: 'this pull request',
      error: 'Policy file is invalid'
    })
  })
})
