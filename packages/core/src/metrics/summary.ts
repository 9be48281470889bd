import { SEVERITIES } from '../findings/finding.js'
import { codeSpan, escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import type { ChangeRecord } from './changes/records.js'
import type { MetricsDocument } from './document.js'

const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)
const days = (d: number | null) => (d === null ? '—' : `${d}`)
const SUMMARY_CHANGES = 25

/** What the push times say of the change records: why they could not be read, what they could not explain. */
function pushLines(doc: MetricsDocument): string[] {
  const pushes = doc.sources.pushes
  const branch = codeSpan(doc.branch)
  if (pushes.status !== 'read')
    return [
      `> [!WARNING]\n> The push times of ${branch} could not be read: ${escapeMarkdown(pushes.reason)}. The records come from commit dates alone, which whoever pushes sets: a direct push of a backdated commit could be missing.`
    ]
  return [
    ...(pushes.unreconciled.length
      ? [
          `> [!WARNING]\n> ${pushes.unreconciled.length} push(es) to ${branch} could not be reconciled with the records: ${pushes.unreconciled.map(u => `${u.type} at ${u.at} (${escapeMarkdown(u.reason)})`).join('; ')}. A commit they put on the branch could be missing.`
        ]
      : []),
    ...(pushes.forcePushes.length
      ? [
          `${pushes.forcePushes.length} force push(es) rewrote ${branch} in the period: ${pushes.forcePushes.map(f => `${f.at} by ${escapeMarkdown(f.actor ?? 'unknown')}`).join('; ')}.`
        ]
      : [])
  ]
}

/** The job summary: the same measures as the report, as tables, and where the files are. */
export function metricsSummary(
  doc: MetricsDocument,
  records: readonly ChangeRecord[],
  files: { html: string; bundle: string }
): string[] {
  const v = doc.vulnerabilities
  const sections = [
    `## secure-pipeline metrics: ${escapeMarkdown(doc.repository ?? '')} ${codeSpan(doc.branch)}, ${doc.period.label}`,
    markdownTable(
      [
        'severity',
        'MTTR days (mean)',
        'median',
        'remediated',
        'open',
        'suppressed',
        ...(doc.codeScanning ? ['code scanning MTTR', 'code scanning open'] : [])
      ],
      SEVERITIES.map(s => [
        s,
        days(v.mttr[s].meanDays),
        days(v.mttr[s].medianDays),
        v.mttr[s].remediated,
        v.open?.[s] ?? '—',
        v.suppressed?.[s] ?? '—',
        ...(doc.codeScanning ? [days(doc.codeScanning.mttr[s].meanDays), doc.codeScanning.open[s]] : [])
      ]),
      ['l', 'r', 'r', 'r', 'r', 'r', 'r', 'r']
    )
  ]
  if (!v.open)
    sections.push(
      `> [!WARNING]\n> No gate evidence of ${codeSpan(doc.branch)} was read: the open findings are unknown, not 0. Check \`evidence-artifact\` and \`evidence\`, and that the gate's evidence is uploaded on the branch.`
    )
  const evidence = doc.sources.evidence
  if (evidence.status !== 'read')
    sections.push(
      `> [!WARNING]\n> Gate evidence ${evidence.status === 'partial' ? 'was read in part' : 'of the branch was not read'}: ${escapeMarkdown(evidence.reason)}. The measures above come from less than all of it.`
    )
  if (doc.codeScanning?.disagreements.length)
    sections.push(
      `> [!WARNING]\n> The gate evidence and code scanning disagree: ${doc.codeScanning.disagreements.map(d => `${d.severity} ${d.measure} (evidence ${d.evidence ?? '—'}, code scanning ${d.alerts ?? '—'})`).join('; ')}.`
    )
  if (doc.builds)
    sections.push(
      `### Build success rate: ${percent(doc.builds.branch.rate)} on ${codeSpan(doc.branch)}`,
      markdownTable(
        ['workflow', 'branch', 'rate', 'success', 'failed', 'left out', 'runs'],
        doc.builds.rows
          .slice(0, 20)
          .map(r => [
            escapeMarkdown(r.workflow),
            escapeMarkdown(r.branch),
            percent(r.rate),
            r.success,
            r.failure + r.timedOut + r.startupFailure,
            r.cancelled + r.skipped + r.other + r.unfinished,
            r.runs
          ]),
        ['l', 'l', 'r', 'r', 'r', 'r', 'r']
      )
    )
  if (doc.branchProtection)
    sections.push(
      `### Branch protection: ${doc.branchProtection.score}/10 (Scorecard Branch-Protection)`,
      doc.branchProtection.missing.length
        ? doc.branchProtection.missing.map(m => `- missing: ${escapeMarkdown(m)}`).join('\n')
        : 'Every requirement is met.'
    )
  if (doc.drift)
    sections.push(
      `### Drift: ${doc.drift.events} event(s), ${(doc.drift.driftMs / 3_600_000).toFixed(1)} h`,
      markdownTable(
        ['application', 'events', 'hours in drift', 'in drift now', 'revision'],
        doc.drift.apps
          .slice(0, 20)
          .map(a => [
            escapeMarkdown(a.app),
            a.events,
            (a.driftMs / 3_600_000).toFixed(1),
            a.inDriftNow ? 'yes' : 'no',
            a.revisionMismatch
              ? `**not promoted**: ${tableCodeSpan(a.revisionMismatch.deployed)}`
              : tableCodeSpan(a.deployedRevision ?? '')
          ]),
        ['l', 'r', 'r', 'l', 'l']
      )
    )
  if (doc.changes) {
    const flagged = records.filter(r => r.flags.length > 0).slice(0, SUMMARY_CHANGES)
    sections.push(
      `### Change records: ${doc.changes.population}, ${doc.changes.flagged} flagged`,
      ...pushLines(doc),
      flagged.length
        ? markdownTable(
            ['change', 'author', 'approvals', 'flags', 'gate'],
            flagged.map(r => [
              r.pullRequest
                ? `#${r.pullRequest.number} ${escapeMarkdown(r.pullRequest.title.slice(0, 80))}`
                : tableCodeSpan(r.commit.slice(0, 12)),
              escapeMarkdown(r.author),
              r.approvals.length,
              r.flags.join(', '),
              r.gate?.outcome ?? '—'
            ])
          )
        : 'No change is flagged.'
    )
  }
  const broken = doc.sources.evidence.broken.length
  sections.push(
    `The report is \`${files.html}\`; the evidence bundle (JSON, HTML, change records as CSV and JSON, the sample, the runs and commits covered, SHA256SUMS) is \`${files.bundle}\`: upload it as an artifact.${broken ? ` ${broken} evidence file(s) could not be read; see the report.` : ''}`
  )
  return sections
}
