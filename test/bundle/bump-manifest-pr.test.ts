import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { spawn, execFileSync, type ChildProcess } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
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
