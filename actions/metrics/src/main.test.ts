import { describe, expect, it } from '@jest/globals'
import { lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { run } from './main.js'
import { offlineRunner, runInProcess } from '../../../test/support/run-in-process.js'

// Offline: no token, so only what the workspace and the evidence say; the output folder is what matters.
const scratchDir = offlineRunner('metrics-main-', {
  GITHUB_EVENT_NAME: 'schedule',
  GITHUB_REPOSITORY: 'octo/app'
})

describe('metrics output-dir', () => {
  it('never writes through a directory link committed at output-dir, even one that stays inside the workspace', async () => {
    const ws = path.join(scratchDir(), 'linked')
    mkdirSync(path.join(ws, 'src'), { recursive: true })
    writeFileSync(path.join(ws, 'src/index.html'), 'a file of the repository')
    symlinkSync('src', path.join(ws, 'dashboards'))
    process.env.GITHUB_WORKSPACE = ws
    const result = await runInProcess(run, { 'output-dir': 'dashboards' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::dashboards is a symbolic link; outputs are never written through one\. Remove it from the repository\.$/m
    )
    expect(readdirSync(path.join(ws, 'src'))).toEqual(['index.html'])
    expect(readFileSync(path.join(ws, 'src/index.html'), 'utf8')).toBe('a file of the repository')
    expect(lstatSync(path.join(ws, 'dashboards')).isSymbolicLink()).toBe(true)
  })
})
