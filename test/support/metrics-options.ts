import * as path from 'node:path'
import type { MetricsOptions } from '../../packages/core/src/metrics/ports.js'

/**
 * A metrics run over `workspace` with every source on and the action's defaults otherwise (90 days
 * ending 2026-10-01, outputs under out/); a test overrides what it is about.
 */
export function metricsOptions(workspace: string, overrides: Partial<MetricsOptions> = {}): MetricsOptions {
  return {
    workspace,
    period: '90d',
    end: '2026-10-01',
    evidence: [],
    evidenceLookbackDays: 90,
    maxArtifacts: 10,
    codeScanning: 'auto',
    workflowRuns: true,
    branchProtection: true,
    changeRecords: true,
    deployments: [],
    bumpBranchPrefix: 'secure-pipeline/bump/',
    pipelineChecks: ['secure-pipeline*'],
    sampleSize: 25,
    outputDir: path.join(workspace, 'out'),
    inputNames: {
      period: 'period',
      end: 'end',
      evidence: 'evidence',
      deployments: 'deployments',
      outputDir: 'o'
    },
    ...overrides
  }
}
