import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { resolveUserConfigs } from './configs.js'
import { SemgrepEngine } from './engine.js'
import { stubEngine } from './test-helpers.js'

function workspace(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sast-cfg-'))
  mkdirSync(path.join(dir, '.semgrep'))
  writeFileSync(
    path.join(dir, '.semgrep', 'ours.yaml'),
    'rules:\n  - id: ours\n    languages: [go]\n    severity: INFO\n    message: m\n    pattern: foo()\n'
  )
  writeFileSync(
    path.join(dir, 'single.yml'),
    'rules:\n  - id: single\n    languages: [java]\n    severity: INFO\n    message: m\n    pattern: foo()\n'
  )
  return dir
}

describe('resolveUserConfigs', () => {
  it('resolves local rule directories and files inside the workspace and reads their languages', () => {
    const ws = workspace()
    const out = resolveUserConfigs(['.semgrep/', 'single.yml'], ws)
    expect(out.configs).toEqual([path.join(ws, '.semgrep'), path.join(ws, 'single.yml')])
    expect(out.registry).toEqual([])
    expect(out.languages).toEqual(['go', 'java'])
  })

  it('passes registry configs through only as named, and then cannot know their languages', () => {
    const out = resolveUserConfigs(
      ['p/default', 'r/python.lang.security', 'https://example.com/rules.yaml'],
      workspace()
    )
    expect(out.registry).toEqual(['p/default', 'r/python.lang.security', 'https://example.com/rules.yaml'])
    expect(out.languages).toBeUndefined()
  })

  it('refuses paths outside the workspace, missing paths and plain http', () => {
    const ws = workspace()
    expect(() => resolveUserConfigs(['../other'], ws)).toThrow(ConfigurationError)
    expect(() => resolveUserConfigs(['nope.yaml'], ws)).toThrow(/does not exist in the workspace/)
    expect(() => resolveUserConfigs(['http://example.com/r.yaml'], ws)).toThrow(/plain http/)
  })
})

describe('opengrep engine', () => {
  it('uses a pre-provisioned opengrep binary through the pinned-tool installer', async () => {
    const stub = stubEngine('echo "1.30.0"')
    const engine = await SemgrepEngine.create({
      engine: 'opengrep',
      binaryPath: stub,
      logger: memoryLogger(),
      env: {}
    })
    expect(engine.engine).toBe('opengrep')
    expect(await engine.version(tmpdir())).toBe('1.30.0')
  })
})
