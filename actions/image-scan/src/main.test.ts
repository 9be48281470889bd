import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { run } from './main.js'
import { renderGfm } from '../../../test/support/gfm.js'
import { enterPullRequest, pullRequestCheckout } from '../../../test/support/pull-request-checkout.js'
import { runInProcess } from '../../../test/support/run-in-process.js'

// Offline: every case here fails before an engine or a registry is needed.
const saved = { ...process.env }
let scratch: string
let workspace: string

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'image-scan-main-'))
  workspace = path.join(scratch, 'ws')
  mkdirSync(workspace)
  Object.assign(process.env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(scratch, 'output'),
    GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_TEMP: scratch
  })
  delete process.env.GITHUB_EVENT_PATH
  delete process.env.ACTIONS_CACHE_URL
  delete process.env.ACTIONS_RESULTS_URL
})
afterAll(() => {
  process.env = saved
  rmSync(scratch, { recursive: true, force: true })
})

describe('image-scan outputs', () => {
  it('writes its SARIF in place of a committed link, never through it onto another file', async () => {
    const out = path.join(workspace, 'secure-pipeline')
    mkdirSync(out)
    // Another scanner's report, written by an earlier step, and a link the pull request committed.
    writeFileSync(path.join(out, 'sca.sarif'), 'the sca report')
    symlinkSync('sca.sarif', path.join(out, 'image-app.sarif'))
    writeFileSync(path.join(workspace, 'app.tar'), 'not an archive')
    const result = await runInProcess(run, { input: 'app.tar', engine: 'trivy', cache: 'false' })
    expect(result.exitCode).toBe(1)
    expect(readFileSync(path.join(out, 'sca.sarif'), 'utf8')).toBe('the sca report')
    expect(result.outputs['sarif-file']).toBeUndefined()
    const sarif = JSON.parse(readFileSync(path.join(out, 'image-app.sarif'), 'utf8')) as {
      runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[]
    }
    expect(sarif.runs[0]!.invocations[0]!.toolExecutionNotifications[0]!.message.text).toContain(
      'is neither an OCI layout directory nor a docker save archive'
    )
  })
  it('refuses an output directory that is a committed link, even to a directory in the workspace', async () => {
    const ws = path.join(scratch, 'ws2')
    mkdirSync(path.join(ws, 'reports'), { recursive: true })
    symlinkSync('reports', path.join(ws, 'out'))
    writeFileSync(path.join(ws, 'app.tar'), 'not an archive')
    process.env.GITHUB_WORKSPACE = ws
    try {
      const result = await runInProcess(run, { input: 'app.tar', 'sarif-file': 'out/image.sarif' })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain('out is a symbolic link; outputs are never written through one')
      expect(readdirSync(path.join(ws, 'reports'))).toEqual([])
    } finally {
      process.env.GITHUB_WORKSPACE = workspace
    }
  })
  it('shows the words of a layout in the failure summary as text: no link, image or mention', async () => {
    const ws = path.join(scratch, 'ws3')
    mkdirSync(path.join(ws, 'layout', 'blobs', 'sha256'), { recursive: true })
    const key = '[Approve the fix here](https://evil.example/login) <img src=x> @octo-org/security'
    writeFileSync(
      path.join(ws, 'layout', 'index.json'),
      JSON.stringify({
        schemaVersion: 2,
        manifests: [
          { mediaType: 'x', digest: `sha256:${'a'.repeat(64)}`, size: 1, annotations: { [key]: 5 } }
        ]
      })
    )
    process.env.GITHUB_WORKSPACE = ws
    try {
      const result = await runInProcess(run, { input: 'layout' })
      expect(result.exitCode).toBe(1)
      expect(result.summary).toContain('has an index.json that cannot be read')
      const rendered = renderGfm(result.summary)
      expect(rendered).toContain('[Approve the fix here](https://evil.example/login)')
      expect(rendered).not.toMatch(/<a |<img/)
      expect(rendered).not.toContain('@octo-org/security')
    } finally {
      process.env.GITHUB_WORKSPACE = workspace
    }
  })

  it('refuses an engine binary in the workspace that the pull request changed, before anything runs', async () => {
    const pr = pullRequestCheckout({
      base: { 'app.tar': 'not an archive' },
      change: { 'tools/trivy': '#!/bin/sh\ntouch ran\nexit 0\n' }
    })
    chmodSync(path.join(pr.workspace, 'tools', 'trivy'), 0o755)
    const leave = enterPullRequest(pr)
    try {
      const result = await runInProcess(run, {
        input: 'app.tar',
        'engine-path': 'tools/trivy',
        cache: 'false'
      })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        "changes tools/trivy, which input 'engine-path' (tools/trivy) names: a change cannot bring the tool it is judged with"
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      leave()
    }
  })

  it('refuses one SECURE_PIPELINE_TRIVY_PATH names, which the installer runs as well as the input', async () => {
    const pr = pullRequestCheckout({
      base: { 'app.tar': 'not an archive' },
      change: { 'tools/trivy': '#!/bin/sh\ntouch ran\nexit 0\n' }
    })
    const binary = path.join(pr.workspace, 'tools', 'trivy')
    chmodSync(binary, 0o755)
    const leave = enterPullRequest(pr)
    process.env.SECURE_PIPELINE_TRIVY_PATH = binary
    try {
      const result = await runInProcess(run, { input: 'app.tar', cache: 'false' })
      expect(result.exitCode).toBe(1)
      expect(result.stdout).toContain(
        `::error::trivy: this pull_request changes tools/trivy, which SECURE_PIPELINE_TRIVY_PATH (${binary}) names: a change cannot bring the tool it is judged with`
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      delete process.env.SECURE_PIPELINE_TRIVY_PATH
      leave()
    }
  })
})
