import { describe, expect, it } from '@jest/globals'
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'
import { childEnv, runProcess, runProcessBytes } from './process.js'

const RUNNER_ENV = {
  PATH: '/usr/bin:/bin',
  HOME: '/home/runner',
  LC_ALL: 'C.UTF-8',
  HTTPS_PROXY: 'http://proxy:3128',
  INPUT_TOKEN: 'ghs_input',
  'INPUT_GITHUB-TOKEN': 'ghs_input2',
  GITHUB_TOKEN: 'ghs_env',
  ACTIONS_RUNTIME_TOKEN: 'runtime',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc',
  ACTIONS_CACHE_URL: 'https://cache',
  AWS_SECRET_ACCESS_KEY: 'aws',
  NPM_TOKEN: 'npm',
  GITHUB_WORKSPACE: '/work'
}

describe('childEnv', () => {
  it('passes the allowlist only: no input, runtime, OIDC, GitHub or cloud credential', () => {
    expect(childEnv({}, RUNNER_ENV)).toEqual({
      PATH: '/usr/bin:/bin',
      HOME: '/home/runner',
      LC_ALL: 'C.UTF-8',
      HTTPS_PROXY: 'http://proxy:3128'
    })
  })

  it('adds tool settings, and refuses a credential asked for by name', () => {
    expect(childEnv({ SEMGREP_SEND_METRICS: 'off' }, RUNNER_ENV)).toMatchObject({
      SEMGREP_SEND_METRICS: 'off'
    })
    for (const name of [
      'INPUT_TOKEN',
      'GITHUB_TOKEN',
      'ACTIONS_RUNTIME_TOKEN',
      'SEMGREP_APP_TOKEN',
      'DB_PASSWORD'
    ])
      expect(() => childEnv({ [name]: 'x' }, RUNNER_ENV)).toThrow(/never passed to a child process/)
  })

  it('drops PATH entries inside the workspace or relative to the working directory', () => {
    const env = {
      PATH: [
        '/work/bin',
        '/usr/bin',
        '',
        '.',
        'node_modules/.bin',
        '/work',
        '/workshop/bin',
        '/work/..bin'
      ].join(path.delimiter),
      GITHUB_WORKSPACE: '/work/'
    }
    expect(childEnv({}, env).PATH).toBe(['/usr/bin', '/workshop/bin'].join(path.delimiter))
  })

  it('never runs a program the pull request committed, even where PATH names its directory', async () => {
    const workspace = mkdtempSync(path.join(tmpdir(), 'sp-path-'))
    mkdirSync(path.join(workspace, 'bin'))
    writeFileSync(path.join(workspace, 'bin', 'sp-planted'), '#!/bin/sh\necho planted\n')
    chmodSync(path.join(workspace, 'bin', 'sp-planted'), 0o755)
    const env = childEnv(
      {},
      { PATH: `${workspace}/bin${path.delimiter}/usr/bin`, GITHUB_WORKSPACE: workspace }
    )
    await expect(runProcess('sp-planted', [], { cwd: workspace, deadlineMs: 10_000, env })).rejects.toThrow(
      /Could not start sp-planted .*not found on PATH \(entries inside the workspace and relative ones are never searched\)/
    )
  })

  it('is what the child actually sees', async () => {
    const saved = { ...process.env }
    Object.assign(process.env, RUNNER_ENV, { PATH: process.env.PATH })
    try {
      const outcome = await runProcess('/usr/bin/env', [], {
        cwd: tmpdir(),
        deadlineMs: 10_000,
        env: childEnv()
      })
      const names = outcome.stdout.split('\n').map(line => line.split('=')[0])
      for (const secret of [
        'INPUT_TOKEN',
        'GITHUB_TOKEN',
        'ACTIONS_RUNTIME_TOKEN',
        'ACTIONS_ID_TOKEN_REQUEST_TOKEN'
      ])
        expect(names).not.toContain(secret)
      expect(outcome.stdout).not.toMatch(/ghs_|runtime|oidc/)
      expect(names).toContain('HOME')
    } finally {
      process.env = saved
    }
  })
})

/** Gone, or a zombie waiting for an init that does not reap: either way it runs no more. */
function isRunning(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

describe('runProcess', () => {
  it('returns exit code, stdout and stderr, and feeds stdin', async () => {
    const outcome = await runProcess('/bin/sh', ['-c', 'cat; echo oops >&2; exit 3'], {
      cwd: tmpdir(),
      deadlineMs: 10_000,
      env: childEnv(),
      input: 'hello\n'
    })
    expect(outcome).toMatchObject({ exitCode: 3, stdout: 'hello\n', stderr: 'oops\n', timedOut: false })
  })

  it('keeps the tail of a long stdout and says it was cut', async () => {
    const outcome = await runProcess('/bin/sh', ['-c', 'yes x | head -c 2000000; echo END'], {
      cwd: tmpdir(),
      deadlineMs: 10_000,
      env: childEnv(),
      maxStdoutBytes: 512 * 1024
    })
    expect(outcome.stdout.endsWith('END\n')).toBe(true)
    expect(outcome.stdout.length).toBeLessThan(1_100_000)
    expect(outcome.stdoutTruncated).toBe(true)
  })

  it('keeps as much stderr as asked and says when it was cut', async () => {
    const script = 'yes x | head -c 2000000 >&2; echo END >&2'
    const options = { cwd: tmpdir(), deadlineMs: 10_000, env: childEnv() }
    const whole = await runProcess('/bin/sh', ['-c', script], { ...options, maxStderrBytes: 4 * 1024 * 1024 })
    expect(whole.stderr).toHaveLength(2_000_004)
    expect(whole.stderrTruncated).toBe(false)
    const cut = await runProcess('/bin/sh', ['-c', script], options)
    expect(cut.stderr.endsWith('END\n')).toBe(true)
    expect(cut.stderr.length).toBeLessThan(2_000_004)
    expect(cut.stderrTruncated).toBe(true)
  })

  it('returns binary stdout byte for byte', async () => {
    const outcome = await runProcessBytes('/usr/bin/printf', ['\\000\\377'], {
      cwd: tmpdir(),
      deadlineMs: 10_000,
      env: childEnv()
    })
    expect([...outcome.stdout]).toEqual([0, 255])
  })

  it('kills the whole process group at the deadline', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'proc-'))
    const pidFile = path.join(dir, 'grandchild.pid')
    const started = Date.now()
    const outcome = await runProcess('/bin/sh', ['-c', `sleep 30 & echo $! > ${pidFile}; wait`], {
      cwd: dir,
      deadlineMs: 300,
      killGraceMs: 100,
      env: childEnv()
    })
    expect(outcome.timedOut).toBe(true)
    expect(Date.now() - started).toBeLessThan(5000)
    const grandchild = Number(readFileSync(pidFile, 'utf8'))
    await new Promise(resolve => setTimeout(resolve, 200))
    expect(isRunning(grandchild)).toBe(false)
  })

  it('names a missing program and a missing working directory apart', async () => {
    await expect(
      runProcess('/no/such/program', [], { cwd: tmpdir(), deadlineMs: 1000, env: childEnv() })
    ).rejects.toThrow(/Could not start \/no\/such\/program .*not found/)
    const missing = path.join(tmpdir(), 'no-such-dir-for-process-test')
    await expect(
      runProcess('/bin/true', [], { cwd: missing, deadlineMs: 1000, env: childEnv() })
    ).rejects.toThrow(
      new ConfigurationError(`Could not start /bin/true: its working directory ${missing} does not exist`)
    )
  })
})
