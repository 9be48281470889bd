import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals'
import {
  cpSync,
  lstatSync,
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
import { REPO_ROOT } from '../../../test/support/repo-root.js'
import { runInProcess } from '../../../test/support/run-in-process.js'

let workspace: string
let outputFile: string
let summaryFile: string
const saved = { ...process.env }

const runWith = (inputs: Record<string, string>) => runInProcess(run, inputs)

beforeAll(() => {
  workspace = mkdtempSync(path.join(tmpdir(), 'k8s-action-'))
  cpSync(path.join(REPO_ROOT, 'examples', 'k8s'), path.join(workspace, 'k8s'), { recursive: true })
  outputFile = path.join(workspace, '..', `${path.basename(workspace)}-output`)
  summaryFile = path.join(workspace, '..', `${path.basename(workspace)}-summary`)
  process.env.GITHUB_WORKSPACE = workspace
  process.env.GITHUB_OUTPUT = outputFile
  process.env.GITHUB_STEP_SUMMARY = summaryFile
  process.env.GITHUB_REPOSITORY = 'octo-org/octo-repo'
  process.env.GITHUB_EVENT_NAME = 'push'
  delete process.env.GITHUB_EVENT_PATH
})
afterEach(() => {
  process.exitCode = 0
})
afterAll(() => {
  rmSync(workspace, { recursive: true, force: true })
  rmSync(outputFile, { force: true })
  rmSync(summaryFile, { force: true })
  process.env = saved
})

describe('k8s-policy action', () => {
  it('passes the compliant manifest and writes SARIF and outputs', async () => {
    const { outputs, exitCode } = await runWith({ paths: 'k8s/compliant' })
    expect(exitCode).toBe(0)
    expect(outputs).toEqual({
      'sarif-file': 'secure-pipeline/k8s-policy.sarif',
      violations: '0',
      'by-rule': '{}',
      unchecked: '0'
    })
    const sarif = JSON.parse(
      readFileSync(path.join(workspace, 'secure-pipeline', 'k8s-policy.sarif'), 'utf8')
    )
    expect(sarif.version).toBe('2.1.0')
    expect(sarif.runs[0].results).toEqual([])
    expect(sarif.runs[0].tool.driver.rules.length).toBeGreaterThan(20)
  })

  it('writes its SARIF in place of a committed link, never through it onto another report', async () => {
    const out = path.join(workspace, 'reports')
    mkdirSync(out)
    writeFileSync(path.join(out, 'sast.sarif'), 'the sast report')
    symlinkSync('sast.sarif', path.join(out, 'k8s.sarif'))
    const { exitCode } = await runWith({ paths: 'k8s/compliant', 'sarif-file': 'reports/k8s.sarif' })
    expect(exitCode).toBe(0)
    expect(readFileSync(path.join(out, 'sast.sarif'), 'utf8')).toBe('the sast report')
    expect(lstatSync(path.join(out, 'k8s.sarif')).isFile()).toBe(true)
    expect(JSON.parse(readFileSync(path.join(out, 'k8s.sarif'), 'utf8')).version).toBe('2.1.0')
  })

  it('never writes the admission export through a directory link committed at export-dir', async () => {
    mkdirSync(path.join(workspace, 'policies'), { recursive: true })
    writeFileSync(path.join(workspace, 'policies', 'kustomization.yaml'), 'resources: []\n')
    symlinkSync('policies', path.join(workspace, 'admission'))
    const { exitCode, stdout } = await runWith({ paths: 'k8s/compliant', 'export-dir': 'admission' })
    expect(exitCode).toBe(1)
    expect(stdout).toMatch(
      /^::error::admission is a symbolic link; outputs are never written through one\. Remove it from the repository\.$/m
    )
    expect(readFileSync(path.join(workspace, 'policies', 'kustomization.yaml'), 'utf8')).toBe(
      'resources: []\n'
    )
    expect(readdirSync(path.join(workspace, 'policies'))).toEqual(['kustomization.yaml'])
  })

  it('fails on the seeded violations with annotations at file and line, a summary and by-rule counts', async () => {
    const { outputs, stdout, exitCode } = await runWith({
      paths: 'k8s/violations/*.yaml',
      rules: 'seed',
      'sarif-file': 'out/k8s.sarif'
    })
    expect(exitCode).toBe(1)
    // Counted by hand from examples/k8s/violations/deployment.yaml: the init container (untagged, no
    // resources), the app container (latest, privileged, no resources) and the CronJob's container
    // (a cpu limit only): limits 1+1+1, requests 2+2+2.
    expect(JSON.parse(outputs['by-rule']!)).toEqual({
      'image-disallowed-tag': 1,
      'image-untagged': 1,
      'privileged-container': 1,
      'resource-limits': 3,
      'resource-requests': 6
    })
    expect(outputs.violations).toBe('12')
    expect(stdout).toContain(
      '::error title=k8s-policy privileged-container,file=k8s/violations/deployment.yaml,line=24,col=13::'
    )
    expect(stdout).toMatch(/::stop-commands::sp-/)
    expect(stdout).toContain('::error::')
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'out', 'k8s.sarif'), 'utf8'))
    expect(sarif.runs[0].results).toHaveLength(12)
    const summary = readFileSync(summaryFile, 'utf8')
    expect(summary).toContain('## Kubernetes policy')
    expect(summary).toContain('`privileged-container`')
  })

  it('reads rule switches from the policy file', async () => {
    mkdirSync(path.join(workspace, '.github'), { recursive: true })
    writeFileSync(
      path.join(workspace, '.github', 'secure-pipeline.yml'),
      'k8s-policy:\n  rules:\n    privileged-container: off\n'
    )
    try {
      const { outputs } = await runWith({
        paths: 'k8s/violations',
        rules: 'seed',
        'fail-on-violations': 'false'
      })
      expect(JSON.parse(outputs['by-rule']!)).not.toHaveProperty('privileged-container')
    } finally {
      rmSync(path.join(workspace, '.github'), { recursive: true })
    }
  })

  it('fails closed on a broken manifest and still writes the SARIF', async () => {
    writeFileSync(
      path.join(workspace, 'k8s', 'broken.yaml'),
      'apiVersion: v1\nkind: Pod\nmetadata: {name: [\n'
    )
    try {
      const { stdout, exitCode, outputs } = await runWith({
        paths: 'k8s/broken.yaml',
        'sarif-file': 'broken.sarif'
      })
      expect(exitCode).toBe(1)
      expect(stdout).toMatch(
        /::error::k8s-policy: 1 manifest problem\(s\) kept the check from being complete; first: k8s\/broken\.yaml/
      )
      // Unknown, not 0: a step after this one must not read an incomplete check as a pass.
      expect(outputs.violations).toBeUndefined()
      expect(outputs['by-rule']).toBeUndefined()
      expect(outputs['sarif-file']).toBe('broken.sarif')
      const sarif = JSON.parse(readFileSync(path.join(workspace, 'broken.sarif'), 'utf8'))
      expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false)
    } finally {
      rmSync(path.join(workspace, 'k8s', 'broken.yaml'))
    }
  })

  it('takes every quantity Kubernetes takes as a maximum, with the parser the rules use', async () => {
    for (const [cpu, memory] of [
      ['1e3', '1Pi'],
      ['1.5', '4Ei']
    ]) {
      const { exitCode, stdout } = await runWith({
        paths: 'k8s/compliant',
        'max-cpu-limit': cpu!,
        'max-memory-limit': memory!
      })
      expect(stdout).not.toContain('::error::')
      expect(exitCode).toBe(0)
    }
    const { outputs } = await runWith({
      paths: 'k8s/compliant',
      'max-cpu-limit': '1e-3',
      'fail-on-violations': 'false'
    })
    expect(JSON.parse(outputs['by-rule']!)).toEqual({ 'resource-limits': 1 })
  })

  it('rejects bad inputs with one-line messages naming the input', async () => {
    const bad: [Record<string, string>, RegExp][] = [
      [{ level: 'privileged' }, /Input 'level' must be one of baseline, restricted/],
      [{ version: 'v2' }, /Input 'version' must be 'latest'/],
      [{ rules: 'nope' }, /unknown rule or group 'nope'/],
      [{ 'sarif-file': '../escape.sarif' }, /Input 'sarif-file' .* points outside the workspace/],
      [{ paths: 'nothing-here/**' }, /No Kubernetes objects found under 'paths'/],
      [{ 'max-cpu-limit': '2cores' }, /Input 'max-cpu-limit' must be a Kubernetes quantity/],
      [{ 'max-memory-limit': '-1Gi' }, /Input 'max-memory-limit' must be a Kubernetes quantity/],
      [
        { 'required-probes': 'sleepProbe' },
        /Input 'required-probes' takes livenessProbe, readinessProbe, startupProbe or none; got 'sleepProbe'/
      ],
      [
        { 'allowed-registries': 'https://ghcr.io/acme' },
        /Input 'allowed-registries' entry 'https:\/\/ghcr.io\/acme' is a URL/
      ],
      [{ 'policy-source': 'pr' }, /Input 'policy-source' must be one of base, head/],
      [{ policy: 'missing.yml' }, /Input 'policy': file missing\.yml does not exist/],
      [
        { 'policy-ref': 'main' },
        /Input 'policy-ref' is only read with 'policy-repository'; set both or neither/
      ],
      [
        { 'policy-repository': 'octo-org' },
        /Input 'policy-repository' \('octo-org'\) must be a repository written owner\/repo/
      ],
      [
        { 'policy-repository': 'octo-org/policies', 'policy-ref': '../x' },
        /Input 'policy-ref' \('\.\.\/x'\) is not a branch, tag or commit SHA/
      ],
      [
        { 'policy-repository': 'octo-org/policies', policy: '../x.yml' },
        /Input 'policy' \('\.\.\/x\.yml'\) must be a path inside the repository/
      ],
      [
        { 'policy-repository': 'octo-org/policies' },
        /central policy octo-org\/policies is read with a token, and none was given/
      ]
    ]
    for (const [inputs, message] of bad) {
      const { stdout, exitCode } = await runWith(inputs)
      expect(exitCode).toBe(1)
      expect(stdout).toMatch(message)
    }
  })
})
