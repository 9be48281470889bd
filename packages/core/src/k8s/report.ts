import {
  formatAnnotation,
  selectAnnotations,
  withCommandsStopped,
  type Annotation
} from '../report/annotations.js'
import { truncateText } from '../report/html-escape.js'
import { escapeMarkdown, markdownTable } from '../report/markdown.js'
import type { JobSummary } from '../runtime/job-summary.js'
import type { K8sPolicyReport } from './check.js'
import type { Violation as K8sViolation } from './evaluate.js'
import { RULES_BY_ID as K8S_RULES_BY_ID } from './rules/catalog.js'
import type { PssLevel } from './rules/pss.js'
import type { PssVersion } from './rules/pss-version.js'
import type { TrustSource } from '../github/trusted-file.js'
import type { PolicyProposal } from './policy-source.js'
import type { UncheckedFile } from './types.js'

export interface K8sSummaryContext {
  level: PssLevel
  version: PssVersion
  /** Workspace-relative, as shown to the user. */
  sarifFile: string
  /**
   * Where the rule switches came from (`central`: a central policy repository), and what the pull
   * request's own policy would change.
   */
  policy: { origin: string; source: TrustSource | 'central'; proposal?: PolicyProposal }
  /** Unchecked files fail the run. */
  failOnUnchecked: boolean
}

export const SUMMARY_ROWS = 50
/**
 * A manifest's author writes the names, images and paths the messages quote: one megabyte-long value
 * made its section too big for the summary, which then dropped the whole table. The SARIF keeps them whole.
 */
const WHERE_CHARS = 120
const MESSAGE_CHARS = 300
const LOG_LINES = 1000

/**
 * One annotation per violation at its file and line, capped per level as GitHub shows no more. The
 * messages quote manifest content (names, images), so nothing in them may act as a workflow command:
 * formatAnnotation escapes the data, and the list is printed with commands stopped around it.
 */
export function annotateK8sViolations(
  violations: readonly K8sViolation[],
  write: (line: string) => void
): Annotation[] {
  const all: Annotation[] = violations.map(v => {
    const rule = K8S_RULES_BY_ID.get(v.ruleId)
    const severe = rule?.severity === 'critical' || rule?.severity === 'high'
    return {
      level: severe ? 'error' : 'warning',
      title: `k8s-policy ${v.ruleId}`,
      message: v.message,
      file: v.file,
      startLine: v.line,
      startColumn: v.column
    }
  })
  const selected = selectAnnotations(all)
  for (const annotation of selected) write(formatAnnotation(annotation))
  if (violations.length > 0) {
    const lines = violations
      .slice(0, LOG_LINES)
      .map(v => `${v.file}:${v.line}:${v.column} [${v.ruleId}] ${v.message}`)
    if (violations.length > LOG_LINES)
      lines.push(`…and ${violations.length - LOG_LINES} more in the SARIF file`)
    withCommandsStopped(write, lines)
  }
  return selected
}

export function summarizeK8sReport(
  summary: JobSummary,
  context: K8sSummaryContext,
  report: K8sPolicyReport
): void {
  summary.heading('Kubernetes policy')
  summary.add(
    `${report.violations.length} violation(s) in ${report.workloads} workload(s) ` +
      `(${report.files.length} file(s), ${report.kustomizations.length} kustomization(s)); ` +
      `Pod Security Standards **${context.level}** at policy v1.${context.version}. SARIF: \`${escapeMarkdown(context.sarifFile)}\`.`
  )
  summary.add(policyLine(context.policy))
  const errors = report.problems.filter(p => p.level === 'error')
  if (errors.length > 0) {
    summary.add(
      `> [!CAUTION]\n> ${errors.length} manifest(s) could not be checked: ${escapeMarkdown(truncateText(errors[0]?.message ?? '', MESSAGE_CHARS))}`
    )
  }
  if (report.unchecked.length > 0) summary.add(uncheckedSection(report.unchecked, context.failOnUnchecked))
  if (report.violations.length === 0) return
  const rows = Object.entries(report.byRule)
    .sort(([, a], [, b]) => b - a)
    .map(([id, count]) => [`\`${id}\``, escapeMarkdown(K8S_RULES_BY_ID.get(id)?.title ?? id), count])
  summary.add(markdownTable(['Rule', 'What', 'Violations'], rows, ['l', 'l', 'r']))
  const shown = report.violations.slice(0, SUMMARY_ROWS)
  summary.add(
    markdownTable(
      ['Where', 'Rule', 'Message'],
      shown.map(v => [
        escapeMarkdown(truncateText(`${v.file}:${v.line}`, WHERE_CHARS)),
        `\`${v.ruleId}\``,
        escapeMarkdown(truncateText(v.message, MESSAGE_CHARS))
      ])
    ) +
      (report.violations.length > shown.length
        ? `\n\n…and ${report.violations.length - shown.length} more in the SARIF file.`
        : '')
  )
}

const ids = (list: readonly string[]) => list.map(id => `\`${id}\``).join(', ')

function policyLine(policy: K8sSummaryContext['policy']): string {
  if (policy.source === 'central')
    return `Rule switches and exceptions from the central policy ${escapeMarkdown(policy.origin)} (\`policy-repository\`); it decides whatever this repository's own policy file says, which is not read.`
  const line = `Rule switches from ${escapeMarkdown(policy.origin)} (\`policy-source: ${policy.source}\`).`
  const proposal = policy.proposal
  if (!proposal) return line
  const effect = proposal.error
    ? `it is invalid: ${escapeMarkdown(truncateText(proposal.error, MESSAGE_CHARS))}`
    : proposal.turnsOff.length + proposal.turnsOn.length === 0
      ? 'it changes no k8s-policy rule'
      : [
          proposal.turnsOff.length > 0 ? `it would turn off ${ids(proposal.turnsOff)}` : '',
          proposal.turnsOn.length > 0 ? `it would turn on ${ids(proposal.turnsOn)}` : ''
        ]
          .filter(Boolean)
          .join('; ')
  const alert = proposal.error || proposal.turnsOff.length > 0 ? 'WARNING' : 'NOTE'
  return (
    `${line}\n\n> [!${alert}]\n> The pull request proposes another version, ${escapeMarkdown(proposal.origin)}, ` +
    `which does not decide this run; it applies once it is reviewed and merged. Compared with the version that decides, ${effect}.`
  )
}

function uncheckedSection(unchecked: readonly UncheckedFile[], fails: boolean): string {
  const shown = unchecked.slice(0, SUMMARY_ROWS)
  const head =
    `> [!${fails ? 'CAUTION' : 'WARNING'}]\n> ${unchecked.length} file(s) matching \`paths\` were not checked` +
    (fails ? " and 'fail-on-unchecked' is true." : "; set 'fail-on-unchecked: true' to fail the run on them.")
  const table = markdownTable(
    ['Not checked', 'Why'],
    shown.map(u => [
      escapeMarkdown(truncateText(u.file, WHERE_CHARS)),
      escapeMarkdown(truncateText(u.reason, MESSAGE_CHARS))
    ])
  )
  const more =
    unchecked.length > shown.length
      ? `\n\n…and ${unchecked.length - shown.length} more in the SARIF file.`
      : ''
  return `${head}\n\n${table}${more}`
}
