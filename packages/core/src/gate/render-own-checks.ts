import type { ChangeEffect } from '../policy/compare.js'
import { truncateText } from '../report/html-escape.js'
import { escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import { onlyIgnoresLess, type OwnChecksReview, type UnreadFile } from './own-checks.js'
import { BUILT_IN_POLICY } from '../policy/policy.js'
import type { PolicySources } from '../policy-source/resolve.js'
import type { EvaluatedFinding, GateVerdict } from './verdict.js'

/** Lists in the summary and the PR comment stay short; the evidence and the HTML page have the rest. */
const MAX_LISTED = 10
/**
 * So do the items: the pull request writes them (an ignore file's lines, an exception's id), and a few
 * long ones would take this section, and every one after it (the findings), out of the summary and the comment.
 */
const ITEM_CHARS = 200
/** An error or the reasons of a verdict under the pull request's policy, which quote its values in full. */
const MESSAGE_CHARS = 500

const EFFECT: Record<ChangeEffect, string> = {
  weaker: '⚠️ weakens',
  stricter: 'tightens',
  neutral: 'changes'
}

const OUTCOME = {
  pass: '✅ pass',
  'fail-findings': '❌ fail-findings',
  'fail-broken-input': '⛔ fail-broken-input'
}

function where(e: EvaluatedFinding): string {
  const l = e.finding.location
  return l ? `${l.path}${l.startLine ? `:${l.startLine}` : ''}` : '—'
}

function more(total: number, shown: number): string {
  return total > shown ? `\n\n…and ${total - shown} more.` : ''
}

/** Which policy decided and where it was read, for the summary's mode line. */
export function policyLine(sources: Pick<PolicySources, 'decidedBy' | 'deciding'>): string {
  const { policy, origin } = sources.deciding
  if (policy.source === BUILT_IN_POLICY)
    return `Policy: the built-in defaults (fail on critical and high); ${sources.decidedBy === 'base' ? 'the base of this change has' : 'there is'} no policy file.`
  const from = policy.source === origin ? '' : ` from ${escapeMarkdown(origin)}`
  const why = {
    base: 'the reviewed base version decides',
    head: 'the checked-out version decides',
    central: 'the central policy decides, whatever the pull request has'
  }[sources.decidedBy]
  return `Policy: ${tableCodeSpan(policy.source)}${from} (${why}).`
}

function verdictColumn(v: GateVerdict | undefined, error: string | undefined): string[] {
  if (!v)
    return [
      `cannot be evaluated: ${escapeMarkdown(truncateText(error ?? 'unknown', MESSAGE_CHARS))}`,
      '—',
      '—',
      '—'
    ]
  return [
    OUTCOME[v.outcome],
    v.reasons.length > 0 ? escapeMarkdown(truncateText(v.reasons.join('; '), MESSAGE_CHARS)) : '—',
    String(v.counts.counted.total),
    String(v.counts.blocking.total)
  ]
}

function policyComparison(review: OwnChecksReview, deciding: GateVerdict): string[] {
  const other = review.other
  if (!other) return []
  const intro =
    other.role === 'proposed'
      ? `This pull request changes the policy. The **base** version decides (${escapeMarkdown(review.decidingOrigin)}): a policy change is reviewed and merged first, then it applies. The pull request's version is evaluated beside it and decides nothing.`
      : `This pull request changes the policy and its own version decides (\`policy-source: head\`). The reviewed version (${escapeMarkdown(other.origin)}) is evaluated beside it.`
  const mine = verdictColumn(deciding, undefined)
  const theirs = verdictColumn(other.verdict, other.error)
  const table = markdownTable(
    [
      '',
      'deciding policy',
      other.role === 'proposed' ? "this pull request's policy" : 'reviewed base policy'
    ],
    ['verdict', 'why', 'counted findings', 'blocking findings'].map((label, i) => [
      label,
      mine[i]!,
      theirs[i]!
    ])
  )
  const parts = [intro, table]
  if (other.changes.length > 0) {
    const shown = other.changes.slice(0, MAX_LISTED * 2)
    parts.push(
      `What the pull request changes in the policy:\n\n${shown
        .map(
          c =>
            `- ${EFFECT[c.effect]} ${tableCodeSpan(truncateText(c.field, ITEM_CHARS))}: ${escapeMarkdown(truncateText(c.change, ITEM_CHARS))}`
        )
        .join('\n')}${more(other.changes.length, shown.length)}`
    )
  }
  return parts
}

/**
 * Changes that may waive more come first, each group in git's order: decoys named to sort first that only
 * ignore less cannot push one that ignores more past the cap. When those that may waive more fill the
 * list themselves, the count says how many of them are left out.
 */
function ignoreFileLines(review: OwnChecksReview): string[] {
  const files = review.ignoreFiles
  if (files.length === 0) return []
  const ordered = [...files.filter(f => !onlyIgnoresLess(f)), ...files.filter(f => onlyIgnoresLess(f))]
  const shown = ordered.slice(0, MAX_LISTED)
  const lines = shown.map(f => {
    const sample = f.added
      .slice(0, MAX_LISTED)
      .map(line => tableCodeSpan(truncateText(line, ITEM_CHARS)))
      .join(', ')
    const unread = f.problem ? `; cannot be read: ${escapeMarkdown(truncateText(f.problem, ITEM_CHARS))}` : ''
    const added = f.added.length > 0 ? `; adds ${sample}${f.added.length > MAX_LISTED ? ', …' : ''}` : ''
    return `- ⚠️ ${tableCodeSpan(truncateText(f.path, ITEM_CHARS))} (${f.status}): +${f.added.length} −${f.removed.length} lines${added}${unread}`
  })
  const unlistedWaivers = ordered.slice(MAX_LISTED).filter(f => !onlyIgnoresLess(f)).length
  const waiverNote = unlistedWaivers > 0 ? ` ${unlistedWaivers} of them may make a scanner ignore more.` : ''
  return [
    `Scanner ignore files this pull request adds or changes:\n\n${lines.join('\n')}${more(files.length, lines.length)}${waiverNote}`
  ]
}

function suppressionLines(review: OwnChecksReview, deciding: GateVerdict): string[] {
  const found = review.suppressionsInChangedFiles
  if (found.length === 0) return []
  const shown = found.slice(0, MAX_LISTED)
  const byChange = deciding.inSourceByChange
  const intro =
    byChange === undefined
      ? ''
      : byChange > 0
        ? ` ${byChange} of them ${byChange === 1 ? 'is' : 'are'} added by this change and count${byChange === 1 ? 's' : ''} until it is merged: a suppression is reviewed before it applies (\`in-source-suppressions: reviewed\`).`
        : ' The base already had each of them, so they apply (`in-source-suppressions: reviewed`).'
  return [
    `⚠️ ${found.length} in-source suppression(s) (e.g. \`nosemgrep\`) sit in files this pull request changes.${intro}\n\n${shown
      .map(
        e =>
          `- ${tableCodeSpan(truncateText(e.finding.ruleId, ITEM_CHARS))} at ${escapeMarkdown(truncateText(where(e), ITEM_CHARS))}${e.inSourceByChange ? ': added by this change, counted' : ''}`
      )
      .join('\n')}${more(found.length, shown.length)}${unreadSourceLines(review.suppressionFilesUnread)}`
  ]
}

/**
 * Source files whose suppressions could not be compared with the base: the pull request names them (a
 * report's paths, a link in a file's place), so the list is capped like the others.
 */
function unreadSourceLines(unread: readonly UnreadFile[]): string {
  if (unread.length === 0) return ''
  const shown = unread
    .slice(0, MAX_LISTED)
    .map(
      u =>
        `- ${tableCodeSpan(truncateText(u.path, ITEM_CHARS))} cannot be compared with the base (${escapeMarkdown(truncateText(u.problem, ITEM_CHARS))}): its suppressions count as this change's.`
    )
  return `\n\n${shown.join('\n')}${more(unread.length, shown.length)}`
}

/** "What this pull request changes about its own checks": absent when it changes none of them. */
export function ownChecksSection(
  review: OwnChecksReview | undefined,
  deciding: GateVerdict
): string | undefined {
  if (!review) return undefined
  const parts = [
    ...policyComparison(review, deciding),
    ...ignoreFileLines(review),
    ...suppressionLines(review, deciding)
  ]
  if (parts.length === 0) return undefined
  return `### What this pull request changes about its own checks\n\n${parts.join('\n\n')}`
}

const IN_SOURCE_EFFECT = {
  reviewed:
    'Those the base already had do not count toward the verdict; on a pull request or merge queue, one the change itself adds is listed and counts until the change is merged (`in-source-suppressions: reviewed`).',
  honour: 'They do not count toward the verdict (`in-source-suppressions: honour`).',
  report: 'They are listed and still count toward the verdict (`in-source-suppressions: report`).',
  ignore: 'The gate disregards them: they count like any other finding (`in-source-suppressions: ignore`).'
}

/** Every in-source suppression, in every mode: a `nosemgrep` is a decision someone should see. */
export function inSourceSection(v: GateVerdict, changed?: (file: string) => boolean): string | undefined {
  const found = v.findings.filter(e => e.inSource)
  if (found.length === 0) return undefined
  const shown = found.slice(0, MAX_LISTED * 2)
  const rows = shown.map(e => [
    e.finding.severity,
    tableCodeSpan(truncateText(e.finding.ruleId, ITEM_CHARS)),
    escapeMarkdown(truncateText(where(e), ITEM_CHARS)),
    escapeMarkdown(truncateText(e.inSource?.justification ?? '—', ITEM_CHARS)),
    e.inSourceByChange
      ? '⚠️ yes: added by this change, counted'
      : e.finding.location && changed?.(e.finding.location.path)
        ? '⚠️ yes'
        : changed
          ? 'no'
          : '—'
  ])
  return `### In-source suppressions (${found.length})\n\nFindings the scanners report as suppressed in the code itself (e.g. \`nosemgrep\`). ${IN_SOURCE_EFFECT[v.inSourceSuppressions]}\n\n${markdownTable(
    ['severity', 'rule', 'where', 'justification', 'file changed by this pull request'],
    rows
  )}${more(found.length, shown.length)}`
}
