import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runChromium } from './chromium.js'

// Stand-ins for a browser that hangs or crashes: the runner must fail in time and say why.
describe('runChromium error paths', () => {
  let dir: string
  const fake = (name: string, body: string) => {
    const file = path.join(dir, name)
    writeFileSync(file, `#!/bin/sh\n${body}\n`)
    chmodSync(file, 0o755)
    return file
  }
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'sp-fake-chromium-'))
    writeFileSync(path.join(dir, 'page.html'), '<!DOCTYPE html><title>x</title>')
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('kills a browser that outlives its deadline', async () => {
    const started = Date.now()
    await expect(
      runChromium(fake('hang.sh', 'sleep 30'), path.join(dir, 'page.html'), [], 500)
    ).rejects.toThrow(/did not finish within 500 ms/)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('reports a crash with its exit code and stderr', async () => {
    await expect(
      runChromium(fake('crash.sh', 'echo "renderer died" >&2; exit 3'), path.join(dir, 'page.html'), [])
    ).rejects.toThrow(/exited with 3: renderer died/)
  })
})
