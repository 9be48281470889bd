import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runAction } from './run-action.js'

const saved = { workspace: process.env.GITHUB_WORKSPACE, exitCode: process.exitCode }

afterEach(() => {
  process.env.GITHUB_WORKSPACE = saved.workspace
  process.exitCode = saved.exitCode
  jest.restoreAllMocks()
})

function workspaceWith(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'run-action-'))
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true })
    writeFileSync(path.join(root, name), text)
  }
  process.env.GITHUB_WORKSPACE = root
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
  return root
}

describe('runAction', () => {
  it('removes a summary overflow file the pull request committed before the action runs', async () => {
    const ws = workspaceWith({ 'secure-pipeline/sast-summary.md': '✅ 0 findings\n' })
    let seenByBody = true
    await runAction('sast', async () => {
      seenByBody = existsSync(path.join(ws, 'secure-pipeline/sast-summary.md'))
    })
    expect(seenByBody).toBe(false)
    expect(process.exitCode).not.toBe(1)
  })

  it('leaves what a linked output folder points at, and still runs the action', async () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'run-action-outside-'))
    writeFileSync(path.join(outside, 'gate-summary.md'), 'not ours')
    const ws = workspaceWith({})
    symlinkSync(outside, path.join(ws, 'secure-pipeline'))
    let ran = false
    await runAction('gate', async () => {
      ran = true
    })
    expect(ran).toBe(true)
    expect(readFileSync(path.join(outside, 'gate-summary.md'), 'utf8')).toBe('not ours')
  })
})
