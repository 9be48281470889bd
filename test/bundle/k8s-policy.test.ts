import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

function workspaceWith(...dirs: string[]): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'bundle-ws-'))
  for (const dir of dirs) cpSync(path.join(REPO_ROOT, dir), path.join(ws, dir), { recursive: true })
  return ws
}

const tools = {
  SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
  SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize')
}

describe.each(nodeRuntimes())('k8s-policy bundle on $label, chained into the gate', ({ node }) => {
  it('k8s-policy checks examples/k8s, kustomize overlay included', async () => {
    const ws = workspaceWith('examples/k8s')
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { paths: 'examples/k8s', 'fail-on-violations': 'true' },
      env: tools
    })
    expect(r.status).toBe(1)
    expect(Number(r.outputs.violations)).toBeGreaterThan(0)
    const byRule = JSON.parse(r.outputs['by-rule']!)
    expect(byRule['privileged-container']).toBe(2)
    expect(r.stdout).toMatch(/^::error .*file=examples\/k8s\/kustomize\/overlays\/prod\/patch\.yaml/m)
  })

  /** k8s-policy over a workspace holding only deploy/ with these files. */
  const checkDeploy = async (files: Record<string, string>, paths: string) => {
    const ws = workspaceWith()
    mkdirSync(path.join(ws, 'deploy'))
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(ws, 'deploy', name), text)
    return { ws, k8s: await runBundle('k8s-policy', { node, workspace: ws, inputs: { paths }, env: tools }) }
  }

  it('a k8s-policy run that found nothing to check makes the gate fail closed, not pass', async () => {
    const { ws, k8s } = await checkDeploy({}, 'deploy/**')
    expect(k8s.status).toBe(1)
    expect(k8s.stdout).toMatch(/^::error::No Kubernetes objects found/m)
    const gate = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { upload: 'false', 'warn-only': 'true' }
    })
    expect(gate.status).toBe(1)
    expect(gate.outputs.outcome).toBe('fail-broken-input')
  })

  it('names the kustomization that rendered nothing, rather than say paths holds no manifests', async () => {
    const { k8s } = await checkDeploy({ 'kustomization.yaml': 'resources: []\n' }, 'deploy')
    expect(k8s.status).toBe(1)
    expect(k8s.stdout).toMatch(
      /^::error::No Kubernetes objects found under 'paths' \(deploy\); its kustomization \(deploy\) rendered none: check what it lists under resources, or point 'paths' at your manifests\.$/m
    )
    expect(k8s.outputs.violations).toBeUndefined()
  })
})
