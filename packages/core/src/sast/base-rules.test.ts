import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from '../../../../test/support/git-repo.js'
import { Git } from '../github/git.js'
import { baseRuleFiles } from './base-rules.js'

let repo: string
let base: string

beforeAll(() => {
  repo = mkdtempSync(path.join(tmpdir(), 'merge-base-rules-'))
  git(repo, 'init', '-q', '-b', 'main')
  writeFiles(repo, {
    '.semgrep/edited.yml': 'rules: [edited]\n',
    '.semgrep/removed.yaml': 'rules: [removed]\n',
    '.semgrep/kept.yml': 'rules: [kept]\n',
    '.semgrep/nested/linked.yml': 'rules: [linked]\n',
    '.semgrep/kept.test.yml': 'not rules\n',
    '.semgrep/notes.md': 'not rules\n',
    'ci/rules.yml': 'rules: [single]\n',
    'ci/other.yml': 'rules: [other]\n'
  })
  git(repo, 'add', '-A')
  git(repo, 'commit', '-q', '-m', 'rules')
  base = git(repo, 'rev-parse', 'HEAD')
  writeFileSync(path.join(repo, '.semgrep/edited.yml'), 'rules: [weaker]\n')
  unlinkSync(path.join(repo, '.semgrep/removed.yaml'))
  unlinkSync(path.join(repo, '.semgrep/nested/linked.yml'))
  symlinkSync('../kept.yml', path.join(repo, '.semgrep/nested/linked.yml'))
  writeFileSync(path.join(repo, '.semgrep/kept.test.yml'), 'changed, not rules\n')
  writeFileSync(path.join(repo, 'ci/rules.yml'), 'rules: []\n')
  writeFileSync(path.join(repo, 'ci/other.yml'), 'rules: []\n')
})
afterAll(() => rmSync(repo, { recursive: true, force: true }))

describe('baseRuleFiles', () => {
  it('returns the merge-base version of every rule file the checkout edited, removed or replaced by a link', async () => {
    const found = await baseRuleFiles(
      await Git.create(repo),
      { deciding: base, mergeBase: base },
      [
        { file: path.join(repo, '.semgrep'), directory: true },
        { file: path.join(repo, 'ci/rules.yml'), directory: false }
      ],
      repo
    )
    expect(
      Object.fromEntries(found.files.filter(f => f.edited).map(f => [f.path, f.content.toString('utf8')]))
    ).toEqual({
      '.semgrep/edited.yml': 'rules: [edited]\n',
      '.semgrep/removed.yaml': 'rules: [removed]\n',
      '.semgrep/nested/linked.yml': 'rules: [linked]\n',
      // A file config is taken whatever its name; its neighbours are not configs.
      'ci/rules.yml': 'rules: [single]\n'
    })
    // Unchanged rule files come too, so a rule file the change adds cannot take one of their ids.
    expect(found.files.filter(f => !f.edited).map(f => f.path)).toEqual(['.semgrep/kept.yml'])
    expect(found.tooLarge).toEqual([])
  })

  it('marks nothing edited when the checkout has the merge-base rules as they were', async () => {
    const found = await baseRuleFiles(
      await Git.create(repo),
      { deciding: base, mergeBase: base },
      [{ file: path.join(repo, '.semgrep/kept.yml'), directory: false }],
      repo
    )
    expect(found.files.map(f => [f.path, f.edited])).toEqual([['.semgrep/kept.yml', false]])
  })
})

describe('baseRuleFiles on a branch behind its base', () => {
  let behind: string
  let forked: string
  let tip: string

  beforeAll(() => {
    behind = mkdtempSync(path.join(tmpdir(), 'base-rules-behind-'))
    git(behind, 'init', '-q', '-b', 'main')
    writeFiles(behind, {
      '.semgrep/tightened.yml': 'rules: [loose]\n',
      '.semgrep/edited.yml': 'rules: [edited]\n',
      '.semgrep/dropped.yml': 'rules: [dropped]\n'
    })
    git(behind, 'add', '-A')
    git(behind, 'commit', '-q', '-m', 'rules')
    forked = git(behind, 'rev-parse', 'HEAD')
    writeFiles(behind, {
      '.semgrep/tightened.yml': 'rules: [tight]\n',
      '.semgrep/added.yml': 'rules: [added]\n'
    })
    git(behind, 'rm', '-q', '.semgrep/dropped.yml')
    git(behind, 'add', '-A')
    git(behind, 'commit', '-q', '-m', 'the base tightens, adds and drops rules after the fork')
    tip = git(behind, 'rev-parse', 'HEAD')
    // The checkout is the pull request's head: the forked rules, one of them edited by the change.
    git(behind, 'checkout', '-q', '-b', 'feature', forked)
    writeFileSync(path.join(behind, '.semgrep/edited.yml'), 'rules: [weaker]\n')
  })
  afterAll(() => rmSync(behind, { recursive: true, force: true }))

  it('runs the base branch tip’s rules, and marks edited only what the change itself touched', async () => {
    const found = await baseRuleFiles(
      await Git.create(behind),
      { deciding: tip, mergeBase: forked },
      [{ file: path.join(behind, '.semgrep'), directory: true }],
      behind
    )
    expect(
      Object.fromEntries(found.files.map(f => [f.path, [f.content.toString('utf8'), f.edited]]))
    ).toEqual({
      '.semgrep/added.yml': ['rules: [added]\n', false],
      '.semgrep/edited.yml': ['rules: [edited]\n', true],
      '.semgrep/tightened.yml': ['rules: [tight]\n', false]
    })
  })
})

describe('baseRuleFiles when git cannot give the base branch’s rules', () => {
  it('fails naming the base commit and the remedy, never running fewer rules', async () => {
    const partial = mkdtempSync(path.join(tmpdir(), 'base-rules-missing-'))
    try {
      git(partial, 'init', '-q', '-b', 'main')
      writeFiles(partial, { '.semgrep/rules.yml': 'rules: [kept]\n' })
      git(partial, 'add', '-A')
      git(partial, 'commit', '-q', '-m', 'rules')
      const forked = git(partial, 'rev-parse', 'HEAD')
      writeFiles(partial, { '.semgrep/added.yml': 'rules: [added]\n' })
      git(partial, 'add', '-A')
      git(partial, 'commit', '-q', '-m', 'the base adds a rule')
      const tip = git(partial, 'rev-parse', 'HEAD')
      // A clone that lacks the tip's blob (a partial clone without access to its remote).
      const blob = git(partial, 'rev-parse', `${tip}:.semgrep/added.yml`)
      rmSync(path.join(partial, '.git/objects', blob.slice(0, 2), blob.slice(2)))
      await expect(
        baseRuleFiles(
          await Git.create(partial),
          { deciding: tip, mergeBase: forked },
          [{ file: path.join(partial, '.semgrep'), directory: true }],
          partial
        )
      ).rejects.toThrow(
        `git: could not read the base branch's rule files at ${tip.slice(0, 12)} (git cat-file --batch-check: ${blob} is not a blob in this repository); check out with 'fetch-depth: 0' so the base commit is present`
      )
    } finally {
      rmSync(partial, { recursive: true, force: true })
    }
  })
})
