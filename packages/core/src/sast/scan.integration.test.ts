import { beforeAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { buildActionsContext } from '../github/context.js'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { Git } from '../github/git.js'
import { changedFiles } from '../github/merge-base.js'
import { SemgrepEngine } from './engine.js'
import { decideScanMode, type ScanMode } from './mode.js'
import { loadRulePack } from './rule-pack.js'
import { runSastScan } from './scan.js'
import { renderSastSummary } from './summary.js'
import { RULES_DIR, semgrepBinary } from '../../../../test/support/sast.js'
import { cloneWithOrigin, git, writeFiles as write } from '../../../../test/support/git-repo.js'

const FLAW = (cmd: string) => `import os\n\n\ndef run(arg):\n    os.system("${cmd} " + arg)\n`

const LEGACY = `${FLAW('cp')}\n${Array.from({ length: 12 }, (_, i) => `LIMIT_${i} = ${i}`).join('\n')}\n`

/**
 * origin: main has old flaws; the PR shifts one down, renames a file with another, repeats a third once
 * more (the repeat is new), adds a new flaw, a flaw under tests/ and a doc;
 * main then moves on with a flaw of its own. The checkout is a depth-1 clone of the PR's merge commit,
 * as actions/checkout gives on pull_request.
 */
function buildRepos(): { checkout: string; frozenBase: string; mainTip: string; merge: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'sast-diff-'))
  const { origin, clone: dev } = cloneWithOrigin(root)
  const filler: Record<string, string> = {}
  for (let i = 0; i < 40; i++) filler[`src/m${i}.py`] = `def f${i}():\n    return ${i}\n`
  write(dev, { 'src/old.py': FLAW('ls'), 'src/legacy.py': LEGACY, 'src/twice.py': FLAW('mv'), ...filler })
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'base')
  const frozenBase = git(dev, 'rev-parse', 'HEAD')
  git(dev, 'push', '-q', 'origin', 'main')
  git(dev, 'checkout', '-q', '-b', 'feature')
  write(dev, {
    'src/old.py': `# moved down\n\n${FLAW('ls')}`,
    'src/new.py': FLAW('rm -rf'),
    'tests/test_x.py': FLAW('echo'),
    'docs/notes.md': '# notes\n',
    'src/renamed/legacy.py': `${LEGACY}LIMIT_X = 99\n`,
    'src/twice.py': `${FLAW('mv')}\n\ndef again(arg):\n    os.system("mv " + arg)\n`
  })
  rmSync(path.join(dev, 'src/legacy.py'))
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'feature')
  git(dev, 'checkout', '-q', 'main')
  write(dev, { 'src/main_only.py': FLAW('cat') })
  git(dev, 'add', '-A')
  git(dev, 'commit', '-q', '-m', 'main moves on')
  const mainTip = git(dev, 'rev-parse', 'HEAD')
  git(dev, 'push', '-q', 'origin', 'main')
  git(dev, 'checkout', '-q', '-b', 'pull-merge')
  git(dev, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature')
  const merge = git(dev, 'rev-parse', 'HEAD')
  git(dev, 'push', '-q', 'origin', 'pull-merge', 'feature')
  const checkout = path.join(root, 'checkout')
  git(root, 'clone', '-q', '--depth=1', '--branch', 'pull-merge', `file://${origin}`, checkout)
  return { checkout, frozenBase, mainTip, merge }
}

function pullRequestContext(frozenBase: string, merge: string) {
  return buildActionsContext(
    { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'o/r', GITHUB_SHA: merge },
    {
      pull_request: {
        number: 7,
        base: { ref: 'main', sha: frozenBase },
        head: { ref: 'feature', sha: 'f'.repeat(40) }
      }
    }
  )
}

describe('diff-aware scan with real git and real semgrep', () => {
  let repos: ReturnType<typeof buildRepos>
  let engine: SemgrepEngine
  const pack = loadRulePack(RULES_DIR)
  beforeAll(async () => {
    repos = buildRepos()
    engine = await SemgrepEngine.create({
      engine: 'semgrep',
      binaryPath: semgrepBinary(),
      logger: memoryLogger()
    })
  })

  const scan = (mode: ScanMode, exclude: string[] = []) =>
    runSastScan(engine, {
      workspace: repos.checkout,
      scanPath: '.',
      pack,
      userConfigs: [],
      languages: pack.rules.flatMap(r => r.languages),
      exclude,
      mode,
      ruleTimeoutSeconds: 30,
      deadlineMs: 120_000,
      logger: memoryLogger()
    })

  it('diffs a pull request against the merge-base of the current base branch, deepening the shallow clone', async () => {
    const mode = await decideScanMode({
      diff: 'auto',
      diffInput: 'diff',
      ctx: pullRequestContext(repos.frozenBase, repos.merge),
      workspace: repos.checkout,
      logger: memoryLogger()
    })
    expect(mode.kind).toBe('diff')
    if (mode.kind !== 'diff') return
    // Not the frozen pull_request.base.sha: main moved, and main_only.py must not be blamed on the PR.
    expect(mode.baseline).toBe(repos.mainTip)
    expect(
      mode.changes.map(c => `${c.status} ${c.path}${c.previous ? ` < ${c.previous.path}` : ''}`).sort()
    ).toEqual([
      'A docs/notes.md',
      'A src/new.py',
      'A tests/test_x.py',
      'M src/old.py < src/old.py',
      'M src/twice.py < src/twice.py',
      'R src/renamed/legacy.py < src/legacy.py'
    ])
    const headBefore = git(repos.checkout, 'rev-parse', 'HEAD')

    const result = await scan(mode, ['docs/old'])
    expect(result.mode).toBe('diff')
    // docs/notes.md stays a target: the generic secrets rule reads any text file.
    expect(result.plan).toEqual({
      targets: ['docs/notes.md', 'src/new.py', 'src/old.py', 'src/renamed/legacy.py', 'src/twice.py'],
      outsidePath: 0,
      excluded: 1,
      unsupported: 0
    })
    // The flaw in old.py only moved and the one in legacy.py only changed its path: both existed at the
    // merge-base, so they are not new. twice.py had the call once; its second copy is new.
    expect(result.findings.map(f => `${f.ruleId} ${f.location?.path}:${f.location?.startLine}`)).toEqual([
      'py-command-injection src/new.py:5',
      'py-command-injection src/twice.py:9'
    ])
    expect(result.preExisting).toBe(3)
    expect(result.problems).toEqual([])
    // The merge-base versions were read from git objects: the checkout is exactly as it was.
    expect(git(repos.checkout, 'rev-parse', 'HEAD')).toBe(headBefore)
    expect(git(repos.checkout, 'status', '--porcelain')).toBe('')
    const summary = renderSastSummary(result, 'secure-pipeline/sast.sarif')
    expect(summary).toContain('**Diff scan**')
    expect(summary).toContain('5 changed file(s) scanned')
    expect(summary).toContain('3 finding(s) already in the merge-base version')
    expect(summary).toMatch(/\| 2 \| 0 \| 0 \| 0 \| 0 \| 2 \|/)
  }, 180_000)

  it('scans everything on push and reports every flaw', async () => {
    const ctx = buildActionsContext(
      { GITHUB_EVENT_NAME: 'push', GITHUB_REPOSITORY: 'o/r' },
      { before: repos.mainTip, after: repos.merge }
    )
    const mode = await decideScanMode({
      diff: 'auto',
      diffInput: 'diff',
      ctx,
      workspace: repos.checkout,
      logger: memoryLogger()
    })
    expect(mode).toEqual({ kind: 'full', reason: 'push event scans the whole tree' })
    const result = await scan(mode)
    // tests/ is in Semgrep's default ignore list, which the diff plan above applies too (excluded: 1).
    expect(result.findings.map(f => f.location?.path).sort()).toEqual([
      'src/main_only.py',
      'src/new.py',
      'src/old.py',
      'src/renamed/legacy.py',
      'src/twice.py',
      'src/twice.py'
    ])
    expect(renderSastSummary(result, 'x.sarif')).toContain('**Full scan**')
    const run = (
      result.sarif as {
        runs: {
          results: unknown[]
          tool: { driver: { rules: unknown[] } }
          automationDetails?: { id: string }
        }[]
      }
    ).runs[0]
    expect(run?.results).toHaveLength(6)
    expect(run?.tool.driver.rules).toHaveLength(pack.rules.length)
    expect(run?.automationDetails).toEqual({ id: 'sast/' })
  }, 180_000)

  it('uses merge_group.base_sha as the base of a merge queue entry', async () => {
    const ctx = buildActionsContext(
      { GITHUB_EVENT_NAME: 'merge_group', GITHUB_REPOSITORY: 'o/r' },
      {
        merge_group: {
          base_sha: repos.mainTip,
          head_sha: repos.merge,
          base_ref: 'refs/heads/main',
          head_ref: 'refs/heads/gh-readonly-queue/main/pr-7'
        }
      }
    )
    const mode = await decideScanMode({
      diff: 'auto',
      diffInput: 'diff',
      ctx,
      workspace: repos.checkout,
      logger: memoryLogger()
    })
    expect(mode.kind === 'diff' && mode.baseline).toBe(repos.mainTip)
  }, 60_000)

  it('skips the engine when no changed file is in a rule language', async () => {
    const result = await scan(
      {
        kind: 'diff',
        baseline: repos.mainTip,
        head: repos.merge,
        changes: [{ path: 'docs/notes.md', status: 'A' }],
        reason: 'test'
      },
      []
    )
    expect(result.skipped).toBe(false)
    // The generic secrets rule reads any text file, so a doc change is still scanned.
    expect(result.plan?.targets).toEqual(['docs/notes.md'])
    const onlyPython = await runSastScan(engine, {
      workspace: repos.checkout,
      scanPath: 'src',
      pack,
      userConfigs: [],
      languages: ['python'],
      exclude: [],
      mode: {
        kind: 'diff',
        baseline: repos.mainTip,
        head: repos.merge,
        changes: [{ path: 'docs/notes.md', status: 'A' }],
        reason: 'test'
      },
      ruleTimeoutSeconds: 30,
      deadlineMs: 60_000,
      logger: memoryLogger()
    })
    expect(onlyPython.skipped).toBe(true)
    expect(renderSastSummary(onlyPython, 'x.sarif')).toContain('nothing was scanned')
  }, 120_000)

  it('fails the scan on a broken user rule (engine exit 7), keeping the reason', async () => {
    const bad = path.join(repos.checkout, '.semgrep-bad')
    mkdirSync(bad, { recursive: true })
    writeFileSync(
      path.join(bad, 'bad.yaml'),
      'rules:\n  - id: bad\n    languages: [python]\n    severity: ERROR\n    message: x\n    pattern: os.system(\n'
    )
    const result = await runSastScan(engine, {
      workspace: repos.checkout,
      scanPath: 'src',
      pack,
      userConfigs: [bad],
      languages: undefined,
      exclude: [],
      mode: { kind: 'full', reason: 'test' },
      ruleTimeoutSeconds: 30,
      deadlineMs: 60_000,
      logger: memoryLogger()
    })
    expect(result.problems.map(p => p.level)).toEqual(['error', 'error'])
    expect(result.problems[0]?.message).toMatch(
      /^semgrep exited 7 \(a rule config could not be found or loaded\)/
    )
    expect(result.problems[1]?.message).toMatch(/Rule parse error in rule bad/)
  }, 60_000)

  it('keeps a bundled rule running when a rule of the user’s config takes its id', async () => {
    // A change can add a rule file to a configured directory; the engine keeps one rule per id (the
    // last loaded), so a never-matching rule named like a bundled one must not replace it.
    const own = path.join(repos.checkout, '.semgrep-shadow')
    mkdirSync(own, { recursive: true })
    writeFileSync(
      path.join(own, 'zz.yaml'),
      'rules:\n  - id: py-command-injection\n    languages: [python]\n    severity: INFO\n    message: x\n    pattern: never_called_anywhere_xyz()\n'
    )
    try {
      const result = await runSastScan(engine, {
        workspace: repos.checkout,
        scanPath: 'src/new.py',
        pack,
        userConfigs: [own],
        languages: ['python'],
        exclude: [],
        mode: { kind: 'full', reason: 'test' },
        ruleTimeoutSeconds: 30,
        deadlineMs: 60_000,
        logger: memoryLogger()
      })
      expect(result.problems).toEqual([])
      expect(result.findings.map(f => `${f.ruleId} ${f.location?.path}:${f.location?.startLine}`)).toEqual([
        'py-command-injection src/new.py:5'
      ])
    } finally {
      rmSync(own, { recursive: true, force: true })
    }
  }, 60_000)

  it('scans a file over 1 MB in a directory scan rather than skipping it unsaid', async () => {
    const dir = path.join(repos.checkout, 'big')
    mkdirSync(dir, { recursive: true })
    writeFileSync(path.join(dir, 'huge.py'), `${FLAW('tar')}# ${'x'.repeat(1_100_000)}\n`)
    try {
      const result = await runSastScan(engine, {
        workspace: repos.checkout,
        scanPath: 'big',
        pack,
        userConfigs: [],
        languages: ['python'],
        exclude: [],
        mode: { kind: 'full', reason: 'test' },
        ruleTimeoutSeconds: 30,
        deadlineMs: 60_000,
        logger: memoryLogger()
      })
      expect(result.problems).toEqual([])
      expect(result.findings.map(f => `${f.ruleId} ${f.location?.path}:${f.location?.startLine}`)).toEqual([
        'py-command-injection big/huge.py:5'
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 60_000)

  it('never follows a changed symlink out of the workspace', async () => {
    const secret = path.join(mkdtempSync(path.join(tmpdir(), 'sast-outside-')), 'creds.txt')
    writeFileSync(secret, 'aws_access_key_id = AKIAIOSFODNN7EXAMPLE\n')
    symlinkSync(secret, path.join(repos.checkout, 'link.txt'))
    try {
      const result = await scan({
        kind: 'diff',
        baseline: repos.mainTip,
        head: repos.merge,
        changes: [{ path: 'link.txt', status: 'A' }],
        reason: 'test'
      })
      expect(result.skipped).toBe(true)
      expect(result.plan?.excluded).toBe(1)
      expect(result.findings).toEqual([])
    } finally {
      rmSync(path.join(repos.checkout, 'link.txt'))
    }
  }, 60_000)

  it('reports a new copy of a flaw placed above a nosemgrep-suppressed copy, unsuppressed', async () => {
    // The merge-base has one reviewed, suppressed call; the change adds an identical unsuppressed one
    // above it. Both share the matched text, so only their suppression tells them apart.
    const repo = mkdtempSync(path.join(tmpdir(), 'sast-nosem-'))
    git(repo, 'init', '-q', '-b', 'main')
    const call = '    os.system("ls " + arg)\n'
    write(repo, { 'src/run.py': `import os\n\n\ndef run(arg):\n    # nosemgrep\n${call}` })
    git(repo, 'add', '-A')
    git(repo, 'commit', '-q', '-m', 'base')
    const baseline = git(repo, 'rev-parse', 'HEAD')
    write(repo, { 'src/run.py': `import os\n\n\ndef run(arg):\n${call}    # nosemgrep\n${call}` })
    git(repo, 'commit', '-q', '-am', 'change')
    const head = git(repo, 'rev-parse', 'HEAD')
    try {
      const changes = await changedFiles(await Git.create(repo), baseline, head)
      const result = await runSastScan(engine, {
        workspace: repo,
        scanPath: '.',
        pack,
        userConfigs: [],
        languages: ['python'],
        exclude: [],
        mode: { kind: 'diff', baseline, head, changes, reason: 'test' },
        ruleTimeoutSeconds: 30,
        deadlineMs: 60_000,
        logger: memoryLogger()
      })
      expect(result.problems).toEqual([])
      expect(
        result.findings.map(f => `${f.location?.path}:${f.location?.startLine} ${f.suppressions.length}`)
      ).toEqual(['src/run.py:5 0'])
      expect(result.preExisting).toBe(1)
    } finally {
      rmSync(repo, { recursive: true, force: true })
    }
  }, 60_000)

  it('refuses diff: true on an event without a base', async () => {
    const ctx = buildActionsContext({ GITHUB_EVENT_NAME: 'workflow_dispatch', GITHUB_REPOSITORY: 'o/r' }, {})
    await expect(
      decideScanMode({
        diff: 'true',
        diffInput: 'diff',
        ctx,
        workspace: repos.checkout,
        logger: memoryLogger()
      })
    ).rejects.toThrow(ConfigurationError)
    expect(
      (
        await decideScanMode({
          diff: 'false',
          diffInput: 'diff',
          ctx: pullRequestContext(repos.frozenBase, repos.merge),
          workspace: repos.checkout,
          logger: memoryLogger()
        })
      ).kind
    ).toBe('full')
  })
})
