import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { startGitHubApiDouble, type GitHubApiDouble } from '../support/github-api-double.js'
import { writeFiles } from '../support/git-repo.js'
import { nodeRuntimes, runBundle } from '../support/run-bundle.js'
import { toolPath } from '../support/tools-path.js'

/*
 * dist/bump-manifest-pr/index.js as the runner runs it, on Node 20 and 24: the digest of a tag comes from
 * a real registry (distribution's docker-registry on the loopback interface, holding an image crane
 * pushed), the change goes through the OpenAPI-validating GitHub API double, and a dry run on a local
 * checkout reaches neither GitHub nor any push.
 */

jest.setTimeout(240_000)

let registry: ChildProcess
let registryHost: string
let api: GitHubApiDouble
let scratch: string
/** The digest crane reports for the pushed tag: what the action must pin. */
let pushedDigest: string

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number }
      server.close(() => resolve(port))
    })
  })
}

async function waitForRegistry(url: string): Promise<void> {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(url)).status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  throw new Error(`docker-registry did not answer at ${url}`)
}

beforeAll(async () => {
  scratch = mkdtempSync(path.join(tmpdir(), 'bump-bundle-'))
  const port = await freePort()
  registryHost = `127.0.0.1:${port}`
  const config = path.join(scratch, 'registry.yml')
  writeFileSync(
    config,
    `version: 0.1\nlog:\n  level: error\nstorage:\n  filesystem:\n    rootdirectory: ${path.join(scratch, 'registry')}\nhttp:\n  addr: ${registryHost}\n`
  )
  registry = spawn('/usr/bin/docker-registry', ['serve', config], { stdio: 'ignore' })
  await waitForRegistry(`http://${registryHost}/v2/`)
  const layer = path.join(scratch, 'layer')
  writeFiles(layer, { 'app/version': '1.3.0\n' })
  execFileSync('tar', ['-cf', path.join(scratch, 'layer.tar'), '-C', layer, 'app'])
  const pinned = execFileSync(
    toolPath('crane'),
    [
      'append',
      '--insecure',
      '-f',
      path.join(scratch, 'layer.tar'),
      '-t',
      `${registryHost}/octo-org/app:1.3.0`
    ],
    { encoding: 'utf8', env: { ...process.env, HOME: scratch }, stdio: ['ignore', 'pipe', 'ignore'] }
  ).trim()
  pushedDigest = /@(sha256:[0-9a-f]{64})$/.exec(pinned)![1]!
  api = await startGitHubApiDouble()
})

afterAll(async () => {
  registry?.kill()
  api?.assertNoSpecViolations()
  await api?.close()
  rmSync(scratch, { recursive: true, force: true })
})

const deployment = (image: string) =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ${image} # the app\n      initContainers:\n      - name: migrate\n        image: '${image}'\n`

describe.each(nodeRuntimes())('bump-manifest-pr bundle on $label', ({ node, label }) => {
  it('resolves the digest of the new tag from the registry and opens one signed pull request through the API', async () => {
    const name = `manifests-${label.replace(/\W+/g, '-')}`
    const repo = api.repo('octo-org', name)
    repo.seedCommit({
      'deploy/app.yaml': deployment(`${registryHost}/octo-org/app:1.2.0`),
      'README.md': '# manifests\n'
    })
    const workspace = mkdtempSync(path.join(scratch, 'ws-'))
    const inputs = {
      image: `${registryHost}/octo-org/app`,
      tag: '1.3.0',
      repository: `octo-org/${name}`,
      token: 'ghs_installation_token',
      labels: 'dependencies'
    }
    const env = { GITHUB_API_URL: api.url, HOME: scratch }
    const run = await runBundle('bump-manifest-pr', { node, workspace, inputs, env })
    expect(run.stderr).toBe('')
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({
      operation: 'created',
      digest: pushedDigest,
      verified: 'true',
      changes: '2',
      'changed-files': '["deploy/app.yaml"]'
    })
    const pull = repo.pulls.get(Number(run.outputs['pull-request-number']))!
    expect(pull).toMatchObject({ head: run.outputs.branch, base: 'main', labels: ['dependencies'] })
    expect(pull.body).toContain(pushedDigest)
    const tree = repo.trees.get(repo.commits.get(repo.refs.get(`refs/heads/${run.outputs.branch}`)!)!.tree)!
    expect(repo.blobs.get(tree.get('deploy/app.yaml')!.sha)!.toString('utf8')).toBe(
      deployment(`${registryHost}/octo-org/app:1.3.0@${pushedDigest}`)
    )

    // The same run again: the branch and its pull request already hold it.
    const again = await runBundle('bump-manifest-pr', { node, workspace, inputs, env })
    expect(again.status).toBe(0)
    expect(again.outputs).toMatchObject({
      operation: 'unchanged',
      'pull-request-number': run.outputs['pull-request-number']
    })
    expect(repo.pulls.size).toBe(1)
  })

  it('dry run on a local checkout: edits it, prints the diff and the planned pull request, sets the outputs, calls no API', async () => {
    const workspace = mkdtempSync(path.join(scratch, 'dry-'))
    mkdirSync(path.join(workspace, 'manifests'))
    writeFiles(path.join(workspace, 'manifests'), {
      'deploy/app.yaml': deployment(`${registryHost}/octo-org/app:1.2.0`)
    })
    const before = api.requests.length
    const run = await runBundle('bump-manifest-pr', {
      node,
      workspace,
      inputs: {
        image: `${registryHost}/octo-org/app`,
        tag: '1.3.0',
        'dry-run': 'true',
        'working-directory': 'manifests',
        token: ''
      },
      env: { HOME: scratch }
    })
    expect(run.status).toBe(0)
    expect(run.outputs).toMatchObject({
      operation: 'dry-run',
      digest: pushedDigest,
      commit: '',
      'pull-request-number': ''
    })
    expect(readFileSync(path.join(workspace, 'manifests/deploy/app.yaml'), 'utf8')).toBe(
      deployment(`${registryHost}/octo-org/app:1.3.0@${pushedDigest}`)
    )
    expect(run.stdout).toContain(
      `+        image: ${registryHost}/octo-org/app:1.3.0@${pushedDigest} # the app`
    )
    expect(run.stdout).toContain(`Title: Bump ${registryHost}/octo-org/app from 1.2.0 to 1.3.0`)
    expect(readFileSync(path.join(workspace, run.outputs['diff-file']!), 'utf8')).toContain(
      `-        image: '${registryHost}/octo-org/app:1.2.0'`
    )
    expect(api.requests.length).toBe(before)
  })

  it('a tag the registry does not have stops the run with an error that says what to do, and writes nothing', async () => {
    const workspace = mkdtempSync(path.join(scratch, 'missing-'))
    writeFiles(workspace, { 'deploy/app.yaml': deployment(`${registryHost}/octo-org/app:1.2.0`) })
    const run = await runBundle('bump-manifest-pr', {
      node,
      workspace,
      inputs: { image: `${registryHost}/octo-org/app`, tag: '9.9.9', 'dry-run': 'true' },
      env: { HOME: scratch }
    })
    expect(run.status).toBe(1)
    expect(run.stdout).toMatch(
      /^::error::Could not resolve the digest of .*app:9\.9\.9 from its registry: .*Give it in 'digest', or set 'resolve-digest' to false/m
    )
    expect(readFileSync(path.join(workspace, 'deploy/app.yaml'), 'utf8')).toBe(
      deployment(`${registryHost}/octo-org/app:1.2.0`)
    )
  })
})

describe('bump-manifest-pr bundle against a hostile manifests repository or checkout', () => {
  const IMAGE = 'ghcr.io/octo-org/app'
  const DIGEST = `sha256:${'b'.repeat(64)}`
  const errors = (stdout: string) => stdout.split('\n').filter(line => line.startsWith('::error'))

  function bump(workspace: string, inputs: Record<string, string>) {
    return runBundle('bump-manifest-pr', {
      node: process.execPath,
      workspace,
      inputs: { image: IMAGE, tag: '1.3.0', digest: DIGEST, token: 'ghs_installation', ...inputs },
      env: { GITHUB_API_URL: api.url, HOME: scratch }
    })
  }

  it("an unsigned commit planted on the bump branch with this bump's message is not adopted: one error naming the branch, no pull request, no label", async () => {
    const probe = api.repo('octo-org', 'hostile-probe')
    probe.seedCommit({ 'deploy/app.yaml': deployment(`${IMAGE}:1.2.0`) })
    const workspace = mkdtempSync(path.join(scratch, 'planted-'))
    const first = await bump(workspace, { repository: 'octo-org/hostile-probe' })
    expect(first.outputs.operation).toBe('created')
    const branch = first.outputs.branch!
    const legit = probe.commits.get(probe.refs.get(`refs/heads/${branch}`)!)!

    const repo = api.repo('octo-org', 'hostile-planted')
    const base = repo.seedCommit({ 'deploy/app.yaml': deployment(`${IMAGE}:1.2.0`) })
    const entries = new Map(repo.trees.get(repo.commits.get(base)!.tree)!)
    const evil = Buffer.from(deployment('evil.example/backdoor:latest'))
    entries.set('deploy/app.yaml', { mode: '100644', type: 'blob', sha: repo.putBlob(evil) })
    const planted = repo.putCommit({
      tree: repo.putTree(entries),
      parents: [base],
      message: legit.message,
      author: { name: 'mallory', email: 'mallory@example.com' },
      signed: false
    })
    repo.refs.set(`refs/heads/${branch}`, planted)
    const run = await bump(workspace, {
      repository: 'octo-org/hostile-planted',
      'auto-merge': 'true',
      labels: 'dependencies'
    })
    expect(run.status).toBe(1)
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(
          `^::error::The branch ${branch} already exists and its head ${planted.slice(0, 12)} is not a GitHub-signed bump of ${IMAGE.replace(/\./g, '\\.')} by this action.*delete that branch`
        )
      )
    ])
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(planted)
    expect(repo.pulls.size).toBe(0)
  })

  it("'branch' naming the base is refused before anything is written", async () => {
    const repo = api.repo('octo-org', 'hostile-base')
    const main = repo.seedCommit({ 'deploy/app.yaml': deployment(`${IMAGE}:1.2.0`) })
    const run = await bump(mkdtempSync(path.join(scratch, 'base-')), {
      repository: 'octo-org/hostile-base',
      branch: 'main'
    })
    expect(run.status).toBe(1)
    expect(errors(run.stdout)).toEqual([
      expect.stringMatching(/^::error::Input 'branch' \(main\) is the base branch.*leave 'branch' empty\.$/)
    ])
    expect(repo.refs.get('refs/heads/main')).toBe(main)
    expect(repo.pulls.size).toBe(0)
  })

  it("a committed secure-pipeline link, or an absolute diff-file elsewhere, fails naming 'diff-file' before the checkout is edited", async () => {
    for (const [name, inputs] of [
      ['link', {}],
      ['absolute', { 'diff-file': path.join(scratch, 'elsewhere.diff') }]
    ] as const) {
      const workspace = mkdtempSync(path.join(scratch, `diff-${name}-`))
      const outside = mkdtempSync(path.join(scratch, `diff-${name}-outside-`))
      writeFiles(workspace, { 'deploy/app.yaml': deployment(`${IMAGE}:1.2.0`) })
      symlinkSync(outside, path.join(workspace, 'secure-pipeline'))
      const run = await bump(workspace, { 'dry-run': 'true', token: '', ...inputs })
      expect(run.status).toBe(1)
      expect(errors(run.stdout)).toEqual([
        expect.stringMatching(/^::error::Input 'diff-file' \(.*\) points outside the workspace/)
      ])
      expect(readFileSync(path.join(workspace, 'deploy/app.yaml'), 'utf8')).toBe(deployment(`${IMAGE}:1.2.0`))
      expect(readdirSync(outside)).toEqual([])
      expect(existsSync(path.join(scratch, 'elsewhere.diff'))).toBe(false)
    }
  })

  it('a file naming the image that cannot be parsed is a warning and is listed in the planned pull request', async () => {
    // Each level names the one before twice: 2^22 nodes once expanded, over the million any file may hold.
    const aliases = Array.from({ length: 21 }, (_, i) => `  k${i + 1}: &k${i + 1} [*k${i}, *k${i}]`).join(
      '\n'
    )
    const values = `image:\n  repository: ${IMAGE}\n  tag: 1.2.0\nlimits:\n  k0: &k0 [1, 2]\n${aliases}\n`
    const workspace = mkdtempSync(path.join(scratch, 'partial-'))
    writeFiles(workspace, { 'prod/values.yaml': values, 'staging/deploy.yaml': deployment(`${IMAGE}:1.2.0`) })
    const run = await bump(workspace, { 'dry-run': 'true', token: '' })
    expect(run.status).toBe(0)
    expect(run.outputs['changed-files']).toBe('["staging/deploy.yaml"]')
    expect(run.stdout).toMatch(
      /^::warning::Not edited: prod\/values\.yaml names the image but keeps its old version: .*alias/m
    )
    expect(run.stdout).toContain('**Not edited: 1 file(s) name the image but keep their old version:**')
    expect(readFileSync(path.join(workspace, 'prod/values.yaml'), 'utf8')).toBe(values)
  })
})
