import * as path from 'node:path'
import {
  ConfigurationError,
  getListInput,
  getOptionalInput,
  parseEnum,
  parsePositiveInteger,
  prepareOutputFile,
  resolveInWorkspace,
  resolveOutputFile,
  runAction,
  workflow,
  workspaceRoot,
  writeOutputFile
} from '@secure-pipeline/core/runtime'
import { SarifOutput } from '@secure-pipeline/core/sarif'
import { readActionsContext } from '@secure-pipeline/core/github'
import {
  ENGINES,
  NO_CONFIG,
  parseLicenseList,
  renderScaSummary,
  runSca,
  SCA_CATEGORY,
  scaOutputs,
  serializeScaSbom,
  type ScaInputNames,
  type ScaOptions
} from '@secure-pipeline/core/sca'

/** What the action applies when an input is absent; action.yml states the same defaults. */
export const DEFAULTS = {
  path: '.',
  engine: 'osv-scanner',
  config: 'osv-scanner.toml',
  'policy-source': 'base',
  diff: 'auto',
  'sarif-file': 'secure-pipeline/sca.sarif',
  'sbom-file': 'secure-pipeline/sca.cdx.json',
  'timeout-minutes': '15'
} as const

export const NAMES: ScaInputNames = {
  path: 'path',
  include: 'include',
  exclude: 'exclude',
  offlineDb: 'offline-db',
  config: 'config',
  diff: 'diff',
  binaryPath: 'engine-path',
  licensesAllow: 'licenses-allow',
  licensesDeny: 'licenses-deny'
}

/** Every input, parsed and validated once. */
export interface ScaInputs extends ScaOptions {
  /** Absolute, inside the workspace. */
  sarifFile: string
  sbomFile: string
}

const input = (name: string) => getOptionalInput(name)

/** The two output files, read before any other input so a failure of any kind still leaves a failed SARIF. */
function outputFiles(workspace: string): { sarif: string; sbom: string } {
  return {
    sarif: resolveOutputFile('sarif-file', input('sarif-file') ?? DEFAULTS['sarif-file'], workspace),
    sbom: resolveOutputFile('sbom-file', input('sbom-file') ?? DEFAULTS['sbom-file'], workspace)
  }
}

function repositoryPath(name: string, value: string, workspace: string): string {
  return (
    path
      .relative(workspace, resolveInWorkspace(name, value, workspace))
      .split(path.sep)
      .join('/') || '.'
  )
}

/** `none` reads no osv-scanner.toml: the ignore list is not the repository's to decide. */
function configFile(value: string, workspace: string): string | undefined {
  return value === NO_CONFIG ? undefined : repositoryPath('config', value, workspace)
}

export function readInputs(workspace = workspaceRoot()): ScaInputs {
  const files = outputFiles(workspace)
  const minutes = parsePositiveInteger(
    'timeout-minutes',
    input('timeout-minutes'),
    Number(DEFAULTS['timeout-minutes'])
  )
  if (minutes === 0) throw new ConfigurationError("Input 'timeout-minutes' must be at least 1.")
  const offlineDb = input('offline-db')
  const enginePath = input('engine-path')
  const diff = input('diff') ?? DEFAULTS.diff
  if (diff !== 'auto' && diff !== 'false')
    throw new ConfigurationError(`Input 'diff' must be auto or false, got '${diff}'.`)
  return {
    workspace,
    scanPath: repositoryPath('path', input('path') ?? DEFAULTS.path, workspace),
    include: getListInput('include'),
    exclude: getListInput('exclude'),
    engine: parseEnum('engine', input('engine'), ENGINES, DEFAULTS.engine),
    ...(offlineDb ? { offlineDb: path.resolve(workspace, offlineDb) } : {}),
    configFile: configFile(input('config') ?? DEFAULTS.config, workspace),
    configSource: parseEnum(
      'policy-source',
      input('policy-source'),
      ['base', 'head'],
      DEFAULTS['policy-source']
    ),
    diff,
    licenses: {
      allow: parseLicenseList('licenses-allow', getListInput('licenses-allow')),
      deny: parseLicenseList('licenses-deny', getListInput('licenses-deny'))
    },
    deadlineMs: minutes * 60_000,
    ...(enginePath ? { binaryPath: path.resolve(workspace, enginePath) } : {}),
    inputs: NAMES,
    sarifFile: files.sarif,
    sbomFile: files.sbom
  }
}

export async function run(): Promise<void> {
  await runAction('sca', async ({ logger, summary, onFailure }) => {
    const workspace = workspaceRoot()
    const files = outputFiles(workspace)
    const output = new SarifOutput(workspace, files.sarif, {
      tool: { name: DEFAULTS.engine },
      category: SCA_CATEGORY
    })
    onFailure(message => output.writeFailure(message))
    // A committed SBOM must not stand in for this run's: removed before anything can fail.
    prepareOutputFile(workspace, files.sbom)
    const inputs = readInputs(workspace)
    const result = await runSca(inputs, { logger, context: readActionsContext(), env: process.env })
    output.write(result.sarif)
    if (result.sbom) writeOutputFile(workspace, files.sbom, serializeScaSbom(result.sbom))
    const shown = { sarif: path.relative(workspace, files.sarif), sbom: path.relative(workspace, files.sbom) }
    for (const [name, value] of Object.entries(scaOutputs(result, shown))) workflow.setOutput(name, value)
    summary.add(renderScaSummary(result, shown))
    logger.info(
      `${result.reported.length} finding(s) in ${result.lockfiles.length} dependency file(s); SARIF written to ${shown.sarif}${result.sbom ? `, SBOM to ${shown.sbom}` : ''}`
    )
    // The SARIF keeps what was scanned and says the scan is incomplete; the step fails with it.
    const unread = result.notScanned.filter(n => n.level === 'error')
    if (unread.length > 0)
      workflow.setFailed(
        `sca: ${unread.length} dependency file(s) not scanned (${unread[0]!.file}: ${unread[0]!.reason}); see the job summary.`
      )
    // A manifest without a lockfile: a warning, in the SARIF too; the step does not fail on it.
    const unlocked = result.notScanned.filter(n => n.level === 'warning')
    if (unlocked.length > 0)
      logger.warning(
        `sca: ${unlocked.length} manifest(s) without a lockfile the scan reads, so their dependencies are unknown (${unlocked[0]!.file}: ${unlocked[0]!.reason}); see the job summary.`
      )
  })
}
