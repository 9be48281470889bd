import type { Finding } from '../../packages/core/src/findings/finding.js'

let counter = 0

/** A finding with every required field set; tests override what they care about. */
export function makeFinding(overrides: Partial<Finding> = {}): Finding {
  counter++
  return {
    ruleId: `RULE-${counter}`,
    aliases: [],
    message: `problem ${counter}`,
    severity: 'high',
    kind: 'code',
    scanner: 'semgrep',
    fingerprint: `fp-${counter}`,
    partialFingerprints: {},
    suppressions: [],
    cwe: [],
    tags: [],
    ...overrides
  }
}
