import { describe, expect, it } from '@jest/globals'
import { buildSarifLog } from '../findings/sarif/write.js'
import { evaluateObjects } from './evaluate.js'
import { defaultOptions } from './options.js'
import { RULES } from './rules/catalog.js'
import { objectsFrom } from '../../../../test/support/k8s-pods.js'
import { K8S_SCANNER, toFinding, toSarifRun } from './to-findings.js'

const manifest = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata:',
  '  name: web',
  'spec:',
  '  template:',
  '    spec:',
  '      containers:',
  '        - name: app',
  '          image: nginx:latest',
  '          securityContext:',
  '            privileged: true'
].join('\n')

describe('violations as findings and SARIF', () => {
  const options = defaultOptions({ rules: new Set(['privileged-container', 'image-disallowed-tag']) })
  const violations = evaluateObjects(objectsFrom(manifest, 'k8s/web.yaml'), options)

  it('points each finding at the file and line of the offending field', () => {
    const findings = violations.map(toFinding)
    expect(findings.map(f => [f.ruleId, f.location?.path, f.location?.startLine])).toEqual([
      ['privileged-container', 'k8s/web.yaml', 12],
      ['image-disallowed-tag', 'k8s/web.yaml', 10]
    ])
    expect(findings[0]).toMatchObject({
      kind: 'config',
      scanner: K8S_SCANNER,
      severity: 'high',
      image: 'nginx:latest'
    })
  })

  it('keeps the fingerprint when lines move', () => {
    const shifted = evaluateObjects(
      objectsFrom(`# a new comment\n\n${manifest}`, 'k8s/web.yaml'),
      options
    ).map(toFinding)
    const original = violations.map(toFinding)
    expect(shifted.map(f => f.location?.startLine)).toEqual([14, 12])
    expect(shifted.map(f => f.fingerprint)).toEqual(original.map(f => f.fingerprint))
  })

  it('writes SARIF with every rule described and help that says how to fix it', () => {
    const log = buildSarifLog([
      toSarifRun(violations, [{ level: 'error', message: 'x.yaml: invalid YAML' }], '/repo')
    ])
    const run = log.runs[0]!
    expect(run.tool.driver.rules).toHaveLength(RULES.length)
    const privileged = run.tool.driver.rules?.find(r => r.id === 'privileged-container')
    expect(privileged?.help?.text).toMatch(/set it to false/)
    expect(privileged?.defaultConfiguration?.level).toBe('error')
    expect((run.results ?? []).map(r => r.locations?.[0]?.physicalLocation?.region?.startLine)).toEqual([
      12, 10
    ])
    expect(run.invocations?.[0]?.executionSuccessful).toBe(false)
    expect(run.automationDetails?.id).toBe('k8s-policy/')
  })

  it('dedupes the same violation reached through two overlays', () => {
    const objects = objectsFrom(manifest, 'k8s/web.yaml')
    const twice = evaluateObjects([...objects, ...objects], options)
    expect(twice.map(v => `${v.ruleId} ${v.file}:${v.line}`)).toEqual([
      'privileged-container k8s/web.yaml:12',
      'image-disallowed-tag k8s/web.yaml:10'
    ])
  })
})
