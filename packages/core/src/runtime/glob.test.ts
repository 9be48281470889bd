import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { selectFiles } from './glob.js'

function tree(files: string[]): string {
  const root = mkdtempSync(path.join(tmpdir(), 'glob-'))
  for (const f of files) {
    mkdirSync(path.dirname(path.join(root, f)), { recursive: true })
    writeFileSync(path.join(root, f), '{}')
  }
  return root
}

describe('selectFiles', () => {
  it('unions positive patterns, removes negated ones and reports patterns that matched nothing', () => {
    const root = tree([
      'sp/a.sarif',
      'sp/b.sarif',
      'sp/gate/evidence.json',
      'other/c.json',
      'node_modules/x/d.sarif'
    ])
    const { files, unmatched } = selectFiles(root, [
      'sp/*.sarif',
      'other/**/*.json',
      '!sp/b.sarif',
      'missing/*.sarif'
    ])
    expect(files).toEqual(['other/c.json', 'sp/a.sarif'])
    expect(unmatched).toEqual(['missing/*.sarif'])
    expect(selectFiles(root, ['**/*.sarif']).files).toEqual(['sp/a.sarif', 'sp/b.sarif'])
  })

  it.each(['../outside/*.sarif', '/etc/*', 'sp/../../x', '!../y'])(
    'refuses %s, which leaves the workspace',
    pattern => {
      expect(() => selectFiles(tree([]), [pattern])).toThrow(ConfigurationError)
      expect(() => selectFiles(tree([]), [pattern])).toThrow(/leaves the workspace/)
    }
  )

  it('does not follow a symlink out of the workspace', () => {
    const outside = tree(['secret.sarif'])
    const root = tree(['sp/a.sarif'])
    symlinkSync(outside, path.join(root, 'sp', 'link'))
    expect(selectFiles(root, ['sp/**/*.sarif']).files).toEqual(['sp/a.sarif'])
  })
})
