import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { JobSummary, STEP_SUMMARY_LIMIT_BYTES } from './job-summary.js'

describe('JobSummary.write over the limit', () => {
  let workspace: string
  let target: string
  beforeEach(() => {
    workspace = mkdtempSync(path.join(tmpdir(), 'job-summary-'))
    target = path.join(workspace, 'step-summary')
    writeFileSync(target, '')
  })
  afterEach(() => rmSync(workspace, { recursive: true, force: true }))
  const overflow = () => path.join(workspace, 'secure-pipeline', 'x-summary.md')

  it('drops whole trailing sections and says how many', () => {
    const half = 'a'.repeat(STEP_SUMMARY_LIMIT_BYTES / 2)
    const result = new JobSummary().add('## counts').add(half).add(half).write(target, workspace, overflow())
    const written = readFileSync(target, 'utf8')
    expect(result.truncated).toBe(true)
    expect(written.startsWith(`## counts\n\n${half}\n`)).toBe(true)
    expect(written).toContain('1 section(s) were left out here')
    expect(readFileSync(overflow(), 'utf8')).toBe(`## counts\n\n${half}\n\n${half}\n`)
  })

  it('says so when its only section is cut short, never that nothing was left out', () => {
    const section = `## SAST\n\n${'b'.repeat(STEP_SUMMARY_LIMIT_BYTES)}\n\nthe counts`
    new JobSummary().add(section).write(target, workspace, overflow())
    const written = readFileSync(target, 'utf8')
    expect(Buffer.byteLength(written)).toBeLessThanOrEqual(STEP_SUMMARY_LIMIT_BYTES)
    expect(written).toContain('its first section was cut short here')
    expect(written).not.toContain('0 section(s)')
    expect(written).not.toContain('the counts')
  })
})
