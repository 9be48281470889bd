import { describe, expect, it } from '@jest/globals'
import { existsSync, lstatSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { run } from './main.js'
import { offlineRunner, runInProcess } from '../../../test/support/run-in-process.js'
import { git } from '../../../test/support/git-repo.js'

// Offline: no token, a push event, one SARIF the scanner step wrote.
const scratchDir = offlineRunner('gate-main-', { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'octo/app' })

const sarif = JSON.stringify({
  version: '2.1.0',
  runs: [{ tool: { driver: { name: 'Semgrep OSS' } }, results: [] }]
})

function workspace(name: string): string {
  const ws = path.join(scratchDir(), name)
  mkdirSync(path.join(ws, 'secure-pipeline'), { recursive: true })
  writeFileSync(path.join(ws, 'secure-pipeline/sast.sarif'), sarif)
  process.env.GITHUB_WORKSPACE = ws
  return ws
}

describe('gate output-dir', () => {
  it('never writes through a directory link committed at output-dir, even one that stays inside the workspace', async () => {
    const ws = workspace('linked-output-dir')
    mkdirSync(path.join(ws, 'src'))
    writeFileSync(path.join(ws, 'src/report.html'), 'a file of the repository')
    symlinkSync('../src', path.join(ws, 'secure-pipeline/gate'))
    const result = await runInProcess(run, { comment: 'false', upload: 'false' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::secure-pipeline\/gate is a symbolic link; outputs are never written through one\. Remove it from the repository\.$/m
    )
    expect(readFileSync(path.join(ws, 'src/report.html'), 'utf8')).toBe('a file of the repository')
    expect(existsSync(path.join(ws, 'src/evidence.json'))).toBe(false)
    expect(lstatSync(path.join(ws, 'secure-pipeline/gate')).isSymbolicLink()).toBe(true)
  })

  it('writes where output-dir says when nothing is linked, the workspace itself included', async () => {
    const ws = workspace('plain-output-dir')
    const nested = await runInProcess(run, { 'output-dir': 'out/gate', comment: 'false', upload: 'false' })
    expect(nested.exitCode).toBe(0)
    expect(nested.outputs['evidence-file']).toBe('out/gate/evidence.json')
    expect(lstatSync(path.join(ws, 'out/gate/evidence.json')).isFile()).toBe(true)
    const root = await runInProcess(run, { 'output-dir': '.', comment: 'false', upload: 'false' })
    expect(root.exitCode).toBe(0)
    expect(root.outputs['html-report']).toBe('report.html')
  })

  it('refuses an output-dir outside the workspace in one line naming the input', async () => {
    workspace('outside-output-dir')
    const result = await runInProcess(run, { 'output-dir': '../elsewhere', comment: 'false' })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Input 'output-dir' \(\.\.\/elsewhere\) points outside the workspace .*; use a path inside the repository\.$/m
    )
  })
})

describe('gate reports', () => {
  it('fails a report the repository has committed: a skipped scanner step leaves it where its report goes', async () => {
    const ws = workspace('committed-report')
    git(ws, 'init', '-q', '-b', 'main')
    // An earlier change committed a clean report where the SCA step writes; this run's SCA step never ran.
    writeFileSync(path.join(ws, 'secure-pipeline/sca.sarif'), sarif.replace('Semgrep OSS', 'osv-scanner'))
    git(ws, 'add', 'secure-pipeline/sca.sarif')
    git(ws, 'commit', '-q', '-m', 'reports')
    const result = await runInProcess(run, {
      reports: 'secure-pipeline/sast.sarif\nsecure-pipeline/sca.sarif',
      comment: 'false',
      upload: 'false'
    })
    expect(result.outputs.outcome).toBe('fail-broken-input')
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toContain(
      'report secure-pipeline/sca.sarif: this report is committed to the repository (git tracks it), so no scan of this run wrote it'
    )
    expect(result.summary).toContain('secure-pipeline/sca.sarif')
  })
})

describe('gate policy-token', () => {
  it('stops the step in one line when policy-token is given without policy-repository', async () => {
    workspace('policy-token-alone')
    const result = await runInProcess(run, {
      'policy-token': 'ghs_reader',
      comment: 'false',
      upload: 'false'
    })
    expect(result.exitCode).toBe(1)
    expect(result.stdout).toMatch(
      /^::error::Input 'policy-token' is set but 'policy-repository' is empty, so no central policy is read with it; set 'policy-repository' to the policy's owner\/repo, or remove 'policy-token'\.$/m
    )
  })
})
