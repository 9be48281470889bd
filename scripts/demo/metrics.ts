// The metrics step of `npm run demo`: offline (no token), from the gate's evidence the demo just wrote and
// the Argo CD and Flux status exports in examples/metrics, as a scheduled job with downloaded artifacts would.
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { runBundle, runnerNode, type BundleRun } from '../../test/support/run-bundle.js'

export interface MetricsDemo {
  run: BundleRun
  /** Problems with what the step produced; empty when it did what the demo expects. */
  problems: string[]
}

export async function demoMetrics(
  workspace: string,
  out: string,
  env: Record<string, string>
): Promise<MetricsDemo> {
  // From the first example export to today, so the exports and today's gate run both fall in the period.
  const today = new Date().toISOString().slice(0, 10)
  const run = await runBundle('metrics', {
    node: runnerNode().node,
    workspace,
    inputs: {
      token: '',
      period: `2026-09-01..${today}`,
      evidence: `${out}/gate/evidence.json`,
      deployments: 'examples/metrics/argocd/*.json\nexamples/metrics/flux/*.json',
      'promoted-revision': '9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b',
      'output-dir': `${out}/metrics`
    },
    env,
    timeoutMs: 120_000
  })
  const problems: string[] = []
  if (run.status !== 0) problems.push(`metrics exited ${run.status}`)
  else {
    const doc = JSON.parse(readFileSync(path.join(workspace, run.outputs['metrics-file']!), 'utf8'))
    if (doc.sources.evidence.branchRuns !== 1)
      problems.push(`expected the demo's one gate run, read ${doc.sources.evidence.branchRuns}`)
    // examples/metrics: payments drifted on 28 September, flux apps on 29 September, guestbook now.
    if (!(doc.drift?.events >= 3)) problems.push(`expected at least 3 drift events, got ${doc.drift?.events}`)
    if (doc.drift?.mismatches !== 1) problems.push('expected guestbook flagged as not the promoted revision')
  }
  return { run, problems }
}
