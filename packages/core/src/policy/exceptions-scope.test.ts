import { describe, expect, it } from '@jest/globals'
import { makeFinding } from '../../../../test/support/findings.js'
import { ConfigurationError } from '../runtime/errors.js'
import { describeException, exceptionMatches, exceptionNamesRule } from './exceptions.js'
import { parsePolicy } from './load.js'
import type { ExceptionEntry } from './schema.js'

const entry = (over: Partial<ExceptionEntry>): ExceptionEntry => ({
  reason: 'r',
  owner: 'o',
  expires: '2026-12-31',
  ...over
})

const k8s = (k8sObject: { kind: string; name?: string; namespace?: string }) =>
  makeFinding({
    ruleId: 'image-disallowed-tag',
    kind: 'config',
    scanner: 'secure-pipeline-k8s-policy',
    k8sObject
  })

describe('exceptions scoped to a Kubernetes namespace or workload', () => {
  const web = k8s({ kind: 'Deployment', name: 'web', namespace: 'shop' })

  it('matches only the object in that namespace', () => {
    expect(exceptionMatches(entry({ rule: 'image-disallowed-tag', namespace: 'shop' }), web)).toBe(true)
    expect(exceptionMatches(entry({ rule: 'image-disallowed-tag', namespace: 'staging' }), web)).toBe(false)
    // A manifest without a namespace is not known to be in it.
    expect(
      exceptionMatches(
        entry({ rule: 'image-disallowed-tag', namespace: 'shop' }),
        k8s({ kind: 'Deployment', name: 'web' })
      )
    ).toBe(false)
  })

  it('matches only the named workload, kind and name exactly', () => {
    const scoped = (workload: string) => entry({ rule: 'image-disallowed-tag', workload })
    expect(exceptionMatches(scoped('Deployment/web'), web)).toBe(true)
    expect(exceptionMatches(scoped('StatefulSet/web'), web)).toBe(false)
    expect(exceptionMatches(scoped('Deployment/web2'), web)).toBe(false)
    expect(
      exceptionMatches(
        entry({ rule: 'image-disallowed-tag', workload: 'Deployment/web', namespace: 'staging' }),
        web
      )
    ).toBe(false)
  })

  it('never matches a finding that is not about a Kubernetes object', () => {
    const semgrep = makeFinding({ ruleId: 'image-disallowed-tag', scanner: 'semgrep' })
    expect(exceptionMatches(entry({ rule: 'image-disallowed-tag', namespace: 'shop' }), semgrep)).toBe(false)
    expect(
      exceptionMatches(entry({ rule: 'image-disallowed-tag', workload: 'Deployment/web' }), semgrep)
    ).toBe(false)
  })

  it('names its scope when described, and names rules by id or glob', () => {
    expect(describeException(entry({ id: 'pss-*', namespace: 'legacy', workload: 'Pod/debug' }))).toBe(
      'pss-*, namespace legacy, workload Pod/debug'
    )
    expect(exceptionNamesRule(entry({ id: 'pss-*' }), 'pss-privileged')).toBe(true)
    expect(exceptionNamesRule(entry({ id: 'pss-*' }), 'privileged-container')).toBe(false)
    expect(exceptionNamesRule(entry({ rule: 'Image-Digest' }), 'image-digest')).toBe(true)
  })

  it('refuses a namespace or workload that Kubernetes could not name', () => {
    const policy = (scope: string) =>
      `exceptions:\n  - rule: image-digest\n    ${scope}\n    reason: r\n    owner: o\n    expires: 2026-12-31\n`
    expect(parsePolicy(policy('namespace: shop'), 'p.yml').exceptions[0]?.namespace).toBe('shop')
    expect(parsePolicy(policy('workload: CronJob/nightly.report'), 'p.yml').exceptions[0]?.workload).toBe(
      'CronJob/nightly.report'
    )
    for (const bad of [
      'namespace: Shop',
      'namespace: "shop/web"',
      'workload: web',
      'workload: deployment/web',
      'workload: "Deployment/"'
    ])
      expect(() => parsePolicy(policy(bad), 'p.yml')).toThrow(ConfigurationError)
  })
})
