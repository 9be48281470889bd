import { describe, expect, it } from '@jest/globals'
import { ConfigurationError } from '../runtime/errors.js'
import { parseImageRef } from '../images/reference.js'
import { selectRules, type RuleSelection } from './options.js'
import { parseQuantity } from './quantity.js'
import { RULES } from './rules/catalog.js'

const base: RuleSelection = {
  tokens: [],
  allowedRegistries: [],
  requireDigest: false,
  requireRequests: true,
  requiredProbes: ['livenessProbe'],
  // Not the action's names: core must say whatever the caller calls its inputs.
  inputNames: {
    rules: 'rule-set',
    allowedRegistries: 'registries',
    requireRequests: 'requests',
    requiredProbes: 'probes'
  }
}
const select = (over: Partial<RuleSelection>) => [...selectRules({ ...base, ...over })].sort()

describe('rule selection', () => {
  it('runs everything by default except the rules waiting for a parameter', () => {
    const all = select({})
    expect(all).toHaveLength(RULES.length - 2)
    expect(all).not.toContain('allowed-registries')
    expect(all).not.toContain('image-digest')
    expect(select({ allowedRegistries: ['ghcr.io/acme/'], requireDigest: true })).toHaveLength(RULES.length)
  })

  it('takes groups, ids and removals', () => {
    expect(select({ tokens: ['seed'] })).toEqual([
      'image-disallowed-tag',
      'image-untagged',
      'privileged-container',
      'resource-limits',
      'resource-requests'
    ])
    expect(select({ tokens: ['pss-restricted', '!pss-run-as-user'] })).not.toContain('pss-run-as-user')
    expect(select({ tokens: ['all', '-pod-security'] }).some(id => id.startsWith('pss-'))).toBe(false)
    expect(select({ tokens: ['image-digest'] })).toEqual(['image-digest'])
  })

  it('fails clearly on an unknown token or a named rule without its parameter', () => {
    expect(() => select({ tokens: ['no-such-rule'] })).toThrow(ConfigurationError)
    expect(() => select({ tokens: ['no-such-rule'] })).toThrow(
      /^Input 'rule-set' names an unknown rule or group 'no-such-rule'/
    )
    expect(() => select({ tokens: ['allowed-registries'] })).toThrow(/'registries' is empty/)
    expect(() => select({ tokens: ['resource-requests'], requireRequests: false })).toThrow(
      /'requests' is false/
    )
    expect(() => select({ tokens: ['required-probes'], requiredProbes: [] })).toThrow(/'probes' is empty/)
    expect(select({ tokens: ['seed'], requireRequests: false })).not.toContain('resource-requests')
  })

  it('applies the policy file after the input', () => {
    const chosen = select({ policyRules: { 'required-probes': false, 'image-digest': true } })
    expect(chosen).not.toContain('required-probes')
    expect(chosen).toContain('image-digest')
    expect(() => select({ policyRules: { 'allowed-registries': true } })).toThrow(/'registries' is empty/)
    expect(() => select({ policyRules: { bogus: true } })).toThrow(/unknown rule 'bogus'/)
    // A rule id the pull request wrote is quoted on one line, whatever line breaks it holds.
    expect(() => select({ policyRules: { 'a\u2028::error::b\nc': true } })).toThrow(
      /unknown rule 'a\\u2028::error::b\\u000ac'/
    )
  })
})

describe('image references and quantities', () => {
  it('splits references the way runtimes read them', () => {
    expect(parseImageRef('nginx')).toMatchObject({
      registry: 'docker.io',
      repository: 'library/nginx',
      fullName: 'docker.io/library/nginx'
    })
    expect(parseImageRef('localhost:5000/app:1.2')).toMatchObject({
      registry: 'localhost:5000',
      repository: 'app',
      tag: '1.2'
    })
    expect(parseImageRef('ghcr.io/o/a:1@sha256:abc')).toMatchObject({
      registry: 'ghcr.io',
      repository: 'o/a',
      tag: '1',
      digest: 'sha256:abc'
    })
    expect(parseImageRef('team/app')).toMatchObject({ registry: 'docker.io', repository: 'team/app' })
  })

  it('parses Kubernetes quantities', () => {
    expect(parseQuantity('500m')).toBeCloseTo(0.5)
    expect(parseQuantity(2)).toBe(2)
    expect(parseQuantity('1Gi')).toBe(2 ** 30)
    expect(parseQuantity('1G')).toBe(1e9)
    expect(parseQuantity('1e3')).toBe(1000)
    expect(parseQuantity('lots')).toBeUndefined()
    expect(parseQuantity('1Gb')).toBeUndefined()
    expect(parseQuantity(null)).toBeUndefined()
  })
})
