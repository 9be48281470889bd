import { data, Evaluator, Lexer, Parser } from '@actions/expressions'
import { TokenType } from '@actions/expressions/lexer'
import { spawn } from 'node:child_process'
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  symlinkSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from './repo-root.js'
import { toolPath } from './tools-path.js'
import { runnerEnvironment } from './run-bundle.js'

/**
 * Runs a composite action's steps the way the GitHub runner does, so a test sees what a workflow
 * would see: `${{ }}` evaluated by GitHub's own expression library in `if`, `env` and `run` (the
 * runner substitutes into `run:` too, which is why inputs must reach scripts through `env:`), each
 * `run:` written to a file and run with `bash --noprofile --norc -eo pipefail {0}`, one
 * GITHUB_OUTPUT file per step, `continue-on-error`, `steps.<id>.outcome/conclusion/outputs`, and the
 * composite's outputs evaluated last. Composite steps get no INPUT_* variables of their own
 * (actions/runner#665): only what a step's `env:` gives them.
 */

export type StepResult = 'success' | 'failure' | 'skipped'

export interface CompositeOptions {
  workspace: string
  /** The caller's `with:`; a name the action does not declare is an error, as in a workflow. */
  with?: Record<string, string>
  /** Job environment on top of the runner's (tool paths, for instance). */
  env?: Record<string, string>
  event?: { name: string; payload: unknown }
  /** The folder holding action.yml, i.e. GITHUB_ACTION_PATH; default: this repository. */
  actionPath?: string
  /** The `node` a step's PATH finds first. */
  node?: string
  /** `github.token`; default: a placeholder that no API accepts. */
  token?: string
  /** Per step. */
  timeoutMs?: number
}

export interface StepRun {
  name: string
  id?: string
  outcome: StepResult
  conclusion: StepResult
  exitCode: number | null
  /** The step's `env:` after evaluation (empty for a skipped step, whose env the runner never evaluates). */
  env: Record<string, string>
  /** The script after evaluation, as bash ran it. */
  script?: string
  stdout: string
  stderr: string
  outputs: Record<string, string>
  /** What the step wrote to GITHUB_STEP_SUMMARY. */
  summary: string
}

export interface CompositeRun {
  /** failure when a step failed that had no `continue-on-error`, as the calling job sees it. */
  status: 'success' | 'failure'
  steps: StepRun[]
  outputs: Record<string, string>
  /** Every step's GITHUB_STEP_SUMMARY, in order. */
  summary: string
}

interface CompositeStep {
  name?: string
  id?: string
  if?: string | boolean
  run?: string | number | boolean
  shell?: string
  env?: Record<string, string | number | boolean>
  'continue-on-error'?: string | boolean
  [other: string]: unknown
}

interface CompositeAction {
  inputs?: Record<string, { default?: string | number | boolean; required?: boolean }>
  outputs?: Record<string, { value?: string }>
  runs?: { using?: string; steps?: CompositeStep[] }
}

const SUPPORTED_STEP_KEYS = new Set(['name', 'id', 'if', 'run', 'shell', 'env', 'continue-on-error'])
/**
 * `uses:` steps this harness stands in for. actions/cache: a miss, as on a fresh runner (no cache
 * service here); its `with:` is still evaluated, so a bad expression fails, and the post-job save is not run.
 * actions/upload-artifact: its `with:` is evaluated and its paths are looked up as `artifactFiles` does
 * (links followed, as the real one follows them); none found with `if-no-files-found: error` fails the step.
 */
const SIMULATED_ACTIONS = /^actions\/(?:cache|upload-artifact)@[0-9a-f]{40}$/
const UPLOAD_ARTIFACT = /^actions\/upload-artifact@[0-9a-f]{40}$/
// Workflow-level contexts too (matrix, secrets, needs, …), for tests that evaluate workflow steps.
const CONTEXTS = [
  'github',
  'inputs',
  'steps',
  'env',
  'runner',
  'job',
  'matrix',
  'secrets',
  'needs',
  'strategy',
  'vars',
  // A reusable workflow's on.workflow_call.outputs read the jobs context.
  'jobs'
]
const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled']

/** A JSON-like value as expression data (objects are case-insensitive dictionaries, as in the runner). */
function toData(value: unknown): data.ExpressionData {
  if (value === null || value === undefined) return new data.Null()
  if (typeof value === 'string') return new data.StringData(value)
  if (typeof value === 'number') return new data.NumberData(value)
  if (typeof value === 'boolean') return new data.BooleanData(value)
  if (Array.isArray(value)) return new data.Array(...value.map(toData))
  return new data.Dictionary(
    ...Object.entries(value as Record<string, unknown>).map(([key, v]) => ({ key, value: toData(v) }))
  )
}

export interface Evaluation {
  contexts: Record<string, unknown>
  /** Whether a step before this one failed without continue-on-error. */
  failed: boolean
}

function statusFunctions(failed: boolean) {
  const result = (value: boolean) => () => new data.BooleanData(value)
  const calls: Record<string, () => data.ExpressionData> = {
    success: result(!failed),
    failure: result(failed),
    always: result(true),
    cancelled: result(false)
  }
  return new Map(Object.entries(calls).map(([name, call]) => [name, { name, minArgs: 0, maxArgs: 0, call }]))
}

function parseExpression(expression: string) {
  const { tokens } = new Lexer(expression).lex()
  const functions = STATUS_FUNCTIONS.map(name => ({ name, minArgs: 0, maxArgs: 0 }))
  return { tokens, expr: new Parser(tokens, CONTEXTS, functions).parse() }
}

export function evaluateExpression(expression: string, evaluation: Evaluation): data.ExpressionData {
  const { expr } = parseExpression(expression)
  const context = toData(evaluation.contexts) as data.Dictionary
  return new Evaluator(expr, context, statusFunctions(evaluation.failed)).evaluate()
}

/** Replaces every `${{ expr }}` in `text` with the expression's string value, as the runner does. */
export function interpolate(text: string, evaluation: Evaluation): string {
  return text.replace(/\$\{\{([\s\S]*?)\}\}/g, (_whole, expression: string) =>
    evaluateExpression(expression, evaluation).coerceString()
  )
}

/** `if:` without a status function means `success() && (…)` (GitHub's documented default). */
function conditionHolds(condition: string | boolean | undefined, evaluation: Evaluation): boolean {
  if (condition === undefined) return !evaluation.failed
  if (typeof condition === 'boolean') return condition && !evaluation.failed
  const whole = /^\s*\$\{\{([\s\S]*)\}\}\s*$/.exec(condition)
  const expression = whole ? whole[1]! : condition
  const { tokens } = parseExpression(expression)
  const callsStatus = tokens.some(
    (token, i) =>
      token.type === TokenType.IDENTIFIER &&
      STATUS_FUNCTIONS.includes(token.lexeme.toLowerCase()) &&
      tokens[i + 1]?.type === TokenType.LEFT_PAREN
  )
  const full = callsStatus ? expression : `success() && (${expression})`
  const result = evaluateExpression(full, evaluation)
  return result.kind === data.Kind.Boolean ? (result as data.BooleanData).value : result.coerceString() !== ''
}

function truthyFlag(value: string | boolean | undefined, evaluation: Evaluation): boolean {
  if (value === undefined) return false
  if (typeof value === 'boolean') return value
  return interpolate(value, evaluation).trim() === 'true'
}

function readAction(actionPath: string): CompositeAction {
  const action = parse(readFileSync(path.join(actionPath, 'action.yml'), 'utf8')) as CompositeAction
  if (action.runs?.using !== 'composite')
    throw new Error(`${actionPath}/action.yml is not a composite action`)
  return action
}

function resolveInputs(action: CompositeAction, given: Record<string, string>, evaluation: Evaluation) {
  const declared = action.inputs ?? {}
  for (const name of Object.keys(given)) {
    if (!(name.toLowerCase() in lowerKeys(declared))) throw new Error(`unexpected input '${name}'`)
  }
  const inputs: Record<string, string> = {}
  for (const [name, spec] of Object.entries(declared)) {
    const value = Object.entries(given).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1]
    inputs[name] = value ?? interpolate(String(spec.default ?? ''), evaluation)
    if (spec.required && inputs[name] === '') throw new Error(`input '${name}' is required`)
  }
  return inputs
}

function lowerKeys(record: Record<string, unknown>): Record<string, true> {
  return Object.fromEntries(Object.keys(record).map(k => [k.toLowerCase(), true as const]))
}

async function runBash(
  script: string,
  env: Record<string, string>,
  cwd: string,
  scratch: string,
  timeoutMs: number
): Promise<{ exitCode: number | null; stdout: string; stderr: string }> {
  const file = path.join(scratch, 'script.sh')
  writeFileSync(file, script)
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    env,
    cwd,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs)
  const exitCode = await new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  clearTimeout(timer)
  return { exitCode, stdout, stderr }
}

function runnerEnv(options: CompositeOptions, root: string, actionPath: string): Record<string, string> {
  const eventFile = path.join(root, 'event.json')
  writeFileSync(eventFile, JSON.stringify(options.event?.payload ?? {}))
  const temp = mkdirp(path.join(root, 'runner-temp'))
  mkdirp(path.join(temp, 'tool-cache'))
  const base = runnerEnvironment({
    workspace: options.workspace,
    eventFile,
    eventName: options.event?.name,
    temp
  })
  const nodeDir = path.dirname(options.node ?? process.execPath)
  return { ...base, PATH: `${nodeDir}:${base.PATH}`, GITHUB_ACTION_PATH: actionPath, ...options.env }
}

function mkdirp(dir: string): string {
  mkdirSync(dir, { recursive: true })
  return dir
}

/** The runner's file-command format: `name=value` lines, or `name<<delimiter` … `delimiter`. */
export function parseFileCommands(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!
    const heredoc = /^([^<=]+)<<(.+)$/.exec(line)
    if (heredoc) {
      const [, name, delimiter] = heredoc
      const value: string[] = []
      for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
      out[name!] = value.join('\n')
    } else if (line.includes('=')) {
      out[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1)
    }
  }
  return out
}

interface StepContext {
  evaluation: Evaluation
  /** The job environment, which GITHUB_ENV and GITHUB_PATH of earlier steps extend. */
  jobEnv: Record<string, string>
  root: string
  options: CompositeOptions
}

function checkSupported(step: CompositeStep, index: number): void {
  if (typeof step.uses === 'string' && SIMULATED_ACTIONS.test(step.uses)) return
  const unsupported = Object.keys(step).filter(key => !SUPPORTED_STEP_KEYS.has(key))
  if (unsupported.length > 0 || step.run === undefined || step.shell !== 'bash') {
    throw new Error(
      `step ${index}: this harness runs only bash 'run:' steps (found ${unsupported.join(', ')})`
    )
  }
}

/** Runs one step that its `if:` let through, and applies its file commands to the job. */
async function executeStep(step: CompositeStep, index: number, ctx: StepContext): Promise<StepRun> {
  if (typeof step.uses === 'string' && UPLOAD_ARTIFACT.test(step.uses))
    return simulatedUpload(step, index, ctx.evaluation, ctx.options.workspace)
  if (step.uses !== undefined) return simulatedCacheMiss(step, index, ctx.evaluation)
  const { evaluation, jobEnv, options } = ctx
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([key, value]) => [key, interpolate(String(value), evaluation)])
  )
  const scratch = mkdtempSync(path.join(ctx.root, `step-${index}-`))
  const files = {
    GITHUB_OUTPUT: path.join(scratch, 'output'),
    GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
    GITHUB_ENV: path.join(scratch, 'env'),
    GITHUB_PATH: path.join(scratch, 'path'),
    GITHUB_STATE: path.join(scratch, 'state')
  }
  for (const file of Object.values(files)) writeFileSync(file, '')
  const script = interpolate(String(step.run), evaluation)
  const result = await runBash(
    script,
    { ...jobEnv, ...files, ...env },
    options.workspace,
    scratch,
    options.timeoutMs ?? 600_000
  )
  const outcome: StepResult = result.exitCode === 0 ? 'success' : 'failure'
  const continueOnError = truthyFlag(step['continue-on-error'], evaluation)
  Object.assign(jobEnv, parseFileCommands(readFileSync(files.GITHUB_ENV, 'utf8')))
  for (const dir of readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean))
    jobEnv.PATH = `${dir}:${jobEnv.PATH}`
  return {
    name: step.name ?? `step ${index}`,
    id: step.id,
    outcome,
    conclusion: outcome === 'failure' && continueOnError ? 'success' : outcome,
    ...result,
    env,
    script,
    outputs: parseFileCommands(readFileSync(files.GITHUB_OUTPUT, 'utf8')),
    summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8')
  }
}

function simulatedCacheMiss(step: CompositeStep, index: number, evaluation: Evaluation): StepRun {
  const inputs = Object.entries((step.with ?? {}) as Record<string, unknown>)
  const env = Object.fromEntries(inputs.map(([key, value]) => [key, interpolate(String(value), evaluation)]))
  return {
    ...skippedStep(step, index),
    outcome: 'success',
    conclusion: 'success',
    exitCode: 0,
    env,
    outputs: { 'cache-hit': 'false' }
  }
}

function simulatedUpload(
  step: CompositeStep,
  index: number,
  evaluation: Evaluation,
  workspace: string
): StepRun {
  const run = simulatedCacheMiss(step, index, evaluation)
  const files = artifactFiles(workspace, run.env.path ?? '')
  const failed = files.length === 0 && (run.env['if-no-files-found'] ?? 'warn') === 'error'
  return {
    ...run,
    outcome: failed ? 'failure' : 'success',
    conclusion: failed ? 'failure' : 'success',
    exitCode: failed ? 1 : 0,
    outputs: {
      'artifact-name': run.env.name ?? '',
      uploaded: files.map(f => f.file).join('\n'),
      read: files.map(f => f.read).join('\n')
    }
  }
}

/**
 * The files actions/upload-artifact puts in an artifact for its `path:` lines (files, directories, or
 * `*` in the last part), found as it finds them: @actions/glob with links followed (a linked directory
 * is walked, a broken link left out), directories taken with everything below, hidden names skipped;
 * and each file's bytes read through its link (@actions/artifact's zip reads realpath()). `read` is
 * what was really read, which may lie outside the workspace.
 */
export function artifactFiles(workspace: string, paths: string): { file: string; read: string }[] {
  const out: { file: string; read: string }[] = []
  const take = (relative: string, seen: Set<string>) => {
    const full = path.join(workspace, relative)
    let info
    try {
      info = statSync(full)
    } catch {
      return
    }
    const real = realpathSync(full)
    if (!info.isDirectory()) return void out.push({ file: relative, read: real })
    if (seen.has(real)) return
    seen.add(real)
    for (const name of readdirSync(full).sort())
      if (!name.startsWith('.')) take(path.posix.join(relative, name), seen)
  }
  for (const pattern of paths
    .split('\n')
    .map(line => line.trim())
    .filter(Boolean)) {
    const last = path.basename(pattern)
    if (!last.includes('*')) {
      take(pattern, new Set())
      continue
    }
    const dir = path.join(workspace, path.dirname(pattern))
    const re = new RegExp(
      `^${last
        .split('*')
        .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('[^/]*')}$`
    )
    let names: string[] = []
    try {
      names = readdirSync(dir)
    } catch {
      // No such directory: nothing matches.
    }
    for (const name of names.sort())
      if (re.test(name) && !name.startsWith('.'))
        take(path.posix.join(path.dirname(pattern), name), new Set())
  }
  return out
}

function skippedStep(step: CompositeStep, index: number): StepRun {
  const result = 'skipped' as const
  const name = step.name ?? `step ${index}`
  return {
    name,
    id: step.id,
    outcome: result,
    conclusion: result,
    exitCode: null,
    env: {},
    stdout: '',
    stderr: '',
    outputs: {},
    summary: ''
  }
}

/** Runs the composite action at `actionPath` (default: this repository's root action.yml). */
export async function runComposite(options: CompositeOptions): Promise<CompositeRun> {
  const actionPath = options.actionPath ?? REPO_ROOT
  const action = readAction(actionPath)
  const root = mkdtempSync(path.join(tmpdir(), 'composite-'))
  const jobEnv = runnerEnv(options, root, actionPath)
  const github = {
    token: options.token ?? 'ghs_placeholderTokenNobodyAccepts',
    event_name: jobEnv.GITHUB_EVENT_NAME,
    event: options.event?.payload ?? {},
    workspace: options.workspace,
    action_path: actionPath,
    repository: jobEnv.GITHUB_REPOSITORY,
    sha: jobEnv.GITHUB_SHA,
    ref: jobEnv.GITHUB_REF,
    run_id: jobEnv.GITHUB_RUN_ID,
    run_attempt: jobEnv.GITHUB_RUN_ATTEMPT
  }
  const steps: Record<string, Pick<StepRun, 'outcome' | 'conclusion' | 'outputs'>> = {}
  const contexts: Record<string, unknown> = {
    github,
    steps,
    env: {},
    runner: { os: 'Linux', arch: 'X64', temp: jobEnv.RUNNER_TEMP },
    job: {}
  }
  const evaluation: Evaluation = { contexts, failed: false }
  contexts.inputs = resolveInputs(action, options.with ?? {}, evaluation)

  const runs: StepRun[] = []
  for (const [index, step] of (action.runs?.steps ?? []).entries()) {
    checkSupported(step, index)
    const run = conditionHolds(step.if, evaluation)
      ? await executeStep(step, index, { evaluation, jobEnv, root, options })
      : skippedStep(step, index)
    if (run.conclusion === 'failure') evaluation.failed = true
    runs.push(run)
    if (step.id) steps[step.id] = { outcome: run.outcome, conclusion: run.conclusion, outputs: run.outputs }
  }
  const outputs = Object.fromEntries(
    Object.entries(action.outputs ?? {}).map(([name, spec]) => [
      name,
      interpolate(spec.value ?? '', evaluation)
    ])
  )
  const status = evaluation.failed ? 'failure' : 'success'
  return { status, steps: runs, outputs, summary: runs.map(r => r.summary).join('') }
}

/** The run of the step with this name or id; throws when there is none, so a renamed step fails loudly. */
export function stepOf(run: CompositeRun, nameOrId: string): StepRun {
  const step = run.steps.find(s => s.id === nameOrId || s.name === nameOrId)
  if (!step) throw new Error(`no step '${nameOrId}' in ${run.steps.map(s => s.id ?? s.name).join(', ')}`)
  return step
}

/**
 * An action folder like this repository's root, except that one scanner's bundle dies as it loads
 * (a runner whose `node` cannot run it, an OOM kill): it never gets to replace or write its report.
 */
export function actionWithDeadBundle(dead: 'sast' | 'sca' | 'k8s-policy' | 'image-scan'): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'composite-action-'))
  cpSync(path.join(REPO_ROOT, 'action.yml'), path.join(dir, 'action.yml'))
  for (const bundle of ['sast', 'sca', 'k8s-policy', 'image-scan', 'gate']) {
    mkdirSync(path.join(dir, 'dist'), { recursive: true })
    if (bundle === dead) {
      mkdirSync(path.join(dir, 'dist', bundle))
      writeFileSync(path.join(dir, 'dist', bundle, 'index.js'), "process.kill(process.pid, 'SIGSEGV')\n")
    } else {
      // A link: node runs the real file, which finds rules/ next to it as it does in a checkout.
      symlinkSync(path.join(REPO_ROOT, 'dist', bundle), path.join(dir, 'dist', bundle))
    }
  }
  return dir
}

/** The pinned tools every scanner step of the root composite finds through SECURE_PIPELINE_<TOOL>_PATH. */
export const COMPOSITE_TOOLS = {
  SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
  SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize'),
  SECURE_PIPELINE_OSV_SCANNER_PATH: toolPath('osv-scanner'),
  SECURE_PIPELINE_TRIVY_PATH: toolPath('trivy')
}

/** The reports the composite's gate read, from its evidence file, sorted. */
export function reportsRead(workspace: string): string[] {
  const evidence = JSON.parse(
    readFileSync(path.join(workspace, 'secure-pipeline/gate/evidence.json'), 'utf8')
  ) as { reports: { file: string }[] }
  return evidence.reports.map(r => r.file).sort()
}
