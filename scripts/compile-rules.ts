// Writes rules/pack.json from the YAML rule files (the sast action reads the JSON at start-up);
// `--check` exits 1 when the committed file is stale instead.
import { readFileSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { compiledPackText, COMPILED_PACK } from '../packages/core/src/sast/pack.js'
import { readRuleFiles } from '../packages/core/src/sast/rule-pack.js'

const dir = path.resolve(import.meta.dirname, '..', 'rules')
const file = path.join(dir, COMPILED_PACK)
const text = compiledPackText(readRuleFiles(dir))
if (process.argv.includes('--check')) {
  const current = readFileSync(file, 'utf8')
  if (current !== text) {
    console.error(`${file} is stale: run node --import tsx scripts/compile-rules.ts`)
    process.exit(1)
  }
} else {
  writeFileSync(file, text)
  console.log(`wrote ${file}`)
}
