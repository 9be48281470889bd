import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { Git, parseRawDiff } from './git.js'
import { git as gitIn, writeFiles } from '../../../../test/support/git-repo.js'

let repo: string
const git = (...args: string[]) => gitIn(repo, ...args)
const write = (file: string, text: string) => writeFiles(repo, { [file]: text })

const longText = (seed: string) => Array.from({ length: 40 }, (_, i) => `${seed} line ${i}`).join('\n')

describe('Git.changes and Git.readBlobs (real git)', () => {
  let base: string
  let head: string
  beforeAll(() => {
    repo = mkdtempSync(path.join(tmpdir(), 'sp-git-'))
    git('init', '-q', '-b', 'main')
    write('kept.py', 'x = 1\n')
    write('edited.py', 'old = 1\n')
    write('old name.py', longText('moved'))
    write('gone.py', 'bye\n')
    symlinkSync('kept.py', path.join(repo, 'link.py'))
    git('add', '-A')
    git('commit', '-q', '-m', 'base')
    base = git('rev-parse', 'HEAD')
    write('edited.py', 'new = 2\n')
    rmSync(path.join(repo, 'old name.py'))
    write('dir/new name.py', `${longText('moved')}\nplus one\n`)
    write('added.py', 'fresh\n')
    rmSync(path.join(repo, 'gone.py'))
    git('add', '-A')
    git('commit', '-q', '-m', 'head')
    head = git('rev-parse', 'HEAD')
  })
  afterAll(() => rmSync(repo, { recursive: true, force: true }))

  it('lists added, modified and renamed paths with their base blobs; deleted ones are left out', async () => {
    const changes = await (await Git.create(repo)).changes(base, head)
    expect(changes.map(c => [c.status, c.path, c.previous?.path])).toEqual(
      expect.arrayContaining([
        ['A', 'added.py', undefined],
        ['M', 'edited.py', 'edited.py'],
        ['R', 'dir/new name.py', 'old name.py']
      ])
    )
    expect(changes).toHaveLength(3)
    const edited = changes.find(c => c.path === 'edited.py')
    expect(edited?.previous?.blob).toBe(git('rev-parse', `${base}:edited.py`))
    expect(edited?.previous?.mode).toBe('100644')
  })

  it('reads many blobs in one cat-file process, byte for byte', async () => {
    const g = await Git.create(repo)
    const ids = [git('rev-parse', `${base}:edited.py`), git('rev-parse', `${base}:old name.py`)]
    const blobs = await g.readBlobs(ids)
    expect(blobs.get(ids[0] as string)?.toString()).toBe('old = 1\n')
    expect(blobs.get(ids[1] as string)?.toString()).toBe(longText('moved'))
    const small = await g.readBlobs(ids, 10)
    expect([...small.keys()]).toEqual([ids[0]])
    await expect(g.readBlobs(['0'.repeat(40)])).rejects.toThrow(/not a blob/)
    await expect(g.readBlobs(['--batch-all-objects'])).rejects.toThrow(/not a blob id/)
  })

  it('reads a file at a commit, and refuses a link or a directory there, from any directory of the work tree', async () => {
    const sub = path.join(repo, 'dir')
    const fromRoot = await Git.create(repo)
    const fromSub = await Git.create(sub)
    // From a subdirectory, the old lookup read the link's target path as the file's text.
    await expect(fromSub.readFileAt(base, 'link.py', 1000)).rejects.toThrow(/link.py is a symbolic link/)
    for (const g of [fromRoot, fromSub]) {
      expect((await g.readFileAt(base, 'kept.py', 1000))?.toString()).toBe('x = 1\n')
      expect((await g.readFileAt(base, './kept.py', 1000))?.toString()).toBe('x = 1\n')
      expect(await g.readFileAt(base, 'nope.py', 1000)).toBeUndefined()
      await expect(g.readFileAt(base, 'link.py', 1000)).rejects.toThrow(/link.py is a symbolic link at/)
      await expect(g.readFileAt(head, 'dir', 1000)).rejects.toThrow(/dir is a tree at/)
      await expect(g.readFileAt(head, 'dir/', 1000)).rejects.toThrow(/dir\/ is not one file at/)
      await expect(g.readFileAt(base, 'kept.py', 3)).rejects.toThrow(/over the 3-byte limit/)
    }
    await expect(fromRoot.readFileAt(base, '../outside.py', 1000)).rejects.toThrow(/outside repository/)
  })

  it('refuses a submodule (gitlink) at the path', async () => {
    git('update-index', '--add', '--cacheinfo', `160000,${base},vendor/lib`)
    const withSubmodule = git('commit-tree', git('write-tree'), '-p', head, '-m', 'submodule')
    git('read-tree', 'HEAD')
    const g = await Git.create(repo)
    await expect(g.readFileAt(withSubmodule, 'vendor/lib', 1000)).rejects.toThrow(
      /vendor\/lib is a submodule at/
    )
  })

  it('parses raw records whatever the path contains, and refuses a record it cannot read', () => {
    const blob = 'a'.repeat(40)
    const zero = '0'.repeat(40)
    const raw = [
      `:100644 100644 ${blob} ${'b'.repeat(40)} M`,
      'tab\there.py',
      `:000000 100644 ${zero} ${blob} A`,
      ':colon.py',
      `:100755 100755 ${blob} ${blob} R100`,
      'a.sh',
      'b.sh',
      `:120000 100644 ${blob} ${blob} T`,
      'was-a-link.sarif',
      `:000000 160000 ${zero} ${blob} A`,
      'vendor/lib',
      `:160000 160000 ${blob} ${'c'.repeat(40)} M`,
      'vendor/other',
      ''
    ].join('\0')
    expect(parseRawDiff(raw)).toEqual([
      { path: 'tab\there.py', status: 'M', previous: { path: 'tab\there.py', blob, mode: '100644' } },
      { path: ':colon.py', status: 'A' },
      { path: 'b.sh', status: 'R', previous: { path: 'a.sh', blob, mode: '100755' } },
      { path: 'was-a-link.sarif', status: 'T' },
      { path: 'vendor/lib', status: 'A', submodule: true },
      {
        path: 'vendor/other',
        status: 'M',
        previous: { path: 'vendor/other', blob, mode: '160000' },
        submodule: true
      }
    ])
    expect(() => parseRawDiff(`:100644 100644 ${blob} ${blob} R100\0only-old.sh\0`)).toThrow(
      /without a new path/
    )
  })
})

describe('Git.trackedFiles (real git)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sp-git-tracked-'))
    repo = path.join(dir, 'repo')
    gitIn(dir, 'init', '-q', '-b', 'main', 'repo')
    write('out/sca.sarif', '{}')
    write('out/*.sarif', '{}')
    write('.gitignore', 'out/sast.sarif\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'reports committed')
    write('out/fresh.sarif', '{}')
    write('out/sast.sarif', '{}')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('names the files the repository has committed, taking each name literally', async () => {
    const asked = ['out/sca.sarif', 'out/fresh.sarif', 'out/sast.sarif', 'out/missing.sarif']
    expect(await Git.trackedFiles(repo, asked)).toEqual(new Set(['out/sca.sarif']))
    // `*` in a file's own name is no pattern: it does not reach the other committed report.
    expect(await Git.trackedFiles(repo, ['out/*.sarif'])).toEqual(new Set(['out/*.sarif']))
    expect(await Git.trackedFiles(path.join(repo, 'out'), ['sca.sarif', 'fresh.sarif'])).toEqual(
      new Set(['sca.sarif'])
    )
  })

  it('finds none outside a work tree, or where there is no git to ask', async () => {
    expect(await Git.trackedFiles(dir, ['repo/out/sca.sarif'])).toEqual(new Set())
    expect(
      await Git.trackedFiles(repo, ['out/sca.sarif'], { gitPath: path.join(dir, 'no-such-git') })
    ).toEqual(new Set())
  })

  it('is an error, not "none", when git refuses the repository', async () => {
    // A repository format git does not know: it refuses to read it, as it refuses an unsafe owner.
    const config = path.join(repo, '.git', 'config')
    const kept = readFileSync(config, 'utf8')
    writeFileSync(config, kept.replace(/repositoryformatversion = \d+/, 'repositoryformatversion = 99'))
    try {
      await expect(Git.trackedFiles(repo, ['out/sca.sarif'])).rejects.toThrow(
        /^git cannot tell which files '.+' tracks: .*found 99/
      )
    } finally {
      writeFileSync(config, kept)
    }
  })
})

describe('Git.headCommit (real git)', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sp-git-head-'))
    repo = path.join(dir, 'repo')
    gitIn(dir, 'init', '-q', '-b', 'main', 'repo')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('is the checked-out commit, and unknown before the first commit, outside a repository or without git', async () => {
    expect(await Git.headCommit(repo)).toBeUndefined()
    write('a.txt', 'a\n')
    git('add', '-A')
    git('commit', '-q', '-m', 'first')
    const first = git('rev-parse', 'HEAD')
    write('a.txt', 'b\n')
    git('commit', '-q', '-am', 'second')
    git('checkout', '-q', '--detach', first)
    expect(await Git.headCommit(repo)).toBe(first)
    expect(await Git.headCommit(dir)).toBeUndefined()
    expect(await Git.headCommit(repo, { gitPath: path.join(dir, 'no-such-git') })).toBeUndefined()
  })
})
