import * as path from 'node:path'
import {
  ConfigurationError,
  getBooleanInput,
  getListInput,
  getOptionalInput,
  getTriStateInput,
  parsePositiveInteger,
  resolveOutputDirectory,
  runAction,
  workflow,
  workspaceRoot
} from '@secure-pipeline/core/runtime'
import {
  loadMetricsGitHub,
  mttrOutput,
  runMetrics,
  type MetricsOptions,
  type MetricsResult
} from '@secure-pipeline/core/metrics'
import { defaultBranch, parseRepositoryInput, readActionsContext, runUrl } from '@secure-pipeline/core/github'

export const DEFAULTS = {
  period: '90d',
  evidenceArtifact: 'secure-pipeline-gate*',
  maxArtifacts: 300,
  evidenceLookbackDays: 90,
  pipelineChecks: ['secure-pipeline*'],
  bumpBranchPrefix: 'secure-pipeline/bump/',
  sampleSize: 25,
  outputDir: 'secure-pipeline/metrics'
}

export interface MetricsInputs {
  options: MetricsOptions
  token?: string
  /** owner/repo from the `repository` input; the workflow's repository when absent. */
  repository?: { owner: string; repo: string }
}

const input = (name: string) => getOptionalInput(name)

/** GitHub keeps artifacts 400 days at most: a longer look back finds nothing more, and the cap keeps dates valid. */
function lookbackDays(): number {
  const days = parsePositiveInteger(
    'evidence-lookback-days',
    input('evidence-lookback-days'),
    DEFAULTS.evidenceLookbackDays
  )
  if (days > 3660)
    throw new ConfigurationError(
      `Input 'evidence-lookback-days' must be at most 3660 (ten years), got ${days}.`
    )
  return days
}

export function readInputs(workspace = workspaceRoot()): MetricsInputs {
  const manifests = input('manifests-repository')
  const repository = input('repository')
  return {
    token: input('token'),
    repository: repository ? parseRepositoryInput(repository, 'repository') : undefined,
    options: {
      workspace,
      period: input('period') ?? DEFAULTS.period,
      end: input('end'),
      branch: input('branch'),
      evidence: getListInput('evidence'),
      // An empty input turns artifacts off; the runner passes the default when the input is not set.
      evidenceArtifact:
        process.env.INPUT_EVIDENCE_ARTIFACT === undefined
          ? DEFAULTS.evidenceArtifact
          : input('evidence-artifact'),
      evidenceLookbackDays: lookbackDays(),
      maxArtifacts: parsePositiveInteger('max-artifacts', input('max-artifacts'), DEFAULTS.maxArtifacts),
      codeScanning: getTriStateInput('code-scanning', 'auto'),
      workflowRuns: getBooleanInput('workflow-runs', true),
      branchProtection: getBooleanInput('branch-protection', true),
      changeRecords: getBooleanInput('change-records', true),
      pipelineChecks: input('pipeline-checks') ? getListInput('pipeline-checks') : DEFAULTS.pipelineChecks,
      deployments: getListInput('deployments'),
      promotedRevision: input('promoted-revision'),
      manifestsRepository: manifests ? parseRepositoryInput(manifests, 'manifests-repository') : undefined,
      bumpBranchPrefix: input('bump-branch-prefix') ?? DEFAULTS.bumpBranchPrefix,
      sampleSize: parsePositiveInteger('sample-size', input('sample-size'), DEFAULTS.sampleSize),
      sampleSeed: input('sample-seed'),
      outputDir: resolveOutputDirectory('output-dir', input('output-dir') ?? DEFAULTS.outputDir, workspace),
      inputNames: {
        period: 'period',
        end: 'end',
        evidence: 'evidence',
        deployments: 'deployments',
        outputDir: 'output-dir'
      }
    }
  }
}

function writeOutputs({ document, files }: MetricsResult, workspace: string): void {
  const relative = (file: string) => path.relative(workspace, file)
  const optional = (value: number | null | undefined) =>
    value === null || value === undefined ? '' : String(value)
  workflow.setOutput('metrics-file', relative(files.metrics))
  workflow.setOutput('html-report', relative(files.html))
  workflow.setOutput('mttr', JSON.stringify(mttrOutput(document.vulnerabilities.mttr)))
  const open = document.vulnerabilities.open
  workflow.setOutput('open-findings', open ? JSON.stringify(open) : '')
  workflow.setOutput('build-success-rate', optional(document.builds?.branch.rate))
  workflow.setOutput('branch-protection-score', optional(document.branchProtection?.score))
  workflow.setOutput('drift-events', optional(document.drift?.events))
  workflow.setOutput('changes', optional(document.changes?.population))
  workflow.setOutput('flagged-changes', optional(document.changes?.flagged))
  workflow.setOutput('change-records-csv', relative(files.changesCsv))
  workflow.setOutput('change-records-json', relative(files.changesJson))
  workflow.setOutput('sample-file', relative(files.sampleJson))
  workflow.setOutput('bundle-dir', relative(path.dirname(files.metrics)))
}

export async function run(): Promise<void> {
  await runAction('metrics', async ({ logger, summary }) => {
    const workspace = workspaceRoot()
    const inputs = readInputs(workspace)
    const context = readActionsContext(process.env)
    const repository = inputs.repository ?? context.repo
    const github = inputs.token
      ? await loadMetricsGitHub({
          token: inputs.token,
          tokenInput: 'token',
          repository,
          env: process.env,
          logger
        })
      : undefined
    const result = await runMetrics(inputs.options, {
      logger,
      summary,
      now: () => new Date(),
      github,
      context: {
        repository: `${repository.owner}/${repository.repo}`,
        defaultBranch: defaultBranch(context),
        runUrl: runUrl(context)
      }
    })
    writeOutputs(result, workspace)
  })
}
