import { afterAll, describe, expect, it } from '@jest/globals'
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError, IntegrityError } from '../../runtime/errors.js'
import { memoryLogger } from '../../runtime/logger.js'
import { REPO_ROOT } from '../../../../../test/support/sast.js'
import {
  assertHashLocked,
  installRoot,
  installSemgrepVenv,
  lockedSemgrepVersion,
  pipInstallsElsewhere,
  pipRole,
  pythonCli,
  semgrepVenvSteps,
  venvPython
} from './install.js'
import { lockedWheels } from './verify.js'

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

  it('knows which project each locked digest belongs to', () => {
    const lock = lockedWheels(
      `Click_Option.Group==0.5 \\\n    --hash=sha256:${'a'.repeat(64)} \\\n    --hash=sha256:${'b'.repeat(64)}\n    # via semgrep\nsemgrep==1.185.0 --hash=sha256:${'c'.repeat(64)}\n`
    )
    expect([...lock.projects]).toEqual(['click-option-group', 'semgrep'])
    expect(lock.byDigest.get('b'.repeat(64))).toBe('click-option-group')
    expect(lock.byDigest.get('c'.repeat(64))).toBe('semgrep')
    const real = lockedWheels(lockText)
    expect(real.projects.size).toBe(lockText.match(/^[a-z0-9][a-z0-9._-]*==/gim)?.length)
  })
})

describe('the install, as argv', () => {
  const root = '/cache/secure-pipeline-semgrep-1.185.0'
  const venvPy = `${root}/venv/bin/python`

  it('with a pip of 22.3 or later: a venv without pip, which that pip downloads for and installs into', () => {
    const steps = semgrepVenvSteps(root, LOCK, { python: '/usr/bin/python3', pip: 'elsewhere' })
    expect(steps.createVenv).toEqual({
      label: 'python -m venv',
      file: '/usr/bin/python3',
      args: ['-m', 'venv', '--clear', '--symlinks', '--without-pip', `${root}/venv`]
    })
    for (const step of [steps.download, steps.install]) {
      expect(step.file).toBe('/usr/bin/python3')
      expect(step.args.slice(0, 6)).toEqual(['-I', '-B', '-m', 'pip', '--python', venvPy])
    }
    expect(steps.download.args).toEqual(
      expect.arrayContaining([
        'download',
        '--require-hashes',
        '--no-deps',
        '--only-binary=:all:',
        '--dest',
        `${root}/wheels`
      ])
    )
    expect(steps.install.args).toEqual(
      expect.arrayContaining([
        'install',
        '--require-hashes',
        '--no-deps',
        '--no-index',
        '--find-links',
        `${root}/wheels`,
        '--no-compile'
      ])
    )
    expect(steps.removePip).toBeUndefined()
    expect(installRoot('/cache', '1.185.0')).toBe(root)
  })

  it('with an older pip or none: the venv gets its own pip, which is taken out again after the install', () => {
    const steps = semgrepVenvSteps(root, LOCK)
    expect(steps.createVenv.file).toBe('python3')
    expect(steps.createVenv.args).toEqual(['-m', 'venv', '--clear', '--symlinks', `${root}/venv`])
    for (const step of [steps.download, steps.install, steps.removePip!]) {
      expect(step.file).toBe(venvPy)
      expect(step.args.slice(0, 4)).toEqual(['-I', '-B', '-m', 'pip'])
      expect(step.args).not.toContain('--python')
    }
    expect(steps.install.args).toEqual(
      expect.arrayContaining(['--require-hashes', '--no-deps', '--no-index'])
    )
    expect(steps.removePip?.args).toEqual(expect.arrayContaining(['uninstall', '--yes', 'pip', 'setuptools']))
  })

  it("uses the interpreter's own pip from 22.3 on, the release that added --python", () => {
    for (const version of ['22.3', '22.3.1', '23.2.1', '24.0', '25.3', '100.0'])
      expect(pipInstallsElsewhere(version)).toBe(true)
    for (const version of ['22.2.2', '22.0.2', '21.3.1', '9.0.1', '', 'unknown', undefined])
      expect(pipInstallsElsewhere(version)).toBe(false)
  })

  it('with uv: pip only downloads, and uv installs from the wheel directory alone, hashes required, offline', () => {
    const uv = { file: '/tools/uv', cacheDir: '/job/tmp/secure-pipeline-uv-cache-1' }
    const steps = semgrepVenvSteps(root, LOCK, { python: '/usr/bin/python3', pip: 'elsewhere', uv })
    expect(steps.download).toEqual(
      semgrepVenvSteps(root, LOCK, { python: '/usr/bin/python3', pip: 'elsewhere' }).download
    )
    expect(steps.install.file).toBe('/tools/uv')
    expect(steps.install.label).toBe('uv pip install')
    const args = steps.install.args
    expect(args.slice(0, 4)).toEqual(['pip', 'install', '--python', venvPy])
    expect(args).toEqual(
      expect.arrayContaining([
        '--require-hashes',
        '--no-deps',
        '--no-index',
        '--no-build',
        '--offline',
        '--no-compile-bytecode',
        '--no-config',
        '--no-python-downloads'
      ])
    )
    expect(args[args.indexOf('--find-links') + 1]).toBe(`${root}/wheels`)
    expect(args[args.indexOf('--cache-dir') + 1]).toBe(uv.cacheDir)
    expect(args.slice(-2)).toEqual(['-r', LOCK])
    expect(args.join(' ')).not.toMatch(/--no-verify-hashes|--index-url|--extra-index-url|--compile-bytecode /)
    expect(steps.removePip).toBeUndefined()
  })

  it('with uv and a pip older than 22.3: that pip only downloads, and the venv never gets one', () => {
    const uv = { file: '/tools/uv', cacheDir: '/job/tmp/secure-pipeline-uv-cache-1' }
    const steps = semgrepVenvSteps(root, LOCK, { python: '/usr/bin/python3', pip: 'download', uv })
    expect(steps.createVenv.args).toEqual([
      '-m',
      'venv',
      '--clear',
      '--symlinks',
      '--without-pip',
      `${root}/venv`
    ])
    expect(steps.download.file).toBe('/usr/bin/python3')
    expect(steps.download.args.slice(0, 5)).toEqual(['-I', '-B', '-m', 'pip', 'download'])
    expect(steps.download.args).toEqual(
      expect.arrayContaining([
        '--require-hashes',
        '--no-deps',
        '--only-binary=:all:',
        '--dest',
        `${root}/wheels`
      ])
    )
    expect(steps.install.file).toBe('/tools/uv')
    expect(steps.removePip).toBeUndefined()
    expect(() => semgrepVenvSteps(root, LOCK, { pip: 'download' })).toThrow(/needs uv/)
  })

  it("gives the venv a pip of its own only when nothing else can do pip's part", () => {
    expect(['23.2.1', '22.3'].map(version => pipRole(version, false))).toEqual(['elsewhere', 'elsewhere'])
    expect(['23.2.1', '22.3'].map(version => pipRole(version, true))).toEqual(['elsewhere', 'elsewhere'])
    expect(pipRole('22.0.2', true)).toBe('download')
    expect(pipRole('22.0.2', false)).toBe('venv')
    expect(pipRole(undefined, true)).toBe('venv')
    expect(pipRole(undefined, false)).toBe('venv')
  })

  it('starts the Python CLI isolated, with bytecode kept outside the cache', () => {
    const cli = pythonCli('/cache/sp', '/job/tmp/bytecode')
    expect(cli.file).toBe('/cache/sp/venv/bin/python')
    expect(cli.args.slice(0, 4)).toEqual(['-I', '-X', 'pycache_prefix=/job/tmp/bytecode', '-c'])
    expect(cli.args[4]).toContain('from semgrep.console_scripts.pysemgrep import main')
  })
})

/**
 * A python3 stand-in for the error path: says where it is and which pip it has (none by default), makes
 * a "venv" whose python is itself, and as pip records its argv and environment and fails.
 */
function stubPython(dump: string, pipVersion = '', { downloads = false } = {}): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'sast-stub-python-')), 'python3')
  writeFileSync(
    file,
    `#!/bin/sh
case "$*" in
  "-I -c"*) echo "$0"; echo '${pipVersion}' ;;
  "-m venv"*) for last; do :; done; mkdir -p "$last/bin" && cp "$0" "$last/bin/python" ;;
  ${downloads ? '*" download "*) exit 0 ;;' : ''}
  *) { echo "argv: $0 $*"; env; } > '${dump}'; echo "pip: no network" >&2; exit 1 ;;
esac
`
  )
  chmodSync(file, 0o755)
  return file
}

/** A uv stand-in beside `dump`: records its argv, environment and whether its cache directory exists, and fails. */
function stubUv(dump: string): string {
  const file = path.join(path.dirname(dump), 'uv')
  writeFileSync(
    file,
    `#!/bin/sh
{ echo "argv: $0 $*"; env; } > '${dump}'
while [ $# -gt 0 ]; do [ "$1" = --cache-dir ] && [ -d "$2" ] && echo "cache dir exists: $2" >> '${dump}'; shift; done
echo "uv: hash mismatch" >&2; exit 1
`
  )
  chmodSync(file, 0o755)
  return file
}

describe('installSemgrepVenv error path (stub python)', () => {
  const scratchDirs: string[] = []
  const scratchDir = (prefix: string) => {
    scratchDirs.push(mkdtempSync(path.join(tmpdir(), prefix)))
    return scratchDirs.at(-1)!
  }
  afterAll(() => {
    for (const dir of scratchDirs) rmSync(dir, { recursive: true, force: true })
  })

  it.each([
    ['no pip', '', (stub: string, venvPy: string) => `argv: ${venvPy} -I -B -m pip download`],
    [
      'pip 23.2.1',
      '23.2.1',
      (stub: string, venvPy: string) => `argv: ${stub} -I -B -m pip --python ${venvPy} download`
    ],
    // With uv (pre-provisioned below), an older pip only downloads, as the interpreter's own.
    ['pip 22.0.2', '22.0.2', (stub: string) => `argv: ${stub} -I -B -m pip download`]
  ])(
    'with %s: creates a missing tool cache, gives pip only the allowlisted environment, and says which step failed',
    async (_, pipVersion, expectedArgv) => {
      const envDump = path.join(mkdtempSync(path.join(tmpdir(), 'sast-env-')), 'pip.env')
      const toolCache = path.join(mkdtempSync(path.join(tmpdir(), 'sast-runner-')), 'tool-cache', 'not-yet')
      const python = stubPython(envDump, pipVersion)
      const uvDump = path.join(path.dirname(envDump), 'uv.env')
      const secrets = {
        INPUT_TOKEN: 'ghs_input',
        ACTIONS_RUNTIME_TOKEN: 'runtime',
        ACTIONS_ID_TOKEN_REQUEST_URL: 'https://oidc.example',
        ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
        GITHUB_TOKEN: 'ghs_env'
      }
      await expect(
        installSemgrepVenv({
          requirementsFile: LOCK,
          toolCache,
          bytecodeDir: path.join(toolCache, '..', 'bytecode'),
          python,
          logger: memoryLogger(),
          env: {
            PATH: process.env.PATH,
            HOME: '/home/runner',
            PIP_INDEX_URL: 'https://mirror.example/simple',
            // The default uv: the catalog's, here pre-provisioned; pip's download fails before it runs.
            SECURE_PIPELINE_UV_PATH: stubUv(uvDump),
            ...secrets
          }
        })
      ).rejects.toThrow(/pip download exited 1: pip: no network/)
      expect(existsSync(uvDump)).toBe(false)
      expect(existsSync(toolCache)).toBe(true)
      const seen = readFileSync(envDump, 'utf8')
      expect(seen).toContain(expectedArgv(python, venvPython(installRoot(toolCache, '1.185.0'))))
      for (const [name, value] of Object.entries(secrets)) {
        expect(seen).not.toContain(name)
        expect(seen).not.toContain(value)
      }
      expect(seen).toContain('PIP_INDEX_URL=https://mirror.example/simple')
      expect(seen).toContain('HOME=/home/runner')
      // A failed install leaves nothing behind that a later run could mistake for an install.
      expect(existsSync(installRoot(toolCache, '1.185.0'))).toBe(false)
    }
  )

  it('runs the pinned uv with the allowlisted environment and a cache of its own in the job temp dir, removed after', async () => {
    const scratch = scratchDir('sast-uv-')
    const toolCache = path.join(scratch, 'tool-cache')
    const jobTemp = path.join(scratch, 'runner-temp')
    const uvDump = path.join(scratch, 'uv.env')
    const uv = stubUv(uvDump)
    const logger = memoryLogger()
    await expect(
      installSemgrepVenv({
        requirementsFile: LOCK,
        toolCache,
        bytecodeDir: path.join(jobTemp, 'bytecode'),
        python: stubPython(path.join(scratch, 'pip.env'), '23.2.1', { downloads: true }),
        logger,
        env: {
          PATH: process.env.PATH,
          RUNNER_TEMP: jobTemp,
          SECURE_PIPELINE_UV_PATH: uv,
          INPUT_TOKEN: 'ghs_input',
          UV_NO_VERIFY_HASHES: '1',
          UV_INDEX_URL: 'https://evil.example/simple'
        }
      })
    ).rejects.toThrow(/uv pip install exited 1: uv: hash mismatch/)
    expect(logger.lines).toContain(
      `uv: using the pre-provisioned binary ${uv} (from SECURE_PIPELINE_UV_PATH) as is; it is not hash-verified, because no pinned sha256 applies to a file this action did not download.`
    )
    expect(logger.lines.find(line => line.includes('installing into'))).toMatch(/; uv .*\/uv installs them$/)
    const seen = readFileSync(uvDump, 'utf8')
    const cacheDir = /--cache-dir (\S+)/.exec(seen)?.[1] ?? ''
    expect(path.dirname(cacheDir)).toBe(jobTemp)
    expect(path.basename(cacheDir)).toMatch(/^secure-pipeline-uv-cache-/)
    expect(seen).toContain(`cache dir exists: ${cacheDir}`)
    expect(existsSync(cacheDir)).toBe(false)
    expect(seen).toContain(`--python ${venvPython(installRoot(toolCache, '1.185.0'))}`)
    for (const name of ['INPUT_TOKEN', 'UV_NO_VERIFY_HASHES', 'UV_INDEX_URL', 'evil.example'])
      expect(seen).not.toContain(name)
    expect(existsSync(installRoot(toolCache, '1.185.0'))).toBe(false)
  })

  it('installs with pip, and says so, when uv cannot be had', async () => {
    const scratch = scratchDir('sast-no-uv-')
    const pipDump = path.join(scratch, 'pip.env')
    const logger = memoryLogger()
    await expect(
      installSemgrepVenv({
        requirementsFile: LOCK,
        toolCache: path.join(scratch, 'tool-cache'),
        bytecodeDir: path.join(scratch, 'bytecode'),
        python: stubPython(pipDump, '23.2.1', { downloads: true }),
        uv: () => Promise.reject(new Error('download of uv failed: ENOTFOUND github.com')),
        logger,
        env: { PATH: process.env.PATH }
      })
    ).rejects.toThrow(/pip install exited 1: pip: no network/)
    expect(logger.lines).toContain(
      'warning: semgrep: uv is not available (download of uv failed: ENOTFOUND github.com); pip installs the wheels instead, with the same hash checks, only slower'
    )
    expect(logger.lines.find(line => line.includes('installing into'))).toMatch(/; pip installs them$/)
    expect(readFileSync(pipDump, 'utf8')).toMatch(
      /^argv: \S+ -I -B -m pip --python \S+ install --require-hashes /
    )
  })

  it('stops, without running pip, when the uv download does not match its pinned sha256', async () => {
    const scratch = scratchDir('sast-bad-uv-')
    const pipDump = path.join(scratch, 'pip.env')
    await expect(
      installSemgrepVenv({
        requirementsFile: LOCK,
        toolCache: path.join(scratch, 'tool-cache'),
        bytecodeDir: path.join(scratch, 'bytecode'),
        python: stubPython(pipDump, '23.2.1'),
        uv: () => Promise.reject(new IntegrityError('sha256 mismatch for uv 0.13.0')),
        logger: memoryLogger(),
        env: { PATH: process.env.PATH }
      })
    ).rejects.toThrow(IntegrityError)
    expect(existsSync(pipDump)).toBe(false)
  })

  it('fails clearly when the lock file is missing', async () => {
    await expect(
      installSemgrepVenv({
        requirementsFile: '/nonexistent/req.txt',
        toolCache: tmpdir(),
        bytecodeDir: tmpdir(),
        logger: memoryLogger()
      })
    ).rejects.toThrow(/lock file is missing/)
  })
})
