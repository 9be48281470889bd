import { EOL } from 'node:os'
import * as path from 'node:path'
import {
  getBooleanInput,
  getListInput,
  getOptionalInput,
  getTriStateInput,
  parseBoolean,
  resolveInWorkspace,
  runAction,
  workflow,
  workspaceRoot
} from '@secure-pipeline/core/runtime'
import { type GateConfig, type GateResult, runGate, runIdentityFromEnv } from '@secure-pipeline/core/gate'
import { DEFAULT_POLICY_PATH } from '@secure-pipeline/core/policy'

interface GateInputs {
  config: GateConfig
  token?: string
}

export function readInputs(now: Date): GateInputs {
  const workspace = workspaceRoot()
  const policy = getOptionalInput('policy') ?? DEFAULT_POLICY_PATH
  const warnOnly = getOptionalInput('warn-only')
  const outputDir = getOptionalInput('output-dir') ?? 'secure-pipeline/gate'
  resolveInWorkspace('policy', policy, workspace)
  return {
    token: getOptionalInput('token'),
    config: {
      workspace,
      reports: getListInput('reports').length > 0 ? getListInput('reports') : ['secure-pipeline/*.sarif'],
      baseline: getListInput('baseline'),
      policyPath: policy,
      policyExplicit: policy !== DEFAULT_POLICY_PATH,
      warnOnly: warnOnly === undefined ? undefined : parseBoolean('warn-only', warnOnly, false),
      upload: getOptionalInput('upload') === undefined ? undefined : getTriStateInput('upload', 'auto'),
      comment: getOptionalInput('comment') === undefined ? undefined : getTriStateInput('comment', 'auto'),
      annotations: getBooleanInput('annotations', true),
      outputDir: resolveInWorkspace('output-dir', outputDir, workspace),
      topFindings: 50,
      today: now.toISOString().slice(0, 10)
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
  workflow.setOutput('new', String(verdict.counts.counted.total))
  workflow.setOutput('fixed', String(verdict.fixed.length))
  workflow.setOutput('suppressed', String(verdict.findings.filter(f => f.suppression).length))
  workflow.setOutput('evidence-file', path.relative(workspace, result.evidenceFile))
  workflow.setOutput('html-report', path.relative(workspace, result.htmlFile))
  if (result.sarifFile) workflow.setOutput('sarif-file', path.relative(workspace, result.sarifFile))
}

export async function run(): Promise<void> {
  await runAction('gate', async ({ logger, summary }) => {
    const now = new Date()
    const inputs = readInputs(now)
    // Loaded only with a token: the GitHub client is most of the bundle's start-up cost.
    const github = inputs.token
      ? (await import('@secure-pipeline/core/gate-github')).createGateGitHub({
          token: inputs.token,
          env: process.env,
          logger
        })
      : undefined
    const result = await runGate(inputs.config, {
      logger,
      summary,
      writeLine: line => process.stdout.write(line + EOL),
      github,
      run: runIdentityFromEnv(process.env),
      now: () => now
    })
    writeOutputs(result, inputs.config.workspace)
    const { verdict } = result
    if (verdict.outcome === 'fail-broken-input') {
      workflow.setFailed(
        `gate: ${verdict.brokenInputs.length} report(s) missing or broken (${verdict.brokenInputs.map(b => b.source).join(', ')}); a broken report is never read as 0 findings.`
      )
    } else if (verdict.outcome === 'fail-findings') {
      workflow.setFailed(`gate: findings exceed the policy: ${verdict.reasons.join('; ')}.`)
    } else if (verdict.reasons.length > 0) {
      workflow.warning(`gate (warn-only): ${verdict.reasons.join('; ')}.`)
    }
  })
}
