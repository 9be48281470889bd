import { EOL } from 'node:os'
import {
  getOptionalInput,
  parseBoolean,
  parseEnum,
  parseList,
  resolveOutputDirectory,
  resolveOutputFile,
  runAction,
  workflow,
  workspaceRoot,
  writeStdout
} from '@secure-pipeline/core/runtime'
import { SarifOutput } from '@secure-pipeline/core/sarif'
import { readActionsContext } from '@secure-pipeline/core/github'
import { DEFAULT_POLICY_PATH } from '@secure-pipeline/core/policy'
import {
  centralPolicyFrom,
  DEFAULT_K8S_PATHS,
  K8S_CATEGORY,
  K8S_SCANNER,
  type K8sPolicyRunOptions,
  loadCentralPolicyReader,
  parseAllowedRegistries,
  parseExportFormats,
  parsePssVersion,
  parseQuantityOption,
  parseRequiredProbes,
  type PssLevel,
  runK8sPolicy
} from '@secure-pipeline/core/k8s'

export const DEFAULT_SARIF_FILE = 'secure-pipeline/k8s-policy.sarif'

const input = (name: string) => getOptionalInput(name)
const flag = (name: string, fallback: boolean) => parseBoolean(name, input(name), fallback)

export interface K8sPolicyInputs {
  options: K8sPolicyRunOptions
  /** Reads the central policy; only with `policy-repository`. Kept out of the options, which go further. */
  token?: string
}

/** Every input, parsed and validated once. */
export function readInputs(workspace = workspaceRoot()): K8sPolicyInputs {
  const policyFile = input('policy') ?? DEFAULT_POLICY_PATH
  const central = centralPolicyFrom(
    { repository: input('policy-repository'), ref: input('policy-ref'), path: policyFile },
    { repository: 'policy-repository', ref: 'policy-ref', path: 'policy' }
  )
  const token = input('token')
  return { options: readOptions(workspace, policyFile, central), ...(central && token ? { token } : {}) }
}

function readOptions(
  workspace: string,
  policyFile: string,
  central: K8sPolicyRunOptions['policy']['central']
): K8sPolicyRunOptions {
  return {
    workspace,
    inputNames: {
      policy: 'policy',
      kustomizePath: 'kustomize-path',
      paths: 'paths',
      allowRemoteResources: 'allow-remote-resources',
      failOnUnchecked: 'fail-on-unchecked',
      rules: 'rules',
      allowedRegistries: 'allowed-registries',
      requireRequests: 'require-requests',
      requiredProbes: 'required-probes'
    },
    paths: input('paths') ? parseList(input('paths')) : DEFAULT_K8S_PATHS,
    level: parseEnum<PssLevel>('level', input('level'), ['baseline', 'restricted'], 'restricted'),
    version: parsePssVersion(input('version')),
    rules: parseList(input('rules') ?? 'all'),
    allowedRegistries: parseAllowedRegistries('allowed-registries', parseList(input('allowed-registries'))),
    requireDigest: flag('require-digest', false),
    requireRequests: flag('require-requests', true),
    requiredProbes: parseRequiredProbes('required-probes', input('required-probes')),
    disallowedTags: parseList(input('disallowed-tags') ?? 'latest'),
    exemptImages: parseList(input('exempt-images')),
    maxCpuLimit: parseQuantityOption('max-cpu-limit', input('max-cpu-limit')),
    maxMemoryLimit: parseQuantityOption('max-memory-limit', input('max-memory-limit')),
    kustomize: flag('kustomize', true),
    kustomizePath: input('kustomize-path'),
    allowRemoteResources: flag('allow-remote-resources', false),
    // The default path may be absent (the defaults apply); a path the user named must exist. A central
    // policy (a path in policy-repository) must always exist, and decides whatever the workspace has.
    policy: {
      file: policyFile,
      explicit: policyFile !== DEFAULT_POLICY_PATH,
      source: parseEnum('policy-source', input('policy-source'), ['base', 'head'], 'base'),
      ...(central ? { central } : {})
    },
    failOnViolations: flag('fail-on-violations', true),
    failOnUnchecked: flag('fail-on-unchecked', false),
    sarifFile: input('sarif-file') ?? DEFAULT_SARIF_FILE,
    ...exportInputs(workspace)
  }
}

/** `export-dir` (off when empty) and `export-format`. */
function exportInputs(workspace: string): Pick<K8sPolicyRunOptions, 'export'> {
  const shownDir = input('export-dir')
  const formats = parseExportFormats('export-format', input('export-format'))
  if (shownDir === undefined) return {}
  return { export: { dir: resolveOutputDirectory('export-dir', shownDir, workspace), shownDir, formats } }
}

/** Read before any other input, so a failure of any kind still leaves a failed SARIF there. */
function readSarifFile(workspace: string): string {
  return resolveOutputFile('sarif-file', input('sarif-file') ?? DEFAULT_SARIF_FILE, workspace)
}

export async function run(): Promise<void> {
  await runAction('k8s-policy', async ({ logger, summary, onFailure }) => {
    const workspace = workspaceRoot()
    const sarif = new SarifOutput(workspace, readSarifFile(workspace), {
      tool: { name: K8S_SCANNER },
      category: K8S_CATEGORY
    })
    onFailure(message => sarif.writeFailure(message))
    const { options, token } = readInputs(workspace)
    const result = await runK8sPolicy(options, {
      logger,
      summary,
      writeLine: line => writeStdout(line + EOL),
      sarif,
      context: readActionsContext(),
      ...(token
        ? {
            readCentralFile: await loadCentralPolicyReader({
              token,
              tokenInput: 'token',
              env: process.env,
              logger
            })
          }
        : {})
    })
    workflow.setOutput('sarif-file', options.sarifFile)
    workflow.setOutput('unchecked', String(result.report.unchecked.length))
    // An incomplete check's counts are unknown, not 0: a later step reading `violations` must not see a pass.
    if (result.error) throw result.error
    workflow.setOutput('violations', String(result.report.violations.length))
    workflow.setOutput('by-rule', JSON.stringify(result.report.byRule))
    if (result.failure) workflow.setFailed(result.failure)
  })
}
