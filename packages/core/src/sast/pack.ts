import { existsSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { severityFromScore, type Severity } from '../findings/finding.js'
import { cweIds } from '../findings/ids.js'
import type { RuleDescriptor } from '../findings/sarif/model.js'
import { BrokenInputError } from '../runtime/errors.js'

/** One rule of our pack, with the metadata every rule must carry (checked by `rulePackProblems`). */
export interface PackRule {
  id: string
  /** Rule file relative to the pack directory, forward slashes. */
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
  /** The rule objects as written, in file order: what the engine is given as one JSON config. */
  sources: unknown[]
}

/** One rule file's rules as written. */
export interface RuleFile {
  file: string
  rules: unknown[]
}

/**
 * The pack compiled to JSON next to its YAML files (`node --import tsx scripts/compile-rules.ts`).
 * The action reads this at start-up: parsing the 26 YAML files cost ~100 ms of a cold Node
 * process, more than the rest of its start-up together. A unit test keeps it equal to the YAML.
 */
export const COMPILED_PACK = 'pack.json'

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

/** A pack from its files' rule lists (from YAML or from the compiled JSON alike). */
export function packOf(dir: string, files: readonly RuleFile[]): RulePack {
  const rules: PackRule[] = []
  const sources: unknown[] = []
  for (const { file, rules: list } of files) {
    for (const raw of list) rules.push(readRule(raw as Record<string, unknown>, file))
    sources.push(...list)
  }
  return { dir, rules, sources }
}

/** The text of `pack.json` for these rule files: stable, so the check can compare it byte for byte. */
export function compiledPackText(files: readonly RuleFile[]): string {
  return `${JSON.stringify({ generated: 'from the rule files in this folder by scripts/compile-rules.ts; do not edit', files }, null, 1)}\n`
}

/** The bundled pack, from its compiled JSON. */
export function loadCompiledPack(dir: string): RulePack {
  const file = path.join(dir, COMPILED_PACK)
  let parsed: { files?: unknown }
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8')) as { files?: unknown }
  } catch (error) {
    throw new BrokenInputError(file, `the compiled rule pack cannot be read: ${(error as Error).message}`)
  }
  const files = parsed.files
  if (!Array.isArray(files) || files.some(f => !Array.isArray((f as RuleFile | null)?.rules)))
    throw new BrokenInputError(file, 'the compiled rule pack has no `files` list of rule lists')
  return packOf(dir, files as RuleFile[])
}

/** The whole pack as one JSON config: Semgrep reads JSON configs much faster than YAML ones. */
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

/**
 * The bundled pack sits at `<repo>/rules` next to `dist/` and `packages/`; walk up from the running file
 * (the ncc bundle or a source file) to find it, so no path is baked into the bundle.
 */
export function findBundledRulesDir(fromDir: string): string | undefined {
  let dir = path.resolve(fromDir)
  for (;;) {
    const candidate = path.join(dir, 'rules')
    if (existsSync(path.join(candidate, COMPILED_PACK))) return candidate
    const parent = path.dirname(dir)
    if (parent === dir) return undefined
    dir = parent
  }
}
