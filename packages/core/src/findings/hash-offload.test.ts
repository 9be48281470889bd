import { describe, expect, it } from '@jest/globals'
import { createHash } from 'node:crypto'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { HashOffload } from './hash-offload.js'
import { readReportFile } from './read-report.js'
import type { Finding } from './finding.js'

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex')

/** 10,000 results (three jobs and a part): scanner fingerprints, snippets, lines, and results with none. */
function largeSarif(): string {
  const results = Array.from({ length: 10_000 }, (_, i) => ({
    ruleId: `rule-${i % 7}`,
    message: { text: `finding ${i}` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `src/file-${i % 301}.ts` },
          ...(i % 5 === 4
            ? {}
            : { region: { startLine: 1 + i, ...(i % 5 === 1 ? { snippet: { text: `call(${i})` } } : {}) } })
        }
      }
    ],
    ...(i % 5 === 0 ? { partialFingerprints: { primaryLocationLineHash: `h${i}` } } : {})
  }))
  return JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'CodeQL' } }, results }] })
}

function reportFile(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'offload-')), 'big.sarif')
  writeFileSync(file, largeSarif())
  return file
}

describe('hashing a large report on a second thread', () => {
  it('gives every finding the fingerprint, and the file the digest, it gets on one thread', () => {
    const file = reportFile()
    const offloaded = readReportFile(file, { offloadBytes: 0 })
    const inline = readReportFile(file, { offloadBytes: Number.POSITIVE_INFINITY })
    expect(offloaded.findings.map(f => f.fingerprint)).toEqual(inline.findings.map(f => f.fingerprint))
    expect(new Set(offloaded.findings.map(f => f.fingerprint)).size).toBe(10_000)
    // The format the fingerprint is documented to hash: rule, path, then the scanner's own fingerprint.
    expect(offloaded.findings[0]!.fingerprint).toBe(
      sha256('rule-0\u0000src/file-0.ts\u0000primaryLocationLineHash=h0').slice(0, 32)
    )
    expect(offloaded.findings[1]!.fingerprint).toBe(
      sha256('rule-1\u0000src/file-1.ts\u0000ctx:call(1)').slice(0, 32)
    )
    expect(offloaded.digest).toEqual({ sha256: sha256(readFileSync(file)), bytes: readFileSync(file).length })
  })

  it('does every job on the main thread when the worker is gone', () => {
    const offload = HashOffload.start()!
    offload.stop()
    const bytes = new Uint8Array(new SharedArrayBuffer(3))
    bytes.set([97, 98, 99])
    expect(offload.digest(bytes)()).toBe(sha256('abc'))
    const findings = Array.from({ length: 5000 }, (_, i): Finding => ({
      ruleId: 'r',
      aliases: [],
      message: 'm',
      severity: 'high',
      kind: 'code',
      scanner: 'semgrep',
      fingerprint: '',
      partialFingerprints: {},
      suppressions: [],
      cwe: [],
      tags: [],
      location: { path: 'a.py', startLine: i + 1 }
    }))
    for (const finding of findings) offload.fingerprint(finding)
    offload.finish()
    expect(findings[4999]!.fingerprint).toBe(sha256('r\u0000a.py\u0000line:5000').slice(0, 32))
    expect(new Set(findings.map(f => f.fingerprint)).size).toBe(5000)
  })
})
