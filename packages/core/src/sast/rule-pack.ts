// The rule pack's YAML sources: read for user configs, the compiled pack and the pack's own checks.
// Never imported at start-up (the YAML parser is the slowest thing a cold action could load).
import { lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { cweId } from '../findings/ids.js'
import { BrokenInputError } from '../runtime/errors.js'
import { parseYamlValue } from '../runtime/yaml-read.js'
import { describeExcess, structureExcess, type StructureLimits } from '../runtime/yaml-structure.js'
import { packOf, type RuleFile, type RulePack } from './pack.js'

const RULE_FILE = /\.ya?ml$/
/**
 * A pull request's version of the repository's rules is read for their languages: a structure the parser
 * would spend minutes and gigabytes on (or overflow its stack) is refused first. Big rule packs are a
 * small fraction of this.
 */
const RULE_FILE_STRUCTURE: StructureLimits = { maxItems: 500_000, maxDepth: 200, maxDocuments: 10 }
const MAX_RULE_FILE_BYTES = 10 * 1024 * 1024
/** Semgrep skips these when loading a config directory; they are the YAML targets of `semgrep --test`. */
const TEST_TARGET = /\.test\.ya?ml$/

function ruleFileNames(dir: string, rel = ''): string[] {
  const out: string[] = []
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const child = rel ? `${rel}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...ruleFileNames(dir, child))
    else if (RULE_FILE.test(entry.name) && !TEST_TARGET.test(entry.name)) out.push(child)
  }
  return out.sort()
}

/**
 * A rule file's text. A link among a pull request's rules could point anywhere on the runner (and its
 * text come back in a parse error), and a huge file costs before any limit applies: both are refused.
 */
function readRuleFile(dir: string, file: string): string {
  const stat = lstatSync(path.join(dir, file))
  if (stat.isSymbolicLink())
    throw new BrokenInputError(
      file,
      'rule file is a symbolic link, which could point anywhere on the runner, so it is not read; commit the rules themselves'
    )
  if (stat.size > MAX_RULE_FILE_BYTES)
    throw new BrokenInputError(file, `rule file is over ${MAX_RULE_FILE_BYTES / 1024 / 1024} MiB; split it`)
  return readFileSync(path.join(dir, file), 'utf8')
}

/** Every rule file under `dir` (or just `onlyFile`), the way `semgrep --config <dir>` would pick them. */
export function readRuleFiles(dir: string, onlyFile?: string): RuleFile[] {
  return (onlyFile ? [onlyFile] : ruleFileNames(dir)).map(file => {
    const text = readRuleFile(dir, file)
    const excess = structureExcess(text, RULE_FILE_STRUCTURE)
    if (excess)
      throw new BrokenInputError(
        file,
        `rule file was not parsed: it ${describeExcess(excess, RULE_FILE_STRUCTURE)}; split it`
      )
    let doc: unknown
    try {
      doc = parseYamlValue(text, { maxNodes: RULE_FILE_STRUCTURE.maxItems })
    } catch (error) {
      throw new BrokenInputError(file, `rule file is not valid YAML: ${(error as Error).message}`)
    }
    const rules = (doc as { rules?: unknown } | null)?.rules
    if (!Array.isArray(rules)) throw new BrokenInputError(file, 'rule file has no `rules:` list')
    return { file, rules }
  })
}

/** Reads every rule file under `dir` the way `semgrep --config <dir>` would pick them. */
export function loadRulePack(dir: string, onlyFile?: string): RulePack {
  return packOf(dir, readRuleFiles(dir, onlyFile))
}

/** The target file `semgrep --test` pairs with a rule file: same directory and stem, another extension. */
export function testTargetOf(dir: string, ruleFile: string): string | undefined {
  const stem = ruleFile.replace(RULE_FILE, '')
  const folder = path.join(dir, path.dirname(ruleFile))
  const base = path.basename(stem)
  return readdirSync(folder)
    .filter(name => name.startsWith(`${base}.`) && !(RULE_FILE.test(name) && !TEST_TARGET.test(name)))
    .map(name => path.join(folder, name))
    .find(file => statSync(file).isFile())
}

/** Everything a rule of ours must have; an empty list means the pack meets the bar. */
export function rulePackProblems(pack: RulePack): string[] {
  const problems: string[] = []
  const seen = new Set<string>()
  for (const rule of pack.rules) {
    const where = `${rule.file} (${rule.id})`
    if (seen.has(rule.id)) problems.push(`${where}: duplicate rule id`)
    seen.add(rule.id)
    if (rule.cwe.length === 0 || rule.cwe.some(c => !cweId(c)))
      problems.push(`${where}: metadata.cwe missing or malformed`)
    if (rule.owasp.length === 0) problems.push(`${where}: metadata.owasp missing`)
    if (rule.securitySeverity === undefined) problems.push(`${where}: metadata.security-severity missing`)
    if (!rule.confidence) problems.push(`${where}: metadata.confidence missing`)
    if (rule.references.length === 0) problems.push(`${where}: metadata.references missing`)
    const target = testTargetOf(pack.dir, rule.file)
    if (!target) problems.push(`${where}: no test file next to the rule`)
    else {
      const text = readFileSync(target, 'utf8')
      if (!text.includes(`ruleid: ${rule.id}`))
        problems.push(`${where}: test file has no 'ruleid: ${rule.id}' line`)
      if (!text.includes(`ok: ${rule.id}`)) problems.push(`${where}: test file has no 'ok: ${rule.id}' line`)
    }
  }
  return problems
}
