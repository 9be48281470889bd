import { afterAll, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { defaultBumpOptions, digestOf } from '../../../../test/support/bump.js'
import {
  startGitHubApiDouble,
  type DoubleRepo,
  type GitHubApiDouble
} from '../../../../test/support/github-api-double.js'
import { cloneWithOrigin, git, writeFiles } from '../../../../test/support/git-repo.js'
import type { ActionsContext } from '../github/context.js'
import { ConfigurationError } from '../runtime/errors.js'
import { JobSummary } from '../runtime/job-summary.js'
import { memoryLogger } from '../runtime/logger.js'
import { bumpGitHub } from './github-port.js'
import type { BumpPorts, BumpResult, BumpRunOptions } from './options.js'
import { runBump } from './run-bump.js'

// Every request is checked against GitHub's OpenAPI description; the first of each kind compiles its schema.
jest.setTimeout(120_000)

const IMAGE = 'ghcr.io/octo-org/app'
/** The one branch for this image and scope: no version in its name. */
const BRANCH_FORM = /^secure-pipeline\/bump\/ghcr\.io-octo-org-app-[0-9a-f]{8}$/
const DEPLOYMENT = (tag: string) =>
  `# the app\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app # keep\nspec:\n  template:\n    spec:\n      containers:\n        - name: app\n          image: "${IMAGE}:${tag}"   # pinned by the bump\n`
/** A kustomization (CRLF) of another image: never touched. */
const KUSTOMIZATION = (tag: string) =>
  `resources:\r\n  - deployment.yaml\r\nimages:\r\n  - name: ghcr.io/octo-org/sidecar\r\n    newTag: '${tag}'\r\n`
const README = '# manifests\n'

let api: GitHubApiDouble
let scratch: string
let counter = 0

beforeAll(async () => {
  api = await startGitHubApiDouble()
  scratch = mkdtempSync(path.join(tmpdir(), 'run-bump-'))
})
afterAll(async () => {
  api.assertNoSpecViolations()
  await api.close()
  rmSync(scratch, { recursive: true, force: true })
})

/** A fresh manifests repository in the double, one per test, at tag 1.2.0. */
function manifestsRepo(): DoubleRepo {
  const repo = api.repo('octo-org', `manifests-${++counter}`)
  repo.seedCommit({
    'apps/app/deployment.yaml': DEPLOYMENT('1.2.0'),
    'apps/app/kustomization.yaml': KUSTOMIZATION('1.2.0'),
    'README.md': README
  })
  return repo
}

function options(
  repo: { owner: string; name: string } | undefined,
  tag: string,
  over: Partial<BumpRunOptions> = {}
): BumpRunOptions {
  return defaultBumpOptions({ image: IMAGE, tag, digest: digestOf(tag.at(-1)!) }, scratch, {
    paths: ['**/*.yaml'],
    ...(repo ? { repository: { owner: repo.owner, repo: repo.name } } : {}),
    labels: ['dependencies'],
    reviewers: ['octocat', 'octo-org/platform'],
    resolveDigest: false,
    diffFile: `out-${counter}/bump.diff`,
    ...over
  })
}

const context: ActionsContext = {
  eventName: 'push',
  repo: { owner: 'octo-org', repo: 'app' },
  sha: 'b'.repeat(40),
  ref: 'refs/heads/main',
  serverUrl: 'https://github.com',
  apiUrl: 'https://api.github.com',
  runId: '77',
  payload: {}
}

function ports(token = 'ghs_installation'): BumpPorts & { logger: ReturnType<typeof memoryLogger> } {
  const logger = memoryLogger()
  return {
    logger,
    summary: new JobSummary(),
    context,
    gitData: bumpGitHub({
      token,
      tokenInput: 'token',
      env: { GITHUB_API_URL: api.url },
      logger,
      octokit: { baseUrl: api.url, timeUnitMs: 1, retries: 0 }
    })
  }
}

/** The bump branch of a repository: there must be exactly one. */
function bumpBranchOf(repo: DoubleRepo): string {
  const branches = [...repo.refs.keys()].filter(ref => ref.startsWith('refs/heads/secure-pipeline/'))
  expect(branches).toHaveLength(1)
  const branch = branches[0]!.slice('refs/heads/'.length)
  expect(branch).toMatch(BRANCH_FORM)
  return branch
}

/** The bytes of a file at the tip of a branch, from the double's objects. */
function fileAt(repo: DoubleRepo, branch: string, file: string): string | undefined {
  const sha = repo.refs.get(`refs/heads/${branch}`)
  const entry = sha ? repo.trees.get(repo.commits.get(sha)!.tree)!.get(file) : undefined
  return entry ? repo.blobs.get(entry.sha)!.toString('utf8') : undefined
}

const writes = (since: number) =>
  api.requests
    .slice(since)
    .filter(r => r.method !== 'GET')
    .map(r => r.operationId)

describe('bump-manifest-pr through the Git Data API (against the OpenAPI-validating double)', () => {
  it('opens one pull request whose GitHub-signed commit changes only the pinned values, then leaves it when run again', async () => {
    const repo = manifestsRepo()
    const run = ports()
    const result = await runBump(options(repo, '1.3.0'), run)
    // The double's token acts as github-actions[bot], as GITHUB_TOKEN does: its pull requests start no workflow.
    expect(run.logger.lines).toContainEqual(
      expect.stringMatching(
        /^warning: Pull request #\d+ was opened with GITHUB_TOKEN, so no workflow runs on it.*GitHub App token/
      )
    )
    expect(result).toMatchObject({ operation: 'created', base: 'main', commit: { verified: true } })
    const branch = bumpBranchOf(repo)
    expect(result.branch).toBe(branch)
    expect(fileAt(repo, branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.3.0@${digestOf('0')}`))
    expect(fileAt(repo, branch, 'apps/app/kustomization.yaml')).toBe(KUSTOMIZATION('1.2.0'))
    expect(fileAt(repo, branch, 'README.md')).toBe(README)
    const pull = repo.pulls.get(result.pullRequest!.number)!
    expect(pull).toMatchObject({
      head: branch,
      base: 'main',
      state: 'open',
      labels: ['dependencies'],
      reviewers: ['octocat'],
      teamReviewers: ['platform']
    })
    expect(pull.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.3.0`)
    expect(pull.body).toContain(`\`${digestOf('0')}\``)
    expect(pull.body).toContain('https://github.com/octo-org/app/actions/runs/77')
    expect(pull.body).toContain(`https://github.com/octo-org/app/commit/${'b'.repeat(40)}`)
    // The commit carries no author or committer: GitHub makes and signs it.
    const commitRequest = api.requestsFor('git/create-commit').at(-1)!.body as Record<string, unknown>
    expect(Object.keys(commitRequest).sort()).toEqual(['message', 'parents', 'tree'])
    expect(readFileSync(path.join(scratch, options(repo, '1.3.0').diffFile), 'utf8')).toContain(
      `-          image: "${IMAGE}:1.2.0"   # pinned by the bump`
    )

    const head = repo.refs.get(`refs/heads/${branch}`)
    const before = api.requests.length
    const again = await runBump(options(repo, '1.3.0'), ports())
    expect(again.operation).toBe('unchanged')
    // The tree it compares the head with is built again (GitHub names a tree only by making it): no
    // commit, ref or pull request is written.
    expect(writes(before)).toEqual(['git/create-blob', 'git/create-tree'])
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(head)
    expect([...repo.pulls.values()]).toHaveLength(1)
  })

  it('a newer tag updates the same pull request, fast-forwarding the branch so no commit is lost', async () => {
    const repo = manifestsRepo()
    const viewer = api.state.viewer
    api.state.viewer = { login: 'secure-bump[bot]', id: 9001, type: 'Bot' }
    const run = ports()
    const first = await runBump(options(repo, '1.3.0'), run).finally(() => (api.state.viewer = viewer))
    expect(run.logger.lines.filter(line => line.startsWith('warning:'))).toEqual([])
    const branch = bumpBranchOf(repo)
    const firstHead = repo.refs.get(`refs/heads/${branch}`)!
    const second = await runBump(options(repo, '1.4.0'), ports())
    expect(second).toMatchObject({
      operation: 'updated',
      branch: branch,
      pullRequest: { number: first.pullRequest!.number }
    })
    expect([...repo.pulls.values()]).toHaveLength(1)
    expect(repo.pulls.get(first.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.4.0`)
    expect(repo.isAncestor(firstHead, repo.refs.get(`refs/heads/${branch}`)!)).toBe(true)
    expect(fileAt(repo, branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.4.0@${digestOf('0')}`))
    expect(api.requestsFor('git/update-ref').at(-1)!.body).toMatchObject({ force: false })
  })

  it('two images whose branch slugs are the same (cut at 80 characters) get a branch and a pull request each', async () => {
    const ecr = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/platform/payments-reconciliation'
    const repo = api.repo('octo-org', `manifests-${++counter}`)
    repo.seedCommit({
      'api.yaml': DEPLOYMENT('1.2.0').replace(IMAGE, `${ecr}-api`),
      'worker.yaml': DEPLOYMENT('1.2.0').replace(IMAGE, `${ecr}-worker`)
    })
    const bump = (image: string) =>
      runBump(
        defaultBumpOptions({ image, tag: '1.3.0', digest: digestOf('0') }, scratch, {
          repository: { owner: repo.owner, repo: repo.name },
          resolveDigest: false,
          diffFile: `out-${counter}/bump.diff`
        }),
        ports()
      )
    const api1 = await bump(`${ecr}-api`)
    const worker = await bump(`${ecr}-worker`)
    expect([api1.operation, worker.operation]).toEqual(['created', 'created'])
    expect(worker.branch).not.toBe(api1.branch)
    expect(fileAt(repo, worker.branch, 'worker.yaml')).toContain(`${ecr}-worker:1.3.0@`)
    expect(fileAt(repo, api1.branch, 'api.yaml')).toContain(`${ecr}-api:1.3.0@`)
    expect(repo.pulls.size).toBe(2)
  })

  it('auto-merge with a gate outcome that is not pass is refused before anything is read or written; a review shows it', async () => {
    const repo = manifestsRepo()
    const before = api.requests.length
    const over = { gate: 'fail-findings', autoMerge: 'squash' as const }
    const error = await runBump(options(repo, '1.3.0', over), ports()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /^Input 'gate-outcome' is 'fail-findings', not pass, and 'auto-merge' would merge the pull request without review: .*set 'auto-merge' to false\.$/
    )
    expect(api.requests.length).toBe(before)
    expect([...repo.refs.keys()]).toEqual(['refs/heads/main'])
    expect(readdirSync(scratch)).not.toContain(`out-${counter}`)

    const reviewed = await runBump(options(repo, '1.3.0', { gate: 'fail-findings' }), ports())
    const pull = repo.pulls.get(reviewed.pullRequest!.number)!
    expect(pull.autoMerge).toBeUndefined()
    expect(pull.body).toContain('**Gate:** ⚠️ fail-findings')

    const passed = await runBump(options(manifestsRepo(), '1.3.0', { ...over, gate: 'pass' }), ports())
    expect(passed.operation).toBe('created')
  })

  it('says no change, and writes nothing, when the base already pins the version', async () => {
    const repo = manifestsRepo()
    repo.seedCommit({ 'apps/app/deployment.yaml': DEPLOYMENT(`1.3.0@${digestOf('0')}`) })
    const before = api.requests.length
    const result = await runBump(options(repo, '1.3.0'), ports())
    expect(result.operation).toBe('no-change')
    expect(writes(before)).toEqual([])
    expect([...repo.refs.keys()]).toEqual(['refs/heads/main'])
    expect(repo.pulls.size).toBe(0)
  })

  it('refuses to move the branch with a commit GitHub did not sign (a personal access token), and says to use an App token', async () => {
    const repo = manifestsRepo()
    const error = await runBump(options(repo, '1.3.0'), ports('ghp_personal')).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /GitHub did not sign the bump commit \(verification: unsigned\).*GitHub App token.*'token'.*'require-signed'/
    )
    expect([...repo.refs.keys()]).toEqual(['refs/heads/main'])
    expect(repo.pulls.size).toBe(0)
  })

  it('names the repository setting when GitHub Actions may not open pull requests', async () => {
    const repo = manifestsRepo()
    api.on('pulls/create', () => ({
      status: 403,
      body: { message: 'GitHub Actions is not permitted to create or approve pull requests.' }
    }))
    try {
      await expect(runBump(options(repo, '1.3.0'), ports())).rejects.toThrow(
        /Allow GitHub Actions to create and approve pull requests/
      )
    } finally {
      api.on('pulls/create', () => undefined)
    }
  })
})

describe('two runs at once (compare-and-swap on the bump branch)', () => {
  /**
   * Runs `first` and, when it is about to move the branch (its create-ref or update-ref reaches the
   * double), runs `second` to the end before the double answers `first`: the branch moved between
   * `first`'s read and its write.
   */
  async function interleave(
    repo: DoubleRepo,
    first: string,
    second: string
  ): Promise<[BumpResult, BumpResult]> {
    let secondRun: Promise<BumpResult> | undefined
    const hold = async () => {
      if (secondRun) return undefined
      secondRun = runBump(options(repo, second), ports())
      await secondRun
      return undefined
    }
    api.on('git/create-ref', hold)
    api.on('git/update-ref', hold)
    try {
      const a = await runBump(options(repo, first), ports())
      return [a, await secondRun!]
    } finally {
      api.on('git/create-ref', () => undefined)
      api.on('git/update-ref', () => undefined)
    }
  }

  const branchTag = (repo: DoubleRepo) =>
    /app:(\d+\.\d+\.\d+)@/.exec(fileAt(repo, bumpBranchOf(repo), 'apps/app/deployment.yaml') ?? '')?.[1]

  it('older run first: its create fails, it re-reads, finds the newer tag and leaves it: one pull request with 1.4.0', async () => {
    const repo = manifestsRepo()
    const [older, newer] = await interleave(repo, '1.3.0', '1.4.0')
    expect(newer.operation).toBe('created')
    expect(older.operation).toBe('superseded')
    expect(branchTag(repo)).toBe('1.4.0')
    expect([...repo.pulls.values()].map(p => [p.state, p.title])).toEqual([
      ['open', `Bump ${IMAGE} from 1.2.0 to 1.4.0`]
    ])
    expect(
      api.requestsFor('git/create-ref').filter(r => r.path.includes(`manifests-${counter}/`))
    ).toHaveLength(2)
  })

  it('newer run first: its create fails, it re-reads and fast-forwards on top of the older commit: one pull request with 1.4.0, no commit lost', async () => {
    const repo = manifestsRepo()
    const [newer, older] = await interleave(repo, '1.4.0', '1.3.0')
    expect(older.operation).toBe('created')
    expect(newer.operation).toBe('updated')
    expect(newer.pullRequest!.number).toBe(older.pullRequest!.number)
    expect(branchTag(repo)).toBe('1.4.0')
    expect(repo.isAncestor(older.commit!.sha, repo.refs.get(`refs/heads/${bumpBranchOf(repo)}`)!)).toBe(true)
    expect([...repo.pulls.values()].map(p => p.title)).toEqual([`Bump ${IMAGE} from 1.2.0 to 1.4.0`])
  })

  it('both update an existing branch: the update that is no longer a fast-forward is refused and retried', async () => {
    const repo = manifestsRepo()
    await runBump(options(repo, '1.3.0'), ports())
    const branch = bumpBranchOf(repo)
    const start = repo.refs.get(`refs/heads/${branch}`)!
    const [newer, older] = await interleave(repo, '1.5.0', '1.4.0')
    expect(older.operation).toBe('updated')
    expect(newer.operation).toBe('updated')
    expect(branchTag(repo)).toBe('1.5.0')
    const tip = repo.refs.get(`refs/heads/${branch}`)!
    expect(repo.isAncestor(start, tip) && repo.isAncestor(older.commit!.sha, tip)).toBe(true)
    expect(repo.pulls.size).toBe(1)
    expect(repo.pulls.get(newer.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.5.0`)
  })
})

describe('a bump branch another hand wrote (anyone who may push can put a commit there)', () => {
  /** This run's bump metadata, as a commit message written by someone else would carry it. */
  const claiming = (tag: string, title = 'Bump it') =>
    `${title}\n\n<!-- secure-pipeline:bump ${JSON.stringify({ image: IMAGE, tag, digest: digestOf(tag.at(-1)!) })} -->\n`

  /** Puts a commit on `branch` (moved without asking: a push), `files` changed from its parent's tree. */
  function plant(
    repo: DoubleRepo,
    branch: string,
    input: { parent: string; files: Record<string, string>; message: string; signed: boolean }
  ): string {
    const entries = new Map(repo.trees.get(repo.commits.get(input.parent)!.tree)!)
    for (const [file, text] of Object.entries(input.files))
      entries.set(file, { mode: '100644', type: 'blob', sha: repo.putBlob(Buffer.from(text)) })
    const sha = repo.putCommit({
      tree: repo.putTree(entries),
      parents: [input.parent],
      message: input.message,
      ...(input.signed ? {} : { author: { name: 'mallory', email: 'mallory@example.com' }, signed: false })
    })
    repo.refs.set(`refs/heads/${branch}`, sha)
    return sha
  }

  const mainOf = (repo: DoubleRepo) => repo.refs.get('refs/heads/main')!

  /** The branch a run for this image and scope uses, learnt from a first run in a repository of its own. */
  async function branchName(): Promise<string> {
    const probe = manifestsRepo()
    return (await runBump(options(probe, '1.3.0'), ports())).branch
  }

  it("an unsigned commit with this bump's metadata but another tree is not taken as this run's: nothing is written, and the error says to delete the branch", async () => {
    const branch = await branchName()
    const repo = manifestsRepo()
    const planted = plant(repo, branch, {
      parent: mainOf(repo),
      files: {
        'apps/app/deployment.yaml': DEPLOYMENT('1.3.0').replace(`${IMAGE}:1.3.0`, 'evil.example/backdoor:1')
      },
      message: claiming('1.3.0', 'Looks like a bump'),
      signed: false
    })
    const before = api.requests.length
    const error = await runBump(options(repo, '1.3.0', { autoMerge: 'squash' }), ports()).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The branch ${branch} already exists and its head ${planted.slice(0, 12)} is not a GitHub-signed bump of ${IMAGE} by this action.*delete that branch`
      )
    )
    expect((error as Error).message).not.toContain('\n')
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(planted)
    expect(repo.pulls.size).toBe(0)
    expect(writes(before).filter(w => !/^git\/create-(blob|tree)$/.test(w ?? ''))).toEqual([])
  })

  it('a head holding exactly the tree this run built is kept only when GitHub signed it, and the pull request says what this run says, not the commit', async () => {
    const branch = await branchName()
    const repo = manifestsRepo()
    const ours = { 'apps/app/deployment.yaml': DEPLOYMENT(`1.3.0@${digestOf('0')}`) }
    const message = claiming('1.3.0', 'Harmless title set by whoever pushed')
    const unsigned = plant(repo, branch, { parent: mainOf(repo), files: ours, message, signed: false })
    await expect(runBump(options(repo, '1.3.0'), ports())).rejects.toThrow(/is not a GitHub-signed bump/)
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(unsigned)

    const kept = await runBump(options(repo, '1.3.0', { requireVerified: false }), ports())
    expect(kept).toMatchObject({ operation: 'created', commit: { sha: unsigned } })
    expect(repo.pulls.get(kept.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.3.0`)

    const signed = plant(repo, branch, { parent: mainOf(repo), files: ours, message, signed: true })
    const again = await runBump(options(repo, '1.3.0'), ports())
    expect(again).toMatchObject({ operation: 'unchanged', commit: { sha: signed } })
    expect(repo.pulls.get(kept.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.3.0`)
  })

  it('a planted newer version is believed only from a head holding what this action builds for it: unsigned, it stops the run; ours otherwise', async () => {
    const repo = manifestsRepo()
    const first = await runBump(options(repo, '1.3.0'), ports())
    const { branch } = first
    const claim = claiming('999.0.0', 'Bump to 999.0.0 (says who?)')
    const planted = plant(repo, branch, {
      parent: first.commit!.sha,
      files: { 'x.txt': 'x' },
      message: claim,
      signed: false
    })
    await expect(runBump(options(repo, '1.4.0'), ports())).rejects.toThrow(/is not a GitHub-signed bump/)
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(planted)

    // Signed (a person's verified key) but not this action's tree for 999.0.0: a bump of the image,
    // advanced with this run's tree, never left as "superseded".
    plant(repo, branch, { parent: first.commit!.sha, files: { 'x.txt': 'x' }, message: claim, signed: true })
    const next = await runBump(options(repo, '1.4.0'), ports())
    expect(next.operation).toBe('updated')
    expect(fileAt(repo, branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.4.0@${digestOf('0')}`))
    expect(fileAt(repo, branch, 'x.txt')).toBeUndefined()
    expect(repo.pulls.get(first.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.4.0`)
  })

  it('branch: the base branch is refused before anything is written, and an unrelated branch is never rewritten', async () => {
    const repo = manifestsRepo()
    const main = mainOf(repo)
    const before = api.requests.length
    await expect(runBump(options(repo, '1.3.0', { branch: 'main' }), ports())).rejects.toThrow(
      /^Input 'branch' \(main\) is the base branch/
    )
    expect(mainOf(repo)).toBe(main)
    expect(writes(before)).toEqual([])

    const production = repo.seedCommit({ 'prod-only.txt': 'precious\n' }, 'production')
    const error = await runBump(options(repo, '1.3.0', { branch: 'production' }), ports()).catch(
      (e: unknown) => e
    )
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      /^The branch production \(input 'branch'\) already exists .* delete that branch or name another one in 'branch'/
    )
    expect(repo.refs.get('refs/heads/production')).toBe(production)
    expect(fileAt(repo, 'production', 'prod-only.txt')).toBe('precious\n')
    expect(repo.pulls.size).toBe(0)
  })
})

describe('diff-file is checked before anything is read, written or edited', () => {
  it('a path out of the workspace (.., absolute elsewhere, through a committed link) names diff-file; no request is made and the checkout is not edited', async () => {
    const dir = mkdtempSync(path.join(scratch, 'diff-'))
    const outside = mkdtempSync(path.join(scratch, 'diff-outside-'))
    writeFiles(dir, { 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0') })
    symlinkSync(outside, path.join(dir, 'secure-pipeline'))
    const repo = manifestsRepo()
    const before = api.requests.length
    for (const diffFile of ['../escape.diff', path.join(outside, 'x.diff'), 'secure-pipeline/bump.diff'])
      for (const dryRun of [true, false])
        await expect(
          runBump(options(repo, '1.3.0', { workspace: dir, dryRun, diffFile }), ports())
        ).rejects.toThrow(
          new RegExp(
            `^Input 'diff-file' \\(${diffFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\) points outside the workspace`
          )
        )
    expect(api.requests.length).toBe(before)
    expect(readFileSync(path.join(dir, 'apps/app/deployment.yaml'), 'utf8')).toBe(DEPLOYMENT('1.2.0'))
    expect(readdirSync(outside)).toEqual([])
  })

  it('an absolute path inside the workspace is written where it says', async () => {
    const dir = mkdtempSync(path.join(scratch, 'diff-'))
    writeFiles(dir, { 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0') })
    const diffFile = path.join(dir, 'out', 'bump.diff')
    const result = await runBump(options(undefined, '1.3.0', { workspace: dir, dryRun: true, diffFile }), {
      ...ports(),
      gitData: undefined
    })
    expect(readFileSync(diffFile, 'utf8')).toBe(result.diff)
  })
})

describe('dry run and git push on a local checkout', () => {
  it('a dry run edits the checkout, writes the diff, plans the pull request and sends nothing', async () => {
    const dir = mkdtempSync(path.join(scratch, 'dry-'))
    writeFiles(dir, { 'manifests/apps/app/deployment.yaml': DEPLOYMENT('1.2.0') })
    const before = api.requests.length
    const result = await runBump(
      options(undefined, '1.3.0', {
        dryRun: true,
        workspace: dir,
        workingDirectory: 'manifests',
        diffFile: 'bump.diff'
      }),
      { ...ports(), gitData: undefined }
    )
    expect(result.branch).toMatch(BRANCH_FORM)
    expect(result).toMatchObject({
      operation: 'dry-run',
      text: { title: `Bump ${IMAGE} from 1.2.0 to 1.3.0` }
    })
    expect(readFileSync(path.join(dir, 'manifests/apps/app/deployment.yaml'), 'utf8')).toBe(
      DEPLOYMENT(`1.3.0@${digestOf('0')}`)
    )
    expect(readFileSync(path.join(dir, 'bump.diff'), 'utf8')).toBe(result.diff)
    expect(api.requests.length).toBe(before)
  })

  it('paths stay inside the repository: .. and absolute globs, a working-directory outside, and links are refused or never followed', async () => {
    const dir = mkdtempSync(path.join(scratch, 'hostile-'))
    const outside = mkdtempSync(path.join(scratch, 'outside-'))
    writeFiles(outside, { 'deployment.yaml': DEPLOYMENT('1.2.0') })
    writeFiles(dir, { 'manifests/apps/app/deployment.yaml': DEPLOYMENT('1.2.0') })
    symlinkSync(path.join(outside, 'deployment.yaml'), path.join(dir, 'manifests/apps/link.yaml'))
    symlinkSync(outside, path.join(dir, 'manifests/linked-dir'))
    symlinkSync(outside, path.join(dir, 'escape'))
    const dry = (over: Partial<BumpRunOptions>) =>
      runBump(
        options(undefined, '1.3.0', {
          dryRun: true,
          workspace: dir,
          workingDirectory: 'manifests',
          diffFile: 'bump.diff',
          ...over
        }),
        {
          ...ports(),
          gitData: undefined
        }
      )
    await expect(dry({ paths: ['../**/*.yaml'] })).rejects.toThrow(
      /Input 'paths': pattern '\.\.\/\*\*\/\*\.yaml' leaves the workspace/
    )
    await expect(dry({ paths: [`${outside}/*.yaml`] })).rejects.toThrow(/leaves the workspace/)
    await expect(dry({ workingDirectory: '../' })).rejects.toThrow(
      /Input 'working-directory' \(\.\.\/\) points outside the workspace/
    )
    await expect(dry({ workingDirectory: 'escape' })).rejects.toThrow(
      /Input 'working-directory' \(escape\) points outside the workspace/
    )
    const result = await dry({})
    expect(result.plan.edits.map(e => e.file)).toEqual(['apps/app/deployment.yaml'])
    expect(readFileSync(path.join(outside, 'deployment.yaml'), 'utf8')).toBe(DEPLOYMENT('1.2.0'))
  })

  it('git push: commits from git objects, pushes the branch without force, and a second run finds it unchanged', async () => {
    const dir = mkdtempSync(path.join(scratch, 'push-'))
    const { origin, clone } = cloneWithOrigin(dir)
    writeFiles(clone, { 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0'), 'README.md': README })
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'seed')
    git(clone, 'push', '-q', 'origin', 'main')
    const run = (tag: string) =>
      runBump(
        options(undefined, tag, {
          push: 'git',
          workspace: dir,
          workingDirectory: 'clone',
          diffFile: 'bump.diff'
        }),
        {
          ...ports(),
          gitData: undefined,
          git: { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }
        }
      )
    const result = await run('1.3.0')
    expect(result).toMatchObject({ operation: 'pushed', base: 'main' })
    const branch = result.branch
    expect(branch).toMatch(BRANCH_FORM)
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toBe(result.commit!.sha)
    expect(git(origin, 'show', `${branch}:apps/app/deployment.yaml`) + '\n').toBe(
      DEPLOYMENT(`1.3.0@${digestOf('0')}`)
    )
    expect(git(origin, 'rev-parse', `${branch}^`)).toBe(git(origin, 'rev-parse', 'main'))
    expect(git(clone, 'status', '--porcelain')).toBe('')
    expect((await run('1.3.0')).operation).toBe('unchanged')
    const newer = await run('1.4.0')
    expect(git(origin, 'merge-base', '--is-ancestor', result.commit!.sha, newer.commit!.sha)).toBe('')

    // Someone pushes a commit with this bump's own message and another tree: it is not taken as this
    // run's (git commits are unsigned, so the tree decides), and the branch gets this run's tree again.
    writeFiles(dir, { 'message.txt': git(origin, 'log', '-1', '--format=%B', branch) })
    git(clone, 'checkout', '-q', '-b', 'planted', 'main')
    writeFiles(clone, { 'apps/app/deployment.yaml': DEPLOYMENT('1.4.0').replace(IMAGE, 'evil.example/app') })
    git(clone, 'commit', '-qam', 'x')
    git(clone, 'commit', '-q', '--amend', '-F', path.join(dir, 'message.txt'))
    git(clone, 'push', '-q', '-f', 'origin', `HEAD:refs/heads/${branch}`)
    git(clone, 'checkout', '-q', 'main')
    const planted = git(origin, 'rev-parse', `refs/heads/${branch}`)
    const again = await run('1.4.0')
    expect(again.operation).toBe('pushed')
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toBe(again.commit!.sha)
    expect(again.commit!.sha).not.toBe(planted)
    expect(git(origin, 'show', `${branch}:apps/app/deployment.yaml`) + '\n').toBe(
      DEPLOYMENT(`1.4.0@${digestOf('0')}`)
    )
  })

  it('git push: a head claiming a newer version on a commit that is not the base is not left standing as a bump', async () => {
    const dir = mkdtempSync(path.join(scratch, 'planted-parent-'))
    const { origin, clone } = cloneWithOrigin(dir)
    writeFiles(clone, { 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0'), 'README.md': README })
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'seed')
    git(clone, 'push', '-q', 'origin', 'main')
    const run = (tag: string) =>
      runBump(
        options(undefined, tag, {
          push: 'git',
          workspace: dir,
          workingDirectory: 'clone',
          diffFile: 'bump.diff'
        }),
        { ...ports(), gitData: undefined }
      )
    const { branch } = await run('1.4.0')
    // Someone who may push: the base plus a file of theirs, then exactly this action's 1.5.0 edit on top,
    // with this action's message for 1.5.0.
    const message = git(origin, 'log', '-1', '--format=%B', branch).split('1.4.0').join('1.5.0')
    writeFiles(dir, { 'message.txt': message })
    git(clone, 'checkout', '-q', '-b', 'planted', 'main')
    writeFiles(clone, { 'apps/app/extra.yaml': 'apiVersion: v1\nkind: Pod\nmetadata: {name: x}\n' })
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'unrelated')
    writeFiles(clone, { 'apps/app/deployment.yaml': DEPLOYMENT(`1.5.0@${digestOf('0')}`) })
    git(clone, 'commit', '-qa', '-F', path.join(dir, 'message.txt'))
    git(clone, 'push', '-q', '-f', 'origin', `HEAD:refs/heads/${branch}`)
    git(clone, 'checkout', '-q', 'main')
    const again = await run('1.4.0')
    expect(again.operation).not.toBe('superseded')
    expect(git(origin, 'diff', '--name-only', 'main', branch)).toBe('apps/app/deployment.yaml')
  })
})

describe('GitHub\'s "Update branch" on the bump pull request (a merge of base commits into the bump)', () => {
  const mainOf = (repo: DoubleRepo) => repo.refs.get('refs/heads/main')!
  const treeOf = (repo: DoubleRepo, commit: string) => repo.trees.get(repo.commits.get(commit)!.tree)!

  /** Every file at the tip of a branch, from the double's objects. */
  function filesAt(repo: DoubleRepo, branch: string): Record<string, string> {
    const entries = treeOf(repo, repo.refs.get(`refs/heads/${branch}`)!)
    return Object.fromEntries(
      [...entries].map(([file, e]) => [file, repo.blobs.get(e.sha)!.toString('utf8')])
    )
  }

  /**
   * A merge commit [branch head, `second`] holding `second`'s files and the head's own edits, with GitHub's
   * message, on the branch. Made without author or committer it is signed, as the button's merge is.
   * `own` files make it an "evil merge": a change of the pusher's own beyond what the merge brings.
   */
  function merge(repo: DoubleRepo, branch: string, second: string, own: Record<string, string> = {}): string {
    const head = repo.refs.get(`refs/heads/${branch}`)!
    const before = treeOf(repo, repo.commits.get(head)!.parents[0]!)
    const entries = new Map(treeOf(repo, second))
    for (const [file, entry] of treeOf(repo, head))
      if (before.get(file)?.sha !== entry.sha) entries.set(file, entry)
    for (const [file, text] of Object.entries(own))
      entries.set(file, { mode: '100644', type: 'blob', sha: repo.putBlob(Buffer.from(text)) })
    const sha = repo.putCommit({
      tree: repo.putTree(entries),
      parents: [head, second],
      message: `Merge branch 'main' into ${branch}`
    })
    repo.refs.set(`refs/heads/${branch}`, sha)
    return sha
  }

  const compared = (repo: DoubleRepo, tip: string, sha: string) =>
    api
      .requestsFor('repos/compare-commits')
      .some(r => r.path.includes(`/${repo.name}/compare/${tip}...${sha}`))

  it('through the Git Data API: the next run advances the branch from the merge, and the pull request holds the base plus this run’s edit only', async () => {
    const repo = manifestsRepo()
    const first = await runBump(options(repo, '1.3.0'), ports())
    const { branch } = first
    const other = { 'apps/other/config.yaml': 'replicas: 2\n' }
    const moved = repo.seedCommit(other, 'main', 'other app')
    const updated = merge(repo, branch, moved)
    expect(repo.commits.get(updated)!.verified).toBe(true)

    // The merge holds the current base head: the new commit goes on top of it alone.
    const second = await runBump(options(repo, '1.4.0'), ports())
    expect(second).toMatchObject({
      operation: 'updated',
      branch,
      pullRequest: { number: first.pullRequest!.number },
      commit: { verified: true }
    })
    expect(compared(repo, moved, moved)).toBe(true)
    expect(repo.commits.get(repo.refs.get(`refs/heads/${branch}`)!)!.parents).toEqual([moved, updated])
    expect(filesAt(repo, branch)).toEqual({
      'apps/app/deployment.yaml': DEPLOYMENT(`1.4.0@${digestOf('0')}`),
      'apps/app/kustomization.yaml': KUSTOMIZATION('1.2.0'),
      'apps/other/config.yaml': 'replicas: 2\n',
      'README.md': README
    })
    expect(repo.pulls.get(first.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.4.0`)

    // Pressed again, then the base moves on before the next run: the merge's base commit is an
    // ancestor of the base head, and the base head is merged in first.
    const pressed = repo.seedCommit({ 'NOTES.md': 'pressed\n' }, 'main', 'notes')
    const again = merge(repo, branch, pressed)
    const later = repo.seedCommit({ 'LATER.md': 'later\n' }, 'main', 'later')
    const third = await runBump(options(repo, '1.5.0'), ports())
    expect(third).toMatchObject({ operation: 'updated', pullRequest: { number: first.pullRequest!.number } })
    expect(compared(repo, later, pressed)).toBe(true)
    const tip = repo.refs.get(`refs/heads/${branch}`)!
    expect(repo.commits.get(tip)!.parents).toEqual([later, again])
    expect(filesAt(repo, branch)).toEqual({
      'apps/app/deployment.yaml': DEPLOYMENT(`1.5.0@${digestOf('0')}`),
      'apps/app/kustomization.yaml': KUSTOMIZATION('1.2.0'),
      'apps/other/config.yaml': 'replicas: 2\n',
      'NOTES.md': 'pressed\n',
      'LATER.md': 'later\n',
      'README.md': README
    })
    expect(repo.pulls.size).toBe(1)
    expect(repo.pulls.get(first.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.5.0`)
  })

  it('through the Git Data API: pressed twice before the next run, both merges are advanced over', async () => {
    const repo = manifestsRepo()
    const first = await runBump(options(repo, '1.3.0'), ports())
    const { branch } = first
    const once = merge(repo, branch, repo.seedCommit({ 'ONE.md': 'one\n' }, 'main', 'one'))
    const twice = merge(repo, branch, repo.seedCommit({ 'TWO.md': 'two\n' }, 'main', 'two'))
    expect(repo.commits.get(twice)!.parents[0]).toBe(once)
    const second = await runBump(options(repo, '1.4.0'), ports())
    expect(second).toMatchObject({ operation: 'updated', pullRequest: { number: first.pullRequest!.number } })
    expect(repo.commits.get(repo.refs.get(`refs/heads/${branch}`)!)!.parents).toEqual([mainOf(repo), twice])
    expect(filesAt(repo, branch)).toEqual({
      'apps/app/deployment.yaml': DEPLOYMENT(`1.4.0@${digestOf('0')}`),
      'apps/app/kustomization.yaml': KUSTOMIZATION('1.2.0'),
      'ONE.md': 'one\n',
      'TWO.md': 'two\n',
      'README.md': README
    })
    expect(repo.pulls.size).toBe(1)
  })

  it('through the Git Data API: over a merge that also changes files of its own, the bump commit stands on the base, its own diff the bump alone', async () => {
    const repo = manifestsRepo()
    const first = await runBump(options(repo, '1.3.0'), ports())
    const { branch } = first
    const moved = repo.seedCommit({ 'apps/other/config.yaml': 'replicas: 2\n' }, 'main', 'other app')
    // Signed and with GitHub's message, its second parent the base head; its tree is not the merge's.
    const evil = merge(repo, branch, moved, {
      'apps/app/sidecar.yaml': 'image: evil.example/miner:1\n',
      'apps/app/deployment.yaml': DEPLOYMENT('1.3.0').replace(IMAGE, 'evil.example/app')
    })
    const second = await runBump(options(repo, '1.4.0'), ports())
    expect(second).toMatchObject({ operation: 'updated', commit: { verified: true } })
    const tip = repo.refs.get(`refs/heads/${branch}`)!
    expect(repo.commits.get(tip)!.parents).toEqual([moved, evil])
    const own = treeOf(repo, tip)
    const under = treeOf(repo, moved)
    const changed = [...new Set([...own.keys(), ...under.keys()])].filter(
      file => own.get(file)?.sha !== under.get(file)?.sha
    )
    // Reverting or cherry-picking the bump (against its first parent) touches the bump alone.
    expect(changed).toEqual(['apps/app/deployment.yaml'])
    expect(filesAt(repo, branch)['apps/app/sidecar.yaml']).toBeUndefined()
  })

  it('through the Git Data API: a signed merge of a commit that is not in the base is refused, and nothing is written', async () => {
    const repo = manifestsRepo()
    const first = await runBump(options(repo, '1.3.0'), ports())
    const { branch } = first
    const foreign = repo.seedCommit({ 'apps/app/sidecar.yaml': 'image: evil.example/miner:1\n' }, 'feature')
    const planted = merge(repo, branch, foreign)
    const before = api.requests.length
    const error = await runBump(options(repo, '1.4.0'), ports()).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The branch ${branch} already exists and its head ${planted.slice(0, 12)} is not a GitHub-signed bump of ${IMAGE} by this action.*delete that branch`
      )
    )
    expect(compared(repo, mainOf(repo), foreign)).toBe(true)
    expect(repo.refs.get(`refs/heads/${branch}`)).toBe(planted)
    expect(writes(before).filter(w => !/^git\/create-(blob|tree)$/.test(w ?? ''))).toEqual([])
    expect(repo.pulls.get(first.pullRequest!.number)!.title).toBe(`Bump ${IMAGE} from 1.2.0 to 1.3.0`)
  })

  it('through git push from a shallow clone: the merge is advanced (the clone deepened to tell), a merge of foreign commits is refused', async () => {
    const dir = mkdtempSync(path.join(scratch, 'update-branch-'))
    const { origin, clone } = cloneWithOrigin(dir)
    writeFiles(clone, { 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0'), 'README.md': README })
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'seed')
    git(clone, 'push', '-q', 'origin', 'main')
    let runs = 0
    /** A run in a fresh one-commit-deep checkout, as actions/checkout leaves one. */
    const run = (tag: string) => {
      const checkout = `checkout-${++runs}`
      git(dir, 'clone', '-q', '--depth', '1', `file://${origin}`, checkout)
      expect(git(path.join(dir, checkout), 'rev-parse', '--is-shallow-repository')).toBe('true')
      return runBump(
        options(undefined, tag, {
          push: 'git',
          workspace: dir,
          workingDirectory: checkout,
          diffFile: 'bump.diff'
        }),
        {
          ...ports(),
          gitData: undefined,
          git: { env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' } }
        }
      )
    }
    /** The button, in the developer's clone: `second` merged into the branch (with `own` files amended in), pushed. */
    const press = (branch: string, second: string, own: Record<string, string> = {}) => {
      git(clone, 'fetch', '-q', 'origin')
      git(clone, 'checkout', '-q', '--detach', `origin/${branch}`)
      git(clone, 'merge', '-q', '--no-ff', '-m', `Merge branch 'main' into ${branch}`, second)
      if (Object.keys(own).length > 0) {
        writeFiles(clone, own)
        git(clone, 'add', '.')
        git(clone, 'commit', '-q', '--amend', '--no-edit')
      }
      git(clone, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`)
      const sha = git(clone, 'rev-parse', 'HEAD')
      git(clone, 'checkout', '-q', 'main')
      return sha
    }
    const commitOnMain = (files: Record<string, string>) => {
      writeFiles(clone, files)
      git(clone, 'add', '.')
      git(clone, 'commit', '-qm', Object.keys(files).join(' '))
      git(clone, 'push', '-q', 'origin', 'main')
      return git(clone, 'rev-parse', 'HEAD')
    }

    const { branch } = await run('1.3.0')
    const pressedOn = commitOnMain({ 'apps/other/config.yaml': 'replicas: 2\n' })
    const merged = press(branch, pressedOn)
    expect(git(origin, 'rev-list', '--parents', '-n', '1', branch).split(' ').slice(2)).toEqual([pressedOn])
    const later = commitOnMain({ 'LATER.md': 'later\n' })

    const second = await run('1.4.0')
    expect(second.operation).toBe('pushed')
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toBe(second.commit!.sha)
    expect(git(origin, 'rev-list', '--parents', '-n', '1', branch).split(' ').slice(1)).toEqual([
      later,
      merged
    ])
    expect(git(origin, 'diff', '--name-only', 'main', branch)).toBe('apps/app/deployment.yaml')
    expect(git(origin, 'show', `${branch}:apps/app/deployment.yaml`) + '\n').toBe(
      DEPLOYMENT(`1.4.0@${digestOf('0')}`)
    )

    // Pressed twice before the next run: a merge on a merge, both of base commits.
    press(branch, commitOnMain({ 'ONE.md': 'one\n' }))
    const two = commitOnMain({ 'TWO.md': 'two\n' })
    const twice = press(branch, two)
    const third = await run('1.4.5')
    expect(third.operation).toBe('pushed')
    expect(git(origin, 'rev-list', '--parents', '-n', '1', branch).split(' ').slice(1)).toEqual([two, twice])
    expect(git(origin, 'diff', '--name-only', 'main', branch)).toBe('apps/app/deployment.yaml')

    // A merge with files of the pusher's own: the tree is rebuilt, and the bump commit's own diff (what
    // `git revert -m 1` of it undoes) is the bump alone, not the undoing of those files.
    press(branch, commitOnMain({ 'THREE.md': 'three\n' }), {
      'apps/app/sidecar.yaml': 'image: evil.example/miner:1\n',
      'apps/app/deployment.yaml': DEPLOYMENT('1.3.0').replace(IMAGE, 'evil.example/app')
    })
    expect((await run('1.4.6')).operation).toBe('pushed')
    expect(git(origin, 'diff', '--name-only', `${branch}^1`, branch)).toBe('apps/app/deployment.yaml')
    expect(git(origin, 'ls-tree', '-r', '--name-only', branch)).not.toMatch(/sidecar/)

    git(clone, 'checkout', '-q', '-b', 'feature', 'main')
    writeFiles(clone, { 'apps/app/sidecar.yaml': 'image: evil.example/miner:1\n' })
    git(clone, 'add', '.')
    git(clone, 'commit', '-qm', 'not in main')
    const foreign = git(clone, 'rev-parse', 'HEAD')
    git(clone, 'push', '-q', 'origin', 'feature')
    git(clone, 'checkout', '-q', 'main')
    const planted = press(branch, foreign)
    const error = await run('1.5.0').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ConfigurationError)
    expect((error as Error).message).toMatch(
      new RegExp(
        `^The branch ${branch} already exists and its head ${planted.slice(0, 12)} is not a bump of ${IMAGE} by this action.*delete that branch`
      )
    )
    expect(git(origin, 'rev-parse', `refs/heads/${branch}`)).toBe(planted)
  })
})

describe('a bump pull request a person closed without merging is a declined version', () => {
  /** Closes or reopens a pull request as a person does, through the API (closing freezes its head). */
  async function setState(repo: DoubleRepo, number: number, state: 'open' | 'closed'): Promise<number> {
    const response = await fetch(`${api.url}/repos/${repo.owner}/${repo.name}/pulls/${number}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: 'token ghs_person' },
      body: JSON.stringify({ state })
    })
    return response.status
  }

  /** Options for `tag` with a digest of its own (the same tag rebuilt is another image). */
  const pinned = (repo: DoubleRepo, tag: string, digest: string, over: Partial<BumpRunOptions> = {}) =>
    options(repo, tag, { target: { ...options(repo, tag).target, digest }, ...over })

  async function declinedBump(): Promise<{ repo: DoubleRepo; first: BumpResult }> {
    const repo = manifestsRepo()
    const first = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    expect(first.operation).toBe('created')
    expect(await setState(repo, first.pullRequest!.number, 'closed')).toBe(200)
    return { repo, first }
  }

  it('the same digest again opens nothing and writes nothing; it says where it was declined, and a new digest opens a pull request', async () => {
    const { repo, first } = await declinedBump()
    const head = repo.refs.get(`refs/heads/${first.branch}`)
    const before = api.requests.length
    const run = ports()
    const again = await runBump(pinned(repo, '1.3.0', digestOf('a')), run)
    expect(again).toMatchObject({ operation: 'declined', pullRequest: first.pullRequest })
    expect(again.commit).toBeUndefined()
    expect(writes(before)).toEqual(['git/create-blob', 'git/create-tree'])
    expect(repo.refs.get(`refs/heads/${first.branch}`)).toBe(head)
    expect(repo.pulls.size).toBe(1)
    const line = `${IMAGE}:1.3.0@${digestOf('a')} was declined in #${first.pullRequest!.number} (${first.pullRequest!.url})`
    // A warning, not a routine line: the digest stays held back on every later run.
    expect(run.logger.lines).toContainEqual(
      expect.stringMatching(new RegExp(`^warning: ${escapeRegExp(line)}`))
    )
    expect(run.summary.render()).toContain(line)
    expect(run.summary.render()).toContain(`reopen #${first.pullRequest!.number}`)
    // The lookup reads one page of the branch's pull requests, newest first.
    const lookups = api.requestsFor('pulls/list').filter(r => r.query.state === 'all')
    expect(lookups.at(-1)!.query).toMatchObject({
      state: 'all',
      sort: 'created',
      direction: 'desc',
      per_page: '20'
    })

    // The same tag rebuilt (another digest) is another version: proposed again, on the same branch.
    const rebuilt = await runBump(pinned(repo, '1.3.0', digestOf('b')), ports())
    expect(rebuilt.operation).toBe('created')
    expect(rebuilt.pullRequest!.number).not.toBe(first.pullRequest!.number)
    expect(fileAt(repo, first.branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.3.0@${digestOf('b')}`))
  })

  it('reopening the pull request takes the version after all: the next run keeps it up to date', async () => {
    const { repo, first } = await declinedBump()
    expect(await setState(repo, first.pullRequest!.number, 'open')).toBe(200)
    const again = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    expect(again).toMatchObject({ operation: 'unchanged', pullRequest: first.pullRequest })
    expect(repo.pulls.size).toBe(1)
  })

  it('its branch deleted: still declined, and the branch is not made again; with the base moved on, the pull request is still known as this version', async () => {
    const { repo, first } = await declinedBump()
    repo.refs.delete(`refs/heads/${first.branch}`)
    repo.seedCommit({
      'apps/other/deployment.yaml': DEPLOYMENT('1.0.0').replace(IMAGE, 'ghcr.io/octo-org/other')
    })
    const again = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    expect(again).toMatchObject({ operation: 'declined', pullRequest: first.pullRequest })
    expect(repo.refs.has(`refs/heads/${first.branch}`)).toBe(false)
    expect(repo.pulls.size).toBe(1)

    const newer = await runBump(pinned(repo, '1.4.0', digestOf('c')), ports())
    expect(newer.operation).toBe('created')
    expect(fileAt(repo, first.branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.4.0@${digestOf('c')}`))
  })

  it('text a person can edit never holds a version back: a closed pull request retitled, or a commit that claims the version without holding it', async () => {
    const { repo, first } = await declinedBump()
    const pull = repo.pulls.get(first.pullRequest!.number)!
    // Someone with write access edits the closed pull request to claim the next digest.
    pull.body = pull.body!.replaceAll(digestOf('a'), digestOf('d'))
    pull.title = `Bump ${IMAGE} from 1.2.0 to 1.3.0@${digestOf('d')}`
    // …and pushes a GitHub-signed commit (the web editor's) claiming it, opens and closes a pull request from it.
    const claim = repo.commits
      .get(repo.refs.get(`refs/heads/${first.branch}`)!)!
      .message.replaceAll(digestOf('a'), digestOf('d'))
    repo.seedCommit({ 'NOTE.md': 'not a bump\n' }, first.branch, claim)
    const planted = repo.seedPullRequest({ head: first.branch })
    expect(await setState(repo, planted.number, 'closed')).toBe(200)

    const next = await runBump(pinned(repo, '1.3.0', digestOf('d')), ports())
    expect(next.operation).toBe('created')
    expect(fileAt(repo, first.branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.3.0@${digestOf('d')}`))
  })

  it('a newer version declined holds nothing back: an older one is proposed in its place', async () => {
    const repo = manifestsRepo()
    const newer = await runBump(pinned(repo, '1.4.0', digestOf('e')), ports())
    expect(await setState(repo, newer.pullRequest!.number, 'closed')).toBe(200)
    const older = await runBump(pinned(repo, '1.3.0', digestOf('f')), ports())
    expect(older.operation).toBe('created')
    expect(fileAt(repo, newer.branch, 'apps/app/deployment.yaml')).toBe(DEPLOYMENT(`1.3.0@${digestOf('f')}`))
  })

  it('a merged pull request is not a declined one: the version reverted on the base is proposed again', async () => {
    const repo = manifestsRepo()
    const first = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    // Merged by a person (a fast-forward), then reverted on the base.
    const head = repo.refs.get(`refs/heads/${first.branch}`)!
    repo.push('refs/heads/main', head)
    Object.assign(repo.pulls.get(first.pullRequest!.number)!, {
      state: 'closed',
      headSha: head,
      merged: { at: api.state.now(), commitSha: head, by: api.state.viewer }
    })
    repo.seedCommit({ 'apps/app/deployment.yaml': DEPLOYMENT('1.2.0') })
    const again = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    expect(again.operation).toBe('created')
    expect(repo.pulls.size).toBe(2)
  })

  it('a lookup GitHub fails stops the run before anything is written: no duplicate, and the next run asks again', async () => {
    const { repo, first } = await declinedBump()
    api.fail('pulls/list', { kind: 'server-error', status: 502 }, 1)
    const before = api.requests.length
    await expect(runBump(pinned(repo, '1.3.0', digestOf('a')), ports())).rejects.toThrow()
    expect(writes(before).filter(w => !/^git\/create-(blob|tree)$/.test(w ?? ''))).toEqual([])
    expect(repo.pulls.size).toBe(1)
    const next = await runBump(pinned(repo, '1.3.0', digestOf('a')), ports())
    expect(next).toMatchObject({ operation: 'declined', pullRequest: first.pullRequest })
  })
})

describe('files GitHub’s archive leaves out (.gitattributes export-ignore)', () => {
  it('are read from the commit’s tree and pinned like the others, never passed over in silence', async () => {
    const repo = manifestsRepo()
    repo.seedCommit({
      '.gitattributes': '# keep release tarballs small\n/apps/staging export-ignore\n*.md export-ignore\n',
      'apps/staging/deployment.yaml': DEPLOYMENT('1.2.0')
    })
    const result = await runBump(options(repo, '1.3.0'), ports())
    expect(result.operation).toBe('created')
    expect(result.plan.edits.map(e => e.file).sort()).toEqual([
      'apps/app/deployment.yaml',
      'apps/staging/deployment.yaml'
    ])
    expect(fileAt(repo, result.branch, 'apps/staging/deployment.yaml')).toBe(
      DEPLOYMENT(`1.3.0@${digestOf('0')}`)
    )
    expect(fileAt(repo, result.branch, 'README.md')).toBe(README)
  })

  it('past the files read one by one, the rest are listed as not read, and the run still pins the others', async () => {
    const repo = manifestsRepo()
    const fixtures = Object.fromEntries(
      Array.from({ length: 102 }, (_, i) => [`tests/case-${String(i).padStart(3, '0')}.yaml`, 'kind: Test\n'])
    )
    repo.seedCommit({ '.gitattributes': '/tests export-ignore\n', ...fixtures })
    const result = await runBump(options(repo, '1.3.0'), ports())
    expect(result.operation).toBe('created')
    expect(result.plan.edits.map(e => e.file)).toEqual(['apps/app/deployment.yaml'])
    expect(result.plan.unreadable.map(u => u.file)).toEqual(['tests/case-100.yaml', 'tests/case-101.yaml'])
    expect(result.plan.unreadable[0]!.reason).toContain("narrow 'paths'")
    expect(api.requestsFor('git/get-blob').length).toBeGreaterThanOrEqual(100)
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
