import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { readEngineReport } from './engine-run.js'

const dir = mkdtempSync(path.join(tmpdir(), 'engine-run-'))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe("the engine's report file", () => {
  it('refuses a report larger than a string can hold by its size, unread, as the gate would', async () => {
    // Sparse: 600 MB on paper, nothing on disk. Past Node's longest string, it could never be parsed.
    const file = path.join(dir, 'huge.json')
    writeFileSync(file, '')
    truncateSync(file, 600 * 1024 * 1024)
    await expect(readEngineReport('trivy', file)).rejects.toThrow(
      'trivy: wrote a report of 629145600 bytes, over the 536870912-byte limit.'
    )
  })

  it('says a report cut short is not JSON', async () => {
    const file = path.join(dir, 'cut.json')
    writeFileSync(file, '{"Results": [')
    await expect(readEngineReport('trivy', file)).rejects.toThrow(
      'trivy: wrote a report that is not JSON (cut short?).'
    )
  })
})
