import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { staticPrefix, walkFiles } from './walk.js'

function tree(files: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'walk-'))
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true })
    writeFileSync(path.join(root, f), 'x')
  }
  return root
}

describe('walkFiles', () => {
  it('lists regular files sorted, skipping .git and node_modules, following no link', () => {
    const root = tree(['b/x.yaml', 'a.yaml', '.git/config', 'node_modules/m/i.js', 'c/.hidden'])
    const outside = tree(['secret.yaml'])
    symlinkSync(path.join(outside, 'secret.yaml'), path.join(root, 'b', 'link.yaml'))
    symlinkSync(outside, path.join(root, 'linked-dir'))
    const links: string[] = []
    expect(walkFiles(root, { inputName: 'paths', onSymlink: f => links.push(f) })).toEqual([
      'a.yaml',
      'b/x.yaml',
      'c/.hidden'
    ])
    expect(links.sort()).toEqual(['b/link.yaml', 'linked-dir'])
  })

  it('does not start a walk below a directory link, wherever it points', () => {
    const root = tree(['real/r.sarif'])
    const outside = tree(['stolen.sarif'])
    symlinkSync(outside, path.join(root, 'secure-pipeline'))
    symlinkSync(path.join(root, 'real'), path.join(root, 'alias'))
    const links: string[] = []
    expect(
      walkFiles(root, { start: 'secure-pipeline', inputName: 'reports', onSymlink: f => links.push(f) })
    ).toEqual([])
    expect(walkFiles(root, { start: 'alias', inputName: 'reports' })).toEqual([])
    expect(walkFiles(root, { start: 'real', inputName: 'reports' })).toEqual(['real/r.sarif'])
    expect(links).toEqual(['secure-pipeline'])
  })

  it('stops with an error naming the input past the entry cap', () => {
    const root = tree(['a', 'b', 'c', 'd'])
    expect(() => walkFiles(root, { inputName: 'paths', maxEntries: 3 })).toThrow(
      /over 3 entries.*narrow 'paths'/
    )
  })

  it('walks only below the fixed part of a glob', () => {
    expect(staticPrefix('secure-pipeline/*.sarif')).toBe('secure-pipeline')
    expect(staticPrefix('deploy/k8s/**/*.yaml')).toBe('deploy/k8s')
    expect(staticPrefix('**/*.yaml')).toBe('')
    expect(staticPrefix('a/{b,c}/d.yaml')).toBe('a')
  })
})
