import { EOL, tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  BrokenInputError,
  ConfigurationError,
  getListInput,
  getOptionalInput,
  getTriStateInput,
  parseEnum,
  parsePositiveInteger,
  resolveInWorkspace,
  runAction,
  type TriState,
  workflow,
  workspaceRoot
} from '@secure-pipeline/core/runtime'
import { countBySeverity } from '@secure-pipeline/core/findings'
import { SarifOutput } from '@secure-pipeline/core/sarif'
import { withCommandsStopped } from '@secure-pipeline/core/report'
import { readActionsContext } from '@secure-pipeline/core/github'
import {
  decideScanMode,
  type Engine,
  ENGINES,
  findBundledRulesDir,
  installSemgrepVenv,
  loadRulePack,
  renderSastSummary,
  resolveUserConfigs,
  runSastScan,
  SemgrepEngine
} from '@secure-pipeline/core/sast'

/** Every input, parsed and validated once. */
export interface SastInputs {
  workspace: string
  /** Repository-relative. */
  scanPath: string
  configs: string[]
  engine: Engine
  exclude: string[]
  /** Absolute, inside the workspace. */
  sarifFile: string
  diff: TriState
  deadlineMs: number
  ruleTimeoutSeconds: number
  semgrepPath?: string
  opengrepVersion?: string
}

export const DEFAULT_SARIF_FILE = 'secure-pipeline/sast.sarif'

/** Read before any other input, so a failure of any kind still leaves a failed SARIF there. */
function readSarifFile(workspace: string): string {
  return resolveInWorkspace('sarif-file', getOptionalInput('sarif-file') ?? DEFAULT_SARIF_FILE, workspace)
}

export function readInputs(workspace = workspaceRoot()): SastInputs {
  const scanPath =
    path.relative(workspace, resolveInWorkspace('path', getOptionalInput('path') ?? '.', workspace)) || '.'
  const minutes = parsePositiveInteger('timeout-minutes', getOptionalInput('timeout-minutes'), 30)
  const ruleTimeout = parsePositiveInteger('rule-timeout', getOptionalInput('rule-timeout'), 30)
  if (minutes === 0 || ruleTimeout === 0)
    throw new ConfigurationError("Inputs 'timeout-minutes' and 'rule-timeout' must be at least 1.")
  return {
    workspace,
    scanPath,
    configs: getListInput('config'),
    engine: parseEnum('engine', getOptionalInput('engine'), ENGINES, 'semgrep'),
    exclude: getListInput('exclude'),
    sarifFile: readSarifFile(workspace),
    diff: getTriStateInput('diff', 'auto'),
    deadlineMs: minutes * 60_000,
    ruleTimeoutSeconds: ruleTimeout,
    semgrepPath: getOptionalInput('semgrep-path'),
    opengrepVersion: getOptionalInput('opengrep-version')
  }
}

/** The rule pack ships in this repository next to dist/: found from the running bundle, never downloaded. */
function bundledRules(): string {
  const dir = findBundledRulesDir(path.dirname(fileURLToPath(import.meta.url)))
  if (!dir)
    throw new BrokenInputError(
      'sast',
      'the bundled rule pack (rules/) is missing next to the action; check out the action repository whole'
    )
  return dir
}

export async function run(): Promise<void> {
  await runAction('sast', async ({ logger, summary, onFailure }) => {
    const workspace = workspaceRoot()
    const output = new SarifOutput(workspace, readSarifFile(workspace), {
      tool: { name: 'semgrep' },
      category: 'sast'
    })
    onFailure(message => output.writeFailure(message))
    const inputs = readInputs(workspace)
    const rulesDir = bundledRules()
    const pack = loadRulePack(rulesDir)
    const user = resolveUserConfigs(inputs.configs, inputs.workspace)
    if (user.registry.length > 0)
      logger.info(`Registry configs named in 'config' (fetched at run time): ${user.registry.join(', ')}`)
    const mode = await decideScanMode(inputs.diff, readActionsContext(), inputs.workspace, logger)
    logger.info(`${mode.kind === 'diff' ? 'Diff' : 'Full'} scan: ${mode.reason}`)
    const engine = await SemgrepEngine.create({
      engine: inputs.engine,
      binaryPath: inputs.semgrepPath,
      version: inputs.opengrepVersion,
      logger,
      installSemgrep: () =>
        installSemgrepVenv({
          requirementsFile: path.join(rulesDir, '..', 'actions', 'sast', 'semgrep-requirements.txt'),
          toolCache: process.env.RUNNER_TOOL_CACHE || tmpdir(),
          logger
        })
    })
    const languages = user.languages
      ? [...new Set([...pack.rules.flatMap(r => r.languages), ...user.languages])]
      : undefined
    const result = await logger.group(`${inputs.engine} scan`, () =>
      runSastScan(engine, {
        workspace: inputs.workspace,
        scanPath: inputs.scanPath,
        pack,
        userConfigs: user.configs,
        languages,
        exclude: inputs.exclude,
        mode,
        ruleTimeoutSeconds: inputs.ruleTimeoutSeconds,
        deadlineMs: inputs.deadlineMs,
        logger,
        echo: text =>
          withCommandsStopped(
            line => process.stdout.write(line + EOL),
            () => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
          )
      })
    )
    output.write(result.sarif)
    const relativeSarif = path.relative(inputs.workspace, inputs.sarifFile)
    const counts = countBySeverity(result.findings, f => f.suppressions.length === 0)
    workflow.setOutput('sarif-file', relativeSarif)
    workflow.setOutput('findings', String(Object.values(counts).reduce((a, b) => a + b, 0)))
    workflow.setOutput('by-severity', JSON.stringify(counts))
    workflow.setOutput('mode', result.mode)
    summary.add(renderSastSummary(result, relativeSarif))
    const errors = result.problems.filter(p => p.level === 'error')
    if (errors.length > 0) {
      throw new BrokenInputError(
        inputs.engine,
        `scan failed, results are incomplete: ${errors.map(p => p.message).join('; ')}`
      )
    }
    logger.info(`${result.findings.length} finding(s); SARIF written to ${relativeSarif}`)
  })
}
