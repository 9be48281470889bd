// The hardening items of issue 9 that concern k8s-policy, through the committed bundle as the runner runs it.
import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../support/git-repo.js'
import { startHttpFileServer, type HttpFileServer } from '../support/http-file-server.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { pullRequestCheckout } from '../support/pull-request-checkout.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'

// Each test starts two or three bundles (and git); on a shared runner that takes longer than jest's 5 s default.
jest.setTimeout(60_000)

const HOST_PID_POD = [
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: root-shell}',
  'spec:',
  '  hostPID: true',
  '  containers:',
  '    - name: shell',
  '      image: ghcr.io/acme/shell:1.0',
  '      securityContext: {privileged: true}',
  ''
].join('\n')
const COMPLIANT = readFileSync(
  path.join(REPO_ROOT, 'examples', 'k8s', 'compliant', 'deployment.yaml'),
  'utf8'
)

function workspace(files: Record<string, string>): string {
  const ws = mkdtempSync(path.join(tmpdir(), 'k8s-hardening-'))
  writeFiles(ws, files)
  return ws
}

const sarifOf = (ws: string, file = 'secure-pipeline/k8s-policy.sarif') =>
  JSON.parse(readFileSync(path.join(ws, file), 'utf8')) as {
    runs: {
      results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[]
      invocations: {
        executionSuccessful: boolean
        toolExecutionNotifications?: { level: string; message: { text: string } }[]
      }[]
    }[]
  }
const resultsOf = (ws: string) =>
  sarifOf(ws).runs[0]!.results.map(
    r => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`
  )

/** A kustomize stand-in: records that it ran and the environment it got, and prints one compliant object. */
function stubKustomize(
  dir: string,
  name = 'kustomize'
): { binary: string; ranMarker: string; envDump: string } {
  mkdirSync(dir, { recursive: true })
  const binary = path.join(dir, name)
  const ranMarker = path.join(dir, `${name}.ran`)
  const envDump = path.join(dir, `${name}.env`)
  writeFileSync(
    binary,
    `#!/bin/sh\ntouch '${ranMarker}'\nenv > '${envDump}'\nprintf 'apiVersion: v1\\nkind: ConfigMap\\nmetadata: {name: rendered}\\n'\n`
  )
  chmodSync(binary, 0o755)
  return { binary, ranMarker, envDump }
}

describe.each(nodeRuntimes())('k8s-policy hardening on $label', ({ node }) => {
  it('README quick start as the composite runs it, with no policy file: the hostPID Pod is reported and the gate fails', async () => {
    const ws = workspace({ 'deploy/pod.yaml': HOST_PID_POD })
    // The composite always passes the policy input (its default path) and lets the gate decide.
    const k8s = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { paths: 'deploy/**', policy: '.github/secure-pipeline.yml', 'fail-on-violations': 'false' }
    })
    expect(k8s.stdout).not.toMatch(/^::error::/m)
    expect(k8s.status).toBe(0)
    expect(resultsOf(ws)).toEqual(
      expect.arrayContaining(['privileged-container deploy/pod.yaml', 'pss-host-namespaces deploy/pod.yaml'])
    )
    const gate = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { policy: '.github/secure-pipeline.yml', upload: 'false', comment: 'false' }
    })
    expect(gate.outputs.outcome).toBe('fail-findings')
    expect(gate.status).toBe(1)
  })

  it('an unknown key in the policy is a configuration error in k8s-policy and in the gate, and the SARIF says the scan failed', async () => {
    const ws = workspace({
      'deploy/pod.yaml': HOST_PID_POD,
      '.github/secure-pipeline.yml': 'k8s-policy: {note: x}\n'
    })
    const k8s = await runBundle('k8s-policy', { node, workspace: ws, inputs: { paths: 'deploy/**' } })
    expect(k8s.status).toBe(1)
    expect(k8s.stdout).toMatch(/^::error::Policy file .*k8s-policy: Unrecognized key: "note"/m)
    const invocation = sarifOf(ws).runs[0]!.invocations[0]!
    expect(invocation.executionSuccessful).toBe(false)
    expect(invocation.toolExecutionNotifications?.[0]?.message.text).toMatch(/Unrecognized key: "note"/)
    const gate = await runBundle('gate', { node, workspace: ws, inputs: { upload: 'false' } })
    expect(gate.status).toBe(1)
    expect(gate.stdout).toMatch(/^::error::Policy file .*k8s-policy: Unrecognized key: "note"/m)
  })

  it('a Chart.yaml beside a privileged Pod hides nothing; the chart templates are listed as not checked', async () => {
    const ws = workspace({
      'apps/ok.yaml': COMPLIANT,
      'deploy/Chart.yaml': 'apiVersion: v2\nname: shell\nversion: 1.0.0\n',
      'deploy/pod.yaml': HOST_PID_POD,
      'deploy/templates/pod.yaml': HOST_PID_POD
    })
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { 'fail-on-violations': 'false' }
    })
    expect(r.status).toBe(0)
    expect(resultsOf(ws)).toEqual(expect.arrayContaining(['privileged-container deploy/pod.yaml']))
    expect(resultsOf(ws).filter(x => x.endsWith('deploy/templates/pod.yaml'))).toEqual([])
    expect(r.outputs.unchecked).toBe('1')
    expect(r.summary).toContain(
      '| deploy/templates/pod.yaml | Helm template of chart deploy; charts are not rendered |'
    )
    expect(r.stdout).toMatch(
      /^::warning::1 file\(s\) matching 'paths' were not checked, first deploy\/templates\/pod\.yaml/m
    )
    expect(sarifOf(ws).runs[0]!.invocations[0]!.toolExecutionNotifications).toEqual([
      {
        level: 'warning',
        message: {
          text: 'not checked: deploy/templates/pod.yaml: Helm template of chart deploy; charts are not rendered'
        }
      }
    ])
  })

  it("with 'fail-on-unchecked' a Helm template fails the run, and the gate reads the report as broken", async () => {
    const ws = workspace({
      'apps/ok.yaml': COMPLIANT,
      'chart/Chart.yaml': 'apiVersion: v2\nname: shell\nversion: 1.0.0\n',
      'chart/templates/pod.yaml': HOST_PID_POD
    })
    const r = await runBundle('k8s-policy', { node, workspace: ws, inputs: { 'fail-on-unchecked': 'true' } })
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(
      /^::error::k8s-policy: 1 file\(s\) matching 'paths' were not checked and 'fail-on-unchecked' is true; first: chart\/templates\/pod\.yaml/m
    )
    expect(sarifOf(ws).runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
    const gate = await runBundle('gate', {
      node,
      workspace: ws,
      inputs: { upload: 'false', 'warn-only': 'true' }
    })
    expect(gate.outputs.outcome).toBe('fail-broken-input')
  })

  it('an unreferenced kustomize Component in the same folder hides nothing but itself', async () => {
    const ws = workspace({
      'deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\n',
      'deploy/pod.yaml': HOST_PID_POD
    })
    const r = await runBundle('k8s-policy', { node, workspace: ws, inputs: { paths: 'deploy/**' } })
    expect(r.status).toBe(1)
    expect(resultsOf(ws)).toEqual(expect.arrayContaining(['privileged-container deploy/pod.yaml']))
    expect(r.outputs.unchecked).toBe('1')
    expect(r.summary).toContain(
      '| deploy/kustomization.yaml | kustomize Component that no kustomization under paths uses'
    )
  })

  it('a remote resource is refused with the kustomization and the URL, and kustomize never starts', async () => {
    const ws = workspace({
      'deploy/kustomization.yaml': 'resources:\n  - https://github.com/acme/infra//base?ref=v1\n'
    })
    const stub = stubKustomize(path.join(ws, '..', `${path.basename(ws)}-bin`))
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { paths: 'deploy/**' },
      env: { SECURE_PIPELINE_KUSTOMIZE_PATH: stub.binary }
    })
    expect(r.status).toBe(1)
    expect(r.stdout).toContain(
      "::error::deploy/kustomization.yaml: remote resource 'https://github.com/acme/infra//base?ref=v1' is refused"
    )
    expect(existsSync(stub.ranMarker)).toBe(false)
    expect(sarifOf(ws).runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
  })

  it('kustomize, when allowed to fetch, gets the allowlisted environment: no INPUT_*, no runner or GitHub tokens', async () => {
    const ws = workspace({ 'deploy/kustomization.yaml': 'resources:\n  - https://example.com/pod.yaml\n' })
    const stub = stubKustomize(path.join(ws, '..', `${path.basename(ws)}-bin`))
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      inputs: { paths: 'deploy/**', 'allow-remote-resources': 'true', 'kustomize-path': stub.binary },
      env: {
        ACTIONS_RUNTIME_TOKEN: 'runtime-SENTINEL',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://token.example/SENTINEL',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'id-SENTINEL',
        GITHUB_TOKEN: 'ghs_SENTINEL',
        INPUT_TOKEN: 'ghs_SENTINEL2'
      }
    })
    expect(r.status).toBe(0)
    const env = readFileSync(stub.envDump, 'utf8')
    const names = env.split('\n').map(line => line.split('=', 1)[0])
    expect(names.filter(n => /^(INPUT_|ACTIONS_)|TOKEN/.test(n!))).toEqual([])
    expect(env).not.toContain('SENTINEL')
    expect(names).toEqual(expect.arrayContaining(['PATH', 'HOME']))
  })

  describe('kustomize comes from the pinned catalog, never from PATH', () => {
    let server: HttpFileServer
    beforeAll(async () => {
      server = await startHttpFileServer()
    })
    afterAll(() => server.close())

    it('a tampered release asset is refused by its sha256 before anything in it runs, and the kustomize on PATH is not used', async () => {
      const ws = workspace({
        'deploy/kustomization.yaml': 'resources: [pod.yaml]\n',
        'deploy/pod.yaml': HOST_PID_POD
      })
      const scratch = path.join(ws, '..', `${path.basename(ws)}-bin`)
      const onPath = stubKustomize(path.join(scratch, 'path'))
      // A release-shaped archive whose kustomize would leave a marker if it ever ran.
      const packed = stubKustomize(path.join(scratch, 'asset'))
      const archive = path.join(scratch, 'kustomize.tar.gz')
      execFileSync('tar', ['-czf', archive, '-C', path.dirname(packed.binary), 'kustomize'])
      server.setFile(
        '/kubernetes-sigs/kustomize/releases/download/kustomize/v5.8.2/kustomize_v5.8.2_linux_amd64.tar.gz',
        readFileSync(archive)
      )
      const r = await runBundle('k8s-policy', {
        node,
        workspace: ws,
        inputs: { paths: 'deploy/**' },
        env: {
          PATH: `${path.dirname(onPath.binary)}${path.delimiter}${process.env.PATH ?? ''}`,
          SECURE_PIPELINE_TOOLS_MIRROR: server.origin
        }
      })
      expect(r.status).toBe(1)
      expect(r.stdout).toMatch(
        /^::error::sha256 mismatch for kustomize 5\.8\.2 \(linux-x64\) downloaded from http:\/\/127\.0\.0\.1:\d+\/kubernetes-sigs\/kustomize\/.*nothing was extracted or executed/m
      )
      expect(existsSync(onPath.ranMarker)).toBe(false)
      expect(existsSync(packed.ranMarker)).toBe(false)
      expect(sarifOf(ws).runs[0]!.invocations[0]!.executionSuccessful).toBe(false)
    })
  })
})

describe.each(nodeRuntimes())('k8s-policy on a pull request, on $label', ({ node }) => {
  let ws: string
  let event: { name: string; payload: unknown }
  let head: string
  beforeAll(() => {
    const checkout = pullRequestCheckout({
      base: {
        '.github/secure-pipeline.yml': 'k8s-policy:\n  rules:\n    required-probes: off\n',
        'deploy/ok.yaml': COMPLIANT
      },
      change: {
        '.github/secure-pipeline.yml':
          'k8s-policy:\n  rules:\n    privileged-container: off\n    pss-privileged: off\n    pss-host-namespaces: off\n',
        'deploy/pod.yaml': HOST_PID_POD
      }
    })
    ws = checkout.workspace
    head = checkout.headSha
    event = checkout.event
  })

  it("a PR that turns rules off in its own policy is still checked by the base's rules, and the summary shows the proposal", async () => {
    const r = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      event,
      inputs: { paths: 'deploy/**', 'fail-on-violations': 'false' },
      env: { GITHUB_SHA: head }
    })
    expect(r.status).toBe(0)
    expect(resultsOf(ws)).toEqual(
      expect.arrayContaining([
        'privileged-container deploy/pod.yaml',
        'pss-privileged deploy/pod.yaml',
        'pss-host-namespaces deploy/pod.yaml'
      ])
    )
    expect(r.summary).toMatch(/Rule switches from \.github\/secure-pipeline\.yml \(merge-base [0-9a-f]{12}\)/)
    expect(r.summary).toContain(
      'it would turn off `privileged-container`, `pss-host-namespaces`, `pss-privileged`; it would turn on `required-probes`.'
    )
    const headDecides = await runBundle('k8s-policy', {
      node,
      workspace: ws,
      event,
      inputs: { paths: 'deploy/**', 'fail-on-violations': 'false', 'policy-source': 'head' },
      env: { GITHUB_SHA: head }
    })
    expect(headDecides.status).toBe(0)
    expect(
      resultsOf(ws).filter(x => /^(privileged-container|pss-privileged|pss-host-namespaces) /.test(x))
    ).toEqual([])
  })
})
