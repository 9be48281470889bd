import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import { memoryLogger } from '../runtime/logger.js'
import { childEnv, runProcess } from '../runtime/process.js'
import {
  assertHashLocked,
  installSemgrepVenv,
  lockedSemgrepVersion,
  semgrepVenvSteps,
  venvDir
} from './install.js'
import { REPO_ROOT } from './test-helpers.js'

const LOCK = path.join(REPO_ROOT, 'actions', 'sast', 'semgrep-requirements.txt')
const lockText = readFileSync(LOCK, 'utf8')

describe('hash-locked semgrep requirements', () => {
  it('pins semgrep 1.185.0 and a sha256 on every requirement, with wheels for linux and macOS', () => {
    expect(lockedSemgrepVersion(lockText)).toBe('1.185.0')
    expect(() => assertHashLocked(lockText, LOCK)).not.toThrow()
    const semgrepHashes =
      /^semgrep==1\.185\.0((?:\s*\\\n\s*--hash=sha256:[0-9a-f]{64})+)/m.exec(lockText)?.[1] ?? ''
    expect(semgrepHashes.match(/--hash/g)?.length).toBeGreaterThanOrEqual(4)
  })

  it('refuses a requirement without a hash', () => {
    expect(() =>
      assertHashLocked('semgrep==1.185.0\nclick==8.1.0 \\\n    --hash=sha256:' + 'a'.repeat(64) + '\n', 'req')
    ).toThrow(BrokenInputError)
    expect(() => assertHashLocked('# only a comment\n', 'req')).toThrow(/empty file/)
    expect(() => lockedSemgrepVersion('click==1\n')).toThrow(ConfigurationError)
  })

  it('installs into a private venv with pip in hash-checking mode and no dependency resolution', () => {
    const steps = semgrepVenvSteps('/cache/secure-pipeline-semgrep-1.185.0', LOCK)
    expect(steps[0]).toEqual({
      file: 'python3',
      args: ['-m', 'venv', '--clear', '/cache/secure-pipeline-semgrep-1.185.0']
    })
    expect(steps[1]?.file).toBe('/cache/secure-pipeline-semgrep-1.185.0/bin/python')
    expect(steps[1]?.args).toEqual(
      expect.arrayContaining(['-m', 'pip', 'install', '--require-hashes', '--no-deps', '-r', LOCK])
    )
    expect(venvDir('/cache', '1.185.0')).toBe('/cache/secure-pipeline-semgrep-1.185.0')
  })
})

describe('installSemgrepVenv (real pip install from PyPI, once)', () => {
  it('installs the pinned semgrep, runs it, and reuses the venv on the second call', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'sast-toolcache-'))
    try {
      const logger = memoryLogger()
      const first = await installSemgrepVenv({ requirementsFile: LOCK, toolCache: cache, logger })
      expect(first).toBe(path.join(cache, 'secure-pipeline-semgrep-1.185.0', 'bin', 'semgrep'))
      const version = await runProcess(first, ['--version', '--disable-version-check'], {
        cwd: cache,
        deadlineMs: 60_000,
        env: childEnv()
      })
      expect(version.stdout.trim()).toBe('1.185.0')
      const second = await installSemgrepVenv({ requirementsFile: LOCK, toolCache: cache, logger })
      expect(second).toBe(first)
      expect(logger.lines.some(line => line.includes('reusing the hash-pinned venv'))).toBe(true)
    } finally {
      rmSync(cache, { recursive: true, force: true })
    }
  }, 240_000)

  it('fails clearly when the lock file is missing', async () => {
    await expect(
      installSemgrepVenv({
        requirementsFile: '/nonexistent/req.txt',
        toolCache: tmpdir(),
        logger: memoryLogger()
      })
    ).rejects.toThrow(/lock file is missing/)
  })
})
