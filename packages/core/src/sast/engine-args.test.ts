import { describe, expect, it } from '@jest/globals'
import { buildScanArgs, engineEnv, exitCodeMeaning, versionArgs } from './engine-args.js'

describe('buildScanArgs', () => {
  const base = {
    engine: 'semgrep' as const,
    configs: ['/r/rules', 'p/default'],
    targets: ['src/a.py'],
    report: '/tmp/o.sarif',
    exclude: ['tests', '-x'],
    ruleTimeoutSeconds: 30
  }

  it('turns Semgrep metrics and the version check off and writes SARIF to a file', () => {
    const args = buildScanArgs(base)
    expect(args.slice(0, 8)).toEqual([
      'scan',
      '--metrics=off',
      '--disable-version-check',
      '--x-rule-validation=none',
      '--no-rewrite-rule-ids',
      '--sarif',
      '--output',
      '/tmp/o.sarif'
    ])
    expect(args).toEqual(
      expect.arrayContaining(['--config', '/r/rules', '--exclude=tests', '--exclude=-x', '--timeout', '30'])
    )
    expect(args.indexOf('p/default')).toBe(args.lastIndexOf('--config') + 1)
    expect(args).not.toContain('--baseline-commit')
    expect(args).toContain('--x-rule-validation=none')
  })

  it('reads no ignore file of its own, keeps rule ids and asks for one output only, whichever the engine', () => {
    for (const engine of ['semgrep', 'opengrep'] as const) {
      const args = buildScanArgs({ ...base, engine })
      const flags = args.slice(0, args.indexOf('--config'))
      expect(flags).toContain('--x-ignore-semgrepignore-files')
      // A merge-base rule read from a temporary directory must keep the id the checkout's rule has.
      expect(flags).toContain('--no-rewrite-rule-ids')
      // A second output (--json beside --sarif, or --sarif-output=) costs the engine another formatting pass.
      expect(flags.filter(flag => /^--(json|sarif|text|emacs|vim|gitlab|junit)/.test(flag))).toEqual([
        '--sarif'
      ])
      expect(flags.filter(flag => flag === '--output')).toHaveLength(1)
      // Results nosemgrep suppresses stay in the SARIF, marked, without --disable-nosem.
      expect(flags).not.toContain('--disable-nosem')
    }
  })

  it('asks for the JSON beside it only for the severities of the user’s own rules', () => {
    const args = buildScanArgs({ ...base, severities: '/tmp/o.json' })
    const flags = args.slice(0, args.indexOf('--config'))
    expect(flags.filter(flag => /^--(json|sarif)/.test(flag))).toEqual([
      '--sarif',
      '--json-output=/tmp/o.json'
    ])
  })

  it('gives Opengrep only the flags both engines share (it rejects --metrics)', () => {
    const args = buildScanArgs({ ...base, engine: 'opengrep' })
    expect(args.slice(0, 5)).toEqual(['scan', '--no-rewrite-rule-ids', '--sarif', '--output', '/tmp/o.sarif'])
    expect(args).not.toContain('--metrics')
    for (const flag of ['--metrics=off', '--disable-version-check', '--x-rule-validation=none']) {
      expect(args).not.toContain(flag)
    }
    expect(args).toEqual(expect.arrayContaining(['--config', '/r/rules', '--timeout', '30']))
    expect(versionArgs('opengrep')).toEqual(['--version'])
    expect(versionArgs('semgrep')).toEqual(['--version', '--disable-version-check'])
  })

  it('puts targets after -- so a file named like an option stays a target', () => {
    const args = buildScanArgs({ ...base, targets: ['--config=evil', 'b.py'] })
    expect(args.slice(-3)).toEqual(['--', '--config=evil', 'b.py'])
  })

  it('rounds timeouts to whole seconds and passes jobs', () => {
    const args = buildScanArgs({ ...base, ruleTimeoutSeconds: 0.2, jobs: 2 })
    expect(args).toEqual(expect.arrayContaining(['--timeout', '1', '--jobs', '2']))
  })
})

describe('engine environment and exit codes', () => {
  it('overrides telemetry settings from the caller environment', () => {
    const env = engineEnv({ SEMGREP_SEND_METRICS: 'on', SEMGREP_ENABLE_VERSION_CHECK: '1', PATH: '/bin' })
    expect(env).toMatchObject({
      SEMGREP_SEND_METRICS: 'off',
      SEMGREP_ENABLE_VERSION_CHECK: '0',
      PATH: '/bin'
    })
  })

  it('treats 0 and 1 as a finished scan and everything else as a failure', () => {
    expect(exitCodeMeaning(0)).toBeUndefined()
    expect(exitCodeMeaning(1)).toBeUndefined()
    expect(exitCodeMeaning(2)).toMatch(/fatal/)
    expect(exitCodeMeaning(7)).toMatch(/config/)
    expect(exitCodeMeaning(139)).toBe('killed by signal 11')
    expect(exitCodeMeaning(42)).toBe('unexpected exit code 42')
  })
})
