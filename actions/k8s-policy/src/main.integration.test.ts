import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { run } from './main.js'
import { REPO_ROOT } from '../../../test/support/repo-root.js'
import { runInProcess } from '../../../test/support/run-in-process.js'
import { toolPath } from '../../../test/support/tools-path.js'

let workspace: string
const saved = { ...process.env }

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'k8s-action-kustomize-'))
  cpSync(path.join(REPO_ROOT, 'examples', 'k8s'), path.join(workspace, 'k8s'), { recursive: true })
  process.env.GITHUB_WORKSPACE = workspace
  process.env.GITHUB_OUTPUT = path.join(workspace, '..', `${path.basename(workspace)}-output`)
  process.env.GITHUB_STEP_SUMMARY = path.join(workspace, '..', `${path.basename(workspace)}-summary`)
  process.env.GITHUB_REPOSITORY = 'octo-org/octo-repo'
  process.env.GITHUB_EVENT_NAME = 'push'
  delete process.env.GITHUB_EVENT_PATH
  delete process.env.SECURE_PIPELINE_KUSTOMIZE_PATH
})
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(process.env.GITHUB_OUTPUT!, { force: true })
  rmSync(process.env.GITHUB_STEP_SUMMARY!, { force: true })
  process.env = saved
})

describe('k8s-policy action with the real kustomize', () => {
  it("renders the overlay with the binary named by 'kustomize-path', logged as not hash-verified", async () => {
    const { outputs, exitCode, stdout } = await runInProcess(run, {
      paths: 'k8s/kustomize',
      'fail-on-violations': 'false',
      level: 'baseline',
      'kustomize-path': toolPath('kustomize')
    })
    expect(exitCode).toBe(0)
    expect(stdout).toContain("(from Input 'kustomize-path') as is; it is not hash-verified")
    expect(JSON.parse(outputs['by-rule']!)).toMatchObject({ 'privileged-container': 1, 'pss-privileged': 1 })
  })
})
