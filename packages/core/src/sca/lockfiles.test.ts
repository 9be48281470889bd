import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { dependencyFileEcosystem, discoverLockfiles, parseAsName } from './lockfiles.js'

describe('dependency files', () => {
  it('knows the files osv-scanner 2.6.0 reads, by name', () => {
    expect(dependencyFileEcosystem('a/package-lock.json')).toBe('npm')
    expect(dependencyFileEcosystem('dev-requirements.txt')).toBe('PyPI')
    expect(dependencyFileEcosystem('gradle/verification-metadata.xml')).toBe('Maven')
    expect(dependencyFileEcosystem('src/App.csproj')).toBe('NuGet')
    expect(dependencyFileEcosystem('package.json')).toBeUndefined()
    expect(dependencyFileEcosystem('notes.txt')).toBeUndefined()
  })
  it('names the extractor for --lockfile so a colon in the path is never read as one', () => {
    expect(parseAsName('x:y/requirements-dev.txt')).toBe('requirements.txt')
    expect(parseAsName('npm-shrinkwrap.json')).toBe('package-lock.json')
    expect(parseAsName('Package.resolved')).toBeUndefined()
  })
  it('finds them and the manifests under path with include/exclude, skipping node_modules and reporting links', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'lockfiles-'))
    writeFiles(root, {
      'web/package-lock.json': '{}',
      'web/package.json': '{}',
      'web/node_modules/x/package-lock.json': '{}',
      'web/node_modules/x/package.json': '{}',
      'test/fixtures/Cargo.toml': '',
      'api/requirements.txt': 'a==1\n',
      'test/fixtures/go.mod': 'module x\n',
      'test/fixtures/go.work': 'go 1.22\n',
      'svc/go.work': 'go 1.22\n',
      'svc/go.work.sum': '',
      'README.md': '# x\n'
    })
    symlinkSync('/etc/hostname', path.join(root, 'api', 'poetry.lock'))
    symlinkSync('/etc/hostname', path.join(root, 'api', 'pyproject.toml'))
    symlinkSync('/etc/hostname', path.join(root, 'api', 'go.work'))
    const names = { include: 'include', exclude: 'exclude', path: 'path' }
    expect(discoverLockfiles(root, { scanPath: '.', include: [], exclude: ['test/**'] }, names)).toEqual({
      files: ['api/requirements.txt', 'web/package-lock.json'],
      links: ['api/go.work', 'api/poetry.lock'],
      manifests: ['web/package.json'],
      manifestLinks: ['api/pyproject.toml'],
      goWorkspaces: ['svc/go.work']
    })
    expect(discoverLockfiles(root, { scanPath: 'web', include: [], exclude: [] }, names).files).toEqual([
      'web/package-lock.json'
    ])
    expect(
      discoverLockfiles(root, { scanPath: '.', include: ['**/*.txt'], exclude: [] }, names).files
    ).toEqual(['api/requirements.txt'])
    expect(
      discoverLockfiles(root, { scanPath: '.', include: ['**/*.txt'], exclude: [] }, names).goWorkspaces
    ).toEqual([])
    expect(() => discoverLockfiles(root, { scanPath: '.', include: ['../**'], exclude: [] }, names)).toThrow(
      /Input 'include'/
    )
  })
})
