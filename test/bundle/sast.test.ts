import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { demoAppExpected } from '../support/demo-app.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

function workspaceWith(...dirs: string[]): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'bundle-ws-'))
  for (const dir of dirs) cpSync(path.join(REPO_ROOT, dir), path.join(ws, dir), { recursive: true })
  return ws
}

const EXPECTED = demoAppExpected().length

const tools = {
  SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
  SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize')
}

describe.each(nodeRuntimes())('sast bundle on $label, chained into the gate', ({ node }) => {
  it('sast runs the real semgrep over examples/app and writes SARIF the gate reads', async () => {
    const ws = workspaceWith('examples/app')
    const sast = await runBundle('sast', {
      node,
      workspace: ws,
      inputs: { path: 'examples/app', diff: 'false' },
      env: tools,
      timeoutMs: 300_000
    })
    expect(sast.stderr).toBe('')
    expect(sast.status).toBe(0)
    expect(sast.outputs).toMatchObject({
      'sarif-file': 'secure-pipeline/sast.sarif',
      mode: 'full',
      findings: String(EXPECTED)
    })
    const sarif = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/sast.sarif'), 'utf8'))
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(true)
    expect(sarif.runs[0].results).toHaveLength(EXPECTED)
    const gate = await runBundle('gate', { node, workspace: ws, inputs: { upload: 'false' } })
    expect(gate.outputs.outcome).toBe('fail-findings')
    expect(JSON.parse(gate.outputs.counts!).byScanner.semgrep).toBeDefined()
  }, 600_000)
})
