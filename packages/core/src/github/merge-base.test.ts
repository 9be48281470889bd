import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { Git } from './git.js'
import { changedFiles, resolveMergeBase } from './merge-base.js'
import { git, writeFiles } from '../../../../test/support/git-repo.js'

/** Real git throughout: a bare "origin", and clones made the way actions/checkout makes them. */

let root: string
let work: string
let origin: string
const sha: Record<string, string> = {}

function commit(name: string, files: Record<string, string>): string {
  writeFiles(work, files)
  git(work, 'add', '-A')
  git(work, 'commit', '-q', '-m', name)
  sha[name] = git(work, 'rev-parse', 'HEAD')
  return sha[name]
}

/** actions/checkout for pull_request: fetch one ref at depth 1 into an empty repository, detach. */
function shallowCheckout(name: string, ref: string): string {
  const dir = path.join(root, name)
  git(root, 'init', '-q', dir)
  git(dir, 'remote', 'add', 'origin', `file://${origin}`)
  git(dir, 'fetch', '-q', '--no-tags', '--depth=1', 'origin', `+${ref}:refs/remotes/checkout`)
  git(dir, 'checkout', '-q', '--detach', 'refs/remotes/checkout')
  return dir
}

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'merge-base-'))
  work = path.join(root, 'work')
  origin = path.join(root, 'origin.git')
  git(root, 'init', '-q', '-b', 'main', work)
  commit('m1', { 'shared.txt': 'v1\n', 'app.txt': 'app v1\n' })
  commit('m2', { 'docs.md': 'docs\n' })
  git(work, 'checkout', '-q', '-b', 'feature')
  for (let i = 1; i <= 40; i++) commit(`f${i}`, { 'feature.txt': `feature ${i}\n` })
  commit('f-app', { 'app.txt': 'app v2\n', 'src/new file.ts': 'export {}\n' })
  git(work, 'checkout', '-q', 'main')
  // The PR was opened here: this is the `pull_request.base.sha` frozen in the payload.
  commit('m3', { 'shared.txt': 'v3\n' })
  for (let i = 4; i <= 45; i++) commit(`m${i}`, { 'shared.txt': `v${i}\n`, 'main-only.txt': `${i}\n` })
  // GitHub's test merge commit for the PR, as refs/pull/1/merge; and a merge-queue head built on main.
  git(work, 'checkout', '-q', '--detach', 'main')
  git(work, 'merge', '-q', '--no-ff', '-m', 'Merge feature into main', 'feature')
  sha.merge = git(work, 'rev-parse', 'HEAD')
  git(work, 'update-ref', 'refs/pull/1/merge', sha.merge)
  git(work, 'update-ref', 'refs/pull/1/head', sha['f-app'] as string)
  git(work, 'update-ref', 'refs/heads/gh-readonly-queue/main/pr-1', sha.merge)
  git(work, 'checkout', '-q', '--orphan', 'unrelated')
  commit('u1', { 'other.txt': 'x\n' })
  git(work, 'checkout', '-q', 'main')
  git(root, 'clone', '-q', '--bare', '--mirror', work, origin)
})

afterAll(() => {
  rmSync(root, { recursive: true, force: true })
})

describe('resolveMergeBase with real git', () => {
  it('uses the current base tip, not the frozen base.sha, for a PR whose base moved (depth-1 merge checkout)', async () => {
    const dir = shallowCheckout('pr-merge', 'refs/pull/1/merge')
    const logger = memoryLogger()
    const result = await resolveMergeBase({ cwd: dir, baseRef: 'main', logger })
    expect(result.mergeBase).toBe(sha.m45)
    expect(result.mergeBase).not.toBe(sha.m3)
    expect(result.baseSha).toBe(sha.m45)
    expect(result.headSha).toBe(sha.merge)
    expect(result.deepenedBy).toBeGreaterThan(0)
    const g = await Git.create(dir)
    expect((await changedFiles(g, result.mergeBase, result.headSha)).map(c => c.path).sort()).toEqual([
      'app.txt',
      'feature.txt',
      'src/new file.ts'
    ])
    // What the frozen SHA would have blamed on the PR: every change merged into main since.
    const full = await Git.create(work)
    expect((await changedFiles(full, sha.m3 as string, result.headSha)).map(c => c.path)).toEqual(
      expect.arrayContaining(['main-only.txt', 'shared.txt'])
    )
    expect(logger.lines.join('\n')).toMatch(/deepening by 32 commits/)
  })

  it('deepens a depth-1 clone of the PR head progressively until the histories meet', async () => {
    const dir = shallowCheckout('pr-head', 'refs/pull/1/head')
    const result = await resolveMergeBase({
      cwd: dir,
      baseRef: 'refs/heads/main',
      initialDeepen: 4,
      maxDeepen: 500
    })
    expect(result.mergeBase).toBe(sha.m2)
    // 4 + 8 + 16 + 32 = 60 commits: enough to reach m2 from both tips (41 and 44 commits away).
    expect(result.deepenedBy).toBe(60)
    expect(result.unshallowed).toBe(false)
  })

  it('falls back to --unshallow when the deepening budget runs out', async () => {
    const dir = shallowCheckout('pr-budget', 'refs/pull/1/head')
    const result = await resolveMergeBase({ cwd: dir, baseRef: 'main', initialDeepen: 2, maxDeepen: 6 })
    expect([result.mergeBase, result.deepenedBy, result.unshallowed]).toEqual([sha.m2, 6, true])
  })

  it('uses merge_group.base_sha as the base, fetching it into a depth-1 clone', async () => {
    const dir = shallowCheckout('queue', 'refs/heads/gh-readonly-queue/main/pr-1')
    const g = await Git.create(dir)
    expect(await g.resolveCommit(sha.m45 as string)).toBeUndefined()
    const result = await resolveMergeBase({
      git: g,
      baseSha: sha.m45 as string,
      headSha: sha.merge as string
    })
    expect(result).toMatchObject({ mergeBase: sha.m45, baseSha: sha.m45, headSha: sha.merge, deepenedBy: 0 })
    expect((await changedFiles(g, result.mergeBase, result.headSha)).map(c => c.path).sort()).toEqual([
      'app.txt',
      'feature.txt',
      'src/new file.ts'
    ])
  })

  it('fails clearly when the histories never meet, when the base branch is missing, and on a hostile ref', async () => {
    const dir = shallowCheckout('unrelated', 'refs/heads/unrelated')
    await expect(resolveMergeBase({ cwd: dir, baseRef: 'main', maxDeepen: 4 })).rejects.toThrow(
      BrokenInputError
    )
    await expect(resolveMergeBase({ cwd: dir, baseRef: 'main' })).rejects.toThrow(/share no history/)
    await expect(resolveMergeBase({ cwd: dir, baseRef: 'gone' })).rejects.toThrow(
      /'gone' could not be fetched.*couldn't find remote ref/
    )
    await expect(resolveMergeBase({ cwd: dir, baseRef: '--upload-pack=touch /tmp/pwned' })).rejects.toThrow(
      ConfigurationError
    )
    await expect(resolveMergeBase({ cwd: dir, baseSha: 'HEAD~1' })).rejects.toThrow(/not a commit SHA/)
    await expect(resolveMergeBase({ cwd: dir })).rejects.toThrow(/exactly one of baseRef/)
    await expect(Git.create(root)).rejects.toThrow(/not a git work tree/)
  })

  it('kills a git that hangs past its deadline, and reports a git that cannot start', async () => {
    const hanging = path.join(root, 'hanging-git')
    writeFileSync(hanging, '#!/bin/sh\nsleep 30\n')
    chmodSync(hanging, 0o755)
    const started = Date.now()
    await expect(Git.create(work, { gitPath: hanging, timeoutMs: 200 })).rejects.toThrow(
      /killed after the 200 ms deadline/
    )
    expect(Date.now() - started).toBeLessThan(5000)
    await expect(Git.create(work, { gitPath: path.join(root, 'no-such-git') })).rejects.toThrow(
      /could not start/
    )
  })
})
