import { describe, expect, it } from '@jest/globals'
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { childEnv, runProcess } from '../../runtime/process.js'
import { sha256File } from '../../tools/download.js'
import { toolPath } from '../../../../../test/support/tools-path.js'
import { semgrepVenvSteps, type Step } from './install.js'

const UV = process.env.SECURE_PIPELINE_UV_PATH ?? toolPath('uv')

/** Writes a one-module wheel whose module holds `value`, with a RECORD as a wheel builder writes it. */
async function writeWheel(file: string, value: string): Promise<void> {
  const script = `
import base64, hashlib, sys, zipfile
files = {
    "sp_probe/__init__.py": sys.argv[2].encode(),
    "sp_probe-1.0.dist-info/METADATA": b"Metadata-Version: 2.1\\nName: sp-probe\\nVersion: 1.0\\n",
    "sp_probe-1.0.dist-info/WHEEL": b"Wheel-Version: 1.0\\nGenerator: test\\nRoot-Is-Purelib: true\\nTag: py3-none-any\\n",
}
def digest(data):
    return "sha256=" + base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
record = "".join(f"{name},{digest(data)},{len(data)}\\n" for name, data in files.items())
files["sp_probe-1.0.dist-info/RECORD"] = (record + "sp_probe-1.0.dist-info/RECORD,,\\n").encode()
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as wheel:
    for name, data in files.items():
        wheel.writestr(name, data)
`
  const outcome = await runProcess(
    'python3',
    ['-I', '-c', script, file, `VALUE = ${JSON.stringify(value)}\n`],
    {
      cwd: path.dirname(file),
      deadlineMs: 60_000,
      env: childEnv()
    }
  )
  expect(outcome.stderr).toBe('')
}

const run = (step: Step, cwd: string) =>
  runProcess(step.file, step.args, { cwd, deadlineMs: 120_000, env: childEnv() })

describe.each(['pip', 'uv'])('the install step with %s (the argv the action runs)', installer => {
  it('refuses a wheel in its wheel directory that differs from the locked one, and installs the locked one', async () => {
    const scratch = mkdtempSync(path.join(tmpdir(), `sast-${installer}-hashes-`))
    try {
      const genuine = path.join(scratch, 'sp_probe-1.0-py3-none-any.whl')
      await writeWheel(genuine, 'genuine')
      const requirements = path.join(scratch, 'requirements.txt')
      writeFileSync(requirements, `sp-probe==1.0 \\\n    --hash=sha256:${await sha256File(genuine)}\n`)
      const root = path.join(scratch, 'root')
      const cacheDir = path.join(scratch, 'uv-cache')
      const steps = semgrepVenvSteps(root, requirements, {
        pip: 'elsewhere',
        ...(installer === 'uv' ? { uv: { file: UV, cacheDir } } : {})
      })
      expect(steps.install.file).toBe(installer === 'uv' ? UV : 'python3')
      expect((await run(steps.createVenv, scratch)).exitCode).toBe(0)
      const wheels = path.join(root, 'wheels')
      mkdirSync(wheels)
      // What a poisoned actions/cache entry could hold: the locked file name, other bytes.
      const [python] = readdirSync(path.join(root, 'venv', 'lib'))
      const installed = path.join(root, 'venv', 'lib', python!, 'site-packages', 'sp_probe', '__init__.py')
      await writeWheel(path.join(wheels, path.basename(genuine)), 'planted')

      const refused = await run(steps.install, scratch)
      expect(refused.exitCode).not.toBe(0)
      expect(refused.stderr).toMatch(/hash/i)
      expect(refused.stderr).toContain(await sha256File(path.join(wheels, path.basename(genuine))))
      expect(existsSync(installed)).toBe(false)

      copyFileSync(genuine, path.join(wheels, path.basename(genuine)))
      const accepted = await run(steps.install, scratch)
      expect([accepted.exitCode, accepted.stderr]).toEqual([0, expect.any(String)])
      expect(readFileSync(installed, 'utf8')).toBe('VALUE = "genuine"\n')
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }, 120_000)
})
