import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { joinWorkspaceAdvice, workspaceMembership } from './workspace-members.js'

/** Membership over in-memory files: a file not given is one the walk did not find. */
function members(files: Record<string, string>) {
  const membership = workspaceMembership(file => files[file])
  return (lockfile: string, dir: string) => {
    const verdict = membership(lockfile, dir)
    return verdict.kind === 'undecided' ? `undecided: ${verdict.why}` : verdict.kind
  }
}

const NPM_WORKSPACE_LOCK = JSON.stringify({
  name: 'root',
  lockfileVersion: 3,
  requires: true,
  packages: {
    '': { name: 'root', workspaces: ['packages/*'] },
    'node_modules/a': { resolved: 'packages/a', link: true },
    'node_modules/lodash': { version: '4.17.20' },
    'packages/a': { name: 'a', dependencies: { lodash: '^4.17.0' } }
  }
})

const PNPM_WORKSPACE_LOCK = `lockfileVersion: '9.0'

settings:
  autoInstallPeers: true

importers:

  .:
    devDependencies:
      jest:
        specifier: '30'
        version: 30.0.0

  packages/a:
    dependencies:
      lodash:
        specifier: ^4.17.0
        version: 4.17.20

  'packages/b': {}

packages:

  lodash@4.17.20:
    resolution: {integrity: sha512-x}
`

const BUN_WORKSPACE_LOCK = `{
  "lockfileVersion": 1,
  // bun writes no comments, but JSONC allows them
  "workspaces": {
    "": { "name": "root", },
    "packages/a": {
      "name": "a",
      "dependencies": { "lodash": "^4.17.0", },
    },
  },
  "packages": {
    "lodash": ["lodash@4.17.20", "", {}, "sha512-x,}"],
  }
}
`

describe('workspaceMembership', () => {
  it('npm: a directory is a member when package-lock.json has a `packages` entry for it', () => {
    const of = members({
      'package-lock.json': NPM_WORKSPACE_LOCK,
      'web/npm-shrinkwrap.json': NPM_WORKSPACE_LOCK
    })
    expect(of('package-lock.json', 'packages/a')).toBe('member')
    expect(of('package-lock.json', 'tools/release')).toBe('outside')
    // Paths are relative to the lockfile's directory; `node_modules/a` is no directory of the project.
    expect(of('web/npm-shrinkwrap.json', 'web/packages/a')).toBe('member')
    expect(of('web/npm-shrinkwrap.json', 'packages/a')).toBe('outside')
    expect(of('package-lock.json', 'packages')).toBe('outside')
  })
  it('npm: a v1 lockfile holds no other directory; garbage or an unread lockfile cannot tell', () => {
    const of = members({
      'v1/package-lock.json': JSON.stringify({
        lockfileVersion: 1,
        dependencies: { lodash: { version: '4.17.20' } }
      }),
      'bad/package-lock.json': '{"packages": {"sub": ',
      'array/package-lock.json': '[]'
    })
    expect(of('v1/package-lock.json', 'v1/sub')).toBe('outside')
    expect(of('bad/package-lock.json', 'bad/sub')).toBe('undecided: bad/package-lock.json is not valid JSON')
    expect(of('array/package-lock.json', 'array/sub')).toBe(
      'undecided: array/package-lock.json is not a JSON object'
    )
    expect(of('gone/package-lock.json', 'gone/sub')).toBe(
      'undecided: gone/package-lock.json is not read: it is missing, a symbolic link, left out of the scan or too large'
    )
  })
  it('pnpm: the `importers:` keys, quoted or not; a lockfile of one project has none', () => {
    const of = members({
      'pnpm-lock.yaml': PNPM_WORKSPACE_LOCK,
      'one/pnpm-lock.yaml':
        'lockfileVersion: 5.3\n\nspecifiers:\n  aws-sdk: ^2.1087.0\n\ndependencies:\n  aws-sdk: 2.1087.0\n',
      'crlf/pnpm-lock.yaml': PNPM_WORKSPACE_LOCK.replaceAll('\n', '\r\n')
    })
    expect(of('pnpm-lock.yaml', 'packages/a')).toBe('member')
    expect(of('pnpm-lock.yaml', 'packages/b')).toBe('member')
    expect(of('crlf/pnpm-lock.yaml', 'crlf/packages/a')).toBe('member')
    expect(of('pnpm-lock.yaml', 'tools/release')).toBe('outside')
    // `lodash@4.17.20` is a key of `packages:`, not an importer.
    expect(of('pnpm-lock.yaml', 'lodash@4.17.20')).toBe('outside')
    expect(of('one/pnpm-lock.yaml', 'one/sub')).toBe('outside')
  })
  it('pnpm: a file that is no pnpm lockfile, or importers it does not read, cannot tell', () => {
    const of = members({
      'a/pnpm-lock.yaml': 'importers:\n  sub: {}\n',
      'b/pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters: {sub: {}}\n",
      'c/pnpm-lock.yaml': "lockfileVersion: '9.0'\nimporters:\n  'sub: {}\n"
    })
    expect(of('a/pnpm-lock.yaml', 'a/sub')).toBe(
      'undecided: a/pnpm-lock.yaml has no lockfileVersion, so it is no pnpm lockfile'
    )
    expect(of('b/pnpm-lock.yaml', 'b/sub')).toBe(
      'undecided: b/pnpm-lock.yaml writes its importers on one line, which is not read'
    )
    expect(of('c/pnpm-lock.yaml', 'c/sub')).toBe(
      "undecided: c/pnpm-lock.yaml has an importer key that is not read:   'sub: {}"
    )
  })
  it('bun: the `workspaces` keys of the JSONC lockfile', () => {
    const of = members({ 'bun.lock': BUN_WORKSPACE_LOCK, 'bad/bun.lock': '{"workspaces": {' })
    expect(of('bun.lock', 'packages/a')).toBe('member')
    expect(of('bun.lock', 'tools/release')).toBe('outside')
    expect(of('bad/bun.lock', 'bad/sub')).toBe('undecided: bad/bun.lock is not valid JSON')
  })
  it('yarn: the globs of the package.json beside yarn.lock, as a list or `{packages}`, less `!` ones', () => {
    const of = members({
      'yarn.lock': '',
      'package.json': JSON.stringify({
        private: true,
        workspaces: ['packages/*', '!packages/private', './apps/web/']
      }),
      'berry/yarn.lock': '',
      'berry/package.json': JSON.stringify({ workspaces: { packages: ['libs/**'], nohoist: ['**/x'] } }),
      'none/yarn.lock': '',
      'none/package.json': JSON.stringify({ dependencies: { lodash: '4.17.21' } })
    })
    expect(of('yarn.lock', 'packages/a')).toBe('member')
    expect(of('yarn.lock', 'apps/web')).toBe('member')
    expect(of('yarn.lock', 'packages/private')).toBe('outside')
    // `*` is one name: a package below a member is not one.
    expect(of('yarn.lock', 'packages/a/fixtures')).toBe('outside')
    expect(of('yarn.lock', 'tools/release')).toBe('outside')
    expect(of('berry/yarn.lock', 'berry/libs/x/y')).toBe('member')
    expect(of('berry/yarn.lock', 'berry/tools')).toBe('outside')
    expect(of('none/yarn.lock', 'none/tools')).toBe('outside')
  })
  it('yarn: a root package.json missing, broken, or with workspaces it cannot read, cannot tell', () => {
    const of = members({
      'a/yarn.lock': '',
      'b/yarn.lock': '',
      'b/package.json': '{"workspaces": [',
      'c/yarn.lock': '',
      'c/package.json': JSON.stringify({ workspaces: 'packages/*' }),
      'd/yarn.lock': '',
      'd/package.json': JSON.stringify({ workspaces: ['+(a|b)'] }),
      'e/yarn.lock': '',
      'e/package.json': JSON.stringify({ workspaces: Array.from({ length: 1001 }, (_, i) => `p${i}`) }),
      'g/yarn.lock': '',
      'g/package.json': JSON.stringify({ workspaces: ['sub', `${'x'.repeat(64 * 1024)}/*`] }),
      'f/yarn.lock': '',
      'f/package.json': `{"workspaces": ["${'x'.repeat(1024 * 1024)}"]}`
    })
    expect(of('a/yarn.lock', 'a/sub')).toBe(
      'undecided: a/package.json is not read: it is missing, a symbolic link, left out of the scan or too large'
    )
    expect(of('b/yarn.lock', 'b/sub')).toBe('undecided: b/package.json is not valid JSON')
    expect(of('c/yarn.lock', 'c/sub')).toBe(
      'undecided: c/package.json has `workspaces` that are not a list of globs'
    )
    expect(of('d/yarn.lock', 'd/sub')).toMatch(
      /^undecided: d\/package\.json names a workspace glob that is not read: Pattern '\+\(a\|b\)' uses the extglob/
    )
    expect(of('e/yarn.lock', 'e/sub')).toBe(
      'undecided: e/package.json names more than 1000 workspace globs, or more than 64 KiB of them'
    )
    expect(of('g/yarn.lock', 'g/sub')).toBe(
      'undecided: g/package.json names more than 1000 workspace globs, or more than 64 KiB of them'
    )
    expect(of('f/yarn.lock', 'f/sub')).toBe('undecided: f/package.json is not read: it is over 1 MiB')
  })
  it('Cargo: `[workspace] members` globs of the Cargo.toml beside Cargo.lock, less the directories `exclude` names', () => {
    const of = members({
      'Cargo.lock': '',
      'Cargo.toml':
        '[package]\nname = "root"\n\n[workspace]\nmembers = [\n  "crates/*", # every crate\n  "tools/cli/",\n  "../outside",\n]\nexclude = ["./crates/legacy"]\n',
      'plain/Cargo.lock': '',
      'plain/Cargo.toml': '[package]\nname = "plain"\n[dependencies]\nserde = "1"\n'
    })
    expect(of('Cargo.lock', 'crates/core')).toBe('member')
    expect(of('Cargo.lock', 'tools/cli')).toBe('member')
    expect(of('Cargo.lock', 'crates/legacy')).toBe('outside')
    expect(of('Cargo.lock', 'examples/demo')).toBe('outside')
    expect(of('plain/Cargo.lock', 'plain/sub')).toBe('outside')
  })
  it('Cargo: a root Cargo.toml missing, not TOML, or with an inline workspace table cannot tell', () => {
    const of = members({
      'a/Cargo.lock': '',
      'b/Cargo.lock': '',
      'b/Cargo.toml': '[workspace\nmembers = ["x"]\n',
      'c/Cargo.lock': '',
      'c/Cargo.toml': 'workspace = { members = ["crates/*"] }\n'
    })
    expect(of('a/Cargo.lock', 'a/x')).toBe(
      'undecided: a/Cargo.toml is not read: it is missing, a symbolic link, left out of the scan or too large'
    )
    expect(of('b/Cargo.lock', 'b/x')).toBe(
      'undecided: b/Cargo.toml is not valid TOML: a header that does not end on line 1'
    )
    expect(of('c/Cargo.lock', 'c/crates/x')).toBe(
      'undecided: c/Cargo.toml writes workspace as an inline table, which is not read'
    )
  })
  it('Cargo: an `exclude` list is bounded as the members globs are (each manifest is matched against all)', () => {
    const list = (n: number) => `[${Array.from({ length: n }, (_, i) => `"x${i}"`).join(', ')}]`
    const of = members({
      'Cargo.lock': '',
      'Cargo.toml': `[workspace]\nmembers = ["**"]\nexclude = ${list(1001)}\n`,
      'ok/Cargo.lock': '',
      'ok/Cargo.toml': `[workspace]\nmembers = ["**"]\nexclude = ${list(1000)}\n`
    })
    expect(of('Cargo.lock', 'crates/a')).toBe(
      'undecided: Cargo.toml names more than 1000 workspace globs, or more than 64 KiB of them'
    )
    expect(of('ok/Cargo.lock', 'ok/crates/a')).toBe('member')
    expect(of('ok/Cargo.lock', 'ok/x999')).toBe('outside')
  })
  it('uv: `[tool.uv.workspace] members` globs of the pyproject.toml beside uv.lock, less its `exclude` globs', () => {
    const of = members({
      'uv.lock': '',
      'pyproject.toml':
        '[project]\nname = "root"\ndependencies = []\n\n[tool.uv.workspace]\nmembers = ["packages/*"]\nexclude = ["packages/scratch*"]\n',
      'single/uv.lock': '',
      'single/pyproject.toml': '[project]\nname = "single"\ndependencies = ["flask"]\n',
      'bad/uv.lock': '',
      'bad/pyproject.toml': '[tool.uv]\nworkspace = { members = ["packages/*"] }\n'
    })
    expect(of('uv.lock', 'packages/a')).toBe('member')
    expect(of('uv.lock', 'packages/scratch-1')).toBe('outside')
    expect(of('uv.lock', 'scripts/x')).toBe('outside')
    expect(of('single/uv.lock', 'single/sub')).toBe('outside')
    expect(of('bad/uv.lock', 'bad/packages/a')).toBe(
      'undecided: bad/pyproject.toml writes tool.uv.workspace as an inline table, which is not read'
    )
  })
  it('uv: a directory uv.lock locks as a local project (a path dependency outside the members) is in it', () => {
    const of = members({
      'uv.lock': [
        'version = 1\nrequires-python = ">=3.11"\n',
        '[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\ndependencies = [\n    { name = "tool" },\n]\n',
        '[[package]]\nname = "tool"\nversion = "0.1.0"\nsource = { editable = "tools/tool" }\ndependencies = [\n    { name = "flask" },\n]\n',
        '[[package]]\nname = "vendored"\nversion = "1.0"\nsource = { directory = "vendor/vendored/" }\n',
        '[[package]]\nname = "flask"\nversion = "3.0.0"\nsource = { registry = "https://pypi.org/simple" }\n'
      ].join('\n'),
      'pyproject.toml':
        '[project]\nname = "app"\ndependencies = ["tool"]\n\n[tool.uv.sources]\ntool = { path = "tools/tool", editable = true }\n'
    })
    expect(of('uv.lock', 'tools/tool')).toBe('member')
    expect(of('uv.lock', 'vendor/vendored')).toBe('member')
    expect(of('uv.lock', 'tools/other')).toBe('outside')
  })
  it('other lockfiles (no workspace read) cover what lies below them, as before', () => {
    const of = members({})
    expect(of('pdm.lock', 'sub')).toBe('member')
    expect(of('mix.lock', 'apps/web')).toBe('member')
    expect(joinWorkspaceAdvice('pdm.lock')).toBeUndefined()
  })
  it('a Pipfile.lock, Gemfile.lock, gems.locked or gradle.lockfile holds no directory but its own', () => {
    const of = members({})
    for (const lockfile of ['Pipfile.lock', 'Gemfile.lock', 'gems.locked', 'gradle.lockfile'])
      expect([lockfile, of(lockfile, 'sub')]).toEqual([lockfile, 'outside'])
    expect(joinWorkspaceAdvice('Gemfile.lock')).toBeUndefined()
  })
  it('says how to join each workspace, naming the file beside the lockfile', () => {
    expect(joinWorkspaceAdvice('package-lock.json')).toBe(
      'add it to `workspaces` in package.json and run `npm install`'
    )
    expect(joinWorkspaceAdvice('web/pnpm-lock.yaml')).toBe(
      'add it to `packages` in web/pnpm-workspace.yaml and run `pnpm install`'
    )
    expect(joinWorkspaceAdvice('Cargo.lock')).toBe(
      'add it to `[workspace] members` in Cargo.toml and run `cargo update --workspace`'
    )
    expect(joinWorkspaceAdvice('py/uv.lock')).toBe(
      'add it to `[tool.uv.workspace] members` in py/pyproject.toml and run `uv lock`'
    )
  })
  it('never throws, whatever a pull request writes in the lockfile and the manifest beside it', () => {
    const lockfiles = [
      'package-lock.json',
      'pnpm-lock.yaml',
      'bun.lock',
      'yarn.lock',
      'Cargo.lock',
      'uv.lock',
      'poetry.lock',
      'composer.lock'
    ]
    const manifests = ['package.json', 'Cargo.toml', 'pyproject.toml']
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.constantFrom(...lockfiles),
        (text, lockfile) => {
          const files = Object.fromEntries([lockfile, ...manifests].map(file => [file, text]))
          expect(['member', 'outside', 'undecided']).toContain(
            workspaceMembership(f => files[f])(lockfile, 'sub').kind
          )
        }
      ),
      { numRuns: 2000 }
    )
  })
})
