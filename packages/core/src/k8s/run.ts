import * as path from 'node:path'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { refuseChangedBinary, workspacePlaces } from '../github/changed-runner-path.js'
import type { ActionsContext } from '../github/context.js'
import { isChangeEvent, resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { TrustSource } from '../github/trusted-file.js'
import type { CentralPolicy } from '../policy-source/location.js'
import type { ReadCentralFile } from '../policy-source/resolve.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import type { JobSummary } from '../runtime/job-summary.js'
import type { Logger } from '../runtime/logger.js'
import { givenBinary } from '../tools/locate.js'
import { checkKubernetesManifests, type K8sPolicyReport } from './check.js'
import type { Violation } from './evaluate.js'
import { applyK8sExceptions, type ExceptedViolations } from './exceptions.js'
import type { AdmissionExport } from './export/export.js'
import type { ExceptionsToExport } from './export/exclusions.js'
import type { ExportFormat } from './export/format-option.js'
import { exportReachesCheck } from './export-reach.js'
import { kustomizeBinary } from './kustomize-tool.js'
import {
  defaultOptions,
  selectRules,
  type K8sPolicyOptions,
  type RuleSelection,
  type RuleSelectionInputNames
} from './options.js'
import {
  proposalOf,
  readK8sPolicySource,
  type K8sPolicySource,
  type PolicyProposal
} from './policy-source.js'
import { annotateK8sViolations, summarizeK8sReport } from './report.js'
import { findManifests, startCollecting, type CollectRequest, type StartedCollection } from './scan.js'
import { DEFAULT_PROBE_HANDLERS } from './rules/probes.js'
import type { PssLevel } from './rules/pss.js'
import type { PssVersion } from './rules/pss-version.js'
import { toSarifRun } from './to-findings.js'
import type { ScanProblem } from './types.js'

/** Everything k8s-policy is asked to do, parsed from its inputs. */
export interface K8sPolicyRunOptions {
  workspace: string
  paths: readonly string[]
  level: PssLevel
  version: PssVersion
  /** Tokens of the `rules` input. */
  rules: readonly string[]
  allowedRegistries: readonly string[]
  requireDigest: boolean
  requireRequests: boolean
  requiredProbes: readonly string[]
  disallowedTags: readonly string[]
  exemptImages: readonly string[]
  maxCpuLimit?: string
  maxMemoryLimit?: string
  kustomize: boolean
  /** A pre-provisioned kustomize (the `kustomize-path` input); else the pinned release is installed. */
  kustomizePath?: string
  allowRemoteResources: boolean
  /** The policy file; with `central` a path in that repository, which then decides whatever the workspace has. */
  policy: { file: string; explicit: boolean; source: TrustSource; central?: CentralPolicy }
  /** The action's names for the inputs errors and logs speak of. */
  inputNames: {
    policy: string
    kustomizePath: string
    paths: string
    allowRemoteResources: string
    failOnUnchecked: string
  } & RuleSelectionInputNames
  failOnViolations: boolean
  failOnUnchecked: boolean
  /** Workspace-relative SARIF path, as shown to the user. */
  sarifFile: string
  /** Export the rules as admission policies: the directory (absolute and as the user wrote it) and formats. */
  export?: { dir: string; shownDir: string; formats: readonly ExportFormat[] }
}

export interface K8sPolicyPorts {
  logger: Logger
  summary: JobSummary
  /** Writes one line to the log as is (annotations, the violation list). */
  writeLine: (line: string) => void
  sarif: { write(log: SarifLog): void }
  context: ActionsContext
  /** The kustomize binary; by default the pinned release, installed on first use. */
  kustomizeBinary?: () => Promise<string>
  /** Where SECURE_PIPELINE_KUSTOMIZE_PATH may name a kustomize to use instead; process.env by default. */
  env?: NodeJS.ProcessEnv
  /** The clock that dates exceptions; the system clock by default. */
  now?: () => Date
  /** Reads a central policy (the contents API, with the action's token); absent without a token. */
  readCentralFile?: ReadCentralFile
}

export interface K8sPolicyResult {
  report: K8sPolicyReport
  /** The violations no active exception of the policy file waives. */
  counted: readonly Violation[]
  /** The check is incomplete or had nothing to check: the step fails with this error. */
  error?: Error
  /** The check is complete and found violations that fail the step. */
  failure?: string
}

/** Shown per file in the SARIF and the log; past this, one line says how many more. */
const UNCHECKED_LISTED = 500

function uncheckedProblems(report: K8sPolicyReport, fails: boolean): ScanProblem[] {
  const level: ScanProblem['level'] = fails ? 'error' : 'warning'
  const listed = report.unchecked.slice(0, UNCHECKED_LISTED).map(u => ({
    level,
    file: u.file,
    message: `not checked: ${u.file}: ${u.reason}`
  }))
  const rest = report.unchecked.length - listed.length
  return rest > 0 ? [...listed, { level, message: `not checked: ${rest} more file(s)` }] : listed
}

function logReport(report: K8sPolicyReport, pathsInput: string, logger: Logger): void {
  for (const note of report.notes.slice(0, 50)) logger.debug(note.message)
  for (const problem of report.problems) {
    if (problem.level === 'error') logger.error(problem.message)
    else logger.warning(problem.message)
  }
  if (report.unchecked.length === 0) return
  logger.warning(
    `${report.unchecked.length} file(s) matching '${pathsInput}' were not checked, first ${report.unchecked[0]?.file}: ${report.unchecked[0]?.reason}; see the job summary and the SARIF.`
  )
  for (const u of report.unchecked.slice(0, UNCHECKED_LISTED))
    logger.info(`Not checked: ${u.file}: ${u.reason}`)
}

/**
 * The whole k8s-policy run after its inputs are parsed: the policy's rule switches (the base version
 * on pull requests), discovery, rendering, evaluation, then the SARIF, annotations and summary. The
 * result says whether and why the step fails; the SARIF is written first in every case.
 */
export async function runK8sPolicy(
  options: K8sPolicyRunOptions,
  ports: K8sPolicyPorts
): Promise<K8sPolicyResult> {
  const { logger } = ports
  const today = (ports.now ?? (() => new Date()))().toISOString().slice(0, 10)
  let base: Promise<PullRequestBase | undefined> | undefined
  const changeBase = () => (base ??= resolvePullRequestBase(ports.context, options.workspace, logger))
  await refuseChangedKustomize(options, ports, changeBase)
  const { policy, rules, proposal } = await readRules(options, ports, today, changeBase)
  const exceptions = { entries: policy.deciding.exceptions ?? [], today }
  const request = collectRequestOf(options, ports)
  const early = await startBeforeExport(options, request)
  const exported =
    options.export &&
    (await exportRules(options, options.export, rules, exceptions).catch((error: unknown) => {
      early?.rendering?.stop()
      throw error
    }))
  const report = await logger.group('Check Kubernetes manifests', async () =>
    checkKubernetesManifests(
      request,
      checkOptionsOf(options, rules),
      logger,
      early ?? (await startCollecting(request))
    )
  )
  logReport(report, options.inputNames.paths, logger)

  const nothingFound = report.objects === 0 ? nothingFoundMessage(report, options) : undefined
  // The SARIF carries every reason the check is incomplete: downstream, an empty successful run reads as "0 findings".
  const problems: ScanProblem[] = [
    ...report.problems,
    ...(nothingFound ? [{ level: 'error' as const, message: nothingFound }] : []),
    ...uncheckedProblems(report, options.failOnUnchecked)
  ]
  ports.sarif.write(buildSarifLog([toSarifRun(report.violations, problems, options.workspace)]))
  annotateK8sViolations(report.violations, ports.writeLine)
  summarizeK8sReport(
    ports.summary,
    {
      level: options.level,
      version: options.version,
      sarifFile: options.sarifFile,
      policy: {
        origin: policy.deciding.origin,
        source: policy.decidedBy === 'central' ? 'central' : options.policy.source,
        ...(proposal ? { proposal } : {})
      },
      failOnUnchecked: options.failOnUnchecked
    },
    report
  )
  const excepted = applyK8sExceptions(report.violations, exceptions.entries, today)
  reportWaived(excepted, ports.summary, logger)
  if (exported && options.export)
    (await import('./export/write.js')).summarizeExport(
      ports.summary,
      logger,
      options.export.shownDir,
      options.export.formats,
      exported
    )
  return {
    report,
    counted: excepted.counted,
    ...verdictOf(report, excepted.counted, options, nothingFound)
  }
}

/** What to do about a check that met no object: kustomizations that rendered none are named apart. */
function nothingFoundMessage(report: K8sPolicyReport, options: K8sPolicyRunOptions): string {
  const paths = options.inputNames.paths
  const unchecked =
    report.unchecked.length > 0
      ? ` among the files checked; ${report.unchecked.length} matching file(s) were not checked`
      : ''
  const rendered = report.kustomizations
  const advice =
    rendered.length > 0
      ? `; ${rendered.length === 1 ? 'its kustomization' : `its ${rendered.length} kustomizations`} (${rendered.slice(0, 3).join(', ')}${rendered.length > 3 ? ', …' : ''}) rendered none: check what ${rendered.length === 1 ? 'it lists' : 'they list'} under resources, or point '${paths}' at your manifests.`
      : `; point '${paths}' at your manifests.`
  return `No Kubernetes objects found under '${paths}' (${options.paths.join(', ')})${unchecked}${advice}`
}

/**
 * kustomize renders what the rules judge: one the change wrote could render its manifests as anything.
 * The base is resolved for this only when the given binary lies in the workspace.
 */
async function refuseChangedKustomize(
  options: K8sPolicyRunOptions,
  ports: K8sPolicyPorts,
  changeBase: () => Promise<PullRequestBase | undefined>
): Promise<void> {
  if (!options.kustomize || !isChangeEvent(ports.context)) return
  const given = givenBinary(
    'kustomize',
    options.kustomizePath,
    ports.env ?? process.env,
    options.inputNames.kustomizePath
  )
  if (workspacePlaces(options.workspace, given?.path).length === 0) return
  refuseChangedBinary(await changeBase(), options.workspace, 'k8s-policy', given)
}

function collectRequestOf(options: K8sPolicyRunOptions, ports: K8sPolicyPorts): CollectRequest {
  return {
    root: options.workspace,
    paths: options.paths,
    kustomize: options.kustomize,
    allowRemoteResources: options.allowRemoteResources,
    inputNames: options.inputNames,
    kustomizeBinary:
      ports.kustomizeBinary ??
      kustomizeBinary({
        preProvisionedPath: options.kustomizePath,
        inputs: { path: options.inputNames.kustomizePath },
        logger: ports.logger,
        ...(ports.env ? { env: ports.env } : {})
      })
  }
}

function reportWaived(excepted: ExceptedViolations, summary: JobSummary, logger: Logger): void {
  if (excepted.waived.length === 0) return
  const lines = excepted.waived.map(
    w =>
      `${w.violation.ruleId} ${w.violation.file}:${w.violation.line} ${w.violation.message} (exception ${w.exception})`
  )
  logger.info(
    `${excepted.waived.length} violation(s) waived by policy-file exceptions, as the gate waives them:\n${lines.slice(0, 50).join('\n')}`
  )
  summary.add(
    `${excepted.waived.length} violation(s) waived by active exceptions of the policy file (they stay in the SARIF; the gate waives them the same way).`
  )
}

/**
 * Discovery and kustomize, started before the export is written when it cannot change what they see,
 * so kustomize renders while this thread writes the export. Undefined when there is no export (nothing
 * to overlap) or it lands where `paths` or a kustomization reach: then they start after it (a
 * kustomization may include the exported files, and a format no longer chosen has its file removed,
 * which a discovery made earlier would still list).
 */
async function startBeforeExport(
  options: K8sPolicyRunOptions,
  request: CollectRequest
): Promise<StartedCollection | undefined> {
  if (!options.export) return undefined
  const found = findManifests(request)
  const dir = path.relative(options.workspace, options.export.dir).split(path.sep).join('/')
  if (exportReachesCheck(dir, options.paths, options.inputNames.paths, found.discovery)) return undefined
  return startCollecting(request, found)
}

/**
 * The same rules and options, written as cluster admission policies before the check runs. Loaded only
 * when asked: the export's CEL writers are a third of the bundle every other run would compile.
 */
async function exportRules(
  options: K8sPolicyRunOptions,
  target: NonNullable<K8sPolicyRunOptions['export']>,
  rules: ReadonlySet<string>,
  exceptions: ExceptionsToExport
): Promise<AdmissionExport> {
  const { exportAdmission, writeAdmissionExport } = await import('./export/write.js')
  const exported = exportAdmission(checkOptionsOf(options, rules), target.formats, exceptions)
  writeAdmissionExport(options.workspace, target.dir, target.formats, exported)
  return exported
}

/**
 * The policy file (a central repository's when one is named, else the base version on pull requests)
 * and the rules it and the inputs select, logged.
 */
async function readRules(
  options: K8sPolicyRunOptions,
  ports: K8sPolicyPorts,
  today: string,
  changeBase: () => Promise<PullRequestBase | undefined>
): Promise<{ policy: K8sPolicySource; rules: Set<string>; proposal?: PolicyProposal }> {
  const { logger } = ports
  const policy = await readK8sPolicySource({
    workspace: options.workspace,
    ...options.policy,
    inputName: options.inputNames.policy,
    today,
    context: ports.context,
    logger,
    changeBase,
    ...(ports.readCentralFile ? { readCentralFile: ports.readCentralFile } : {})
  })
  const { rules, proposal } = rulesFor(options, policy)
  if (policy.decidedBy === 'central')
    logger.info(
      `The central policy ${policy.deciding.origin} decides; this repository's own policy file is not read.`
    )
  logger.info(
    `Level ${options.level} (policy v1.${options.version}), ${rules.size} rule(s) with switches from ${policy.deciding.origin}: ${[...rules].join(', ')}`
  )
  if (proposal?.error)
    logger.warning(`The pull request's policy ${proposal.origin} is invalid: ${proposal.error}`)
  else if (proposal?.turnsOff.length)
    logger.warning(
      `The pull request's policy ${proposal.origin} would turn off ${proposal.turnsOff.join(', ')}; the version from before the change decides this run.`
    )
  return { policy, rules, ...(proposal ? { proposal } : {}) }
}

/** The rules that run (the deciding policy over the inputs), and what the proposed policy would change. */
function rulesFor(
  options: K8sPolicyRunOptions,
  policy: K8sPolicySource
): { rules: Set<string>; proposal?: PolicyProposal } {
  const selection: RuleSelection = {
    tokens: options.rules,
    allowedRegistries: options.allowedRegistries,
    requireDigest: options.requireDigest,
    requireRequests: options.requireRequests,
    requiredProbes: options.requiredProbes,
    inputNames: options.inputNames
  }
  const select = (policyRules: Readonly<Record<string, boolean>>) =>
    selectRules({ ...selection, policyRules })
  const rules = select(policy.deciding.rules)
  const proposal = proposalOf(policy, rules, select)
  return { rules, ...(proposal ? { proposal } : {}) }
}

function checkOptionsOf(options: K8sPolicyRunOptions, rules: ReadonlySet<string>): K8sPolicyOptions {
  return defaultOptions({
    level: options.level,
    version: options.version,
    rules,
    allowedRegistries: options.allowedRegistries,
    disallowedTags: options.disallowedTags,
    exemptImages: options.exemptImages,
    limits: {
      cpu: true,
      memory: true,
      ...(options.maxCpuLimit ? { maxCpu: options.maxCpuLimit } : {}),
      ...(options.maxMemoryLimit ? { maxMemory: options.maxMemoryLimit } : {})
    },
    requests: { cpu: options.requireRequests, memory: options.requireRequests },
    probes: { required: options.requiredProbes, handlers: DEFAULT_PROBE_HANDLERS }
  })
}

function verdictOf(
  report: K8sPolicyReport,
  counted: readonly Violation[],
  options: K8sPolicyRunOptions,
  nothingFound: string | undefined
): Omit<K8sPolicyResult, 'report' | 'counted'> {
  const broken = report.problems.filter(p => p.level === 'error')
  if (broken.length > 0) {
    return {
      error: new BrokenInputError(
        'k8s-policy',
        `${broken.length} manifest problem(s) kept the check from being complete; first: ${broken[0]?.message}`
      )
    }
  }
  if (options.failOnUnchecked && report.unchecked.length > 0) {
    const first = report.unchecked[0]
    return {
      error: new BrokenInputError(
        'k8s-policy',
        `${report.unchecked.length} file(s) matching '${options.inputNames.paths}' were not checked and '${options.inputNames.failOnUnchecked}' is true; first: ${first?.file}: ${first?.reason}`
      )
    }
  }
  if (nothingFound) return { error: new ConfigurationError(nothingFound) }
  if (counted.length > 0 && options.failOnViolations) {
    const waived = report.violations.length - counted.length
    return {
      failure: `${counted.length} Kubernetes policy violation(s)${waived > 0 ? ` (and ${waived} waived by exceptions)` : ''}; see ${options.sarifFile} and the job summary.`
    }
  }
  return {}
}
