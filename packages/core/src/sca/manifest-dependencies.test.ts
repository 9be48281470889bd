import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import { MANIFEST_NAMES } from './lockfiles.js'
import { MANIFEST_CHARS, readManifest, tomlEntries } from './manifest-dependencies.js'

const kind = (name: Parameters<typeof readManifest>[0], text: string | undefined) =>
  readManifest(name, text).kind

describe('readManifest: whether a manifest declares dependencies', () => {
  it('package.json: any dependency field with an entry; scripts alone declare none', () => {
    expect(kind('package.json', '{"dependencies":{"lodash":"^4.17.0"}}')).toBe('declares')
    expect(kind('package.json', '{"devDependencies":{"jest":"30"}}')).toBe('declares')
    expect(kind('package.json', '\ufeff{"peerDependencies":{"react":"*"}}')).toBe('declares')
    expect(kind('package.json', '{"name":"tools","scripts":{"lint":"eslint ."},"dependencies":{}}')).toBe(
      'none'
    )
  })
  it('composer.json: only vendor/name packages count, not php or extensions', () => {
    expect(kind('composer.json', '{"require":{"php":">=8.1","ext-json":"*"}}')).toBe('none')
    expect(kind('composer.json', '{"require-dev":{"phpunit/phpunit":"^10"}}')).toBe('declares')
  })
  it('Cargo.toml: dependency tables with an entry, in any form', () => {
    expect(kind('Cargo.toml', '[package]\nname = "x"\nversion = "0.1.0"\n\n[dependencies]\n')).toBe('none')
    expect(kind('Cargo.toml', '[package]\nname = "x"\n[dependencies]\nserde = "1"\n')).toBe('declares')
    expect(kind('Cargo.toml', '[dependencies.serde]\nversion = "1"\n')).toBe('declares')
    expect(kind('Cargo.toml', '[target.\'cfg(unix)\'.dev-dependencies]\nlibc = "0.2"\n')).toBe('declares')
    expect(kind('Cargo.toml', 'dependencies = { serde = "1" }\n')).toBe('declares')
    // A virtual workspace only offers versions to its members, which are manifests of their own.
    expect(kind('Cargo.toml', '[workspace]\nmembers = ["a"]\n[workspace.dependencies]\nserde = "1"\n')).toBe(
      'none'
    )
  })
  it('pyproject.toml: PEP 621, PEP 735, Poetry and PDM; build requirements and Poetry’s python are none', () => {
    const none =
      '[build-system]\nrequires = ["hatchling"]\n\n[project]\nname = "x"\ndependencies = [\n  # none yet\n]\n'
    expect(readManifest('pyproject.toml', none)).toEqual({ kind: 'none' })
    expect(readManifest('pyproject.toml', '[tool.poetry.dependencies]\npython = "^3.11"\n')).toEqual({
      kind: 'none'
    })
    expect(readManifest('pyproject.toml', '[project]\ndependencies = [\n  "flask>=2[async]",\n]\n')).toEqual({
      kind: 'declares'
    })
    expect(
      readManifest(
        'pyproject.toml',
        '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.11"\nrequests = "^2"\n'
      )
    ).toEqual({ kind: 'declares', tool: 'poetry' })
    expect(readManifest('pyproject.toml', '[dependency-groups]\ndev = ["pytest"]\n[tool.pdm]\n')).toEqual({
      kind: 'declares',
      tool: 'pdm'
    })
  })
  it('Pipfile: a package category with an entry', () => {
    expect(
      kind(
        'Pipfile',
        '[[source]]\nurl = "https://pypi.org/simple"\n[packages]\n[requires]\npython_version = "3.12"\n'
      )
    ).toBe('none')
    expect(kind('Pipfile', "[dev-packages]\npytest = '*'\n")).toBe('declares')
  })
  it('the files that are programs: the calls that declare a dependency, not comments', () => {
    expect(kind('Gemfile', "source 'https://rubygems.org'\n# gem 'rails'\n")).toBe('none')
    expect(kind('Gemfile', "source 'https://rubygems.org'\n  gem 'rails', '~> 7.1'\n")).toBe('declares')
    expect(kind('Gemfile', 'gemspec\n')).toBe('declares')
    expect(kind('build.gradle', 'plugins { id "java" }\ndependencies {\n  // none\n}\n')).toBe('none')
    expect(
      kind('build.gradle.kts', 'dependencies {\n  implementation("com.google.guava:guava:33.0.0-jre")\n}\n')
    ).toBe('declares')
    const mixNew =
      'defmodule X.MixProject do\n  defp deps do\n    [\n      # {:dep_from_hexpm, "~> 0.3.0"},\n    ]\n  end\nend\n'
    expect(kind('mix.exs', mixNew)).toBe('none')
    expect(kind('mix.exs', mixNew.replace('# {:dep', '{:dep'))).toBe('declares')
    expect(
      kind(
        'Package.swift',
        'let package = Package(\n  dependencies: [\n    // .package(url: "https://x", from: "1.0.0"),\n  ]\n)\n'
      )
    ).toBe('none')
    expect(
      kind(
        'Package.swift',
        'dependencies: [.package(url: "https://github.com/apple/swift-nio", from: "2.0.0")]\n'
      )
    ).toBe('declares')
  })
  it('pubspec.yaml: a top-level dependencies mapping that is not empty', () => {
    expect(kind('pubspec.yaml', 'name: x\ndependencies:\n\n  # none\ndev_dependencies: {}\n')).toBe('none')
    expect(kind('pubspec.yaml', 'name: x\ndependencies:\n  # http\n  http: ^1.2.0\n')).toBe('declares')
  })
})

describe('readManifest on what a pull request can write', () => {
  it('reports garbage as unreadable, never throws', () => {
    expect(readManifest('package.json', '{"dependencies": {')).toEqual({
      kind: 'unreadable',
      why: 'it is not valid JSON'
    })
    expect(readManifest('package.json', '["lodash"]')).toEqual({
      kind: 'unreadable',
      why: 'it is not a JSON object'
    })
    expect(readManifest('Cargo.toml', '[dependencies\nserde = "1"\n')).toEqual({
      kind: 'unreadable',
      why: 'it is not valid TOML: a header that does not end on line 1'
    })
    expect(readManifest('pyproject.toml', '[project]\ndependencies = ["flask",\n')).toMatchObject({
      kind: 'unreadable',
      why: expect.stringContaining('an array or table that does not end')
    })
    expect(readManifest('Pipfile', '[packages]\nflask = "*\n')).toMatchObject({ kind: 'unreadable' })
    expect(readManifest('Gemfile', "gem 'x'\0")).toEqual({ kind: 'unreadable', why: 'it holds a NUL byte' })
    expect(readManifest('mix.exs', undefined)).toEqual({
      kind: 'unreadable',
      why: 'the file could not be read'
    })
  })
  it('refuses a huge manifest unread, and reads pathological ones in linear time', () => {
    const huge = `{"name":"x","pad":"${'a'.repeat(MANIFEST_CHARS)}"}`
    expect(readManifest('package.json', huge)).toEqual({ kind: 'unreadable', why: 'it is over 1 MiB' })
    const started = Date.now()
    const size = MANIFEST_CHARS - 16
    expect(kind('Cargo.toml', '['.repeat(size))).toBe('unreadable')
    expect(kind('pyproject.toml', `x = ${'['.repeat(size)}`)).toBe('unreadable')
    expect(kind('Pipfile', 'a.'.repeat(size / 2))).toBe('unreadable')
    expect(kind('package.json', '['.repeat(size))).toBe('unreadable')
    expect(kind('pubspec.yaml', 'dependencies:\n'.repeat(size / 14))).toBe('none')
    expect(kind('build.gradle', 'dependencies '.repeat(size / 13))).toBe('none')
    expect(kind('Gemfile', ' '.repeat(size))).toBe('none')
    expect(Date.now() - started).toBeLessThan(5_000)
  })
  it('never throws, whatever the text', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...MANIFEST_NAMES),
        fc.string({ unit: 'binary', maxLength: 200 }),
        (name, text) => {
          expect(['none', 'declares', 'unreadable']).toContain(readManifest(name, text).kind)
        }
      ),
      { numRuns: 2000 }
    )
    fc.assert(
      fc.property(
        fc.array(
          fc.constantFrom(
            '[',
            ']',
            '[[',
            '{',
            '}',
            '"',
            "'",
            '"""',
            '=',
            '.',
            '#',
            '\n',
            'a',
            ' ',
            '\\',
            ','
          ),
          {
            maxLength: 60
          }
        ),
        parts => {
          expect(['none', 'declares', 'unreadable']).toContain(
            readManifest('pyproject.toml', parts.join('')).kind
          )
        }
      ),
      { numRuns: 2000 }
    )
  })
})

describe('tomlEntries', () => {
  it('gives each key its full path and the start of its value', () => {
    expect(
      tomlEntries(
        '# c\n[tool."poetry".dependencies]\npython = "^3.11" # c\n"my.pkg" = { version = "1" }\n[[tool.x]]\na.b = [\n  """m\n"""\n]\n'
      )
    ).toEqual([
      { path: ['tool', 'poetry', 'dependencies'], value: 'table', strings: [] },
      { path: ['tool', 'poetry', 'dependencies', 'python'], value: '"s"', strings: ['^3.11'] },
      { path: ['tool', 'poetry', 'dependencies', 'my.pkg'], value: '{version="s"}', strings: ['1'] },
      { path: ['tool', 'x'], value: 'table', strings: [] },
      { path: ['tool', 'x', 'a', 'b'], value: '["s"]', strings: ['m\n'] }
    ])
  })
})
