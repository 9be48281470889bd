// Runs the real admission engines' offline CLIs on exported policies and reads back one verdict per
// object and rule. Anything but a clean, parseable answer throws: an engine that did not judge is never
// read as "allowed".
import { mkdirSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { FORMAT_FILES, type AdmissionExport } from '../../packages/core/src/k8s/export/export.js'
import { RULES_BY_ID } from '../../packages/core/src/k8s/rules/catalog.js'
import { childEnv, runProcess, type ProcessOutcome } from '../../packages/core/src/runtime/process.js'
import { toolPath } from './tools-path.js'

export type Verdict = 'pass' | 'fail' | 'error'

/** Verdicts by object (objectKey), then by policy (or constraint) name; an absent entry means "not judged". */
export type EngineVerdicts = Map<string, Map<string, Verdict>>

/** `namespace/name` (namespace empty when the object names none): twins in two namespaces stay apart. */
export const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}/${name}`

const DEADLINE_MS = 600_000

function describe(tool: string, outcome: ProcessOutcome): string {
  return `${tool} exited ${outcome.exitCode ?? outcome.signal}${outcome.timedOut ? ' (timed out)' : ''}: ${outcome.stderr.slice(-2000)}${outcome.stdout.slice(0, 2000)}`
}

function record(verdicts: EngineVerdicts, object: string, policy: string, verdict: Verdict): void {
  const byPolicy = verdicts.get(object) ?? new Map<string, Verdict>()
  // A failure outranks a pass for the same pair (several containers, an expanded Pod and its parent).
  const before = byPolicy.get(policy)
  if (before === 'error' || (before === 'fail' && verdict === 'pass')) return
  byPolicy.set(policy, verdict)
  verdicts.set(object, byPolicy)
}

/** The message each policy's validation carries: any other text is the engine reporting an error. */
export type ExpectedMessage = (policy: string) => string | undefined

/** gator prefixes what it found on a workload's expanded Pod with the ExpansionTemplate's name. */
const IMPLIED = /^\[Implied by [^\]]+\] /

interface GatorResult {
  msg?: string
  constraint?: { metadata?: { name?: string } }
  violatingObject?: { metadata?: { name?: string; namespace?: string } }
  enforcementAction?: string
}

/**
 * `gator test` over the policy and object files. gator lists violations only, so every other pair passes;
 * exit 1 means a deny constraint was violated, anything else but 0 is a failure to judge.
 */
export async function gatorVerdicts(
  files: readonly string[],
  cwd: string,
  expected: ExpectedMessage
): Promise<EngineVerdicts> {
  const args = ['test', ...files.flatMap(f => ['-f', f]), '-o', 'json']
  const outcome = await runProcess(toolPath('gator'), args, {
    cwd,
    deadlineMs: DEADLINE_MS,
    env: childEnv(),
    maxStdoutBytes: 256 * 1024 * 1024
  })
  if (outcome.exitCode !== 0 && outcome.exitCode !== 1) throw new Error(describe('gator', outcome))
  const text = outcome.stdout.trim()
  const results = (text === '' || text === 'null' ? [] : JSON.parse(text)) as GatorResult[] | null
  if (!Array.isArray(results)) throw new Error(`gator printed no result list: ${describe('gator', outcome)}`)
  if ((outcome.exitCode === 1) !== results.some(r => r.enforcementAction === 'deny'))
    throw new Error(`gator's exit code does not match its results: ${describe('gator', outcome)}`)
  const verdicts: EngineVerdicts = new Map()
  for (const result of results) {
    const name = result.violatingObject?.metadata?.name
    const object = name && objectKey(result.violatingObject?.metadata?.namespace, name)
    const policy = result.constraint?.metadata?.name
    if (!object || !policy)
      throw new Error(`gator result without object or constraint: ${JSON.stringify(result)}`)
    // gator reports a CEL compilation or evaluation error as a violation; only the rule's own message is one.
    const message = (result.msg ?? '').replace(IMPLIED, '')
    record(verdicts, object, policy, message === expected(policy) ? 'fail' : 'error')
  }
  return verdicts
}

interface ReportResult {
  policy?: string
  message?: string
  result?: string
  resources?: { name?: string; namespace?: string }[]
}

const KYVERNO_VERDICT: Record<string, Verdict | undefined> = {
  pass: 'pass',
  skip: 'pass',
  fail: 'fail',
  error: 'error',
  warn: 'error'
}

/**
 * `kyverno apply` with a policy report in JSON. `--warnings-as-errors` turns a deprecation warning
 * about the exported kinds into a failure, and `--continue-on-error=false` a resource it cannot load.
 */
export async function kyvernoVerdicts(
  policyFile: string,
  resourceFile: string,
  cwd: string,
  expected: ExpectedMessage
): Promise<EngineVerdicts> {
  const args = [
    'apply',
    policyFile,
    '--resource',
    resourceFile,
    '--policy-report',
    '--output-format',
    'json',
    '--warnings-as-errors',
    '--continue-on-error=false',
    '--remove-color'
  ]
  const outcome = await runProcess(toolPath('kyverno'), args, {
    cwd,
    deadlineMs: DEADLINE_MS,
    env: childEnv(),
    maxStdoutBytes: 256 * 1024 * 1024
  })
  if (outcome.exitCode !== 0 && outcome.exitCode !== 1) throw new Error(describe('kyverno', outcome))
  const start = outcome.stdout.indexOf('{')
  if (start < 0) throw new Error(`kyverno printed no policy report: ${describe('kyverno', outcome)}`)
  const report = JSON.parse(outcome.stdout.slice(start)) as { results?: ReportResult[] }
  const verdicts: EngineVerdicts = new Map()
  for (const result of report.results ?? []) {
    const verdict = KYVERNO_VERDICT[result.result ?? '']
    const resource = result.resources?.[0]
    const object = resource?.name && objectKey(resource.namespace || undefined, resource.name)
    if (!verdict || !object || !result.policy)
      throw new Error(`kyverno result not understood: ${JSON.stringify(result)}`)
    const wrongMessage =
      verdict === 'fail' && !(result.message ?? '').includes(expected(result.policy) ?? '\u0000')
    record(verdicts, object, result.policy, wrongMessage ? 'error' : verdict)
  }
  return verdicts
}

export const JUDGED_FORMATS = ['gatekeeper', 'kyverno', 'vap'] as const
export type JudgedFormat = (typeof JUDGED_FORMATS)[number]

export interface ExportJudgement {
  verdicts: Record<JudgedFormat, EngineVerdicts>
  /** Wall time of each engine's one call over all the objects: printed, never asserted. */
  seconds: Record<JudgedFormat, number>
}

/** The message each exported rule's validation carries (`<title>: <help>`). */
const ruleMessage: ExpectedMessage = policy => {
  const rule = RULES_BY_ID.get(policy.replace(/^secure-pipeline-/, ''))
  return rule && `${rule.title}: ${rule.help}`
}

/**
 * Writes the export and the objects into `dir` and has each engine judge all the objects in one call.
 * The objects are written as JSON: the engines read YAML 1.1, where an unquoted `yes` that a YAML 1.2
 * writer leaves bare is a boolean.
 */
export async function judgeExport(
  dir: string,
  exported: AdmissionExport,
  objects: readonly unknown[]
): Promise<ExportJudgement> {
  for (const file of exported.files) {
    mkdirSync(path.dirname(path.join(dir, file.path)), { recursive: true })
    writeFileSync(path.join(dir, file.path), file.content)
  }
  const objectsFile = path.join(dir, 'objects.yaml')
  writeFileSync(objectsFile, objects.map(o => `---\n${JSON.stringify(o)}\n`).join(''))
  const at = (format: JudgedFormat) => path.join(dir, FORMAT_FILES[format])
  const seconds: Record<JudgedFormat, number> = { gatekeeper: 0, kyverno: 0, vap: 0 }
  const timed = async (format: JudgedFormat, run: () => Promise<EngineVerdicts>) => {
    const start = performance.now()
    const verdicts = await run()
    seconds[format] = (performance.now() - start) / 1000
    return verdicts
  }
  const verdicts: Record<JudgedFormat, EngineVerdicts> = {
    gatekeeper: await timed('gatekeeper', () =>
      gatorVerdicts([at('gatekeeper'), objectsFile], dir, ruleMessage)
    ),
    kyverno: await timed('kyverno', () => kyvernoVerdicts(at('kyverno'), objectsFile, dir, ruleMessage)),
    vap: await timed('vap', () => kyvernoVerdicts(at('vap'), objectsFile, dir, ruleMessage))
  }
  return { verdicts, seconds }
}
