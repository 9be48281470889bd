import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import { severityFromScore, type Severity } from '../findings/finding.js'
import { cweId, cweIds } from '../findings/ids.js'
import type { RuleDescriptor } from '../findings/sarif/model.js'
import { BrokenInputError } from '../runtime/errors.js'

/** One rule of our pack, with the metadata every rule must carry (checked by `rulePackProblems`). */
export interface PackRule {
  id: string
  /** Repository-relative rule file, forward slashes. */
  file: string
  languages: string[]
  engineSeverity: string
  message: string
  cwe: string[]
  owasp: string[]
  confidence?: string
  securitySeverity?: number
  references: string[]
}

export interface RulePack {
  dir: string
  rules: PackRule[]
  /** The rule objects as written, for `packConfigJson`. */
  sources: unknown[]
}

const RULE_FILE = /\.ya?ml$/
/** Semgrep skips these when loading a config directory; they are the YAML targets of `semgrep --test`. */
const TEST_TARGET = /\.test\.ya?ml$/

function ruleFiles(dir: string, rel = ''): string[] {
  const out: string[] = []
  for (const entry of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue
    const child = rel ? `${rel}/${entry.name}` : entry.name
    if (entry.isDirectory()) out.push(...ruleFiles(dir, child))
    else if (RULE_FILE.test(entry.name) && !TEST_TARGET.test(entry.name)) out.push(child)
  }
  return out.sort()
}

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : []

function readRule(raw: Record<string, unknown>, file: string): PackRule {
  const metadata = (raw.metadata ?? {}) as Record<string, unknown>
  const score = Number(metadata['security-severity'])
  return {
    id: String(raw.id),
    file,
    languages: strings(raw.languages),
    engineSeverity: String(raw.severity ?? ''),
    message: String(raw.message ?? '').trim(),
    cwe: strings(metadata.cwe),
    owasp: strings(metadata.owasp),
    ...(typeof metadata.confidence === 'string' ? { confidence: metadata.confidence } : {}),
    ...(Number.isFinite(score) && score > 0 ? { securitySeverity: score } : {}),
    references: strings(metadata.references)
  }
}

/** Reads every rule file under `dir` the way `semgrep --config <dir>` would pick them. */
export function loadRulePack(dir: string, onlyFile?: string): RulePack {
  const rules: PackRule[] = []
  const sources: unknown[] = []
  for (const file of onlyFile ? [onlyFile] : ruleFiles(dir)) {
    let doc: unknown
    try {
      doc = parse(readFileSync(path.join(dir, file), 'utf8'))
    } catch (error) {
      throw new BrokenInputError(file, `rule file is not valid YAML: ${(error as Error).message}`)
    }
    const list = (doc as { rules?: unknown } | null)?.rules
    if (!Array.isArray(list)) throw new BrokenInputError(file, 'rule file has no `rules:` list')
    for (const raw of list) rules.push(readRule(raw as Record<string, unknown>, file))
    sources.push(...(list as unknown[]))
  }
  return { dir, rules, sources }
}

/**
 * The whole pack as one JSON config. Semgrep's Python CLI reads JSON configs with `json` and YAML ones
 * with a pure-Python YAML parser, one file at a time: for our 26 rule files that is ~80 ms of every scan,
 * a tenth of a diff scan. The YAML files stay the source (and what `semgrep --test` runs).
 */
export function packConfigJson(pack: RulePack): string {
  return JSON.stringify({ rules: pack.sources })
}

/** Semgrep's own levels, used only when a rule has no `security-severity`. */
const ENGINE_SEVERITY: Record<string, Severity> = { ERROR: 'high', WARNING: 'medium', INFO: 'low' }

export function severityOf(rule: PackRule): Severity {
  if (rule.securitySeverity !== undefined) return severityFromScore(rule.securitySeverity)
  return ENGINE_SEVERITY[rule.engineSeverity.toUpperCase()] ?? 'medium'
}

export function ruleTitle(rule: PackRule): string {
  const first = rule.message.split(/(?<=\.)\s/)[0] ?? rule.message
  return first.length > 120 ? `${first.slice(0, 117)}...` : first
}

const PRECISION: Record<string, RuleDescriptor['precision']> = { HIGH: 'high', MEDIUM: 'medium', LOW: 'low' }

/** SARIF rule metadata (help text, CWE/OWASP tags, security-severity) for code scanning. */
export function ruleDescriptor(rule: PackRule): RuleDescriptor {
  const cwes = cweIds(rule.cwe)
  const references = rule.references.map(ref => `- ${ref}`).join('\n')
  const classification = [...rule.cwe, ...rule.owasp].map(c => `- ${c}`).join('\n')
  const precision = PRECISION[(rule.confidence ?? '').toUpperCase()]
  return {
    id: rule.id,
    name: rule.id,
    shortDescription: ruleTitle(rule),
    fullDescription: rule.message,
    help: [rule.message, rule.references.length > 0 ? `References:\n${references}` : '']
      .filter(Boolean)
      .join('\n\n'),
    helpMarkdown: [
      rule.message,
      classification && `**Classification**\n\n${classification}`,
      references && `**References**\n\n${references}`
    ]
      .filter(Boolean)
      .join('\n\n'),
    ...(rule.references[0] ? { helpUri: rule.references[0] } : {}),
    severity: severityOf(rule),
    ...(rule.securitySeverity !== undefined ? { securitySeverity: rule.securitySeverity } : {}),
    tags: [
      'security',
      ...cwes.map(c => `external/cwe/${c.toLowerCase()}`),
      ...rule.owasp.map(o => `owasp/${o.split(' ')[0]}`)
    ],
    ...(precision ? { precision } : {})
  }
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

/**
 * The bundled pack sits at `<repo>/rules` next to `dist/` and `packages/`; walk up from the running file
 * (the ncc bundle or a source file) to find it, so no path is baked into the bundle.
 */
export function findBundledRulesDir(fromDir: string): string | undefined {
  let dir = path.resolve(fromDir)
  for (;;) {
    const candidate = path.join(dir, 'rules')
    if (existsSync(path.join(candidate, 'README.md')) && existsSync(path.join(candidate, 'python')))
      return candidate
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
