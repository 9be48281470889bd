import { describe, expect, it } from '@jest/globals'
import { declarationLine, declarationLines } from './declaration-line.js'

describe('declarationLine', () => {
  it('prefers the package-lock entry over the root dependency list', () => {
    const lock = [
      '{',
      '  "packages": {',
      '    "": {',
      '      "dependencies": {',
      '        "lodash": "4.17.11"',
      '      }',
      '    },',
      '    "node_modules/lodash": {',
      '      "version": "4.17.11"',
      '    },',
      '    "node_modules/lodash.set": {',
      '      "version": "4.17.11"',
      '    }',
      '  }',
      '}'
    ].join('\n')
    expect(declarationLine(lock, { ecosystem: 'npm', name: 'lodash', version: '4.17.11' })).toBe(8)
    expect(declarationLine(lock, { ecosystem: 'npm', name: 'lodash.set', version: '4.17.11' })).toBe(11)
  })
  it('matches PyPI names as PEP 503 does (case, - _ .) in requirements files', () => {
    const text = '# deps\nPyYAML==5.3.1\nrequests[security] >= 2.8.1\n'
    expect(declarationLine(text, { ecosystem: 'PyPI', name: 'pyyaml', version: '5.3.1' })).toBe(2)
    expect(declarationLine(text, { ecosystem: 'PyPI', name: 'requests' })).toBe(3)
  })
  it('picks the require line with the installed version in a go.mod, and the artifactId in a pom.xml', () => {
    expect(
      declarationLine('require (\n\tgolang.org/x/net v1.2.3\n\tgolang.org/x/net v0.5.6\n)\n', {
        ecosystem: 'Go',
        name: 'golang.org/x/net',
        version: '0.5.6'
      })
    ).toBe(3)
    const pom =
      '<dependency>\n  <groupId>org.apache.logging.log4j</groupId>\n  <artifactId>log4j-core</artifactId>\n  <version>2.14.1</version>\n</dependency>\n'
    expect(
      declarationLine(pom, {
        ecosystem: 'Maven',
        name: 'org.apache.logging.log4j:log4j-core',
        version: '2.14.1'
      })
    ).toBe(3)
  })
  it('finds nothing for a package the text does not name', () => {
    expect(
      declarationLine('lodash-es@4.17.21:\n  version "4.17.21"\n', {
        ecosystem: 'npm',
        name: 'lodash',
        version: '4.17.21'
      })
    ).toBeUndefined()
  })

  it("takes a NuGet package's own entry, not another package's dependency naming the same version", () => {
    const lock = [
      '{',
      '  "version": 1,',
      '  "dependencies": {',
      '    "net8.0": {',
      '      "Serilog": {',
      '        "type": "Direct",',
      '        "resolved": "3.1.1"',
      '      },',
      '      "Serilog.Sinks.Console": {',
      '        "resolved": "5.0.1",',
      '        "dependencies": {',
      '          "Serilog": "3.1.1"',
      '        }',
      '      }',
      '    }',
      '  }',
      '}'
    ].join('\n')
    expect(declarationLine(lock, { ecosystem: 'NuGet', name: 'Serilog', version: '3.1.1' })).toBe(5)
    expect(
      declarationLine(lock, { ecosystem: 'NuGet', name: 'Serilog.Sinks.Console', version: '5.0.1' })
    ).toBe(9)
  })

  it('finds a short name only as a whole word of a large lockfile', () => {
    const lock = ['items:', '  - terms: 1', '  ms@2.1.3:', '    version "2.1.3"'].join('\n')
    expect(declarationLine(lock, { ecosystem: 'npm', name: 'ms', version: '2.1.3' })).toBe(3)
  })
})

describe('declarationLines on a lockfile of many entries sharing a name part', () => {
  const count = 20_000
  const lock = ['{', '  "packages": {']
  for (let i = 0; i < count; i++)
    lock.push(`    "node_modules/shared-name-${i}": {`, '      "version": "1.0.0"', '    },')
  lock.push('  }', '}')
  const text = lock.join('\n')

  it('finds each one from its rarest part', () => {
    const line = declarationLines(text)
    // Entry i opens on line 3 + 3i.
    expect(line({ ecosystem: 'npm', name: 'shared-name-0', version: '1.0.0' })).toBe(3)
    expect(line({ ecosystem: 'npm', name: 'shared-name-19999', version: '1.0.0' })).toBe(60_000)
  })

  it('stops looking past its budget of candidate lines: a later package gets no line', () => {
    const line = declarationLines(text.replace(/shared-name-\d+/g, 'shared-name'), 100)
    expect(line({ ecosystem: 'npm', name: 'shared-name', version: '1.0.0' })).toBe(3)
    expect(line({ ecosystem: 'npm', name: 'shared-name', version: '1.0.0' })).toBeUndefined()
  })
})
