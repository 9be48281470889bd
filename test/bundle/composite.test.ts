import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { cloneWithOrigin, git, writeFiles } from '../support/git-repo.js'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { nodeRuntimes } from '../support/run-bundle.js'
import {
  actionWithDeadBundle,
  COMPOSITE_TOOLS as TOOLS,
  reportsRead,
  runComposite,
  stepOf,
  type CompositeOptions,
  type CompositeRun
} from '../support/run-composite.js'
import { toolPath } from '../support/tools-path.js'
import { parse } from 'yaml'

/**
 * The root action.yml, run step by step as the runner runs it, over the committed bundles with the real
 * semgrep and kustomize. Every case here once ended with `outcome=pass` while findings were present.
 */

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  hostPID: true
  containers:
    - name: shell
      image: ghcr.io/acme/shell:1.0.0
      securityContext:
        privileged: true
`

/** A script semgrep flags (py-command-injection in the bundled rule pack). */
const FLAWED_PY = 'import os\n\n\ndef report(name):\n    os.system("lp " + name)\n'

/** A SARIF a PR could commit: a successful semgrep run with nothing found. */
const CLEAN_SARIF = JSON.stringify({
  version: '2.1.0',
  $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
  runs: [
    {
      tool: { driver: { name: 'semgrep', rules: [] } },
      invocations: [{ executionSuccessful: true }],
      results: []
    }
  ]
})

const [firstRuntime] = nodeRuntimes()
let api: GitHubApiDouble

beforeAll(async () => {
  api = await startGitHubApiDouble()
})
afterAll(async () => {
  await api.close()
  api.assertNoSpecViolations()
})

function workspace(files: Record<string, string> = {}): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'composite-ws-'))
  writeFiles(ws, files)
  return ws
}

function pipeline(options: Omit<CompositeOptions, 'node'> & { node?: string }): Promise<CompositeRun> {
  return runComposite({
    node: firstRuntime!.node,
    ...options,
    env: { ...TOOLS, GITHUB_API_URL: api.url, ...options.env }
  })
}

function expectFailedClosed(run: CompositeRun): void {
  expect(run.status).toBe('failure')
  expect(run.outputs.passed).toBe('false')
  expect(run.outputs.outcome).not.toBe('pass')
  expect(stepOf(run, 'gate').outputs.outcome).not.toBe('pass')
}

describe.each(nodeRuntimes())('the README quick start on $label', ({ node }) => {
  it('fails on a privileged hostPID Pod under deploy/ with no policy file, reading both reports', async () => {
    const ws = workspace({ 'deploy/pod.yaml': PRIVILEGED_POD, 'src/hello.py': 'print("hello")\n' })
    const run = await pipeline({ node, workspace: ws, with: { 'k8s-paths': 'deploy/**' } })
    expect(stepOf(run, 'k8s-policy').outcome).toBe('success')
    expect(stepOf(run, 'sast').outcome).toBe('success')
    expectFailedClosed(run)
    expect(run.outputs.outcome).toBe('fail-findings')
    expect(reportsRead(ws)).toEqual([
      'secure-pipeline/k8s-policy.sarif',
      'secure-pipeline/sast.sarif',
      'secure-pipeline/sca.sarif'
    ])
    const byScanner = JSON.parse(stepOf(run, 'gate').outputs.counts!).byScanner
    expect(Object.keys(byScanner)).toEqual([expect.stringMatching(/k8s/)])
    expect(run.summary).toMatch(/privileged/)
    expect(run.summary).toMatch(/hostPID|host-namespaces/i)
  }, 600_000)
})

describe('the composite action', () => {
  it('passes a clean workspace: the failures below are the cases, not the harness', async () => {
    const ws = workspace({ 'src/hello.py': 'print("hello")\n' })
    cpSync(path.join(REPO_ROOT, 'examples/k8s/compliant'), path.join(ws, 'deploy'), { recursive: true })
    const run = await pipeline({
      workspace: ws,
      with: { 'k8s-paths': 'deploy/**', 'evidence-artifact': 'secure-pipeline-gate-checks' }
    })
    expect(run.outputs).toMatchObject({ passed: 'true', outcome: 'pass' })
    expect(run.status).toBe('success')
    // The evidence the metrics action reads (secure-pipeline-gate*) is uploaded, with the reports.
    expect(stepOf(run, 'evidence').outcome).toBe('success')
    expect(stepOf(run, 'evidence').outputs['artifact-name']).toBe('secure-pipeline-gate-checks')
    expect(stepOf(run, 'evidence').outputs.uploaded!.split('\n')).toEqual(
      expect.arrayContaining(['secure-pipeline/gate/evidence.json', 'secure-pipeline/sast.sarif'])
    )
    expect(existsSync(path.join(ws, 'secure-pipeline/gate/evidence.json'))).toBe(true)
    expect(reportsRead(ws)).toEqual([
      'secure-pipeline/k8s-policy.sarif',
      'secure-pipeline/sast.sarif',
      'secure-pipeline/sca.sarif'
    ])
  }, 600_000)

  it('gives the gate only the SAST and SCA reports when k8s-paths is empty, and skips the Kubernetes step', async () => {
    const ws = workspace({ 'src/hello.py': 'print("hello")\n', 'deploy/pod.yaml': PRIVILEGED_POD })
    const run = await pipeline({ workspace: ws })
    expect(stepOf(run, 'k8s-policy').outcome).toBe('skipped')
    for (const skipped of ['image-reports', 'image-scan-registry', 'image-scan-input', 'evidence'])
      expect(stepOf(run, skipped).outcome).toBe('skipped')
    expect(stepOf(run, 'gate').env.INPUT_REPORTS!.split('\n').filter(Boolean)).toEqual([
      'secure-pipeline/sast.sarif',
      'secure-pipeline/sca.sarif'
    ])
    expect(run.outputs.outcome).toBe('pass')
  }, 600_000)

  it('skips SCA when sca-path is empty, and gives the gate only the SAST report', async () => {
    const ws = workspace({ 'src/hello.py': 'print("hello")\n' })
    const run = await pipeline({ workspace: ws, with: { 'sca-path': '' } })
    expect(stepOf(run, 'sca').outcome).toBe('skipped')
    expect(stepOf(run, 'gate').env.INPUT_REPORTS!.split('\n').filter(Boolean)).toEqual([
      'secure-pipeline/sast.sarif'
    ])
    expect(reportsRead(ws)).toEqual(['secure-pipeline/sast.sarif'])
    expect(run.outputs.outcome).toBe('pass')
  }, 600_000)

  it('fails when a PR adds an unknown key to the policy (k8s-policy: {note: x})', async () => {
    const ws = workspace({
      'deploy/pod.yaml': PRIVILEGED_POD,
      '.github/secure-pipeline.yml': 'version: 1\nk8s-policy:\n  note: x\n'
    })
    const run = await pipeline({ workspace: ws, with: { 'k8s-paths': 'deploy/**' } })
    expect(run.status).toBe('failure')
    expect(run.outputs.passed).toBe('false')
    expect(stepOf(run, 'gate').outcome).toBe('failure')
    expect(stepOf(run, 'gate').stdout).toMatch(/^::error::.*k8s-policy.*note/m)
  }, 600_000)

  it('fails when a pull request adds a directory named .semgrepignore/ next to a flawed file', async () => {
    const { clone: ws } = cloneWithOrigin(mkdtempSync(path.join(tmpdir(), 'composite-pr-')))
    // A valid policy, so the Kubernetes step completes and its report alone used to satisfy the gate.
    writeFiles(ws, { 'README.md': 'app\n', '.github/secure-pipeline.yml': 'version: 1\n' })
    cpSync(path.join(REPO_ROOT, 'examples/k8s/compliant'), path.join(ws, 'deploy'), { recursive: true })
    git(ws, 'add', '-A')
    git(ws, 'commit', '-q', '-m', 'base')
    git(ws, 'push', '-q', 'origin', 'main')
    const base = git(ws, 'rev-parse', 'HEAD')
    git(ws, 'checkout', '-q', '-b', 'feature')
    writeFiles(ws, { '.semgrepignore/keep': '', 'api/report.py': FLAWED_PY })
    git(ws, 'add', '-A')
    git(ws, 'commit', '-q', '-m', 'feature')
    git(ws, 'push', '-q', 'origin', 'feature')
    const head = git(ws, 'rev-parse', 'HEAD')
    const repo = api.repo('octo-org', 'octo-repo')
    const pull = repo.seedPullRequest({ head: 'feature' })
    const run = await pipeline({
      workspace: ws,
      with: { 'k8s-paths': 'deploy/**' },
      env: { GITHUB_SHA: head, GITHUB_REF: `refs/pull/${pull.number}/merge`, GITHUB_BASE_REF: 'main' },
      event: {
        name: 'pull_request',
        payload: {
          pull_request: {
            number: pull.number,
            base: { ref: 'main', sha: base, repo: { full_name: 'octo-org/octo-repo' } },
            head: { ref: 'feature', sha: head, repo: { full_name: 'octo-org/octo-repo' } }
          },
          repository: { default_branch: 'main' }
        }
      }
    })
    expectFailedClosed(run)
    expect(['fail-findings', 'fail-broken-input']).toContain(run.outputs.outcome)
  }, 600_000)

  it('fails as broken when semgrep crashes, and a committed clean sast.sarif does not stand in for it', async () => {
    const ws = workspace({ 'src/app.py': FLAWED_PY, 'secure-pipeline/sast.sarif': CLEAN_SARIF })
    const stub = path.join(ws, '..', `segfaulting-semgrep-${path.basename(ws)}`)
    writeFileSync(stub, '#!/bin/sh\nkill -SEGV $$\n')
    chmodSync(stub, 0o755)
    const run = await pipeline({ workspace: ws, env: { SECURE_PIPELINE_SEMGREP_PATH: stub } })
    expect(stepOf(run, 'sast').outcome).toBe('failure')
    expectFailedClosed(run)
    expect(run.outputs.outcome).toBe('fail-broken-input')
    expect(stepOf(run, 'gate').outputs.outcome).toBe('fail-broken-input')
    const left = JSON.parse(readFileSync(path.join(ws, 'secure-pipeline/sast.sarif'), 'utf8'))
    expect(left.runs[0].invocations[0].executionSuccessful).toBe(false)
  }, 600_000)

  it('fails when the SAST bundle dies before it can replace a committed clean sast.sarif', async () => {
    const ws = workspace({ 'src/app.py': FLAWED_PY, 'secure-pipeline/sast.sarif': CLEAN_SARIF })
    const run = await pipeline({ workspace: ws, actionPath: actionWithDeadBundle('sast') })
    expect(stepOf(run, 'sast').exitCode).not.toBe(0)
    // The gate alone is fooled by the committed report; the composite is not.
    expect(stepOf(run, 'gate').outputs.outcome).toBe('pass')
    expect(run.status).toBe('failure')
    expect(run.outputs).toMatchObject({ passed: 'false', outcome: 'fail-broken-input' })
    expect(stepOf(run, 'verdict').stdout).toContain(
      '::error::secure-pipeline: the sast step failed, so its scan is incomplete'
    )
  }, 600_000)

  it('fails as broken at the gate itself when the clean sast.sarif left in place is one git tracks', async () => {
    const ws = workspace({ 'src/app.py': FLAWED_PY, 'secure-pipeline/sast.sarif': CLEAN_SARIF })
    git(ws, 'init', '-q', '-b', 'main')
    git(ws, 'add', '-A')
    git(ws, 'commit', '-q', '-m', 'a clean report committed where the SAST step writes')
    const run = await pipeline({ workspace: ws, actionPath: actionWithDeadBundle('sast') })
    expect(stepOf(run, 'sast').exitCode).not.toBe(0)
    expect(stepOf(run, 'gate').outputs.outcome).toBe('fail-broken-input')
    expect(stepOf(run, 'gate').stdout).toContain(
      'secure-pipeline/sast.sarif: this report is committed to the repository (git tracks it), so no scan of this run wrote it'
    )
    expectFailedClosed(run)
  }, 600_000)

  it('fails as broken when the Kubernetes step leaves no report at all', async () => {
    const ws = workspace({ 'src/hello.py': 'print("hello")\n', 'deploy/pod.yaml': PRIVILEGED_POD })
    const run = await pipeline({
      workspace: ws,
      actionPath: actionWithDeadBundle('k8s-policy'),
      with: { 'k8s-paths': 'deploy/**' }
    })
    expect(existsSync(path.join(ws, 'secure-pipeline/k8s-policy.sarif'))).toBe(false)
    expect(stepOf(run, 'gate').outputs.outcome).toBe('fail-broken-input')
    expect(stepOf(run, 'gate').stdout).toMatch(
      /^::error::gate: 1 report\(s\) missing or broken \(secure-pipeline\/k8s-policy\.sarif: no report file matches this pattern: the scanner did not run/m
    )
    expectFailedClosed(run)
  }, 600_000)

  const marker = path.join(tmpdir(), `composite-injected-${process.pid}`)
  it.each([
    ['a quote and a command', `a";touch ${marker};#`],
    ['a command substitution', `$(touch ${marker})`],
    ['backticks', `\`touch ${marker}\``],
    ['a newline', `src\ntouch ${marker}`]
  ])(
    'executes nothing from %s in path, k8s-paths, sca-path, image or image-input',
    async (_label, hostile) => {
      const ws = workspace({ 'src/hello.py': 'print("hello")\n' })
      const run = await pipeline({
        workspace: ws,
        with: {
          path: hostile,
          'k8s-paths': hostile,
          'sca-path': hostile,
          image: hostile,
          'image-input': `${hostile}/in.tar`
        }
      })
      expect(existsSync(marker)).toBe(false)
      for (const step of run.steps) expect(step.script ?? '').not.toContain(marker)
      expect(stepOf(run, 'sast').env.INPUT_PATH).toBe(hostile)
      expect(stepOf(run, 'k8s-policy').env.INPUT_PATHS).toBe(hostile)
      expect(stepOf(run, 'sca').env.INPUT_PATH).toBe(hostile)
      expect(stepOf(run, 'image-scan-registry').env.INPUT_IMAGE).toBe(hostile)
      expect(stepOf(run, 'image-scan-input').env.INPUT_INPUT).toBe(`${hostile}/in.tar`)
      expectFailedClosed(run)
    },
    600_000
  )
})

describe('the policy the composite gives its steps', () => {
  const steps = (
    parse(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
      runs: { steps: { id?: string; env?: Record<string, string> }[] }
    }
  ).runs.steps
  const envOf = (id: string) => steps.find(step => step.id === id)!.env!

  it('the Kubernetes step reads the same policy as the gate: a central one from policy-repository, never the checkout', () => {
    // Under org-required the policy is a path in the central repository; k8s-policy given only that
    // path read it from the repository under check, which could turn rules off with its own file.
    for (const name of ['INPUT_POLICY', 'INPUT_POLICY-SOURCE', 'INPUT_POLICY-REPOSITORY', 'INPUT_POLICY-REF'])
      expect([name, envOf('k8s-policy')[name]]).toEqual([name, envOf('gate')[name]])
    expect(envOf('k8s-policy')['INPUT_POLICY-REPOSITORY']).toBe('${{ inputs.policy-repository }}')
    expect(envOf('k8s-policy').INPUT_TOKEN).toBe('${{ inputs.policy-token || inputs.token }}')
  })
})

describe('zizmor (offline) on the root composite', () => {
  /** zizmor's findings by audit name; it exits non-zero when it has findings, so the exit code is not read. */
  const zizmor = (file: string): string[] => {
    const run = spawnSync(toolPath('zizmor'), ['--offline', '--format', 'json', file], { encoding: 'utf8' })
    return (JSON.parse(run.stdout) as { ident: string }[]).map(finding => finding.ident)
  }

  it('finds nothing, and finds the template injection it would report in a copy that interpolates an input', () => {
    expect(zizmor(path.join(REPO_ROOT, 'action.yml'))).toEqual([])
    const dir = mkdtempSync(path.join(tmpdir(), 'composite-zizmor-'))
    const injected = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8').replace(
      'run: node "$GITHUB_ACTION_PATH/dist/sast/index.js"',
      'run: node "$GITHUB_ACTION_PATH/dist/sast/index.js" "${{ inputs.path }}"'
    )
    writeFileSync(path.join(dir, 'action.yml'), injected)
    expect(zizmor(path.join(dir, 'action.yml'))).toContain('template-injection')
  })
})
