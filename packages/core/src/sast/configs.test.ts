import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { resolveUserConfigs } from './configs.js'
import { SemgrepEngine } from './engine.js'
import { stubEngine } from '../../../../test/support/sast.js'

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
  it('resolves local rule directories and files inside the workspace and reads their languages', async () => {
    const ws = workspace()
    const out = await resolveUserConfigs(['.semgrep/', 'single.yml'], ws, 'config')
    expect(out.configs).toEqual([path.join(ws, '.semgrep'), path.join(ws, 'single.yml')])
    expect(out.registry).toEqual([])
    expect(out.languages).toEqual(['go', 'java'])
  })

  it('passes registry configs through only as named, and then cannot know their languages', async () => {
    const out = await resolveUserConfigs(
      ['p/default', 'r/python.lang.security', 'https://example.com/rules.yaml'],
      workspace(),
      'config'
    )
    expect(out.registry).toEqual(['p/default', 'r/python.lang.security', 'https://example.com/rules.yaml'])
    expect(out.languages).toBeUndefined()
  })

  it('refuses paths outside the workspace, missing paths and plain http, naming the caller’s input', async () => {
    const ws = workspace()
    await expect(resolveUserConfigs(['../other'], ws, 'rules')).rejects.toThrow(ConfigurationError)
    await expect(resolveUserConfigs(['nope.yaml'], ws, 'rules')).rejects.toThrow(
      "Input 'rules' entry 'nope.yaml' does not exist in the workspace"
    )
    await expect(resolveUserConfigs(['http://example.com/r.yaml'], ws, 'rules')).rejects.toThrow(/plain http/)
  })
  it('refuses a rule file whose structure would take the YAML parser out of memory, unparsed', async () => {
    const ws = workspace()
    // 1 MB: half a million sequences nested on one line.
    writeFileSync(path.join(ws, '.semgrep', 'ours.yaml'), `rules:\n${'- '.repeat(500_000)}x\n`)
    await expect(resolveUserConfigs(['.semgrep/'], ws, 'config')).rejects.toThrow(
      'ours.yaml: rule file was not parsed: it nests over 200 collections deep; split it'
    )
  })

  it('refuses a rule file that is a link (it could point anywhere on the runner) or is over 10 MiB', async () => {
    const linked = workspace()
    symlinkSync('/etc/hostname', path.join(linked, '.semgrep', 'host.yaml'))
    await expect(resolveUserConfigs(['.semgrep/'], linked, 'config')).rejects.toThrow(
      'host.yaml: rule file is a symbolic link, which could point anywhere on the runner, so it is not read; commit the rules themselves'
    )
    // Also after a registry config, whose rules' languages are unknown: the link is refused all the same.
    await expect(resolveUserConfigs(['p/default', '.semgrep/'], linked, 'config')).rejects.toThrow(
      'host.yaml: rule file is a symbolic link'
    )
    const big = workspace()
    writeFileSync(path.join(big, '.semgrep', 'big.yaml'), `rules: []\n${'#'.repeat(10 * 1024 * 1024)}\n`)
    await expect(resolveUserConfigs(['.semgrep/'], big, 'config')).rejects.toThrow(
      'big.yaml: rule file is over 10 MiB; split it'
    )
  })
})

describe('opengrep engine', () => {
  it('uses a pre-provisioned opengrep binary as given', async () => {
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
