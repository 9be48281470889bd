import { computeFingerprint } from '../findings/fingerprint.js'
import type { Finding } from '../findings/finding.js'
import type { RuleDescriptor, RunInput } from '../findings/sarif/model.js'
import type { Violation } from './evaluate.js'
import { RULES, ruleMeta } from './rules/catalog.js'
import type { RuleMeta } from './rules/types.js'
import type { ScanProblem } from './types.js'

export const K8S_SCANNER = 'secure-pipeline-k8s-policy'
export const K8S_CATEGORY = 'k8s-policy'

export function toRuleDescriptor(rule: RuleMeta): RuleDescriptor {
  return {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: rule.title,
    fullDescription: rule.help,
    help: rule.help,
    helpMarkdown: `**${rule.title}**\n\n${rule.help}${rule.helpUri ? `\n\nSee ${rule.helpUri}` : ''}`,
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    severity: rule.severity,
    tags: ['security', 'kubernetes', ...rule.groups],
    precision: 'very-high'
  }
}

export function toFinding(violation: Violation): Finding {
  const rule = ruleMeta(violation.ruleId)
  const base = {
    ruleId: violation.ruleId,
    kind: 'config' as const,
    scanner: K8S_SCANNER,
    location: { path: violation.file, startLine: violation.line, startColumn: violation.column },
    partialFingerprints: {},
    ...(violation.container?.image ? { image: violation.container.image } : {})
  }
  // Identity without the line: object, field and rule survive edits elsewhere in the file.
  const identity = `${violation.objectKind}/${violation.namespace ?? ''}/${violation.objectName ?? ''}:${violation.fieldPath}:${violation.renderedFrom ?? ''}`
  return {
    ...base,
    aliases: [],
    title: rule.title,
    message: violation.renderedFrom
      ? `${violation.message} (rendered from kustomization ${violation.renderedFrom})`
      : violation.message,
    severity: rule.severity,
    category: K8S_CATEGORY,
    fingerprint: computeFingerprint(base, identity),
    suppressions: [],
    ...(rule.helpUri ? { helpUri: rule.helpUri } : {}),
    cwe: [],
    tags: ['kubernetes', ...rule.groups],
    k8sObject: {
      kind: violation.objectKind,
      ...(violation.objectName !== undefined ? { name: violation.objectName } : {}),
      ...(violation.namespace !== undefined ? { namespace: violation.namespace } : {})
    }
  }
}

/** One SARIF run: every known rule described (so help is there even for rules with no result) and every violation. */
export function toSarifRun(
  violations: readonly Violation[],
  problems: readonly ScanProblem[],
  srcRoot?: string
): RunInput {
  return {
    tool: {
      name: K8S_SCANNER,
      informationUri: 'https://kubernetes.io/docs/concepts/security/pod-security-standards/'
    },
    category: K8S_CATEGORY,
    rules: RULES.map(toRuleDescriptor),
    findings: violations.map(toFinding),
    problems: problems.map(p => ({ level: p.level, message: p.message })),
    ...(srcRoot ? { srcRoot } : {})
  }
}
