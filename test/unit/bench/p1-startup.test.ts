import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import p1, { actionDefaults, findBundles } from '../../../bench/p1-startup.js'

let work: string
const saved = process.env.BENCH_DIST
beforeEach(() => void (work = mkdtempSync(path.join(tmpdir(), 'sp-bench-p1-test-'))))
afterEach(() => {
  rmSync(work, { recursive: true, force: true })
  if (saved === undefined) delete process.env.BENCH_DIST
  else process.env.BENCH_DIST = saved
})

/**
 * A stand-in `sast` bundle: it checks it was run as the runner runs the real one (inputs at their
 * action.yml defaults, a workspace holding the case's file, the stub engine named), then sets `outputs`.
 */
function fakeSast(outputs: Record<string, string>, exitCode = 0): void {
  const dir = path.join(work, 'dist', 'sast')
  mkdirSync(dir, { recursive: true })
  writeFileSync(
    path.join(dir, 'index.js'),
    `const fs = require('fs')
    const e = process.env
    const ok = e['INPUT_TIMEOUT-MINUTES'] === '30' && e.INPUT_DIFF === 'auto' && fs.existsSync('src/app.py') &&
      fs.existsSync(e.SECURE_PIPELINE_SEMGREP_PATH) && !fs.existsSync('secure-pipeline/left-over')
    fs.mkdirSync('secure-pipeline', { recursive: true }); fs.writeFileSync('secure-pipeline/left-over', '')
    if (!ok) { console.log('::error::not run as the runner runs it'); process.exit(9) }
    for (const [k, v] of Object.entries(${JSON.stringify(outputs)})) fs.appendFileSync(e.GITHUB_OUTPUT, k + '<<EOF\\n' + v + '\\nEOF\\n')
    process.exitCode = ${exitCode}`
  )
  process.env.BENCH_DIST = path.join(work, 'dist')
}

describe('P1 start-up bench', () => {
  it('reads the defaults the runner passes from action.yml', () => {
    expect(actionDefaults('sast')).toMatchObject({
      diff: 'auto',
      'timeout-minutes': '30',
      'policy-source': 'base'
    })
    expect(actionDefaults('gate').token).toBe('')
  })

  it('says so when there is nothing to measure', async () => {
    process.env.BENCH_DIST = path.join(work, 'none')
    expect(findBundles()).toEqual([])
    expect((await p1.run({ runs: 1, log: () => undefined })).join('\n')).toMatch(/No bundles/)
  })

  it('times a bundle that did what users get, in a fresh workspace every run', async () => {
    fakeSast({ findings: '1', mode: 'full', 'sarif-file': 'secure-pipeline/sast.sarif' })
    const probe = path.join(work, 'dist', 'probe')
    mkdirSync(probe)
    writeFileSync(path.join(probe, 'index.js'), '')
    const logged: string[] = []
    const lines = (await p1.run({ runs: 2, log: line => logged.push(line) })).join('\n')
    expect(lines).toMatch(/\| node -e 0 \|/)
    expect(lines).toMatch(
      /\| sast +\| \d+ +\| [\d.]+ +\| [\d.]+ +\| [\d.]+x +\| -?[\d.]+ +\| [\d.n/a]+ +\| 0 +\|/
    )
    expect(lines).toMatch(/Goal: every bundle ≤ 60 ms over node: (met|NOT met by sast)/)
    expect(lines).toContain('Not measured (no start-up case in bench/p1-startup.ts): probe.')
    expect(logged[0]).toMatch(/2 interleaved runs of 2 commands/)
  })

  it('refuses to print a figure for a bundle that stopped early or set other outputs', async () => {
    fakeSast({ findings: '1', mode: 'full', 'sarif-file': 'secure-pipeline/sast.sarif' }, 1)
    await expect(p1.run({ runs: 1, log: () => undefined })).rejects.toThrow(
      /sast on v[\d.]+ did not do what users get: exit codes 1, expected 0/
    )
    fakeSast({ findings: '0', mode: 'full', 'sarif-file': 'secure-pipeline/sast.sarif' })
    await expect(p1.run({ runs: 1, log: () => undefined })).rejects.toThrow(
      'did not do what users get: output findings is "0", expected "1"'
    )
  })
})
