// The GitOps hand-off of `npm run demo`: bump-manifest-pr on examples/gitops, pushed into a local bare
// repository (no GitHub): a dry run on a clone first (diff and planned pull request, nothing sent), then the
// git-push mode, which commits from git's objects and pushes the bump branch without force.
import { execFileSync } from 'node:child_process'
import { cpSync, mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { runBundle, runnerNode, type BundleRun } from '../../test/support/run-bundle.js'

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'demo',
  GIT_AUTHOR_EMAIL: 'demo@example.com',
  GIT_COMMITTER_NAME: 'demo',
  GIT_COMMITTER_EMAIL: 'demo@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null'
}

const git = (cwd: string, ...args: string[]) =>
  execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

export interface BumpDemoOptions {
  repoRoot: string
  /** The demo's output folder (out/); the bare repository and the checkout go under out/gitops/. */
  out: string
  env: Record<string, string>
  /** The gate's outcome, shown in the planned pull request. */
  gateOutcome?: string
  /**
   * The digest the image scan pinned the pushed image to. The demo's loopback registry stands in for
   * ghcr.io: a copy between registries keeps the manifest's bytes, so the digest names the same image.
   */
  digest: string
}

/** Runs the two bump steps and returns their runs; throws when a step does not do what it must. */
export async function demoBump(options: BumpDemoOptions): Promise<{ dryRun: BundleRun; push: BundleRun }> {
  if (!/^sha256:[a-f0-9]{64}$/.test(options.digest))
    throw new Error(`the image scan gave no digest to pin (${JSON.stringify(options.digest)})`)
  const root = path.join(options.out, 'gitops')
  mkdirSync(root, { recursive: true })
  const origin = path.join(root, 'manifests.git')
  const seed = path.join(root, 'seed')
  git(root, 'init', '-q', '--bare', '-b', 'main', origin)
  cpSync(path.join(options.repoRoot, 'examples/gitops'), seed, { recursive: true })
  git(seed, 'init', '-q', '-b', 'main')
  git(seed, 'add', '.')
  git(seed, 'commit', '-qm', 'manifests')
  git(seed, 'push', '-q', origin, 'main')
  // The workspace holds the checkout of the manifests repository, as actions/checkout would put it.
  const workspace = path.join(root, 'workspace')
  mkdirSync(workspace)
  git(workspace, 'clone', '-q', origin, 'manifests')

  const inputs = {
    image: 'ghcr.io/octo-org/demo-app',
    tag: '1.3.0',
    digest: options.digest,
    'working-directory': 'manifests',
    'gate-outcome': options.gateOutcome ?? '',
    token: ''
  }
  const run = (extra: Record<string, string>) =>
    runBundle('bump-manifest-pr', {
      node: runnerNode().node,
      workspace,
      inputs: { ...inputs, ...extra },
      env: { ...options.env, ...GIT_ENV } as Record<string, string>,
      timeoutMs: 120_000
    })

  const dryRun = await run({ 'dry-run': 'true', 'diff-file': 'bump-dry-run.diff' })
  if (dryRun.status !== 0 || dryRun.outputs.operation !== 'dry-run')
    throw new Error(
      `bump-manifest-pr dry run: exit ${dryRun.status}, operation ${dryRun.outputs.operation}\n${dryRun.stdout}`
    )
  // The dry run edited the checkout; put it back so the push starts from the repository's state.
  git(path.join(workspace, 'manifests'), 'checkout', '--', '.')

  const push = await run({ 'push-mode': 'git', 'diff-file': 'bump.diff' })
  if (push.status !== 0 || push.outputs.operation !== 'pushed')
    throw new Error(
      `bump-manifest-pr git push: exit ${push.status}, operation ${push.outputs.operation}\n${push.stdout}`
    )
  const pushed = git(origin, 'rev-parse', `refs/heads/${push.outputs.branch}`)
  if (pushed !== push.outputs.commit)
    throw new Error(`${push.outputs.branch} in the bare repository is ${pushed}, not ${push.outputs.commit}`)
  writeFileSync(path.join(options.out, 'bump.diff'), git(origin, 'diff', 'main', push.outputs.branch!) + '\n')
  return { dryRun, push }
}
