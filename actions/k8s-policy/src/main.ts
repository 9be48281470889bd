import {
  BrokenInputError,
  ConfigurationError,
  getOptionalInput,
  parseBoolean,
  parseEnum,
  parseList,
  resolveInWorkspace,
  runAction,
  workflow,
  workspaceRoot
} from '@secure-pipeline/core/runtime'
import { buildSarifLog, SarifOutput } from '@secure-pipeline/core/sarif'
import {
  annotateK8sViolations,
  checkKubernetesManifests,
  DEFAULT_K8S_PATHS,
  DEFAULT_PROBE_HANDLERS,
  DEFAULT_REQUIRED_PROBES,
  defaultK8sPolicyOptions,
  findKustomize,
  type K8sPolicyOptions,
  type K8sPolicyReport,
  k8sSarifRun,
  K8S_CATEGORY,
  K8S_SCANNER,
  parsePssVersion,
  type PssLevel,
  selectK8sRules,
  summarizeK8sReport
} from '@secure-pipeline/core/k8s'
import { DEFAULT_POLICY_PATH, loadPolicy } from '@secure-pipeline/core/policy'

export const DEFAULT_SARIF_FILE = 'secure-pipeline/k8s-policy.sarif'

/** Every input, parsed and validated once. */
export interface K8sPolicyInputs {
  root: string
  paths: string[]
  options: K8sPolicyOptions
  kustomize: boolean
  sarifFile: string
  sarifDisplay: string
  policyFile: string
  failOnViolations: boolean
}

const quantity = (name: string, raw: string | undefined): string | undefined => {
  if (raw === undefined) return undefined
  if (!/^\d+(\.\d+)?(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/.test(raw)) {
    throw new ConfigurationError(
      `Input '${name}' must be a Kubernetes quantity like 500m, 2 or 1Gi; got '${raw}'.`
    )
  }
  return raw
}

export function readInputs(root = workspaceRoot()): K8sPolicyInputs {
  const input = (name: string) => getOptionalInput(name)
  const level = parseEnum<PssLevel>('level', input('level'), ['baseline', 'restricted'], 'restricted')
  const version = parsePssVersion(input('version'))
  const allowedRegistries = parseList(input('allowed-registries'))
  const requireDigest = parseBoolean('require-digest', input('require-digest'), false)
  const requireRequests = parseBoolean('require-requests', input('require-requests'), true)
  const probesRaw = input('required-probes')
  const requiredProbes =
    probesRaw?.toLowerCase() === 'none' ? [] : probesRaw ? parseList(probesRaw) : DEFAULT_REQUIRED_PROBES
  for (const probe of requiredProbes) {
    if (!['livenessProbe', 'readinessProbe', 'startupProbe'].includes(probe)) {
      throw new ConfigurationError(
        `Input 'required-probes' takes livenessProbe, readinessProbe, startupProbe or none; got '${probe}'.`
      )
    }
  }

  const policyPath = input('policy') ?? DEFAULT_POLICY_PATH
  const policyFile = resolveInWorkspace('policy', policyPath, root)
  // The default path may be absent (no rule switched off); a path the user named must exist.
  const policyRules = loadPolicy(policyFile, { explicit: policyPath !== DEFAULT_POLICY_PATH }).k8sRules

  const rules = selectK8sRules({
    tokens: parseList(input('rules')),
    policyRules,
    allowedRegistries,
    requireDigest,
    requireRequests,
    requiredProbes
  })
  const maxCpu = quantity('max-cpu-limit', input('max-cpu-limit'))
  const maxMemory = quantity('max-memory-limit', input('max-memory-limit'))
  const options = defaultK8sPolicyOptions({
    level,
    version,
    rules,
    allowedRegistries,
    disallowedTags: parseList(input('disallowed-tags') ?? 'latest'),
    exemptImages: parseList(input('exempt-images')),
    limits: { cpu: true, memory: true, ...(maxCpu ? { maxCpu } : {}), ...(maxMemory ? { maxMemory } : {}) },
    requests: { cpu: requireRequests, memory: requireRequests },
    probes: { required: requiredProbes, handlers: DEFAULT_PROBE_HANDLERS }
  })

  const sarifDisplay = input('sarif-file') ?? DEFAULT_SARIF_FILE
  return {
    root,
    paths: input('paths') ? parseList(input('paths')) : DEFAULT_K8S_PATHS,
    options,
    kustomize: parseBoolean('kustomize', input('kustomize'), true),
    sarifFile: readSarifFile(root),
    sarifDisplay,
    policyFile,
    failOnViolations: parseBoolean('fail-on-violations', input('fail-on-violations'), true)
  }
}

export function sarifLogOf(inputs: K8sPolicyInputs, report: K8sPolicyReport) {
  return buildSarifLog([k8sSarifRun(report.violations, report.problems, inputs.root)])
}

/** Read before any other input, so a failure of any kind still leaves a failed SARIF there. */
function readSarifFile(root: string): string {
  return resolveInWorkspace('sarif-file', getOptionalInput('sarif-file') ?? DEFAULT_SARIF_FILE, root)
}

export async function run(): Promise<void> {
  await runAction('k8s-policy', async ({ logger, summary, onFailure }) => {
    const root = workspaceRoot()
    const output = new SarifOutput(root, readSarifFile(root), {
      tool: { name: K8S_SCANNER },
      category: K8S_CATEGORY
    })
    onFailure(message => output.writeFailure(message))
    const inputs = readInputs(root)
    logger.info(
      `Level ${inputs.options.level} (policy v1.${inputs.options.version}), ${inputs.options.rules.size} rule(s): ${[...inputs.options.rules].join(', ')}`
    )
    const report = await logger.group('Check Kubernetes manifests', () =>
      checkKubernetesManifests(
        {
          root: inputs.root,
          paths: inputs.paths,
          kustomize: inputs.kustomize,
          kustomizeBinary: findKustomize()
        },
        inputs.options,
        logger
      )
    )
    for (const note of report.notes.slice(0, 50)) logger.debug(note.message)
    for (const problem of report.problems) {
      if (problem.level === 'error') logger.error(problem.message)
      else logger.warning(problem.message)
    }

    const nothingFound = `No Kubernetes objects found under 'paths' (${inputs.paths.join(', ')}); point 'paths' at your manifests.`
    // The SARIF must carry the failure too: a gate downstream would read an empty, successful run as "0 findings".
    if (report.objects === 0) report.problems.push({ level: 'error', message: nothingFound })
    output.write(sarifLogOf(inputs, report))
    workflow.setOutput('sarif-file', inputs.sarifDisplay)
    workflow.setOutput('violations', String(report.violations.length))
    workflow.setOutput('by-rule', JSON.stringify(report.byRule))
    annotateK8sViolations(report.violations, line => process.stdout.write(`${line}\n`))
    summarizeK8sReport(
      summary,
      { level: inputs.options.level, version: inputs.options.version, sarifFile: inputs.sarifDisplay },
      report
    )

    const broken = report.problems.filter(p => p.level === 'error' && p.message !== nothingFound)
    if (broken.length > 0) {
      throw new BrokenInputError(
        'k8s-policy',
        `${broken.length} manifest problem(s) kept the check from being complete; first: ${broken[0]?.message}`
      )
    }
    if (report.objects === 0) throw new ConfigurationError(nothingFound)
    if (report.violations.length > 0 && inputs.failOnViolations) {
      workflow.setFailed(
        `${report.violations.length} Kubernetes policy violation(s); see ${inputs.sarifDisplay} and the job summary.`
      )
    }
  })
}
