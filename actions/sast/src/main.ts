import { EOL } from 'node:os'
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
  resolveOutputFile,
  runAction,
  workflow,
  workspaceRoot,
  writeStdout
} from '@secure-pipeline/core/runtime'
import { SarifOutput } from '@secure-pipeline/core/sarif'
import { withCommandsStopped } from '@secure-pipeline/core/report'
import { readActionsContext } from '@secure-pipeline/core/github'
import {
  assertComplete,
  ENGINES,
  findBundledRulesDir,
  IGNORE_SOURCES,
  renderSastSummary,
  runSast,
  sastCounts,
  type SastInputNames,
  type SastOptions
} from '@secure-pipeline/core/sast'

/** What the action applies when an input is absent; action.yml states the same defaults. */
export const DEFAULTS = {
  path: '.',
  engine: 'semgrep',
  'sarif-file': 'secure-pipeline/sast.sarif',
  diff: 'auto',
  'policy-source': 'base',
  'timeout-minutes': '30',
  'rule-timeout': '30'
} as const

const NAMES: SastInputNames = {
  path: 'path',
  binaryPath: 'semgrep-path',
  opengrepVersion: 'opengrep-version',
  config: 'config',
  diff: 'diff',
  deadline: 'timeout-minutes'
}

/** Every input, parsed and validated once. */
export interface SastInputs extends Omit<SastOptions, 'rulesDir' | 'requirementsFile' | 'inputs'> {
  /** Absolute, inside the workspace. */
  sarifFile: string
}

/** Read before any other input, so a failure of any kind still leaves a failed SARIF there. */
function readSarifFile(workspace: string): string {
  return resolveOutputFile('sarif-file', getOptionalInput('sarif-file') ?? DEFAULTS['sarif-file'], workspace)
}

export function readInputs(workspace = workspaceRoot()): SastInputs {
  const scanPath =
    path.relative(
      workspace,
      resolveInWorkspace('path', getOptionalInput('path') ?? DEFAULTS.path, workspace)
    ) || '.'
  const minutes = parsePositiveInteger(
    'timeout-minutes',
    getOptionalInput('timeout-minutes'),
    Number(DEFAULTS['timeout-minutes'])
  )
  const ruleTimeout = parsePositiveInteger(
    'rule-timeout',
    getOptionalInput('rule-timeout'),
    Number(DEFAULTS['rule-timeout'])
  )
  if (minutes === 0 || ruleTimeout === 0)
    throw new ConfigurationError("Inputs 'timeout-minutes' and 'rule-timeout' must be at least 1.")
  return {
    workspace,
    scanPath,
    configs: getListInput('config'),
    engine: parseEnum('engine', getOptionalInput('engine'), ENGINES, DEFAULTS.engine),
    exclude: getListInput('exclude'),
    sarifFile: readSarifFile(workspace),
    diff: getTriStateInput('diff', DEFAULTS.diff),
    ignoreSource: parseEnum(
      'policy-source',
      getOptionalInput('policy-source'),
      IGNORE_SOURCES,
      DEFAULTS['policy-source']
    ),
    deadlineMs: minutes * 60_000,
    ruleTimeoutSeconds: ruleTimeout,
    binaryPath: getOptionalInput('semgrep-path'),
    opengrepVersion: getOptionalInput('opengrep-version'),
    wheelCache: readWheelCache()
  }
}

/** An absolute directory of the runner (a cache path), never a workspace path a change could fill. */
function readWheelCache(): string | undefined {
  const dir = getOptionalInput('semgrep-wheels')
  if (dir !== undefined && !path.isAbsolute(dir))
    throw new ConfigurationError(
      "Input 'semgrep-wheels' must be an absolute directory of the runner, e.g. ${{ runner.temp }}/semgrep-wheels."
    )
  return dir
}

/** The rule pack ships in this repository next to dist/: found from the running bundle, never downloaded. */
function bundledRules(): string {
  const dir = findBundledRulesDir(path.dirname(fileURLToPath(import.meta.url)))
  if (!dir)
    throw new BrokenInputError(
      'sast',
      'the bundled rule pack (rules/pack.json) is missing next to the action; check out the action repository whole'
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
    const result = await runSast(
      {
        ...inputs,
        rulesDir,
        requirementsFile: path.join(rulesDir, '..', 'actions', 'sast', 'semgrep-requirements.txt'),
        inputs: NAMES
      },
      {
        logger,
        context: readActionsContext(),
        env: process.env,
        echo: text => withCommandsStopped(line => writeStdout(line + EOL), [text.replace(/\n$/, '')])
      }
    )
    output.write(result.sarif)
    const sarifFile = path.relative(workspace, inputs.sarifFile)
    workflow.setOutput('sarif-file', sarifFile)
    workflow.setOutput('mode', result.mode)
    summary.add(renderSastSummary(result, sarifFile))
    // An incomplete scan's counts are unknown, not 0: a later step reading `findings` must not see a clean scan.
    assertComplete(result)
    for (const [name, value] of Object.entries(sastCounts(result))) workflow.setOutput(name, value)
    logger.info(`${result.findings.length} finding(s); SARIF written to ${sarifFile}`)
  })
}
