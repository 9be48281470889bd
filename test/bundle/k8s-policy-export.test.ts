import { afterAll, describe, expect, it } from '@jest/globals'
import {
  cpSync,
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
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

const scratch: string[] = []
afterAll(() => scratch.forEach(dir => rmSync(dir, { recursive: true, force: true })))

/** A temporary directory, removed once the file's tests are done. */
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix))
  scratch.push(dir)
  return dir
}

function workspaceWithExamples(): string {
  const ws = tempDir('bundle-export-')
  cpSync(path.join(REPO_ROOT, 'examples', 'k8s'), path.join(ws, 'examples', 'k8s'), { recursive: true })
  return ws
}

// Within the default 90-day horizon, which k8s-policy enforces as the gate does.
const EXPIRES = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10)
const POLICY = `exceptions:
  - id: pss-*
    namespace: legacy
    reason: being migrated
    owner: platform
    expires: ${EXPIRES}
  - rule: image-disallowed-tag
    path: examples/**
    reason: demo manifests
    owner: platform
    expires: ${EXPIRES}
`

const env = { SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize') }

describe.each(nodeRuntimes())('k8s-policy export-dir on $label', ({ node }) => {
  it('writes the chosen formats with the run options, the same bytes twice, and lists what is not exported', async () => {
    const ws = workspaceWithExamples()
    mkdirSync(path.join(ws, '.github'))
    writeFileSync(path.join(ws, '.github', 'secure-pipeline.yml'), POLICY)
    const inputs = {
      paths: 'examples/k8s',
      'fail-on-violations': 'false',
      'allowed-registries': 'registry:5000/team/',
      'max-cpu-limit': '750m',
      'export-dir': 'deploy/admission',
      'export-format': 'gatekeeper, vap'
    }
    const first = await runBundle('k8s-policy', { node, workspace: ws, inputs, env })
    expect(first.status).toBe(0)
    const read = (file: string) => readFileSync(path.join(ws, 'deploy', 'admission', file), 'utf8')
    const gatekeeper = read('gatekeeper/policies.yaml')
    const vap = read('validating-admission-policy/policies.yaml')
    expect(gatekeeper).toContain('kind: ExpansionTemplate')
    expect(gatekeeper).toContain('#   cpu limit: required, at most 750m')
    expect(vap).toContain('name: secure-pipeline-allowed-registries')
    expect(() => read('kyverno/policies.yaml')).toThrow()
    expect(read('README.md')).toContain('- `pss-run-as-non-root`: Container may run as root')
    expect(vap).toContain('name: secure-pipeline-pss-run-as-non-root')
    expect(vap).toContain("object.metadata.namespace == 'legacy'")
    expect(first.summary).toContain('Policy-file exceptions exported as exclusions')
    expect(first.summary).toContain(
      `- \`image-disallowed-tag, path examples/**\` (owner platform, expires ${EXPIRES}): also scoped by path`
    )

    const second = await runBundle('k8s-policy', { node, workspace: ws, inputs, env })
    expect(second.status).toBe(0)
    expect(read('gatekeeper/policies.yaml')).toBe(gatekeeper)
    expect(read('validating-admission-policy/policies.yaml')).toBe(vap)
  }, 120_000)

  // The cluster's kustomization lists the export before any export was committed: in a folder `paths`
  // reach, or in a base outside them that the kustomization names (kustomize may render it early there).
  it.each([
    {
      where: 'inside paths',
      exportDir: 'clusters/prod/admission',
      files: {
        'clusters/prod/kustomization.yaml':
          'resources:\n  - admission/validating-admission-policy/policies.yaml\n  - app.yaml\n'
      }
    },
    {
      where: 'in a base outside paths',
      exportDir: 'platform/admission',
      files: {
        'clusters/prod/kustomization.yaml': 'resources:\n  - ../../platform/admission\n  - app.yaml\n',
        'platform/admission/kustomization.yaml': 'resources:\n  - validating-admission-policy/policies.yaml\n'
      }
    }
  ])(
    'writes the export before kustomize renders a kustomization that lists its files ($where)',
    async ({ exportDir, files }) => {
      const ws = tempDir('bundle-export-first-')
      for (const [file, text] of Object.entries({
        ...files,
        'clusters/prod/app.yaml':
          'apiVersion: v1\nkind: Pod\nmetadata: {name: app}\nspec:\n  containers: [{name: c, image: registry:5000/team/app:1}]\n'
      })) {
        mkdirSync(path.dirname(path.join(ws, file)), { recursive: true })
        writeFileSync(path.join(ws, file), text)
      }
      const r = await runBundle('k8s-policy', {
        node,
        workspace: ws,
        inputs: {
          paths: 'clusters/**/*.yaml',
          'fail-on-violations': 'false',
          'export-dir': exportDir,
          'export-format': 'vap'
        },
        env
      })
      expect(r.stdout).not.toContain('::error::')
      expect(r.status).toBe(0)
      expect(r.outputs.unchecked).toBe('0')
      // The pod and the exported policies, rendered together.
      expect(r.stdout).toMatch(
        /Checked 1 workload\(s\) among \d{2,} object\(s\) from 0 file\(s\) and 1 kustomization\(s\)/
      )
      const sarif = JSON.parse(
        readFileSync(path.join(ws, 'secure-pipeline', 'k8s-policy.sarif'), 'utf8')
      ) as {
        runs: { invocations: { executionSuccessful: boolean }[] }[]
      }
      expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(true)
    },
    120_000
  )

  it('refuses an export-dir under a committed link, one out of the workspace included, and writes nothing there', async () => {
    const ws = workspaceWithExamples()
    const outside = tempDir('bundle-export-outside-')
    symlinkSync(outside, path.join(ws, 'deploy'))
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { paths: 'examples/k8s', 'fail-on-violations': 'false', 'export-dir': 'deploy/admission' },
      env
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(
      /^::error::deploy is a symbolic link; outputs are never written through one\. Remove it from the repository\.$/m
    )
    expect(readdirSync(outside)).toEqual([])
  }, 120_000)
})
