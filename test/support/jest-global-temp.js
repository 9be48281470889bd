// One temporary directory per test run, removed when the run ends. Tests and the tools they start
// make their scratch directories under os.tmpdir(); many were never removed, and every CI run left a few
// thousand behind in /tmp. TMPDIR set here is what every worker, and every child they start, inherits.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'

const KEY = 'SECURE_PIPELINE_TEST_TMPDIR'

export function setup() {
  const dir = mkdtempSync(path.join(tmpdir(), 'sp-tests-'))
  process.env[KEY] = dir
  process.env.TMPDIR = dir
}

export function teardown() {
  const dir = process.env[KEY]
  if (dir) rmSync(dir, { recursive: true, force: true, maxRetries: 3 })
}
