import { describe, expect, it } from '@jest/globals'
import type { ProcessOutcome } from '../runtime/process.js'
import { stdoutReport } from './engine-output.js'

const outcome = (stdout: string, stdoutTruncated = false): ProcessOutcome => ({
  exitCode: 0,
  signal: null,
  timedOut: false,
  stdout,
  stdoutTruncated,
  stderr: 'scanned 4 files',
  durationMs: 10
})

describe("an engine's stdout as its report", () => {
  it('reads a whole JSON object', () => {
    expect(stdoutReport('osv-scanner', outcome('{"results":[]}'))).toEqual({ results: [] })
  })

  it('says a report past the bytes kept was too large, not that it is not JSON', () => {
    expect(() => stdoutReport('osv-scanner', outcome('"id": "GHSA-x"}]}]}', true))).toThrow(
      'osv-scanner: its JSON report passed the 256 MiB this action reads, so it was not read; scan fewer dependency files per step'
    )
  })

  it('names output that is not a JSON object, with its last words', () => {
    expect(() => stdoutReport('trivy', outcome('[1, 2]'))).toThrow(
      /^trivy: its output is not a JSON report: /
    )
    expect(() => stdoutReport('trivy', outcome('{"Results": ['))).toThrow(
      /^trivy: its output is not a JSON report: /
    )
  })
})
