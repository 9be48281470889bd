import { SEVERITIES } from '../findings/finding.js'
import { horizontalBarsSvg, stackedColumnsSvg, timelineSvg } from '../report/html-charts.js'
import { escapeBreakable, escapeHtml, linkOrText, truncateText } from '../report/html-escape.js'
import { htmlDocument, type PageMeta } from '../report/html-page.js'
import { SEVERITY_SWATCHES } from '../report/html-style.js'
import type { ChangeRecord } from './changes/records.js'
import type { SampledChange } from './changes/sample.js'
import { AGE_BUCKET_LABELS, type MetricsDocument } from './document.js'

/** The plot background of each chart: distinct tints, so a screenshot shows where each chart is drawn. */
export const CHART_TINTS = {
  vulnerabilities: '#eef5fb',
  mttr: '#f3eefb',
  builds: '#eefbf1',
  drift: '#fbf5ea'
} as const

const CHANGE_ROWS = 500
const NO_BRANCH_EVIDENCE = 'no gate evidence of the branch was read'
const percent = (rate: number | null) => (rate === null ? '—' : `${(rate * 100).toFixed(1)}%`)
const hours = (ms: number) => `${(ms / 3_600_000).toFixed(1)} h`
const days = (d: number | null) => (d === null ? '—' : `${d} d`)
const td = (text: string | number, num = false) =>
  `<td${num ? ' class="num"' : ''}>${escapeHtml(String(text))}</td>`
const table = (head: string[], rows: string[], numeric: number[] = []) =>
  `<table><thead><tr>${head.map((h, i) => `<th scope="col"${numeric.includes(i) ? ' class="num"' : ''}>${escapeHtml(h)}</th>`).join('')}</tr></thead>
<tbody>${rows.join('\n')}</tbody></table>`
const note = (text: string) => `<p class="note">${text}</p>`
const unavailable = (what: string, reason: string) => note(`${escapeHtml(what)}: ${escapeHtml(reason)}`)

function overview(doc: MetricsDocument): string {
  const v = doc.vulnerabilities
  const sum = (counts: Record<string, number>) => SEVERITIES.reduce((n, s) => n + counts[s]!, 0)
  const rows: [string, string][] = [
    [
      'MTTR (critical / high / medium)',
      SEVERITIES.slice(0, 3)
        .map(s => days(v.mttr[s].meanDays))
        .join(' / ')
    ],
    [
      'open findings (suppressed)',
      v.open && v.suppressed ? `${sum(v.open)} (${sum(v.suppressed)})` : `unknown: ${NO_BRANCH_EVIDENCE}`
    ],
    ['build success rate on ' + doc.branch, doc.builds ? percent(doc.builds.branch.rate) : '—'],
    ['branch protection (Scorecard)', doc.branchProtection ? `${doc.branchProtection.score}/10` : '—'],
    ['drift events', doc.drift ? String(doc.drift.events) : '—'],
    ['changes (flagged)', doc.changes ? `${doc.changes.population} (${doc.changes.flagged})` : '—']
  ]
  return `<h2 id="overview">Overview</h2>
<table><tbody>${rows.map(([k, val]) => `<tr><th scope="row">${escapeHtml(k)}</th>${td(val, true)}</tr>`).join('\n')}</tbody></table>`
}

function vulnerabilities(doc: MetricsDocument): string {
  const v = doc.vulnerabilities
  const labels = v.series.map(p => p.label)
  const layers = [
    ...SEVERITIES.map(s => ({
      name: s,
      fill: SEVERITY_SWATCHES[s].background,
      values: v.series.map(p => p.bySeverity?.[s] ?? null)
    })),
    { name: 'suppressed', fill: '#8c959f', values: v.series.map(p => p.suppressed) }
  ]
  const observed = v.series.filter(p => p.bySeverity).length
  const chart = stackedColumnsSvg(labels, layers, {
    id: 'chart-vulnerabilities',
    title: `Findings open on ${doc.branch} by severity, per ${labels.length > 0 && labels[0]!.startsWith('week') ? 'week' : 'day'}: ${observed} of ${labels.length} observed`,
    plotFill: CHART_TINTS.vulnerabilities
  })
  const { open, suppressed, ages } = v
  const byAge =
    open && suppressed && ages
      ? table(
          ['severity', ...AGE_BUCKET_LABELS, 'open', 'suppressed'],
          SEVERITIES.map(
            s =>
              `<tr><th scope="row"><span class="badge sev-${s}">${s}</span></th>${ages[s].map(n => td(n, true)).join('')}${td(open[s], true)}${td(suppressed[s], true)}</tr>`
          ),
          [1, 2, 3, 4, 5, 6, 7]
        )
      : note(`Unknown: ${NO_BRANCH_EVIDENCE}.`)
  return `<h2 id="vulnerabilities">Vulnerability counts over time</h2>
<p>What the last complete gate run on <code>${escapeHtml(doc.branch)}</code> in each slice saw; a gap means no complete run. ${v.openedInPeriod} opened and ${v.remediatedInPeriod} remediated in the period.</p>
${chart}
<h3>Open at the end of the period, by age</h3>
${byAge}`
}

function mttr(doc: MetricsDocument): string {
  const v = doc.vulnerabilities
  const bars = SEVERITIES.map(s => ({
    label: s,
    value: v.mttr[s].meanDays ?? 0,
    fill: SEVERITY_SWATCHES[s].background,
    text:
      v.mttr[s].meanDays === null ? 'none remediated' : `${v.mttr[s].meanDays} d (${v.mttr[s].remediated})`
  }))
  const cs = doc.codeScanning
  const rows = SEVERITIES.map(s => {
    const m = v.mttr[s]
    const theirs = cs?.mttr[s]
    return `<tr><th scope="row"><span class="badge sev-${s}">${s}</span></th>${td(days(m.meanDays), true)}${td(days(m.medianDays), true)}${td(m.remediated, true)}${td(m.unknownStart, true)}${cs ? td(days(theirs!.meanDays), true) + td(theirs!.remediated, true) : ''}</tr>`
  })
  const disagreements = cs?.disagreements.length
    ? note(
        `<strong>The sources disagree</strong>: ${cs.disagreements
          .map(d =>
            escapeHtml(
              `${d.severity} ${d.measure}: evidence ${d.evidence ?? '—'}, code scanning ${d.alerts ?? '—'}`
            )
          )
          .join('; ')}.`
      )
    : cs
      ? note('The gate evidence and code scanning agree on every severity.')
      : unavailable(
          'Code scanning',
          doc.sources.codeScanning.status === 'read' ? 'no alerts' : doc.sources.codeScanning.reason
        )
  return `<h2 id="mttr">Mean time to remediation by severity</h2>
${horizontalBarsSvg(bars, { id: 'chart-mttr', title: `Mean days to remediate: ${bars.map(b => `${b.label} ${b.text}`).join(', ')}`, plotFill: CHART_TINTS.mttr })}
${table(['severity', 'mean', 'median', 'remediated', 'unknown start', ...(cs ? ['code scanning mean', 'code scanning fixed'] : [])], rows, [1, 2, 3, 4, 5, 6])}
${disagreements}`
}

function builds(doc: MetricsDocument): string {
  const b = doc.builds
  if (!b)
    return `<h2 id="builds">Build success rate</h2>\n${unavailable('Workflow runs', doc.sources.workflowRuns.status === 'read' ? '' : doc.sources.workflowRuns.reason)}`
  const chart = stackedColumnsSvg(
    b.series.map(p => p.label),
    [
      {
        name: `success rate on ${doc.branch}`,
        fill: '#1a7f37',
        values: b.series.map(p => (p.rate === null ? null : Math.round(p.rate * 1000) / 10))
      }
    ],
    {
      id: 'chart-builds',
      title: `Build success rate on ${doc.branch}: ${percent(b.branch.rate)} overall`,
      plotFill: CHART_TINTS.builds,
      maxValue: 100,
      unit: '%'
    }
  )
  const rows = b.rows
    .slice(0, 50)
    .map(
      r =>
        `<tr>${td(r.workflow)}${td(r.branch)}${td(percent(r.rate), true)}${td(r.success, true)}${td(r.failure + r.timedOut + r.startupFailure, true)}${td(r.cancelled + r.skipped + r.other, true)}${td(r.unfinished, true)}${td(r.runs, true)}</tr>`
    )
  return `<h2 id="builds">Build success rate</h2>
<p>${b.branch.success} of ${b.branch.success + b.branch.failure + b.branch.timedOut + b.branch.startupFailure} finished runs on <code>${escapeHtml(doc.branch)}</code> succeeded (${percent(b.branch.rate)}); ${b.branch.cancelled + b.branch.skipped + b.branch.other} cancelled, skipped or without a verdict are left out of the ratio.</p>
${chart}
${table(['workflow', 'branch', 'rate', 'success', 'failed', 'left out', 'unfinished', 'runs'], rows, [2, 3, 4, 5, 6, 7])}${b.rows.length > 50 ? note(`${b.rows.length - 50} more workflow and branch pairs are in the JSON.`) : ''}`
}

function protection(doc: MetricsDocument): string {
  const p = doc.branchProtection
  if (!p)
    return `<h2 id="protection">Branch protection</h2>\n${unavailable('Branch protection', doc.sources.branchProtection.status === 'read' ? '' : doc.sources.branchProtection.reason)}`
  const mark = (met: boolean | undefined) => (met === true ? 'met' : met === false ? 'missing' : 'unknown')
  const rows = p.requirements.map(
    r =>
      `<tr>${td(r.tier, true)}${td(r.what)}<td><span class="badge st-${r.met === true ? 'known' : r.met === false ? 'blocking' : 'suppressed'}">${mark(r.met)}</span></td></tr>`
  )
  const pipeline =
    p.pipelineRequired === undefined
      ? 'unknown'
      : p.pipelineRequired
        ? 'required'
        : '<strong>not required</strong>'
  return `<h2 id="protection">Branch protection: ${p.score}/10 (OpenSSF Scorecard Branch-Protection)</h2>
<p>This pipeline's check is ${pipeline}. Read from ${escapeHtml(p.facts.sources.join(', '))}.</p>
${table(['tier', 'requirement', ''], rows, [0])}
${p.unknown.length ? note(`Not readable with this token: ${escapeHtml(p.facts.unreadable.join('; '))}`) : ''}`
}

function drift(doc: MetricsDocument): string {
  const d = doc.drift
  if (!d)
    return `<h2 id="drift">Drift</h2>\n${unavailable('Deployment status', doc.sources.deployments.status === 'read' ? '' : doc.sources.deployments.reason)}`
  const from = Date.parse(doc.period.from)
  const to = Date.parse(doc.period.to)
  const lanes = d.apps.slice(0, 40).map(a => ({
    label: a.app,
    segments: a.intervals.map(i => ({
      start: i.start,
      end: i.end ?? to,
      fill: i.end === undefined ? '#8a5a00' : '#b3261e',
      title: `${a.app}: ${i.reason}, ${new Date(i.start).toISOString()} to ${i.end ? new Date(i.end).toISOString() : 'now'}`
    }))
  }))
  const ticks = [0, 0.25, 0.5, 0.75, 1].map(f => new Date(from + f * (to - from)).toISOString().slice(0, 10))
  const rows = d.apps.map(
    a =>
      `<tr${a.revisionMismatch ? ' class="flagged"' : ''}>${td(a.app)}${td(a.tool)}${td(a.events, true)}${td(hours(a.driftMs), true)}${td(a.inDriftNow ? 'yes' : 'no')}${td(a.health ?? '—')}<td class="mono">${escapeBreakable(truncateText(a.deployedRevision ?? '—', 80))}${a.revisionMismatch ? ` <span class="badge st-blocking">not the promoted ${escapeHtml(a.revisionMismatch.promoted.slice(0, 12))}</span>` : ''}</td></tr>`
  )
  return `<h2 id="drift">Drift</h2>
<p>${d.events} drift event(s), ${hours(d.driftMs)} in drift across ${d.apps.length} application(s); ${d.mismatches} run a revision other than the one the pipeline promoted${d.promotedRevision ? ` (<code>${escapeHtml(d.promotedRevision.slice(0, 12))}</code>)` : ''}.</p>
${timelineSvg(lanes, { id: 'chart-drift', title: `Time in drift per application: ${d.events} events`, plotFill: CHART_TINTS.drift, from, to, ticks })}
${table(['application', 'tool', 'events', 'in drift', 'now', 'health', 'deployed revision'], rows, [2, 3])}`
}

function changeRow(r: ChangeRecord, sampled: ReadonlySet<string>): string {
  const flags =
    r.flags.map(f => `<span class="badge st-blocking">${f}</span>`).join(' ') ||
    '<span class="badge st-known">none</span>'
  const pr = r.pullRequest
    ? linkOrText(`#${r.pullRequest.number} ${truncateText(r.pullRequest.title, 120)}`, r.pullRequest.url)
    : `direct push <code>${escapeHtml(r.commit.slice(0, 12))}</code>`
  const checks =
    r.checks
      .filter(c => c.required)
      .map(c => `${c.name}: ${c.result}`)
      .join(', ') || '—'
  const gate = r.gate
    ? `${escapeHtml(r.gate.outcome)}<br><span class="mono muted">${escapeHtml(r.gate.sha256.slice(0, 16))}…</span>`
    : '—'
  return `<tr${r.flags.length ? ' class="flagged"' : ''}><td>${flags}${sampled.has(r.commit) ? ' <span class="badge st-suppressed">sampled</span>' : ''}</td><td>${pr}</td>${td(r.author)}${td(r.approvals.map(a => a.reviewer).join(', ') || 'none')}<td>${escapeBreakable(truncateText(checks, 300))}</td><td>${gate}</td><td>${r.bump ? linkOrText(`#${r.bump.number}`, r.bump.url) : '—'}</td>${td(r.deployed ? `${r.deployed.app} ${r.deployed.at ?? ''}` : '—')}${td(r.at.slice(0, 16).replace('T', ' '))}</tr>`
}

/** Why the push times could not be read, what they could not explain, and the force pushes they show. */
function pushNotes(doc: MetricsDocument): string {
  const pushes = doc.sources.pushes
  const branch = `<code>${escapeHtml(doc.branch)}</code>`
  if (pushes.status !== 'read')
    return note(
      `<strong>Push times not read</strong>: ${escapeHtml(truncateText(pushes.reason, 500))}. The records come from commit dates alone, which whoever pushes sets: a direct push of a backdated commit could be missing.`
    )
  const unreconciled = pushes.unreconciled.map(u => `${u.type} at ${u.at} (${u.reason})`).join('; ')
  const rewrites = pushes.forcePushes.map(f => `${f.at} by ${f.actor ?? 'unknown'}`).join('; ')
  return [
    pushes.unreconciled.length
      ? note(
          `<strong>Not reconciled</strong>: ${pushes.unreconciled.length} push(es) to ${branch}: ${escapeHtml(truncateText(unreconciled, 1000))}. A commit they put on the branch could be missing.`
        )
      : '',
    pushes.forcePushes.length
      ? note(
          `${pushes.forcePushes.length} force push(es) rewrote ${branch} in the period: ${escapeHtml(truncateText(rewrites, 1000))}.`
        )
      : ''
  ].join('')
}

function changes(
  doc: MetricsDocument,
  records: readonly ChangeRecord[],
  sample: readonly SampledChange[]
): string {
  if (!doc.changes)
    return `<h2 id="changes">Change records</h2>\n${unavailable('Change records', doc.sources.changeRecords.status === 'read' ? '' : doc.sources.changeRecords.reason)}`
  const sampled = new Set(sample.map(s => s.record.commit))
  const shown = records.slice(0, CHANGE_ROWS)
  const byFlag =
    Object.entries(doc.changes.byFlag)
      .filter(([, n]) => n > 0)
      .map(([f, n]) => `${n} ${f}`)
      .join(', ') || 'none'
  return `<h2 id="changes">Change records (${records.length}, flagged first)</h2>
<p>Every change that reached <code>${escapeHtml(doc.branch)}</code> in the period (by commit date, reconciled with GitHub's push times): ${doc.changes.flagged} flagged (${escapeHtml(byFlag)}). The sample of ${sample.length} is drawn with the seed <code>${escapeHtml(doc.changes.sample.seed)}</code>: the changes with the smallest sha256 of <code>seed:commit</code>.</p>
${pushNotes(doc)}
${records.length > shown.length ? note(`The first ${shown.length} are shown; the CSV and JSON hold all ${records.length}.`) : ''}
${table(
  [
    'flags',
    'change',
    'author',
    'approved by',
    'required checks',
    'gate',
    'bump PR',
    'deployed',
    'reached branch'
  ],
  shown.map(r => changeRow(r, sampled))
)}`
}

function sources(doc: MetricsDocument): string {
  const e = doc.sources.evidence
  const items = [
    `Gate evidence: ${e.files} file(s), ${e.branchRuns} run(s) on ${escapeHtml(doc.branch)}, ${e.pullRequestRuns} on pull requests, ${e.partialRuns} partial, ${e.supersededRuns} superseded (finished after a newer run of the same gate: a re-run or a slower run of an older commit, not followed).`,
    ...(e.artifacts
      ? [
          `Artifacts: ${e.artifacts.listed} listed, ${e.artifacts.downloaded} downloaded${e.artifacts.skipped.length ? `; skipped: ${escapeHtml(e.artifacts.skipped.map(s => `${s.count} ${s.reason}`).join('; '))}` : ''}.`
        ]
      : []),
    ...(e.status === 'read'
      ? []
      : [
          `<strong>${e.status === 'partial' ? 'Read in part' : 'Unavailable'}</strong>: ${escapeHtml(truncateText(e.reason, 1000))}`
        ]),
    ...e.broken
      .slice(0, 50)
      .map(
        b =>
          `<strong>Broken</strong> <code>${escapeHtml(truncateText(b.source, 200))}</code>: ${escapeHtml(truncateText(b.message, 500))}`
      ),
    ...(doc.sources.api ? [`GitHub API: ${doc.sources.api.requests} requests.`] : [])
  ]
  return `<h2 id="sources">Sources</h2>\n<ul>${items.map(i => `<li>${i}</li>`).join('\n')}</ul>`
}

const STYLE = `
h3{font-size:16px;margin:18px 0 6px}
tr.flagged td{background:#fff1f0}
.chart line{shape-rendering:crispEdges}
`

/** The metrics as one self-contained page: charts first, then the change records with flagged ones first. */
export function renderMetricsHtml(
  doc: MetricsDocument,
  records: readonly ChangeRecord[],
  sample: readonly SampledChange[],
  meta: Pick<PageMeta, 'runUrl'>
): string {
  return htmlDocument({
    title: `secure-pipeline metrics: ${doc.repository ?? ''} ${doc.period.label}`,
    heading: 'secure-pipeline metrics',
    meta: {
      generatedAt: doc.generatedAt,
      repository: doc.repository,
      runUrl: meta.runUrl,
      extra: [
        ['branch', doc.branch],
        ['period', doc.period.label]
      ]
    },
    style: STYLE,
    sections: [
      overview(doc),
      vulnerabilities(doc),
      mttr(doc),
      builds(doc),
      protection(doc),
      drift(doc),
      changes(doc, records, sample),
      sources(doc)
    ]
  })
}
