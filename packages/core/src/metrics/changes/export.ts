import type { ChangeRecord } from './records.js'

export const CHANGE_COLUMNS = [
  'change',
  'commit',
  'reached_branch_at',
  'pull_request',
  'title',
  'author',
  'approvals',
  'approved_by',
  'required_checks',
  'checks_not_passing',
  'gate_verdict',
  'gate_evidence',
  'gate_evidence_sha256',
  'bump_pull_request',
  'deployed_revision',
  'deployed_at',
  'flags',
  'notes'
] as const

/**
 * A cell as RFC 4180 writes it, and never a formula: a spreadsheet evaluates a cell starting with `=`,
 * `+`, `-`, `@`, a tab or a carriage return, and PR titles are written by whoever opened the PR. A `;` is
 * quoted too: Excel where the list separator is `;` splits an unquoted cell there, starting a new one.
 */
export function csvCell(value: string | number | undefined): string {
  let text = value === undefined ? '' : String(value)
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`
  return /[",;\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

export function changeRow(r: ChangeRecord): string[] {
  const required = r.checks.filter(c => c.required)
  return [
    r.id,
    r.commit,
    r.at,
    r.pullRequest?.url ?? '',
    r.pullRequest?.title ?? '',
    r.author,
    String(r.approvals.length),
    r.approvals.map(a => a.reviewer).join(' '),
    required.map(c => `${c.name}=${c.result}`).join(' '),
    r.checks
      .filter(c => !['success', 'neutral', 'skipped'].includes(c.result))
      .map(c => `${c.name}=${c.result}`)
      .join(' '),
    r.gate?.outcome ?? '',
    r.gate?.evidence ?? '',
    r.gate?.sha256 ?? '',
    r.bump?.url ?? '',
    r.deployed?.revision ?? '',
    r.deployed?.at ?? '',
    r.flags.join(' '),
    r.notes.join('; ')
  ]
}

/** The whole population (or a sample) as CSV, a header row first, CRLF line ends as RFC 4180 has them. */
export function changesCsv(
  records: readonly ChangeRecord[],
  extra?: { header: string; values: string[] }
): string {
  const header = [...CHANGE_COLUMNS, ...(extra ? [extra.header] : [])]
  const lines = [header.join(',')]
  records.forEach((r, i) =>
    lines.push([...changeRow(r), ...(extra ? [extra.values[i]!] : [])].map(csvCell).join(','))
  )
  return lines.join('\r\n') + '\r\n'
}
