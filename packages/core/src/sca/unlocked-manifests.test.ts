import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { lockfileReader } from './lockfile-reader.js'
import { discoverLockfiles } from './lockfiles.js'
import { unlockedManifestEntries, unlockedManifests } from './unlocked-manifests.js'

const NPM_DEPS = JSON.stringify({ name: 'x', dependencies: { lodash: '^4.17.0' } })
const NAMES = { include: 'include', exclude: 'exclude', path: 'path' }

/** The files written to a fresh workspace, discovered and read as runSca does. */
function scan(
  files: Record<string, string>,
  engine: 'osv-scanner' | 'trivy' = 'osv-scanner',
  links: Record<string, string> = {}
) {
  const root = mkdtempSync(path.join(tmpdir(), 'unlocked-'))
  writeFiles(root, files)
  for (const [name, target] of Object.entries(links)) symlinkSync(target, path.join(root, name))
  const found = discoverLockfiles(root, { scanPath: '.', include: [], exclude: [] }, NAMES)
  const reader = lockfileReader(root)
  const unlocked = unlockedManifests({
    manifests: found.manifests,
    manifestLinks: found.manifestLinks,
    lockfiles: [...found.files, ...found.links],
    engine,
    text: file => reader.text(file)
  })
  return { unlocked, entries: unlockedManifestEntries(unlocked, engine, { exclude: 'exclude' }) }
}

const flagged = (...args: Parameters<typeof scan>) => scan(...args).unlocked.map(u => `${u.file} ${u.kind}`)

describe('unlockedManifests', () => {
  it('flags a manifest that declares dependencies with no lockfile, and says what to commit', () => {
    const { unlocked, entries } = scan({
      'app/package.json': NPM_DEPS,
      'api/Cargo.toml': '[dependencies]\nserde = "1"\n'
    })
    expect(unlocked.map(u => u.file)).toEqual(['api/Cargo.toml', 'app/package.json'])
    expect(entries[0]!.reason).toContain('commit the Cargo.lock that `cargo generate-lockfile` writes')
    expect(entries[1]).toEqual({
      file: 'app/package.json',
      reason: expect.stringMatching(
        /^it declares dependencies, but the scan has no package-lock.json, .* or bun.lock beside it or in a directory above it, and osv-scanner reads them only from such a lockfile: .*commit the package-lock.json that `npm install --package-lock-only` writes .*, or leave it out with 'exclude'$/
      )
    })
  })
  it('does not flag a workspace member whose lockfile is at an ancestor, nor one locked beside it', () => {
    expect(
      flagged({
        'package.json': JSON.stringify({ workspaces: ['packages/*'], devDependencies: { jest: '30' } }),
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\n",
        'packages/a/package.json': NPM_DEPS,
        'crates/Cargo.lock': '',
        'crates/core/Cargo.toml': '[dependencies]\nserde = "1"\n',
        'py/uv.lock': 'version = 1\n',
        'py/pyproject.toml': '[project]\ndependencies = ["flask"]\n',
        // Beside them, outside every workspace: the one reported.
        'crates-other/core/Cargo.toml': '[dependencies]\nserde = "1"\n'
      })
    ).toEqual(['crates-other/core/Cargo.toml declares'])
  })
  it('a lockfile covers only its own ecosystem, and only at or above the manifest', () => {
    expect(
      flagged({
        'Cargo.lock': '',
        'package.json': NPM_DEPS,
        'web/package-lock.json': '{}',
        'web/sub/package.json': NPM_DEPS,
        'other/package.json': NPM_DEPS
      })
    ).toEqual(['other/package.json declares', 'package.json declares'])
  })
  it('does not flag manifests that declare nothing: scripts only, a pyproject without dependencies', () => {
    expect(
      flagged({
        'tools/package.json': JSON.stringify({ private: true, scripts: { lint: 'eslint .' } }),
        'pyproject.toml': '[tool.black]\nline-length = 100\n[tool.ruff]\nselect = ["E"]\n',
        'lib/pyproject.toml': '[build-system]\nrequires = ["setuptools"]\n[project]\nname = "lib"\n',
        'app/pyproject.toml': '[project]\nname = "app"\ndependencies = ["flask"]\n'
      })
    ).toEqual(['app/pyproject.toml declares'])
  })
  it('reports garbage and huge manifests as unreadable, without throwing', () => {
    const { unlocked, entries } = scan({
      'a/package.json': '{"dependencies": {"lodash": ',
      'b/Pipfile': '[packages\n',
      'c/composer.json': `{"description":"${'x'.repeat(2 * 1024 * 1024)}"}`
    })
    expect(unlocked).toEqual([
      { file: 'a/package.json', name: 'package.json', kind: 'unreadable', why: 'it is not valid JSON' },
      {
        file: 'b/Pipfile',
        name: 'Pipfile',
        kind: 'unreadable',
        why: 'it is not valid TOML: a header that does not end on line 1'
      },
      { file: 'c/composer.json', name: 'composer.json', kind: 'unreadable', why: 'it is over 1 MiB' }
    ])
    expect(entries[1]!.reason).toBe(
      "it cannot be read as a Pipfile (it is not valid TOML: a header that does not end on line 1) and the scan has no Pipfile.lock beside it or in a directory above it, so the dependencies it may declare are unknown; fix it and commit the Pipfile.lock that `pipenv lock` writes, or leave it out with 'exclude'"
    )
  })
  it('never reads a manifest that is a symbolic link: uncovered it is reported, covered it is not', () => {
    const { unlocked, entries } = scan({ 'locked/yarn.lock': '', 'free/README.md': '' }, 'osv-scanner', {
      'free/package.json': '/etc/passwd',
      'locked/package.json': '/etc/passwd'
    })
    expect(unlocked).toEqual([{ file: 'free/package.json', name: 'package.json', kind: 'link' }])
    expect(entries[0]!.reason).toMatch(
      /^a symbolic link, never followed, and the scan has no package-lock.json/
    )
  })
  it('counts only the lockfiles the engine reads, and says so for Trivy', () => {
    const files = {
      'py/pdm.lock': '',
      'py/pyproject.toml': '[project]\ndependencies = ["flask"]\n[tool.pdm]\n',
      'rb/gems.locked': '',
      'rb/Gemfile': "gem 'rails'\n",
      'jvm/gradle/verification-metadata.xml': '<verification-metadata/>',
      'jvm/app/build.gradle': 'dependencies { implementation "a:b:1" }\n'
    }
    expect(flagged(files, 'osv-scanner')).toEqual([])
    const trivy = scan(files, 'trivy')
    expect(trivy.unlocked.map(u => u.file)).toEqual([
      'jvm/app/build.gradle',
      'py/pyproject.toml',
      'rb/Gemfile'
    ])
    expect(trivy.entries[1]!.reason).toContain(
      'the scan has no poetry.lock or uv.lock beside it or in a directory above it, and Trivy reads them only from such a lockfile'
    )
    expect(trivy.entries[1]!.reason).toContain(
      'Trivy reads no pdm.lock: commit the uv.lock that `uv lock` writes'
    )
    expect(trivy.entries[0]!.reason).toContain('`gradle dependencies --write-locks`')
  })
})
