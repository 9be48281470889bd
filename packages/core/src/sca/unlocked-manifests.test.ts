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
    walked: [...found.files, ...found.manifests],
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
        'pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters:\n  .: {}\n  packages/a: {}\n",
        'packages/a/package.json': NPM_DEPS,
        'crates/Cargo.lock': '',
        'crates/Cargo.toml': '[workspace]\nmembers = ["core"]\n',
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
        'web/package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, sub: {} } }),
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

  describe('under a workspace lockfile above', () => {
    const ROOT_LOCK = JSON.stringify({ lockfileVersion: 3, packages: { '': { name: 'root' } } })

    it('flags a package the lockfile above does not include, and says how to include it or lock it', () => {
      const { unlocked, entries } = scan({
        'package.json': JSON.stringify({ name: 'root', devDependencies: { jest: '30' } }),
        'package-lock.json': ROOT_LOCK,
        'tools/release/package.json': NPM_DEPS
      })
      expect(unlocked).toEqual([
        {
          file: 'tools/release/package.json',
          name: 'package.json',
          kind: 'declares',
          above: { lockfile: 'package-lock.json', membership: { kind: 'outside' } }
        }
      ])
      expect(entries[0]!.reason).toBe(
        "it declares dependencies, but the package-lock.json above it does not include it (it is not a member of that workspace), and osv-scanner reads them only from a lockfile that includes it: they and their vulnerabilities are unknown, not absent; add it to `workspaces` in package.json and run `npm install`, or give it a lockfile of its own: commit the package-lock.json that `npm install --package-lock-only` writes (or the yarn.lock, pnpm-lock.yaml or bun.lock of the package manager you use), or leave it out with 'exclude'"
      )
    })
    it('flags a Cargo crate outside `[workspace] members` and a uv project outside its members', () => {
      const { entries } = scan({
        'Cargo.toml': '[workspace]\nmembers = ["crates/*"]\nexclude = ["crates/legacy"]\n',
        'Cargo.lock': '',
        'crates/core/Cargo.toml': '[dependencies]\nserde = "1"\n',
        'crates/legacy/Cargo.toml': '[dependencies]\nserde = "1"\n',
        'py/pyproject.toml': '[project]\nname = "root"\n[tool.uv.workspace]\nmembers = ["libs/*"]\n',
        'py/uv.lock': 'version = 1\n',
        'py/libs/a/pyproject.toml': '[project]\ndependencies = ["flask"]\n',
        'py/scripts/pyproject.toml': '[project]\ndependencies = ["flask"]\n'
      })
      expect(entries.map(e => e.file)).toEqual(['crates/legacy/Cargo.toml', 'py/scripts/pyproject.toml'])
      expect(entries[0]!.reason).toContain(
        'the Cargo.lock above it does not include it (it is not a member of that workspace)'
      )
      expect(entries[0]!.reason).toContain(
        'add it to `[workspace] members` in Cargo.toml and run `cargo update --workspace`, or give it a lockfile of its own: commit the Cargo.lock that `cargo generate-lockfile` writes'
      )
      expect(entries[1]!.reason).toContain(
        'add it to `[tool.uv.workspace] members` in py/pyproject.toml and run `uv lock`, or give it a lockfile of its own: commit the uv.lock that `uv lock` writes'
      )
    })
    it('flags a Pipfile, Gemfile or Gradle project below a Pipfile.lock, Gemfile.lock or gradle.lockfile: those lock only the manifest beside them', () => {
      // Pipenv and Bundler write the lockfile beside the Pipfile or Gemfile they read, and a nested one is
      // read, not the root's; Gradle writes one gradle.lockfile per project, in that project's directory.
      const { unlocked, entries } = scan({
        Pipfile: '[packages]\nrequests = "*"\n',
        'Pipfile.lock': '{}',
        'tools/Pipfile': '[packages]\nflask = "*"\n',
        Gemfile: "gem 'rails'\n",
        'Gemfile.lock': '',
        'docs/Gemfile': "gem 'jekyll'\n",
        'build.gradle': 'dependencies { implementation "a:b:1" }\n',
        'gradle.lockfile': '',
        'app/build.gradle': 'dependencies { implementation "c:d:1" }\n',
        // A build's verification metadata lists the artifacts of all its projects: it still covers.
        'jvm/gradle/verification-metadata.xml': '<verification-metadata/>',
        'jvm/app/build.gradle': 'dependencies { implementation "a:b:1" }\n'
      })
      expect(unlocked.map(u => `${u.file} ${u.above?.lockfile} ${u.above?.membership.kind}`)).toEqual([
        'app/build.gradle gradle.lockfile outside',
        'docs/Gemfile Gemfile.lock outside',
        'tools/Pipfile Pipfile.lock outside'
      ])
      expect(entries[2]!.reason).toBe(
        "it declares dependencies, but the Pipfile.lock above it locks only the Pipfile beside it, and osv-scanner reads them only from a lockfile that includes it: they and their vulnerabilities are unknown, not absent; commit the Pipfile.lock that `pipenv lock` writes, or leave it out with 'exclude'"
      )
    })
    it('flags a pyproject.toml below a poetry.lock that names it as no path dependency', () => {
      // Poetry has no workspace: it locks the project beside poetry.lock and the directories its path
      // dependencies name (`[package.source] type = "directory"`), nothing else below it.
      const poetryLock = [
        '[[package]]\nname = "requests"\nversion = "2.31.0"\nfiles = [\n    {file = "requests-2.31.0.tar.gz", hash = "sha256:aa"},\n]\n',
        '[[package]]\nname = "mylib"\nversion = "0.1.0"\ndevelop = true\nfiles = []\n\n[package.dependencies]\nrequests = "^2.31"\n\n[package.source]\ntype = "directory"\nurl = "libs/mylib"\n',
        '[[package]]\nname = "wheel-file"\nversion = "1.0"\nfiles = []\n\n[package.source]\ntype = "file"\nurl = "vendor/whl"\n',
        '[metadata]\nlock-version = "2.1"\npython-versions = "^3.11"\ncontent-hash = "x"\n'
      ].join('\n')
      const { unlocked, entries } = scan({
        'pyproject.toml':
          '[tool.poetry]\nname = "app"\n[tool.poetry.dependencies]\npython = "^3.11"\nmylib = { path = "libs/mylib", develop = true }\n',
        'poetry.lock': poetryLock,
        'libs/mylib/pyproject.toml':
          '[tool.poetry]\nname = "mylib"\n[tool.poetry.dependencies]\nrequests = "^2.31"\n',
        'vendor/whl/pyproject.toml': '[project]\ndependencies = ["flask"]\n',
        'services/api/pyproject.toml': '[project]\ndependencies = ["flask"]\n',
        'broken/poetry.lock': '[[package]\n',
        'broken/sub/pyproject.toml': '[project]\ndependencies = ["flask"]\n'
      })
      expect(unlocked.map(u => `${u.file} ${u.above?.lockfile} ${u.above?.membership.kind}`)).toEqual([
        'broken/sub/pyproject.toml broken/poetry.lock undecided',
        'services/api/pyproject.toml poetry.lock outside',
        'vendor/whl/pyproject.toml poetry.lock outside'
      ])
      expect(entries[1]!.reason).toBe(
        "it declares dependencies, but the poetry.lock above it does not include it (it is no path dependency of that project), and osv-scanner reads them only from a lockfile that includes it: they and their vulnerabilities are unknown, not absent; add it to pyproject.toml as a path dependency and run `poetry lock`, or give it a lockfile of its own: commit the uv.lock that `uv lock` writes (or the poetry.lock of `poetry lock`), or leave it out with 'exclude'"
      )
      expect(entries[0]!.reason).toContain(
        'the scan cannot tell whether the broken/poetry.lock above it includes it (broken/poetry.lock is not valid TOML: a header that does not end on line 1)'
      )
    })
    it('flags a composer.json below a composer.lock that does not lock it as a path repository package', () => {
      const composerLock = JSON.stringify({
        packages: [
          { name: 'acme/lib', version: 'dev-main', dist: { type: 'path', url: './packages/lib' } },
          { name: 'monolog/monolog', version: '3.5.0', dist: { type: 'zip', url: 'https://x/monolog.zip' } }
        ],
        'packages-dev': [
          { name: 'acme/dev', version: 'dev-main', dist: { type: 'path', url: 'packages/dev/' } }
        ]
      })
      const DEPS = JSON.stringify({ require: { 'monolog/monolog': '^3' } })
      const { unlocked, entries } = scan({
        'composer.json': JSON.stringify({
          repositories: [{ type: 'path', url: 'packages/*' }],
          require: { 'acme/lib': '*' }
        }),
        'composer.lock': composerLock,
        'packages/lib/composer.json': DEPS,
        'packages/dev/composer.json': DEPS,
        'tools/php-cs-fixer/composer.json': JSON.stringify({ require: { 'friendsofphp/php-cs-fixer': '^3' } })
      })
      expect(unlocked.map(u => `${u.file} ${u.above?.lockfile} ${u.above?.membership.kind}`)).toEqual([
        'tools/php-cs-fixer/composer.json composer.lock outside'
      ])
      expect(entries[0]!.reason).toContain(
        'the composer.lock above it does not include it (it is no path repository package of that project)'
      )
    })
    it('is covered by any lockfile above that includes it, though a nearer one does not', () => {
      expect(
        flagged({
          'package-lock.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, 'web/app': {} } }),
          'web/package-lock.json': ROOT_LOCK,
          'web/app/package.json': NPM_DEPS
        })
      ).toEqual([])
    })
    it('cannot tell through a broken lockfile, a link, or a root manifest left out of the walk: listed, never covered', () => {
      const { unlocked, entries } = scan(
        {
          'a/package-lock.json': '{"packages": ',
          'a/sub/package.json': NPM_DEPS,
          'b/yarn.lock': '',
          'b/real.json': JSON.stringify({ workspaces: ['sub'] }),
          'b/sub/package.json': NPM_DEPS,
          'c/target.json': JSON.stringify({ lockfileVersion: 3, packages: { '': {}, sub: {} } }),
          'c/sub/package.json': NPM_DEPS
        },
        'osv-scanner',
        { 'b/package.json': 'real.json', 'c/package-lock.json': 'target.json' }
      )
      expect(unlocked.map(u => `${u.file} ${u.above?.lockfile} ${u.above?.membership.kind}`)).toEqual([
        'a/sub/package.json a/package-lock.json undecided',
        'b/sub/package.json b/yarn.lock undecided',
        'c/sub/package.json c/package-lock.json undecided'
      ])
      expect(entries[0]!.reason).toMatch(
        /^it declares dependencies, but the scan cannot tell whether the a\/package-lock\.json above it includes it \(a\/package-lock\.json is not valid JSON\), and osv-scanner reads them only from a lockfile that includes it: .*; add it to `workspaces` in a\/package\.json and run `npm install`, or give it a lockfile of its own: /
      )
      expect(entries[1]!.reason).toContain(
        '(b/package.json is not read: it is missing, a symbolic link, left out of the scan or too large)'
      )
    })
  })
})
