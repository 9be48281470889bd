import { EOL } from 'node:os'
import * as path from 'node:path'
import {
  ConfigurationError,
  getBooleanInput,
  getListInput,
  getOptionalInput,
  parseEnum,
  parsePositiveInteger,
  resolveInWorkspace,
  resolveOutputFile,
  runAction,
  workflow,
  prepareOutputFile,
  workspaceRoot,
  writeOutputFile,
  writeStdout
} from '@secure-pipeline/core/runtime'
import { countBySeverity } from '@secure-pipeline/core/findings'
import { SarifOutput } from '@secure-pipeline/core/sarif'
import { withCommandsStopped } from '@secure-pipeline/core/report'
import { readActionsContext } from '@secure-pipeline/core/github'
import { parsePlatform } from '@secure-pipeline/core/registry'
import {
  actionsDbCache,
  categoryFor,
  DEFAULT_GRYPE_DB_URLS,
  DEFAULT_TRIVY_DB_REPOSITORIES,
  ENGINES,
  fileSafeName,
  imageName,
  renderImageScanSummary,
  runImageScan,
  SCANNERS,
  type EngineName,
  type ImageScanInputNames,
  type ImageScanOptions,
  type ImageSource,
  type Scanner
} from '@secure-pipeline/core/image-scan'

/** What the action applies when an input is absent; action.yml states the same defaults. */
export const DEFAULTS = {
  engine: 'trivy',
  scanners: 'vuln',
  'sarif-file': 'secure-pipeline/image-<name>.sarif',
  'sbom-file': 'secure-pipeline/image-<name>.cdx.json',
  'db-max-age': '120',
  'allow-stale-db': 'false',
  offline: 'false',
  'ignore-unfixed': 'false',
  'policy-source': 'base',
  cache: 'true',
  'timeout-minutes': '30'
} as const

const NAMES: ImageScanInputNames = {
  input: 'input',
  vex: 'vex',
  engineVersion: 'engine-version',
  enginePath: 'engine-path',
  maxAge: 'db-max-age',
  allowStale: 'allow-stale-db',
  offline: 'offline',
  repositories: 'db-repositories'
}

const input = (name: string) => getOptionalInput(name)

function readSource(workspace: string): ImageSource {
  const image = input('image')
  const local = input('input')
  if (image && local)
    throw new ConfigurationError(
      "Set only one of inputs 'image' (a registry reference) and 'input' (an image on disk)."
    )
  if (image) return { kind: 'image', reference: image }
  if (local) return { kind: 'input', path: resolveInWorkspace('input', local, workspace) }
  throw new ConfigurationError(
    "Set input 'image' (a registry reference such as ghcr.io/o/app:1.2) or input 'input' (a docker save archive or an OCI layout directory in the workspace)."
  )
}

/** The image's name, known from the inputs alone: output files are named after it before anything can fail. */
function nameOf(): string {
  const image = input('image')
  const local = input('input')
  const source: ImageSource = image
    ? { kind: 'image', reference: image }
    : { kind: 'input', path: local ?? 'image' }
  return imageName(source, input('name'))
}

/**
 * `<name>` in a path input is the image's short name: several images in one job get their own files.
 * Resolved without following links: a committed link there must not pick which file is overwritten.
 */
function outputPath(name: 'sarif-file' | 'sbom-file', workspace: string): string {
  const given = (input(name) ?? DEFAULTS[name]).replaceAll('<name>', fileSafeName(nameOf()))
  return resolveOutputFile(name, given, workspace)
}

function parseScanners(raw: string[]): Scanner[] {
  const scanners = [...new Set(raw.map(s => s.toLowerCase()))]
  const unknown = scanners.filter(s => !(SCANNERS as readonly string[]).includes(s))
  if (unknown.length > 0 || scanners.length === 0)
    throw new ConfigurationError(`Input 'scanners' takes ${SCANNERS.join(', ')}; got '${raw.join(', ')}'.`)
  return scanners as Scanner[]
}

function dbRepositories(engine: EngineName, given: string[]): string[] {
  if (given.length === 0)
    return engine === 'trivy' ? [...DEFAULT_TRIVY_DB_REPOSITORIES] : [...DEFAULT_GRYPE_DB_URLS]
  if (engine === 'grype') {
    const bad = given.find(url => !/^https?:\/\/[^\s]+$/.test(url))
    if (bad)
      throw new ConfigurationError(
        `Input 'db-repositories' takes URLs of Grype DB listings with engine grype; got '${bad}'.`
      )
    return given
  }
  // A repository without tag or digest means the DB schema this Trivy reads.
  return given.map(ref => (/[:@][^/]*$/.test(ref) ? ref : `${ref}:2`))
}

/** The DB directory: given, else in the runner's tool cache; else the run's private directory (no reuse). */
function dbRoot(engine: EngineName, workspace: string, env: NodeJS.ProcessEnv): string | undefined {
  const given = input('db-dir')
  if (given) return path.isAbsolute(given) ? given : resolveInWorkspace('db-dir', given, workspace)
  const cache = env.RUNNER_TOOL_CACHE?.trim()
  return cache && path.isAbsolute(cache) ? path.join(cache, 'secure-pipeline', `${engine}-db`) : undefined
}

export interface ImageScanInputs extends Omit<ImageScanOptions, 'inputs'> {
  sarifFile: string
  sbomFile: string
  cache: boolean
}

/** Every input, parsed and validated once. */
export function readInputs(
  workspace = workspaceRoot(),
  env: NodeJS.ProcessEnv = process.env
): ImageScanInputs {
  const engine = parseEnum('engine', input('engine'), ENGINES, DEFAULTS.engine)
  const scanners = parseScanners(input('scanners') ? getListInput('scanners') : [DEFAULTS.scanners])
  if (engine === 'grype' && scanners.some(s => s !== 'vuln'))
    throw new ConfigurationError(
      "Input 'scanners': Grype finds vulnerabilities only; use engine trivy for secret and misconfig."
    )
  const minutes = parsePositiveInteger(
    'timeout-minutes',
    input('timeout-minutes'),
    Number(DEFAULTS['timeout-minutes'])
  )
  const maxAge = parsePositiveInteger('db-max-age', input('db-max-age'), Number(DEFAULTS['db-max-age']))
  if (minutes === 0 || maxAge === 0)
    throw new ConfigurationError("Inputs 'timeout-minutes' and 'db-max-age' must be at least 1.")
  const platform = input('platform')
  return {
    workspace,
    source: readSource(workspace),
    name: nameOf(),
    ...(platform ? { platform: parsePlatform(platform, "Input 'platform'") } : {}),
    engine,
    scanners,
    db: {
      root: dbRoot(engine, workspace, env),
      repositories: dbRepositories(engine, getListInput('db-repositories')),
      maxAgeHours: maxAge,
      allowStale: getBooleanInput('allow-stale-db', false),
      offline: getBooleanInput('offline', false)
    },
    vex: getListInput('vex'),
    vexSource: parseEnum(
      'policy-source',
      input('policy-source'),
      ['base', 'head'],
      DEFAULTS['policy-source']
    ),
    ignoreUnfixed: getBooleanInput('ignore-unfixed', false),
    deadlineMs: minutes * 60_000,
    engineVersion: input('engine-version'),
    enginePath: input('engine-path'),
    sarifFile: outputPath('sarif-file', workspace),
    sbomFile: outputPath('sbom-file', workspace),
    cache: getBooleanInput('cache', true)
  }
}

export async function run(): Promise<void> {
  await runAction('image-scan', async ({ logger, summary, onFailure }) => {
    const workspace = workspaceRoot()
    const sarifFile = outputPath('sarif-file', workspace)
    const sbomFile = outputPath('sbom-file', workspace)
    const output = new SarifOutput(workspace, sarifFile, {
      tool: { name: input('engine') ?? DEFAULTS.engine },
      category: categoryFor(nameOf())
    })
    prepareOutputFile(workspace, sbomFile)
    onFailure(message => output.writeFailure(message))
    const { sarifFile: _s, sbomFile: _b, cache, ...options } = readInputs(workspace)
    const result = await runImageScan(
      { ...options, inputs: NAMES },
      {
        logger,
        context: readActionsContext(),
        env: process.env,
        cache: cache ? actionsDbCache(process.env) : undefined,
        echo: text => withCommandsStopped(line => writeStdout(line + EOL), [text.replace(/\n$/, '')])
      }
    )
    output.write(result.sarif)
    writeOutputFile(workspace, sbomFile, result.sbom)
    const files = { sarif: path.relative(workspace, sarifFile), sbom: path.relative(workspace, sbomFile) }
    const counts = countBySeverity(result.findings)
    const outputs: Record<string, string> = {
      'sarif-file': files.sarif,
      'sbom-file': files.sbom,
      findings: String(result.findings.length),
      'by-severity': JSON.stringify(counts),
      digest: result.image.digest,
      image: `${result.image.name}@${result.image.digest}`,
      'db-built-at': result.db ? result.db.builtAt.toISOString() : '',
      'db-stale': String(result.db?.stale ?? false)
    }
    for (const [name, value] of Object.entries(outputs)) workflow.setOutput(name, value)
    summary.add(renderImageScanSummary(result, files))
    logger.info(
      `${result.findings.length} finding(s) in ${result.image.name}@${result.image.digest}; SARIF ${files.sarif}, SBOM ${files.sbom}`
    )
  })
}
