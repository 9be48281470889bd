import { applyExceptions, describeException } from '../policy/exceptions.js'
import type { ExceptionEntry } from '../policy/schema.js'
import type { Violation } from './evaluate.js'
import { toFinding } from './to-findings.js'

export interface ExceptedViolations {
  /** Violations no active exception waives: these fail the step. */
  counted: Violation[]
  /** Waived violations, each with the exception that waives it (as the gate describes it). */
  waived: { violation: Violation; exception: string }[]
}

/**
 * The policy file's exceptions over k8s-policy's violations, matched as the gate matches them (the
 * same function on the same findings, SARIF properties included), so the step and the gate agree.
 */
export function applyK8sExceptions(
  violations: readonly Violation[],
  entries: readonly ExceptionEntry[],
  today: string
): ExceptedViolations {
  if (entries.length === 0) return { counted: [...violations], waived: [] }
  const { suppressedBy } = applyExceptions(violations.map(toFinding), [...entries], today)
  const result: ExceptedViolations = { counted: [], waived: [] }
  violations.forEach((violation, i) => {
    const use = suppressedBy[i]
    if (use) result.waived.push({ violation, exception: `#${use.index + 1} ${describeException(use.entry)}` })
    else result.counted.push(violation)
  })
  return result
}
