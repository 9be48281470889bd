import { describe, expect, it } from '@jest/globals'
import { JobSummary } from '../runtime/job-summary.js'
import type { K8sPolicyReport } from './check.js'
import type { Violation } from './evaluate.js'
import { summarizeK8sReport, type K8sSummaryContext } from './report.js'

const CONTEXT: K8sSummaryContext = {
  level: 'baseline',
  version: 33,
  sarifFile: 'k8s.sarif',
  policy: { origin: 'the defaults', source: 'base' },
  failOnUnchecked: false
}

function violation(ruleId: string, name: string, file = 'deploy/app.yaml'): Violation {
  return {
    ruleId,
    message: `Deployment ${name}: container app breaks ${ruleId}`,
    file,
    line: 1,
    column: 1,
    fieldPath: 'spec',
    objectKind: 'Deployment',
    objectName: name
  }
}

function reportOf(violations: Violation[], unchecked: K8sPolicyReport['unchecked'] = []): K8sPolicyReport {
  const byRule: Record<string, number> = {}
  for (const v of violations) byRule[v.ruleId] = (byRule[v.ruleId] ?? 0) + 1
  return {
    violations,
    byRule,
    problems: [],
    notes: [],
    unchecked,
    files: ['deploy/app.yaml'],
    kustomizations: [],
    objects: 2,
    workloads: 2
  }
}

describe('summarizeK8sReport and values a manifest writes, however long', () => {
  it('keeps the violations table and its other rows when one object name is 200 KB', () => {
    const huge = 'n'.repeat(200_000)
    const rules = ['privileged', 'latest-tag', 'limits-required', 'run-as-non-root', 'host-network', 'probes']
    const violations = [
      ...rules.map(id => violation(id, huge, `deploy/${'d'.repeat(200_000)}.yaml`)),
      violation('privileged', 'still-shown')
    ]
    const summary = new JobSummary()
    summarizeK8sReport(summary, CONTEXT, reportOf(violations))
    const { text, truncated } = summary.fit()
    expect(truncated).toBe(false)
    expect(text.length).toBeLessThan(20_000)
    expect(text).toContain('| Where | Rule | Message |')
    expect(text).toContain('Deployment still-shown')
  })

  it('cuts each unchecked file and its reason, so the findings after them stay in the summary', () => {
    const unchecked = Array.from({ length: 6 }, () => ({
      file: 'u'.repeat(200_000),
      reason: 'r'.repeat(200_000)
    }))
    const summary = new JobSummary()
    summarizeK8sReport(summary, CONTEXT, reportOf([violation('privileged', 'still-shown')], unchecked))
    const { text } = summary.fit()
    expect(text.length).toBeLessThan(20_000)
    expect(text).toContain('Deployment still-shown')
  })
})
