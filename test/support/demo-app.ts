import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { REPO_ROOT } from './repo-root.js'

/**
 * The flaws examples/app/EXPECTED.md lists, as `rule file` with the file relative to examples/app,
 * sorted: what a scan of the demo app must report, exactly.
 */
export function demoAppExpected(): string[] {
  const text = readFileSync(path.join(REPO_ROOT, 'examples', 'app', 'EXPECTED.md'), 'utf8')
  return [...text.matchAll(/^\| ([a-z][a-z0-9-]*) \| (\S+) \|$/gm)]
    .filter(m => m[1] !== 'rule')
    .map(m => `${m[1]} ${m[2]}`)
    .sort()
}
