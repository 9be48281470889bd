import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseSarif } from './read.js'
import { SarifOutput } from './output.js'
import { buildSarifLog } from './write.js'

function workspaceWithStale(): { workspace: string; file: string } {
  const workspace = mkdtempSync(path.join(tmpdir(), 'sarif-out-'))
  const file = path.join(workspace, 'secure-pipeline', 'sast.sarif')
  mkdirSync(path.dirname(file))
  writeFileSync(file, JSON.stringify(buildSarifLog([{ tool: { name: 'semgrep' }, findings: [] }])))
  return { workspace, file }
}

describe('SarifOutput', () => {
  it('removes a stale report when created, before the scan can fail', () => {
    const { workspace, file } = workspaceWithStale()
    new SarifOutput(workspace, file, { tool: { name: 'semgrep' }, category: 'sast' })
    expect(existsSync(file)).toBe(false)
  })

  it('leaves a failed run the gate reads as broken when the action fails before writing', () => {
    const { workspace, file } = workspaceWithStale()
    const output = new SarifOutput(workspace, file, { tool: { name: 'semgrep' }, category: 'sast' })
    output.writeFailure("EISDIR: '.semgrepignore' is a directory")
    const log = JSON.parse(readFileSync(file, 'utf8'))
    expect(log.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: expect.stringContaining('EISDIR') } }]
    })
    expect(log.runs[0].automationDetails.id).toBe('sast/')
    expect(parseSarif(readFileSync(file, 'utf8'), 'sast.sarif').problems).toEqual([
      expect.objectContaining({ level: 'error' })
    ])
  })

  it('never overwrites the real report with a failure', () => {
    const { workspace, file } = workspaceWithStale()
    const output = new SarifOutput(workspace, file, { tool: { name: 'semgrep' }, category: 'sast' })
    output.write(buildSarifLog([{ tool: { name: 'semgrep', version: '1.0.0' }, findings: [] }]))
    output.writeFailure('late failure')
    expect(readFileSync(file, 'utf8')).not.toContain('late failure')
  })
})
