import { EOL } from 'node:os'
import * as path from 'node:path'
import {
  getBooleanInput,
  getListInput,
  getOptionalInput,
  getTriStateInput,
  parseBoolean,
  parseEnum,
  resolveOutputDirectory,
  runAction,
  workflow,
  workspaceRoot,
  writeStdout
} from '@secure-pipeline/core/runtime'
import {
  brokenInputsLine,
  centralPolicyFrom,
  changeBaseFromEnv,
  committedFilesIn,
  IN_SOURCE_SUPPRESSION_MODES,
  newCounted,
  runGate,
  policyPathInRepository,
  runIdentityFromEnv,
  type GateConfig,
  type GateResult
} from '@secure-pipeline/core/gate'
import { DEFAULT_POLICY_PATH } from '@secure-pipeline/core/policy'

interface GateInputs {
  config: GateConfig
  token?: string
  policyToken?: string
  commentKey?: string
}

export function readInputs(): GateInputs {
  const workspace = workspaceRoot()
  const policyPath = getOptionalInput('policy') ?? DEFAULT_POLICY_PATH
  const central = centralPolicyFrom(
    {
      repository: getOptionalInput('policy-repository'),
      ref: getOptionalInput('policy-ref'),
      path: policyPath,
      token: getOptionalInput('policy-token')
    },
    { repository: 'policy-repository', ref: 'policy-ref', path: 'policy', token: 'policy-token' }
  )
  const warnOnly = getOptionalInput('warn-only')
  return {
    token: getOptionalInput('token'),
    policyToken: getOptionalInput('policy-token'),
    commentKey: getOptionalInput('comment-key'),
    config: {
      workspace,
      reports: getListInput('reports').length > 0 ? getListInput('reports') : ['secure-pipeline/*.sarif'],
      baseline: getListInput('baseline'),
      policy: {
        // A workspace policy path must stay inside it; a central one is a path in that repository.
        path: central ? policyPath : policyPathInRepository('policy', policyPath, workspace),
        explicit: policyPath !== DEFAULT_POLICY_PATH,
        inputName: 'policy',
        source: parseEnum('policy-source', getOptionalInput('policy-source'), ['base', 'head'], 'base'),
        central
      },
      warnOnly: warnOnly === undefined ? undefined : parseBoolean('warn-only', warnOnly, false),
      upload: getOptionalInput('upload') === undefined ? undefined : getTriStateInput('upload', 'auto'),
      comment: getOptionalInput('comment') === undefined ? undefined : getTriStateInput('comment', 'auto'),
      annotations: getBooleanInput('annotations', true),
      // By its words: a directory link committed there is refused, never followed onto the repository's files.
      outputDir: resolveOutputDirectory(
        'output-dir',
        getOptionalInput('output-dir') ?? 'secure-pipeline/gate',
        workspace
      ),
      inSourceSuppressions: parseEnum(
        'in-source-suppressions',
        getOptionalInput('in-source-suppressions'),
        IN_SOURCE_SUPPRESSION_MODES,
        'reviewed'
      )
    }
  }
}

function writeOutputs(result: GateResult, workspace: string): void {
  const { verdict } = result
  workflow.setOutput('passed', String(verdict.outcome === 'pass'))
  workflow.setOutput('outcome', verdict.outcome)
  workflow.setOutput(
    'counts',
    JSON.stringify({
      total: verdict.counts.counted.total,
      bySeverity: verdict.counts.counted.bySeverity,
      byScanner: verdict.counts.counted.byScanner
    })
  )
  workflow.setOutput('new', String(newCounted(verdict)))
  workflow.setOutput('fixed', String(verdict.fixed.length))
  workflow.setOutput('suppressed', String(verdict.findings.filter(f => f.suppression).length))
  workflow.setOutput('evidence-file', path.relative(workspace, result.evidenceFile))
  workflow.setOutput('html-report', path.relative(workspace, result.htmlFile))
  if (result.sarifFile) workflow.setOutput('sarif-file', path.relative(workspace, result.sarifFile))
  if (result.otherVerdict) workflow.setOutput('other-policy-outcome', result.otherVerdict.outcome)
}

function reportVerdict({ verdict }: GateResult): void {
  if (verdict.outcome === 'fail-broken-input') {
    workflow.setFailed(brokenInputsLine(verdict.brokenInputs))
  } else if (verdict.outcome === 'fail-findings') {
    workflow.setFailed(`gate: findings exceed the policy: ${verdict.reasons.join('; ')}.`)
  } else if (verdict.reasons.length > 0) {
    workflow.warning(`gate (warn-only): ${verdict.reasons.join('; ')}.`)
  }
}

export async function run(): Promise<void> {
  await runAction('gate', async ({ logger, summary }) => {
    const inputs = readInputs()
    const { workspace } = inputs.config
    // Loaded only with a token: the GitHub client is most of the bundle's start-up cost.
    const github =
      inputs.token || inputs.policyToken
        ? (await import('@secure-pipeline/core/gate-github')).createGateGitHub({
            token: inputs.token ?? '',
            policyToken: inputs.policyToken,
            commentKey: inputs.commentKey,
            env: process.env,
            workspace,
            logger
          })
        : undefined
    const result = await runGate(inputs.config, {
      logger,
      summary,
      writeLine: line => writeStdout(line + EOL),
      github,
      run: runIdentityFromEnv(process.env),
      now: () => new Date(),
      changeBase: () => changeBaseFromEnv(process.env, workspace, logger),
      committedFiles: committedFilesIn(workspace, process.env)
    })
    writeOutputs(result, workspace)
    reportVerdict(result)
  })
}
