import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import { lstatSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { run } from './main.js'
import { writeFiles } from '../../../test/support/git-repo.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import { advisoryDb, OSV_SCANNER } from '../../../test/support/sca.js'

let workspace: string
const saved = { ...process.env }

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'sca-action-'))
  process.env.GITHUB_WORKSPACE = workspace
  process.env.GITHUB_OUTPUT = path.join(workspace, '..', `${path.basename(workspace)}-output`)
  process.env.GITHUB_STEP_SUMMARY = path.join(workspace, '..', `${path.basename(workspace)}-summary`)
  process.env.GITHUB_REPOSITORY = 'octo-org/octo-repo'
  process.env.GITHUB_EVENT_NAME = 'push'
  process.env.RUNNER_TEMP = mkdtempSync(path.join(tmpdir(), 'sca-action-temp-'))
  delete process.env.GITHUB_EVENT_PATH
})
afterEach(() => {
  process.exitCode = 0
})
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  process.env = saved
})

describe('sca action', () => {
  it('fails the step on a dependency file it could not scan, and keeps the SARIF of the rest', async () => {
    writeFiles(workspace, { 'api/requirements.txt': 'pyyaml==5.3.1\n', 'elsewhere/lock.json': '{}' })
    symlinkSync('../elsewhere/lock.json', path.join(workspace, 'api', 'package-lock.json'))
    const { exitCode, stdout } = await runInProcess(run, {
      'offline-db': advisoryDb(),
      'engine-path': OSV_SCANNER,
      include: 'api/**'
    })
    expect(exitCode).toBe(1)
    expect(stdout).toContain(
      "::error::sca: 1 dependency file(s) not scanned (api/package-lock.json: a symbolic link; links are never followed: commit the file itself, or leave it out with 'exclude'); see the job summary."
    )
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'secure-pipeline', 'sca.sarif'), 'utf8'))
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false)
    expect(sarif.runs[0].results.map((r: { ruleId: string }) => r.ruleId)).toEqual(['GHSA-8q59-q68h-6hv4'])
  }, 120_000)

  it('writes its SARIF and SBOM in place of committed links, never through them onto other files', async () => {
    const ws = mkdtempSync(path.join(tmpdir(), 'sca-action-links-'))
    writeFiles(ws, {
      'api/requirements.txt': 'pyyaml==5.3.1\n',
      'reports/sast.sarif': 'the sast report',
      'reports/app.json': 'the app data'
    })
    symlinkSync('sast.sarif', path.join(ws, 'reports', 'sca.sarif'))
    symlinkSync('app.json', path.join(ws, 'reports', 'sca.cdx.json'))
    process.env.GITHUB_WORKSPACE = ws
    try {
      await runInProcess(run, {
        'offline-db': advisoryDb(),
        'engine-path': OSV_SCANNER,
        'sarif-file': 'reports/sca.sarif',
        'sbom-file': 'reports/sca.cdx.json'
      })
      expect(readFileSync(path.join(ws, 'reports', 'sast.sarif'), 'utf8')).toBe('the sast report')
      expect(readFileSync(path.join(ws, 'reports', 'app.json'), 'utf8')).toBe('the app data')
      for (const file of ['sca.sarif', 'sca.cdx.json'])
        expect(lstatSync(path.join(ws, 'reports', file)).isFile()).toBe(true)
      expect(JSON.parse(readFileSync(path.join(ws, 'reports', 'sca.sarif'), 'utf8')).version).toBe('2.1.0')
    } finally {
      process.env.GITHUB_WORKSPACE = workspace
      rmSync(ws, { recursive: true, force: true })
    }
  }, 120_000)
})
