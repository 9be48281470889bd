import { beforeEach, describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parseRecord } from './record.js'
import { lockedWheels, venvProblems, type BasePython } from './verify.js'

const SOURCE = 'print("demo")\n'
const META = 'Metadata-Version: 2.1\nName: demo\nVersion: 1.0\n'
const b64 = (text: string) => createHash('sha256').update(text).digest('base64url')

/** A real (deflated) wheel, written with Python's zipfile so the reader meets what pip produces. */
function writeWheel(file: string, members: Record<string, string>): void {
  execFileSync('python3', [
    '-c',
    'import json, sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:\n    for name, text in json.loads(sys.argv[2]).items(): z.writestr(name, text)',
    file,
    JSON.stringify(members)
  ])
}

const RECORD = `demo/__init__.py,sha256=${b64(SOURCE)},${SOURCE.length}\ndemo-1.0.dist-info/METADATA,sha256=${b64(META)},${META.length}\ndemo-1.0.dist-info/RECORD,,\n`

/** A venv as `python -m venv` + pip leave it, for one locked wheel `demo`; `interpreter` plays python. */
function buildInstall(interpreter: string): { root: string; lock: string } {
  const root = mkdtempSync(path.join(tmpdir(), 'sast-venv-'))
  mkdirSync(path.join(root, 'wheels'))
  const wheel = path.join(root, 'wheels', 'demo-1.0-py3-none-any.whl')
  writeWheel(wheel, {
    'demo/__init__.py': SOURCE,
    'demo-1.0.dist-info/METADATA': META,
    'demo-1.0.dist-info/RECORD': RECORD
  })
  const digest = createHash('sha256').update(readFileSync(wheel)).digest('hex')
  const venv = path.join(root, 'venv')
  const site = path.join(venv, 'lib', 'python3.11', 'site-packages')
  mkdirSync(path.join(site, 'demo'), { recursive: true })
  mkdirSync(path.join(site, 'demo-1.0.dist-info'))
  mkdirSync(path.join(venv, 'bin'))
  mkdirSync(path.join(venv, 'include'))
  writeFileSync(path.join(site, 'demo', '__init__.py'), SOURCE)
  writeFileSync(path.join(site, 'demo-1.0.dist-info', 'METADATA'), META)
  writeFileSync(path.join(site, 'demo-1.0.dist-info', 'RECORD'), `${RECORD}../../../bin/demo,,\n`)
  writeFileSync(path.join(site, 'demo-1.0.dist-info', 'INSTALLER'), 'pip\n')
  symlinkSync(interpreter, path.join(venv, 'bin', 'python'))
  symlinkSync('python', path.join(venv, 'bin', 'python3'))
  writeFileSync(path.join(venv, 'bin', 'activate'), '# for people\n')
  symlinkSync('lib', path.join(venv, 'lib64'))
  writeFileSync(
    path.join(venv, 'pyvenv.cfg'),
    `home = ${path.dirname(interpreter)}\ninclude-system-site-packages = false\nversion = 3.11.2\nexecutable = ${interpreter}\ncommand = ${interpreter} -m venv ${venv}\n`
  )
  return { root, lock: `demo==1.0 \\\n    --hash=sha256:${digest}\n` }
}

describe('venvProblems', () => {
  const interpreter = process.execPath
  const base: BasePython = { executable: interpreter }
  let root: string
  let lock: ReturnType<typeof lockedWheels>
  const site = () => path.join(root, 'venv', 'lib', 'python3.11', 'site-packages')
  const problems = () => venvProblems(root, lock, base)

  beforeEach(() => {
    const built = buildInstall(interpreter)
    root = built.root
    lock = lockedWheels(built.lock)
  })

  it('accepts an install that is exactly what its locked wheels hold', async () => {
    expect(await problems()).toEqual([])
  })

  it('refuses a planted executable in bin/ and a planted start-up hook in site-packages', async () => {
    writeFileSync(path.join(root, 'venv', 'bin', 'semgrep'), '#!/bin/sh\ntouch /tmp/pwned\n', { mode: 0o755 })
    writeFileSync(path.join(site(), 'sitecustomize.py'), 'import os\n')
    writeFileSync(path.join(site(), 'zz.pth'), 'import os\n')
    expect(await problems()).toEqual([
      'bin/semgrep is not from a verified wheel',
      'lib/python3.11/site-packages/sitecustomize.py is not from a verified wheel',
      'lib/python3.11/site-packages/zz.pth is not from a verified wheel'
    ])
  })

  it('refuses a changed file even when the installed RECORD was rewritten to match it', async () => {
    const evil = 'import os;os.system("id")\n'
    writeFileSync(
      path.join(site(), 'demo', '__init__.py'),
      evil.slice(0, SOURCE.length).padEnd(SOURCE.length)
    )
    const record = path.join(site(), 'demo-1.0.dist-info', 'RECORD')
    writeFileSync(record, readFileSync(record, 'utf8').replace(b64(SOURCE), b64(evil)))
    expect(await problems()).toEqual([
      'lib/python3.11/site-packages/demo/__init__.py differs from its wheel (sha256)'
    ])
  })

  it('refuses planted bytecode, a missing file, and a wheel the lock does not list', async () => {
    mkdirSync(path.join(site(), 'demo', '__pycache__'))
    writeFileSync(path.join(site(), 'demo', '__pycache__', '__init__.cpython-311.pyc'), 'bytecode')
    rmSync(path.join(site(), 'demo-1.0.dist-info', 'METADATA'))
    expect(await problems()).toEqual([
      'lib/python3.11/site-packages/demo/__pycache__/__init__.cpython-311.pyc is not from a verified wheel',
      'lib/python3.11/site-packages/demo-1.0.dist-info/METADATA is missing'
    ])
    writeWheel(path.join(root, 'wheels', 'demo-1.0-py3-none-any.whl'), { 'demo/__init__.py': 'x' })
    expect(await problems()).toEqual([
      'wheels/demo-1.0-py3-none-any.whl has a sha256 the lock file does not list',
      'no verified wheel of demo'
    ])
  })

  it('refuses an interpreter link or pyvenv.cfg that leads elsewhere', async () => {
    const other = path.join(mkdtempSync(path.join(tmpdir(), 'sast-other-')), 'python')
    writeFileSync(other, '#!/bin/sh\n', { mode: 0o755 })
    rmSync(path.join(root, 'venv', 'bin', 'python'))
    symlinkSync(other, path.join(root, 'venv', 'bin', 'python'))
    const cfg = path.join(root, 'venv', 'pyvenv.cfg')
    writeFileSync(
      cfg,
      readFileSync(cfg, 'utf8')
        .replace(/^home = .*$/m, `home = ${path.dirname(other)}`)
        .replace('include-system-site-packages = false', 'include-system-site-packages = true')
    )
    expect(await problems()).toEqual([
      "bin/python is a symbolic link that is not the venv's own",
      "bin/python3 is a symbolic link that is not the venv's own",
      'pyvenv.cfg does not keep system site-packages out',
      `pyvenv.cfg home ${path.dirname(other)} is not ${path.dirname(interpreter)}`
    ])
  })
})

describe('parseRecord', () => {
  it('reads CSV lines as Python writes them, and refuses a digest that is not sha256', () => {
    const digest = b64('x')
    expect(parseRecord(`"odd, ""name"".py",sha256=${digest},1\npkg/RECORD,,\n`, 'w')).toEqual([
      { path: 'odd, "name".py', sha256: digest, size: 1 },
      { path: 'pkg/RECORD' }
    ])
    expect(() => parseRecord('a.py,md5=abc,1\n', 'demo.whl')).toThrow(
      'demo.whl: a.py has a hash that is not sha256'
    )
  })
})
