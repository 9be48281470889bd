import { describe, expect, it } from '@jest/globals'
import type { LockfileText } from './enrich.js'
import type { ScannedPackage } from './model.js'
import { directReferenceFindings, directRequirements, versionUnknownFindings } from './version-findings.js'

const pkg = (lockfile: string, ecosystem: string, name: string, extra: Partial<ScannedPackage> = {}) => ({
  lockfile,
  ecosystem,
  name,
  licenses: [],
  ...extra
})

/** Lines by name, as a lockfile would declare them; 0 for one it does not find. */
const text = (lines: Record<string, number>): LockfileText => ({
  text: () => '',
  line: (_file, p) => lines[p.name] || undefined
})

describe('versionUnknownFindings', () => {
  it('reports each package no entry of its file gives a version or a commit, once', () => {
    const findings = versionUnknownFindings(
      [
        pkg('api/requirements.txt', 'PyPI', 'flask'),
        pkg('api/requirements.txt', 'PyPI', 'flask'),
        pkg('api/requirements.txt', 'PyPI', 'requests', { version: '2.25.0' }),
        pkg('java/pom.xml', 'Maven', 'org.example:managed'),
        pkg('web/package-lock.json', 'GIT', 'https://github.com/getsentry/raven-js', { commit: 'c2b377e' }),
        pkg('web/package-lock.json', 'npm', 'a'),
        pkg('web/package-lock.json', 'npm', 'a', { version: '1.0.0' }),
        pkg('rust/Cargo.lock', 'crates.io', 'serde')
      ],
      text({ flask: 3, 'org.example:managed': 12 })
    )
    expect(
      findings.map(f => `${f.package?.name} ${f.location?.path}:${f.location?.startLine ?? '-'}`)
    ).toEqual([
      'flask api/requirements.txt:3',
      'org.example:managed java/pom.xml:12',
      'serde rust/Cargo.lock:-'
    ])
    expect(findings.map(f => [f.ruleId, f.severity, f.kind, f.tags])).toEqual(
      Array(3).fill(['dependency-version-unknown', 'medium', 'dependency', ['dependency-version']])
    )
    expect(findings[1]!.message).toBe(
      "org.example:managed has no exact version in java/pom.xml, so no advisory was checked against it. Declare its version in this POM's own dependencies, or through a property it defines: the scan does not resolve a version from a parent POM or an imported BOM, and reads no profile's dependencies."
    )
    expect(findings[2]!.message).toContain(
      'The file records it from an archive URL, a local source or a range: depend on one released version'
    )
  })

  it("says a POM dependency named through a parent's property is unidentified, not unversioned", () => {
    const [groupFromParent, managed] = versionUnknownFindings(
      [
        pkg('java/pom.xml', 'Maven', '${shared.group}:log4j-core'),
        pkg('java/pom.xml', 'Maven', 'org.example:managed')
      ],
      text({ '${shared.group}:log4j-core': 9, 'org.example:managed': 12 })
    )
    expect(groupFromParent!.message).toBe(
      "${shared.group}:log4j-core names its group or artifact id in java/pom.xml through a property this POM does not define (a parent POM's, which the scan does not read): the package is unidentified, so no advisory was checked against it. Write its groupId and artifactId out in this POM, or define the property here."
    )
    expect(managed!.message).toMatch(
      /^org\.example:managed has no exact version in java\/pom\.xml, .* Declare its version in this POM/
    )
  })

  it('keeps one name in two files apart, and the same package at another line gets the same fingerprint', () => {
    const twoFiles = versionUnknownFindings(
      [
        pkg('a/requirements.txt', 'PyPI', 'flask'),
        pkg('b/requirements.txt', 'PyPI', 'flask', { version: '3.0.0' })
      ],
      text({})
    )
    expect(twoFiles.map(f => f.location?.path)).toEqual(['a/requirements.txt'])
    // A line moved by an edit above it is the same finding: the baseline and the change's split hold.
    const at = (name: string, line: number) =>
      versionUnknownFindings([pkg('a/requirements.txt', 'PyPI', name)], text({ [name]: line }))[0]!
        .fingerprint
    expect(at('flask', 3)).toBe(at('flask', 9))
    expect(at('flask', 3)).not.toBe(at('jinja2', 3))
  })
})

describe('versionUnknownFindings leaves out the project’s own code', () => {
  const files: Record<string, string> = {
    // npm 10 for a workspace `b` and a `file:../local-lib` whose package.json have no version.
    'web/package-lock.json': JSON.stringify({
      name: 'mono',
      lockfileVersion: 3,
      packages: {
        '': { name: 'mono', workspaces: ['packages/*'], dependencies: { 'local-lib': 'file:../local-lib' } },
        '../local-lib': {},
        'node_modules/b': { resolved: 'packages/b', link: true },
        'node_modules/local-lib': { resolved: '../local-lib', link: true },
        'node_modules/urltar': { resolved: 'https://example.com/urltar-1.0.0.tgz' },
        'packages/b': {}
      }
    }),
    'old/package-lock.json': JSON.stringify({
      lockfileVersion: 1,
      dependencies: {
        'local-lib': { version: 'file:../local-lib' },
        vendored: { version: 'file:vendor/vendored-1.0.0.tgz' }
      }
    }),
    // uv 0.13 for a workspace member whose version is dynamic.
    'py/uv.lock': [
      'version = 1',
      '[[package]]',
      'name = "app"',
      'version = "0.1.0"',
      'source = { virtual = "." }',
      'dependencies = [',
      '    { name = "dyn" },',
      ']',
      '',
      '[[package]]',
      'name = "dyn"',
      'source = { editable = "packages/dyn" }',
      ''
    ].join('\n'),
    'py/pylock.toml':
      '[[packages]]\nname = "remote"\narchive = { url = "https://example.com/remote-1.0.tar.gz" }\n',
    'net/packages.lock.json': JSON.stringify({
      version: 1,
      dependencies: { 'net8.0': { 'mycompany.core': { type: 'Project', dependencies: {} } } }
    }),
    'bun/bun.lock': '{\n  "packages": {\n    "local-lib": ["local-lib@file:../local-lib", {}],\n  }\n}\n'
  }
  const lockfiles: LockfileText = { text: file => files[file], line: () => undefined }

  it('skips workspace members, local directories, project references and local go.mod replacements', () => {
    const findings = versionUnknownFindings(
      [
        pkg('web/package-lock.json', 'npm', 'b'),
        pkg('web/package-lock.json', 'npm', 'local-lib'),
        pkg('web/package-lock.json', 'npm', 'urltar'),
        pkg('old/package-lock.json', 'npm', 'local-lib'),
        pkg('old/package-lock.json', 'npm', 'vendored'),
        pkg('py/uv.lock', 'PyPI', 'dyn'),
        pkg('py/pylock.toml', 'PyPI', 'remote'),
        pkg('net/packages.lock.json', 'NuGet', 'MyCompany.Core'),
        pkg('bun/bun.lock', 'npm', 'local-lib'),
        pkg('svc/go.mod', 'Go', '../shared'),
        pkg('svc/go.mod', 'Go', './internal/tools'),
        pkg('api/requirements.txt', 'PyPI', 'flask')
      ],
      lockfiles
    )
    expect(findings.map(f => `${f.location?.path} ${f.package?.name}`)).toEqual([
      'web/package-lock.json urltar',
      'old/package-lock.json vendored',
      'py/pylock.toml remote',
      'api/requirements.txt flask'
    ])
  })
})

describe('directReferenceFindings', () => {
  const files: Record<string, string> = {
    'api/requirements.txt':
      'Remote @ https://example.com/remote-1.0.tar.gz\n-e git+https://github.com/org/bar.git#egg=bar\nflask\n',
    'api/setup-requirements.txt': 'listed @ https://example.com/listed-1.0.tar.gz\n',
    'api/constraints.in': 'ignored @ https://example.com/ignored-1.0.tar.gz\n'
  }
  const lockfiles: LockfileText = { text: file => files[file], line: () => undefined }

  it('reports what only the requirements files name, at their lines, once for a package the engine listed', () => {
    const findings = directReferenceFindings(
      directRequirements(
        Object.keys(files),
        [pkg('api/setup-requirements.txt', 'PyPI', 'listed', { version: '1.0' })],
        lockfiles
      ),
      lockfiles
    )
    expect(
      findings.map(f => `${f.location?.path}:${f.location?.startLine} ${f.package?.name} ${f.ruleId}`)
    ).toEqual([
      'api/requirements.txt:1 Remote dependency-version-unknown',
      'api/requirements.txt:2 bar dependency-version-unknown',
      // As Trivy, which lists no requirement without a version, leaves it.
      'api/requirements.txt:3 flask dependency-version-unknown'
    ])
    expect(findings[1]!.message).toBe(
      'bar is installed from a version control repository (git+https://github.com/org/bar.git) in api/requirements.txt, so no advisory was checked against it. Depend on a released version from the package index (bar==<version>), or waive it with a policy exception that says why.'
    )
  })

  it('tells a name installed from another repository, ref or archive apart, and writes the source in its purl', () => {
    const fingerprintOf = (requirements: string) => {
      const text: LockfileText = { text: () => requirements, line: () => undefined }
      const [finding] = directReferenceFindings(directRequirements(['requirements.txt'], [], text), text)
      return { fingerprint: finding!.fingerprint, purl: finding!.package?.purl }
    }
    const reviewed = fingerprintOf('-e git+https://github.com/org/bar.git@v1.2#egg=bar\n')
    expect(reviewed.purl).toBe('pkg:pypi/bar?vcs_url=git%2Bhttps://github.com/org/bar.git%40v1.2')
    expect(fingerprintOf('# moved\n-e git+https://github.com/org/bar.git@v1.2#egg=bar\n').fingerprint).toBe(
      reviewed.fingerprint
    )
    for (const changed of [
      '-e git+https://github.com/evil/bar.git@v1.2#egg=bar\n',
      '-e git+https://github.com/org/bar.git@0badc0de#egg=bar\n',
      'bar @ https://example.com/bar-1.2.tar.gz\n'
    ])
      expect(fingerprintOf(changed).fingerprint).not.toBe(reviewed.fingerprint)
  })

  it('reports a Pipfile.lock name in both default and develop once', () => {
    const lock = JSON.stringify({ default: { six: { version: '*' } }, develop: { six: { version: '*' } } })
    const text: LockfileText = { text: () => lock, line: () => 3 }
    expect(directReferenceFindings(directRequirements(['Pipfile.lock'], [], text), text)).toHaveLength(1)
  })
})
