import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { memoryLogger } from '../../runtime/logger.js'
import { childEnv, runProcess } from '../../runtime/process.js'
import { REPO_ROOT } from '../../../../../test/support/sast.js'
import { toolPath } from '../../../../../test/support/tools-path.js'
import { installRoot, installSemgrepVenv, type PythonCli } from './install.js'

const LOCK = path.join(REPO_ROOT, 'actions', 'sast', 'semgrep-requirements.txt')
/** The catalog's uv as this machine has it (scripts/install-tools.sh), the way runners' tests provide tools. */
const UV_ENV = {
  ...process.env,
  SECURE_PIPELINE_UV_PATH: process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv')
}

const version = (cli: PythonCli, cwd: string) =>
  runProcess(cli.file, [...cli.args, '--version', '--disable-version-check'], {
    cwd,
    deadlineMs: 120_000,
    env: childEnv()
  })

describe('installSemgrepVenv (real pip install from PyPI)', () => {
  it('installs into a tool cache it creates, reuses it verified, and never runs a planted file', async () => {
    const runner = mkdtempSync(path.join(tmpdir(), 'sast-runner-'))
    const toolCache = path.join(runner, 'tool-cache', 'not-yet')
    const options = {
      requirementsFile: LOCK,
      toolCache,
      bytecodeDir: path.join(runner, 'temp', 'bytecode'),
      env: UV_ENV
    }
    try {
      const fresh = memoryLogger()
      const first = await installSemgrepVenv({ ...options, logger: fresh })
      expect((await version(first, runner)).stdout.trim()).toBe('1.185.0')
      // This machine's python3 has pip 23.2.1: it downloads for a venv that never had a pip of its own,
      // and uv installs into it.
      expect(fresh.lines.find(line => line.includes('installing into'))).toMatch(
        /\(pip 2[3-9]\.[0-9.]+ of python3 downloads for a venv without pip\); uv \/\S+\/uv installs them$/
      )
      const sitePackages = (venv: string) =>
        readdirSync(path.join(venv, 'lib', readdirSync(path.join(venv, 'lib'))[0]!, 'site-packages'))
      const installed = sitePackages(path.join(installRoot(toolCache, '1.185.0'), 'venv'))
      expect(installed).toContain('semgrep')
      expect(installed.filter(name => /^(pip|setuptools)([-_].*)?$/.test(name))).toEqual([])

      const reuse = memoryLogger()
      expect(await installSemgrepVenv({ ...options, logger: reuse })).toEqual(first)
      expect(reuse.lines).toContain(
        `semgrep 1.185.0: reusing ${installRoot(toolCache, '1.185.0')}, every file verified against its locked wheel`
      )

      // What a previous job on a self-hosted runner could leave: a binary where one is looked for, and a
      // start-up hook the interpreter would import.
      const venv = path.join(installRoot(toolCache, '1.185.0'), 'venv')
      const marker = path.join(runner, 'planted-code-ran')
      writeFileSync(path.join(venv, 'bin', 'semgrep'), `#!/bin/sh\ntouch '${marker}'\n`, { mode: 0o755 })
      const [python] = readdirSync(path.join(venv, 'lib'))
      writeFileSync(
        path.join(venv, 'lib', python!, 'site-packages', 'sitecustomize.py'),
        `open(${JSON.stringify(marker)}, "w").close()\n`
      )
      const tampered = memoryLogger()
      const again = await installSemgrepVenv({ ...options, logger: tampered })
      expect(tampered.lines.find(line => line.startsWith('warning:'))).toMatch(
        /failed verification and is not used \(bin\/semgrep is not from a verified wheel; .*sitecustomize\.py is not from a verified wheel\); reinstalling/
      )
      expect((await version(again, runner)).stdout.trim()).toBe('1.185.0')
      expect(existsSync(path.join(venv, 'bin', 'semgrep'))).toBe(false)
      expect(existsSync(marker)).toBe(false)
    } finally {
      rmSync(runner, { recursive: true, force: true })
    }
  }, 600_000)
})
