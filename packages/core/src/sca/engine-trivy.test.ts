import { describe, expect, it } from '@jest/globals'
import { unreadFiles } from './engine-trivy.js'

// Trivy 0.74.0's own lines (`trivy fs --debug`) for a package-lock.json and a poetry.lock it cannot parse.
const LOG = [
  '2026-12-02T19:54:58Z\tDEBUG\tParsed severities\tseverities=[UNKNOWN LOW MEDIUM HIGH CRITICAL]',
  '2026-12-02T19:54:58Z\tDEBUG\tWalk error\tfile_path="api/poetry.lock" err="parse error: failed to parse api/poetry.lock: failed to decode poetry.lock: toml: line 1 (last key \\"garbage-line\\"): expected value but found \'=\' instead"',
  '2026-12-02T19:54:58Z\tDEBUG\tWalk error\tfile_path="web/package-lock.json" err="parse error: failed to parse web/package-lock.json: decode error: jsontext: unexpected EOF within \\"/packages\\" after offset 36"'
].join('\n')

describe('unreadFiles', () => {
  it('names each selected dependency file Trivy logged a walk error for', () => {
    expect(unreadFiles(LOG, new Set(['web/package-lock.json']))).toEqual([
      'web/package-lock.json: parse error: failed to parse web/package-lock.json: decode error: jsontext: unexpected EOF within \\"/packages\\" after offset 36'
    ])
  })
  it('leaves out the files the scan does not select, and finds nothing in a clean log', () => {
    expect(unreadFiles(LOG, new Set(['other/package-lock.json']))).toEqual([])
    expect(unreadFiles(LOG.split('\n')[0]!, new Set(['web/package-lock.json']))).toEqual([])
  })
})
