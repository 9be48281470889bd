import { describe, expect, it } from '@jest/globals'
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import {
  openOutputFile,
  prepareOutputFile,
  removeLeftoverOutput,
  removeLinksUnder,
  resolveOutputDirectory,
  resolveOutputFile,
  writeOutputFile
} from './output-files.js'

function setUp() {
  const base = mkdtempSync(path.join(tmpdir(), 'out-files-'))
  const workspace = path.join(base, 'ws')
  const outside = path.join(base, 'outside')
  mkdirSync(workspace)
  mkdirSync(outside)
  return { workspace, outside }
}

describe('output files', () => {
  it('takes a name that only starts with two dots as inside the workspace, and `..` itself as outside', () => {
    const { workspace } = setUp()
    const dir = resolveOutputDirectory('output-dir', '..reports/gate', workspace)
    expect(dir).toBe(path.join(workspace, '..reports', 'gate'))
    writeOutputFile(workspace, path.join(dir, 'evidence.json'), '{}')
    expect(readFileSync(path.join(workspace, '..reports', 'gate', 'evidence.json'), 'utf8')).toBe('{}')
    expect(resolveOutputFile('sarif-file', '..sca.sarif', workspace)).toBe(
      path.join(workspace, '..sca.sarif')
    )
    for (const outside of ['..', '../x', 'a/../../x'])
      expect(() => resolveOutputDirectory('output-dir', outside, workspace)).toThrow(
        `Input 'output-dir' (${outside}) points outside the workspace`
      )
  })

  it('removes every link under an output directory, at any depth, and leaves their targets and files alone', () => {
    const { workspace, outside } = setUp()
    writeFileSync(path.join(outside, 'secret'), 'runner file')
    const gate = path.join(workspace, 'secure-pipeline', 'gate')
    mkdirSync(path.join(gate, 'node_modules', 'deep'), { recursive: true })
    writeFileSync(path.join(gate, 'notes.txt'), 'kept')
    symlinkSync('/proc/self/environ', path.join(gate, 'env'))
    symlinkSync(outside, path.join(gate, 'node_modules', 'dir'))
    symlinkSync(path.join(outside, 'secret'), path.join(gate, 'node_modules', 'deep', 'secret'))
    expect(removeLinksUnder(workspace, gate, 'output-dir').sort()).toEqual([
      'secure-pipeline/gate/env',
      'secure-pipeline/gate/node_modules/deep/secret',
      'secure-pipeline/gate/node_modules/dir'
    ])
    expect(existsSync(path.join(gate, 'env'))).toBe(false)
    expect(existsSync(path.join(gate, 'node_modules', 'dir'))).toBe(false)
    expect(readFileSync(path.join(outside, 'secret'), 'utf8')).toBe('runner file')
    expect(readFileSync(path.join(gate, 'notes.txt'), 'utf8')).toBe('kept')
  })

  it('removes no link of the repository when the output directory is the workspace itself', () => {
    const { workspace, outside } = setUp()
    symlinkSync(outside, path.join(workspace, 'docs'))
    expect(removeLinksUnder(workspace, workspace, 'output-dir')).toEqual([])
    expect(lstatSync(path.join(workspace, 'docs')).isSymbolicLink()).toBe(true)
  })

  it('writes through no link planted at the file: the link is removed, the target untouched', () => {
    const { workspace, outside } = setUp()
    const victim = path.join(outside, 'victim')
    writeFileSync(victim, 'precious')
    mkdirSync(path.join(workspace, 'secure-pipeline'))
    symlinkSync(victim, path.join(workspace, 'secure-pipeline', 'sast.sarif'))
    writeOutputFile(workspace, path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'ours')
    expect(readFileSync(victim, 'utf8')).toBe('precious')
    expect(lstatSync(path.join(workspace, 'secure-pipeline', 'sast.sarif')).isSymbolicLink()).toBe(false)
    expect(readFileSync(path.join(workspace, 'secure-pipeline', 'sast.sarif'), 'utf8')).toBe('ours')
  })

  it('removes a dangling link too, and refuses a link that appears after preparation', () => {
    const { workspace, outside } = setUp()
    const file = path.join(workspace, 'evidence.json')
    symlinkSync(path.join(outside, 'not-yet'), file)
    prepareOutputFile(workspace, file)
    expect(existsSync(file) || isLink(file)).toBe(false)
    symlinkSync(path.join(outside, 'not-yet'), file)
    expect(() => openOutputFile(file)).toThrow(/symbolic link; refusing to write through it/)
    expect(existsSync(path.join(outside, 'not-yet'))).toBe(false)
  })

  it('refuses a directory link on the way, even one that points inside the workspace', () => {
    const { workspace, outside } = setUp()
    symlinkSync(outside, path.join(workspace, 'secure-pipeline'))
    expect(() => writeOutputFile(workspace, path.join(workspace, 'secure-pipeline', 'x.sarif'), 'x')).toThrow(
      /secure-pipeline is a symbolic link/
    )
    mkdirSync(path.join(workspace, 'real'))
    symlinkSync(path.join(workspace, 'real'), path.join(workspace, 'alias'))
    expect(() => writeOutputFile(workspace, path.join(workspace, 'alias', 'x'), 'x')).toThrow(/symbolic link/)
    expect(existsSync(path.join(outside, 'x.sarif'))).toBe(false)
  })

  it('removes a stale committed output at once, and refuses paths outside the workspace', () => {
    const { workspace } = setUp()
    const file = path.join(workspace, 'secure-pipeline', 'gate', 'evidence.json')
    mkdirSync(path.dirname(file), { recursive: true })
    writeFileSync(file, '{"verdict":"pass"}')
    prepareOutputFile(workspace, file)
    expect(existsSync(file)).toBe(false)
    expect(() => prepareOutputFile(workspace, path.join(workspace, '..', 'x'))).toThrow(/not a file inside/)
    mkdirSync(path.join(workspace, 'dir.sarif'))
    expect(() => prepareOutputFile(workspace, path.join(workspace, 'dir.sarif'))).toThrow(/is a directory/)
  })

  it('removes a leftover file or link, leaves what is under a linked directory, refuses a directory', () => {
    const { workspace, outside } = setUp()
    const file = path.join(workspace, 'secure-pipeline', 'gate-summary.md')
    removeLeftoverOutput(workspace, file)
    expect(existsSync(path.dirname(file))).toBe(false)
    mkdirSync(path.dirname(file))
    writeFileSync(file, 'forged')
    removeLeftoverOutput(workspace, file)
    expect(existsSync(file)).toBe(false)
    symlinkSync(path.join(outside, 'summary.md'), file)
    removeLeftoverOutput(workspace, file)
    expect(isLink(file)).toBe(false)
    mkdirSync(file)
    expect(() => removeLeftoverOutput(workspace, file)).toThrow(/is a directory/)
    const linked = path.join(workspace, 'linked')
    writeFileSync(path.join(outside, 'gate-summary.md'), 'not ours')
    symlinkSync(outside, linked)
    removeLeftoverOutput(workspace, path.join(linked, 'gate-summary.md'))
    expect(readFileSync(path.join(outside, 'gate-summary.md'), 'utf8')).toBe('not ours')
  })
})

function isLink(file: string): boolean {
  try {
    return lstatSync(file).isSymbolicLink()
  } catch {
    return false
  }
}
