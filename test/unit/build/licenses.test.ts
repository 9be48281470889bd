import { afterAll, describe, expect, it } from '@jest/globals'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { bundledPackages, licensesText } from '../../../scripts/licenses.mjs'
import { REPO_ROOT } from '../../support/repo-root.js'

const root = mkdtempSync(path.join(tmpdir(), 'licenses-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

function write(file: string, text: string): string {
  const full = path.join(root, file)
  mkdirSync(path.dirname(full), { recursive: true })
  writeFileSync(full, text)
  return full
}

describe('the notices of the bundled packages', () => {
  it('lists each package a module comes from once, nested copies too, with its license file', () => {
    write('node_modules/zeta/package.json', '{"name":"zeta","version":"1.0.0","license":"MIT"}')
    write('node_modules/zeta/LICENSE', 'MIT text of zeta\n')
    // A build folder with its own package.json but no name belongs to the package above it.
    write('node_modules/zeta/dist/cjs/package.json', '{"type":"commonjs"}')
    write(
      'node_modules/@scope/alpha/package.json',
      '{"name":"@scope/alpha","version":"2.0.0","license":"ISC"}'
    )
    write(
      'node_modules/zeta/node_modules/@scope/alpha/package.json',
      '{"name":"@scope/alpha","version":"1.0.0"}'
    )
    write('node_modules/zeta/node_modules/@scope/alpha/license.md', 'old alpha text')
    // The repository's own packages are not third-party: their modules are bundled, not listed.
    write('packages/own/package.json', '{"name":"@repo/own","version":"0.1.0"}')
    const files = [
      write('packages/own/src/index.js', ''),
      write('node_modules/zeta/dist/cjs/index.js', ''),
      write('node_modules/zeta/lib/other.js', ''),
      write('node_modules/@scope/alpha/index.js', ''),
      write('node_modules/zeta/node_modules/@scope/alpha/index.js', '')
    ]
    const packages = bundledPackages(files)
    expect(packages.map(p => `${p.name}@${p.version} ${p.license}`)).toEqual([
      '@scope/alpha@1.0.0 UNKNOWN',
      '@scope/alpha@2.0.0 ISC',
      'zeta@1.0.0 MIT'
    ])
    expect(licensesText(packages)).toBe(
      '@scope/alpha\nUNKNOWN\nold alpha text\n\n\n' +
        '@scope/alpha\nISC\n\n\n' +
        'zeta\nMIT\nMIT text of zeta\n\n\n'
    )
  })

  // ncc's own file kept one chunk's packages: k8s-policy's lacked yaml, metrics' zod (no longer used).
  it.each([
    ['yaml', 'YAMLParseError'],
    ['semver', 'SEMVER_SPEC_VERSION'],
    ['@octokit/rest', 'octokit-rest.js'],
    ['bottleneck', 'Bottleneck']
  ])('every committed bundle that holds %s lists it in licenses.txt', (name, marker) => {
    const dist = path.join(REPO_ROOT, 'dist')
    if (!existsSync(dist)) return
    const holding = readdirSync(dist).filter(action =>
      readdirSync(path.join(dist, action))
        .filter(file => file.endsWith('.js'))
        .some(file => readFileSync(path.join(dist, action, file), 'utf8').includes(marker))
    )
    expect(holding.length).toBeGreaterThan(0)
    for (const action of holding)
      expect(readFileSync(path.join(dist, action, 'licenses.txt'), 'utf8').split('\n')).toContain(name)
  })
})
