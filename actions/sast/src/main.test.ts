import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  chmodSync,
  existsSync,
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
import { enterPullRequest, pullRequestCheckout } from '../../../test/support/pull-request-checkout.js'
import { runInProcess } from '../../../test/support/run-in-process.js'

// Offline: a stub engine stands in for Semgrep on these error and environment paths.
const saved = { ...process.env }
let workspace: string
let scratch: string

/** A semgrep stand-in that records its environment and writes an empty report where it is told. */
function stubEngine(envDump: string): string {
  const file = path.join(scratch, 'semgrep')
  writeFileSync(
    file,
    `#!/bin/sh
if [ "$1" = "--version" ]; then echo 1.185.0; exit 0; fi
env > '${envDump}'
for a in "$@"; do
  case "$prev" in --output) printf '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS","semanticVersion":"1.185.0"}},"results":[]}]}' > "$a" ;; esac
  prev=$a
done
`
  )
  chmodSync(file, 0o755)
  return file
}

const SECRETS = {
  ACTIONS_RUNTIME_TOKEN: 'runtime-sentinel',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.sentinel.example',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc-sentinel',
  GITHUB_TOKEN: 'ghs_envsentinel',
  GH_TOKEN: 'ghs_ghsentinel'
}

beforeAll(() => {
  scratch = mkdtempSync(path.join(tmpdir(), 'sast-main-'))
  workspace = path.join(scratch, 'ws')
  mkdirSync(path.join(workspace, 'src'), { recursive: true })
  writeFileSync(path.join(workspace, 'src', 'a.py'), 'print(1)\n')
  Object.assign(process.env, {
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: path.join(scratch, 'output'),
    GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo/app',
    RUNNER_TEMP: scratch,
    ...SECRETS
  })
  delete process.env.GITHUB_EVENT_PATH
  delete process.env.SECURE_PIPELINE_SEMGREP_PATH
})
afterAll(() => {
  process.env = saved
  rmSync(scratch, { recursive: true, force: true })
})

describe('sast action (stub engine)', () => {
  it('gives the engine the allowlisted environment: no input, runtime or OIDC token, no token at all', async () => {
    const envDump = path.join(scratch, 'engine.env')
    const { exitCode, outputs } = await runInProcess(run, {
      'semgrep-path': stubEngine(envDump),
      token: 'ghs_inputsentinel'
    })
    expect(exitCode).toBe(0)
    expect(outputs).toMatchObject({ findings: '0', mode: 'full' })
    const seen = readFileSync(envDump, 'utf8')
    expect(seen).toMatch(/^PATH=/m)
    expect(seen).not.toMatch(/^(INPUT_|ACTIONS_)/m)
    for (const value of [...Object.values(SECRETS), 'ghs_inputsentinel']) expect(seen).not.toContain(value)
    expect(seen).not.toMatch(/TOKEN/)
  })

  it('never installs tools into the shared temp dir when RUNNER_TOOL_CACHE is unset', async () => {
    delete process.env.RUNNER_TOOL_CACHE
    const { exitCode, stdout } = await runInProcess(run, {})
    expect(exitCode).toBe(1)
    expect(stdout).toContain(
      "::error::RUNNER_TOOL_CACHE is not set to an absolute path, so there is no private place to install semgrep; run on an Actions runner, set it, or give a binary with input 'semgrep-path'."
    )
    expect(readdirSync(tmpdir()).filter(name => name.startsWith('secure-pipeline-semgrep-'))).toEqual([])
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8'))
    expect(sarif.runs[0].invocations[0].executionSuccessful).toBe(false)
  })

  it('refuses bad inputs with one line naming the input, and leaves a failed SARIF', async () => {
    const engine = await runInProcess(run, { engine: 'codeql' })
    expect(engine.exitCode).toBe(1)
    expect(engine.stdout).toContain("::error::Input 'engine' must be one of semgrep, opengrep; got 'codeql'.")
    const source = await runInProcess(run, { 'policy-source': 'pr' })
    expect(source.stdout).toContain("::error::Input 'policy-source' must be one of base, head; got 'pr'.")
    const outside = await runInProcess(run, { path: '../elsewhere' })
    expect(outside.stdout).toMatch(/::error::Input 'path' \(\.\.\/elsewhere\) points outside the workspace/)
    const wheels = await runInProcess(run, { 'semgrep-wheels': 'secure-pipeline/wheels' })
    expect(wheels.exitCode).toBe(1)
    expect(wheels.stdout).toContain(
      "::error::Input 'semgrep-wheels' must be an absolute directory of the runner, e.g. ${{ runner.temp }}/semgrep-wheels."
    )
    const config = await runInProcess(run, {
      config: 'missing-rules/',
      'semgrep-path': stubEngine('/dev/null')
    })
    expect(config.stdout).toContain(
      "::error::Input 'config' entry 'missing-rules/' does not exist in the workspace"
    )
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8'))
    expect(sarif.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error', message: { text: expect.stringContaining("'config'") } }]
    })
  })

  it('fails with the reason and still writes the SARIF when the engine crashes', async () => {
    const stub = path.join(scratch, 'crash.sh')
    writeFileSync(
      stub,
      '#!/bin/sh\nif [ "$1" = "--version" ]; then echo 1.185.0; exit 0; fi\necho "Segmentation fault" >&2\nexit 139\n'
    )
    chmodSync(stub, 0o755)
    const { exitCode, stdout, outputs } = await runInProcess(run, {
      'semgrep-path': stub,
      'sarif-file': 'out/crash.sarif'
    })
    expect(exitCode).toBe(1)
    expect(stdout).toContain(
      '::error::semgrep: scan failed, results are incomplete: semgrep exited 139 (killed by signal 11): Segmentation fault'
    )
    // Unknown, not 0: a step after this one must not read a crashed scan as a clean one.
    expect(outputs.findings).toBeUndefined()
    expect(outputs['by-severity']).toBeUndefined()
    expect(outputs['sarif-file']).toBe('out/crash.sarif')
    const sarif = JSON.parse(readFileSync(path.join(workspace, 'out', 'crash.sarif'), 'utf8'))
    expect(sarif.runs[0].invocations[0]).toMatchObject({
      executionSuccessful: false,
      toolExecutionNotifications: [{ level: 'error' }]
    })
  })

  it('writes its SARIF in place of a committed link, never through it onto another report', async () => {
    const out = path.join(workspace, 'reports')
    mkdirSync(out)
    writeFileSync(path.join(out, 'sca.sarif'), 'the sca report')
    symlinkSync('sca.sarif', path.join(out, 'sast.sarif'))
    const { exitCode } = await runInProcess(run, {
      'semgrep-path': stubEngine(path.join(scratch, 'env-link')),
      'sarif-file': 'reports/sast.sarif'
    })
    expect(exitCode).toBe(0)
    expect(readFileSync(path.join(out, 'sca.sarif'), 'utf8')).toBe('the sca report')
    expect(lstatSync(path.join(out, 'sast.sarif')).isFile()).toBe(true)
    expect(JSON.parse(readFileSync(path.join(out, 'sast.sarif'), 'utf8')).version).toBe('2.1.0')
  })

  it('refuses an engine binary in the workspace that the pull request changed, without running it', async () => {
    const pr = pullRequestCheckout({
      base: { 'src/a.py': 'print(1)\n' },
      change: { 'tools/semgrep': `#!/bin/sh\ntouch ran\nexit 0\n` }
    })
    chmodSync(path.join(pr.workspace, 'tools', 'semgrep'), 0o755)
    const leave = enterPullRequest(pr)
    try {
      const { exitCode, stdout } = await runInProcess(run, { 'semgrep-path': 'tools/semgrep' })
      expect(exitCode).toBe(1)
      expect(stdout).toContain(
        "changes tools/semgrep, which input 'semgrep-path' (tools/semgrep) names: a change cannot bring the tool it is judged with"
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      leave()
    }
  })

  it('refuses a pysemgrep the pull request put beside an unchanged engine binary, which would run instead', async () => {
    const pr = pullRequestCheckout({
      base: { 'src/a.py': 'print(1)\n', 'tools/semgrep': `#!/bin/sh\nexit 3\n` },
      change: { 'tools/pysemgrep': `#!/bin/sh\ntouch ran\nexit 0\n` }
    })
    chmodSync(path.join(pr.workspace, 'tools', 'semgrep'), 0o755)
    chmodSync(path.join(pr.workspace, 'tools', 'pysemgrep'), 0o755)
    const leave = enterPullRequest(pr)
    try {
      const binary = path.join(pr.workspace, 'tools', 'semgrep')
      const { exitCode, stdout } = await runInProcess(run, { 'semgrep-path': binary })
      expect(exitCode).toBe(1)
      expect(stdout).toContain(
        `changes tools/pysemgrep, which input 'semgrep-path' (${binary}) names: a change cannot bring the tool it is judged with`
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      leave()
    }
  })

  it('refuses a uv SECURE_PIPELINE_UV_PATH names that the pull request changed, which the Semgrep install would run', async () => {
    const pr = pullRequestCheckout({
      base: { 'src/a.py': 'print(1)\n' },
      change: { 'tools/uv': `#!/bin/sh\ntouch ran\necho uv 0.9.0\n` }
    })
    const uv = path.join(pr.workspace, 'tools', 'uv')
    chmodSync(uv, 0o755)
    const leave = enterPullRequest(pr)
    process.env.SECURE_PIPELINE_UV_PATH = uv
    process.env.RUNNER_TOOL_CACHE = mkdtempSync(path.join(scratch, 'tool-cache-'))
    try {
      const { exitCode, stdout } = await runInProcess(run, {})
      expect(exitCode).toBe(1)
      expect(stdout).toContain(
        `::error::semgrep: this pull_request changes tools/uv, which SECURE_PIPELINE_UV_PATH (${uv}) names: a change cannot bring the tool it is judged with`
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      delete process.env.SECURE_PIPELINE_UV_PATH
      delete process.env.RUNNER_TOOL_CACHE
      leave()
    }
  })

  it('refuses an opengrep SECURE_PIPELINE_OPENGREP_PATH names that the pull request changed, which the installer would run', async () => {
    const pr = pullRequestCheckout({
      base: { 'src/a.py': 'print(1)\n' },
      change: { 'tools/opengrep': `#!/bin/sh\ntouch ran\necho 1.10.0\n` }
    })
    const binary = path.join(pr.workspace, 'tools', 'opengrep')
    chmodSync(binary, 0o755)
    const leave = enterPullRequest(pr)
    process.env.SECURE_PIPELINE_OPENGREP_PATH = binary
    try {
      const { exitCode, stdout } = await runInProcess(run, { engine: 'opengrep' })
      expect(exitCode).toBe(1)
      expect(stdout).toContain(
        `::error::opengrep: this pull_request changes tools/opengrep, which SECURE_PIPELINE_OPENGREP_PATH (${binary}) names: a change cannot bring the tool it is judged with`
      )
      expect(existsSync(path.join(pr.workspace, 'ran'))).toBe(false)
    } finally {
      delete process.env.SECURE_PIPELINE_OPENGREP_PATH
      leave()
    }
  })
})
