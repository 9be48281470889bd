import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from '../../../../test/support/git-repo.js'
import { buildActionsContext } from './context.js'
import { changedBy, resolvePullRequestBase } from './pull-request-base.js'

const SARIF = '{"version":"2.1.0","runs":[]}'
let root: string
let workspace: string
let baseSha: string

// file: transport, allowed for these local repositories only (git refuses it for submodules by default).
const submoduleGit = (cwd: string, ...args: string[]) => git(cwd, '-c', 'protocol.file.allow=always', ...args)

beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'pr-base-'))
  // Another repository, holding a "report" that would mark every finding as known.
  const planted = path.join(root, 'planted')
  git(root, 'init', '-q', '-b', 'main', planted)
  writeFiles(planted, { 'secure-pipeline/s.sarif': SARIF })
  git(planted, 'add', '-A')
  git(planted, 'commit', '-q', '-m', 'planted')

  const origin = path.join(root, 'origin')
  git(root, 'init', '-q', '-b', 'main', origin)
  writeFiles(origin, { 'src/app.js': 'x\n', 'sub-notes/keep.txt': 'x\n' })
  symlinkSync('../src/app.js', path.join(origin, 'reports-link.sarif'))
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '-m', 'base')
  baseSha = git(origin, 'rev-parse', 'HEAD')
  git(origin, 'checkout', '-q', '-b', 'feature')
  submoduleGit(origin, 'submodule', 'add', '-q', planted, 'sub')
  // The link the base had, replaced by a file of the pull request's own: a type change.
  unlinkSync(path.join(origin, 'reports-link.sarif'))
  writeFileSync(path.join(origin, 'reports-link.sarif'), SARIF)
  git(origin, 'add', '-A')
  git(origin, 'commit', '-q', '-m', 'change')
  const headSha = git(origin, 'rev-parse', 'HEAD')

  workspace = path.join(root, 'ws')
  submoduleGit(root, 'clone', '-q', '--recurse-submodules', '--branch', 'feature', origin, workspace)
  expect(git(workspace, 'rev-parse', 'HEAD')).toBe(headSha)
})

afterAll(() => rmSync(root, { recursive: true, force: true }))

describe('what a pull request changed', () => {
  it('includes the files of a submodule it added, and a file it put where the base had a link', async () => {
    const context = buildActionsContext(
      { GITHUB_EVENT_NAME: 'pull_request', GITHUB_REPOSITORY: 'octo-org/octo-repo' },
      {
        number: 7,
        pull_request: {
          number: 7,
          base: { ref: 'main', sha: baseSha, repo: { full_name: 'octo-org/octo-repo' } },
          head: {
            ref: 'feature',
            sha: git(workspace, 'rev-parse', 'HEAD'),
            repo: { full_name: 'octo-org/octo-repo' }
          }
        }
      }
    )
    const base = (await resolvePullRequestBase(context, workspace))!
    expect(base.commit).toBe(baseSha)
    expect(base.changed('sub/secure-pipeline/s.sarif')).toBe(true)
    expect(base.changed('./sub/secure-pipeline/s.sarif')).toBe(true)
    expect(base.changed('reports-link.sarif')).toBe(true)
    expect(base.changes.find(change => change.path === 'reports-link.sarif')?.status).toBe('T')
    // A path that only starts with the submodule's name is not in it; the base's own files are not changed.
    expect(base.changed('sub-notes/keep.txt')).toBe(false)
    expect(base.changed('src/app.js')).toBe(false)
  })
})

describe('changedBy', () => {
  it('matches a moved submodule’s files, not the files beside it', () => {
    const changed = changedBy([
      { path: 'vendor/lib', status: 'M', submodule: true },
      { path: 'a.sarif', status: 'A' }
    ])
    expect(changed('vendor/lib/x.sarif')).toBe(true)
    expect(changed('vendor/lib')).toBe(true)
    expect(changed('vendor/library/x.sarif')).toBe(false)
    expect(changed('a.sarif')).toBe(true)
    expect(changed('b.sarif')).toBe(false)
  })
})
