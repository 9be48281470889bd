import { afterAll, describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parsePolicy } from '../policy/load.js'
import { asHtmlText, renderedRows, renderGfm } from '../../../../test/support/gfm.js'
import { makeFinding } from '../../../../test/support/findings.js'
import { testConfig, testPorts } from '../../../../test/support/gate-ports.js'
import { brokenInputsLine, findingsTable, renderGateSections, verdictHeadline } from './render.js'
import { runGate } from './run-gate.js'
import { evaluateGate } from './verdict.js'

const root = mkdtempSync(path.join(tmpdir(), 'gate-render-'))
afterAll(() => rmSync(root, { recursive: true, force: true }))

const HOSTILE_CATEGORY = 'x <img src=x onerror=alert(1)> *bold* @octo-org/admins &#64;root'

describe('what the summary says, as GitHub renders it', () => {
  it('counts as new only the new findings that count, as the `new` output and the evidence do', () => {
    const known = makeFinding({ ruleId: 'KNOWN', fingerprint: 'fp-known' })
    const fresh = makeFinding({ ruleId: 'FRESH', fingerprint: 'fp-fresh' })
    const inSource = makeFinding({
      ruleId: 'R',
      fingerprint: 'fp-nosemgrep',
      suppressions: [{ kind: 'inSource' }]
    })
    const v = evaluateGate({
      findings: [known, fresh, inSource],
      brokenInputs: [],
      baseline: [known],
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25',
      inSourceSuppressions: 'honour'
    })
    const sections = renderGateSections(v, { topFindings: 5, notes: [] })
    expect(sections.join('\n')).toContain('only **new** findings count (1 new, 0 fixed)')
  })

  it('escapes policy categories in the headline: no tag, no mention, no entity', () => {
    const policy = parsePolicy(
      `gate:\n  fail-on: [critical]\n  categories:\n    "${HOSTILE_CATEGORY}": { max: { high: 0 } }\n`,
      'p.yml'
    )
    const finding = makeFinding({ severity: 'high', category: HOSTILE_CATEGORY })
    const v = evaluateGate({ findings: [finding], brokenInputs: [], policy, today: '2026-11-25' })
    expect(v.reasons).toEqual([
      `category ${HOSTILE_CATEGORY.toLowerCase()}: 1 high findings, more than the maximum of 0`
    ])
    const html = renderGfm(verdictHeadline(v))
    expect(html).not.toMatch(/<img|<em>|@octo-org|@root/)
    expect(html).toContain(
      asHtmlText('x <img src=x onerror=alert(1)> *bold* @\u200bocto-org/admins &#\u200b64;root')
    )
  })

  it('shows a rule id with backticks as code, as written', () => {
    const id = 'js`sqli` `` <b>|x'
    const v = evaluateGate({
      findings: [makeFinding({ ruleId: id, severity: 'high' })],
      brokenInputs: [],
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25'
    })
    const [row] = renderedRows(findingsTable(v.findings, v, 10))
    expect(row![2]).toBe(`<code>${asHtmlText(id)}</code>`)
  })

  it('says a suppression the change adds is counted, and one the base had is suppressed', () => {
    const mine = makeFinding({ ruleId: 'mine', severity: 'high', suppressions: [{ kind: 'inSource' }] })
    const theirs = makeFinding({ ruleId: 'theirs', severity: 'high', suppressions: [{ kind: 'inSource' }] })
    const v = evaluateGate({
      findings: [mine, theirs],
      brokenInputs: [],
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25',
      inSourceByChange: new Set([mine])
    })
    expect(renderedRows(findingsTable(v.findings, v, 10)).map(row => [row[2], row[1]])).toEqual([
      ['<code>mine</code>', '<strong>blocks</strong>, suppressed in source by this change, counted'],
      ['<code>theirs</code>', 'suppressed (inSource)']
    ])
  })

  it('escapes SARIF categories (automationDetails.id) in the upload note', async () => {
    const ws = path.join(root, 'categories')
    const run = (name: string) => ({
      tool: { driver: { name } },
      automationDetails: { id: `${HOSTILE_CATEGORY}/` },
      results: [{ ruleId: 'r', level: 'note', message: { text: 'm' } }]
    })
    mkdirSync(path.join(ws, 'reports'), { recursive: true })
    writeFileSync(
      path.join(ws, 'reports', 'two-tools.sarif'),
      JSON.stringify({ version: '2.1.0', runs: [run('Semgrep'), run('Trivy')] })
    )
    const { ports } = testPorts()
    await runGate(testConfig(ws, { upload: 'auto' }), ports)
    const note = ports.summary
      .render()
      .split('\n\n')
      .find(s => s.startsWith('SARIF for code scanning'))!
    expect(note).toContain('categories split:')
    const html = renderGfm(note)
    expect(html).not.toMatch(/<img|<em>|@octo-org|@root/)
    expect(html).toContain(
      asHtmlText('x <img src=x onerror=alert(1)> *bold* @\u200bocto-org/admins &#\u200b64;root → ')
    )
  })
})

describe('scanner warnings beside the verdict', () => {
  const warned = (ws: string, count: number, text = (i: number) => `not scanned: app${i}/package.json`) => {
    mkdirSync(path.join(ws, 'reports'), { recursive: true })
    const notifications = Array.from({ length: count }, (_, i) => ({
      level: 'warning',
      message: { text: text(i) }
    }))
    writeFileSync(
      path.join(ws, 'reports', 'sca.sarif'),
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'osv-scanner' } },
            invocations: [{ executionSuccessful: true, toolExecutionNotifications: notifications }],
            results: []
          }
        ]
      })
    )
  }

  it('passes a report whose scanner warns, and shows each warning in the summary, the log, the HTML and the evidence', async () => {
    const ws = path.join(root, 'warned')
    warned(ws, 2)
    const { ports, logger } = testPorts()
    const result = await runGate(testConfig(ws), ports)
    expect(result.verdict.outcome).toBe('pass')
    const section = ports.summary
      .render()
      .split(/(?=^### )/m)
      .find(s => s.startsWith('### Scanner warnings'))
    expect(section).toBeDefined()
    expect(renderedRows(section!)).toEqual([
      ['reports/sca.sarif', 'osv-scanner: not scanned: app0/package.json'],
      ['reports/sca.sarif', 'osv-scanner: not scanned: app1/package.json']
    ])
    expect(logger.lines).toContain(
      'warning: 2 scanner warning(s) in 1 report(s): the scans left something out; see the job summary.'
    )
    const html = readFileSync(path.join(ws, 'out', 'report.html'), 'utf8')
    expect(html).toContain('<h2 id="scanner-warnings">Scanner warnings (2)</h2>')
    const evidence = JSON.parse(readFileSync(path.join(ws, 'out', 'evidence.json'), 'utf8'))
    expect(evidence.reports[0].warnings).toEqual([
      'osv-scanner: not scanned: app0/package.json',
      'osv-scanner: not scanned: app1/package.json'
    ])
  })

  it('escapes what a report says and caps the rows, however many warnings it holds', async () => {
    const ws = path.join(root, 'warned-hostile')
    warned(ws, 500, i => `${'<img src=x onerror=alert(1)> @octo-org/admins '.repeat(i === 0 ? 40 : 1)}#${i}`)
    const { ports } = testPorts()
    await runGate(testConfig(ws), ports)
    const section = ports.summary
      .render()
      .split(/(?=^### )/m)
      .find(s => s.startsWith('### Scanner warnings'))!
    expect(section).toMatch(/^### Scanner warnings \(500\)/)
    expect(renderedRows(section)).toHaveLength(20)
    expect(section).toContain('480 more in the reports and the evidence file.')
    const html = renderGfm(section)
    expect(html).not.toMatch(/<img|@octo-org/)
    expect(section.length).toBeLessThan(12_000)
    const evidence = JSON.parse(readFileSync(path.join(ws, 'out', 'evidence.json'), 'utf8'))
    expect(evidence.reports[0].warnings).toHaveLength(100)
    expect(evidence.reports[0].warnings[0].length).toBeLessThanOrEqual(500)
  })
})

describe('a report with very many scanner warnings', () => {
  it('is read, counted and shown capped, its error still breaking it, never a crash', async () => {
    const ws = path.join(root, 'warned-many')
    mkdirSync(path.join(ws, 'reports'), { recursive: true })
    const notifications: { level: string; message: { text: string } }[] = Array.from(
      { length: 300_000 },
      (_, i) => ({ level: 'warning', message: { text: `not scanned: app${i}/package.json` } })
    )
    notifications.push({ level: 'error', message: { text: 'the engine crashed' } })
    writeFileSync(
      path.join(ws, 'reports', 'sca.sarif'),
      JSON.stringify({
        version: '2.1.0',
        runs: [
          {
            tool: { driver: { name: 'osv-scanner' } },
            invocations: [{ executionSuccessful: false, toolExecutionNotifications: notifications }],
            results: []
          }
        ]
      })
    )
    const { ports } = testPorts()
    // Spread as arguments, 300,000 warnings overflowed the call stack: the gate failed as a bug.
    const result = await runGate(testConfig(ws), ports)
    expect(result.verdict.outcome).toBe('fail-broken-input')
    expect(result.verdict.brokenInputs.map(b => b.message)).toEqual([
      'the scanner reported an error: osv-scanner: the engine crashed'
    ])
    expect(result.verdict.scannerWarnings).toHaveLength(300_000)
    expect(ports.summary.render()).toContain('### Scanner warnings (300000)')
  }, 60_000)
})

describe('the failure line for broken reports', () => {
  it('names each report with the first thing wrong with it, on one line', () => {
    expect(
      brokenInputsLine([
        { source: 'sast.sarif', message: 'the scanner reported an error: semgrep: exited 2\nTraceback …' },
        { source: 'sast.sarif', message: 'a second problem of the same report' },
        { source: 'sca.sarif', message: 'no report file matches this pattern' }
      ])
    ).toBe(
      'gate: 2 report(s) missing or broken (sast.sarif: the scanner reported an error: semgrep: exited 2 Traceback …; ' +
        'sca.sarif: no report file matches this pattern); a broken report is never read as 0 findings: ' +
        'fix the step that writes it, then run the gate again.'
    )
  })

  it('names three reports, says how many more the summary lists, and cuts a long reason', () => {
    const line = brokenInputsLine(
      ['a', 'b', 'c', 'd', 'e'].map(name => ({ source: `${name}.sarif`, message: name.repeat(500) }))
    )
    expect(line).toContain(`(a.sarif: ${'a'.repeat(199)}…; b.sarif: `)
    expect(line).toContain(`c.sarif: ${'c'.repeat(199)}…; 2 more in the job summary)`)
    expect(line).not.toContain('d.sarif')
    expect(line.startsWith('gate: 5 report(s) missing or broken')).toBe(true)
  })
})

describe('text a report writes, however long, in the summary and the PR comment', () => {
  it('cuts each field of a finding, so one long value cannot push the rest out of the PR comment', () => {
    const huge = (c: string) => c.repeat(70_000)
    const findings = [
      makeFinding({
        ruleId: huge('r'),
        scanner: huge('s'),
        location: { path: huge('p'), startLine: 1 },
        package: { name: 'lib', fixedVersions: [huge('1'), huge('2'), huge('3')] },
        suppressions: [{ kind: 'inSource', justification: huge('j') }]
      }),
      makeFinding({ ruleId: 'second-suppression', suppressions: [{ kind: 'inSource' }] })
    ]
    const v = evaluateGate({
      findings,
      brokenInputs: [],
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25',
      inSourceSuppressions: 'report'
    })
    const sections = renderGateSections(v, { topFindings: 20, notes: [] })
    for (const section of sections) expect(section.length).toBeLessThan(5_000)
    expect(sections.join('\n\n')).toContain('second-suppression')
  })
})

describe('bidi controls a report writes (Trojan Source)', () => {
  it('shows them as code points in every field of the summary and the PR comment, never as-is', () => {
    // Right-to-left override: `src/‮sj.nimda` reads as `src/admin.js`.
    const rlo = 'src/\u202Esj.nimda'
    const finding = makeFinding({
      ruleId: `rule\u2067${rlo}`,
      message: `message ${rlo}`,
      scanner: `scanner\u200F`,
      location: { path: rlo, startLine: 3 },
      suppressions: [{ kind: 'inSource', justification: `why ${rlo}` }]
    })
    const v = evaluateGate({
      findings: [finding],
      brokenInputs: [{ source: rlo, message: rlo }],
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25',
      inSourceSuppressions: 'report'
    })
    const rendered = renderGfm(renderGateSections(v, { topFindings: 5, notes: [] }).join('\n\n'))
    expect(rendered).not.toMatch(/[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/)
    expect(rendered).toContain('<code>rule[U+2067]src/[U+202E]sj.nimda</code>')
    expect(rendered).toContain('src/[U+202E]sj.nimda:3')
    expect(rendered).toContain('scanner[U+200F]')
  })
})

describe('very many broken reports', () => {
  it('lists a capped number, each cut, so the findings after them stay in the summary', () => {
    const long = 'reports/'.repeat(10_000)
    const brokenInputs = Array.from({ length: 500 }, (_, i) => ({
      source: `${long}${i}.sarif`,
      message: 'not JSON'
    }))
    const v = evaluateGate({
      findings: [makeFinding({ ruleId: 'still-shown', severity: 'high' })],
      brokenInputs,
      policy: parsePolicy('', 'p.yml'),
      today: '2026-11-25'
    })
    const sections = renderGateSections(v, { topFindings: 5, notes: [] })
    const broken = sections.find(s => s.startsWith('### Broken inputs'))!
    expect(broken.length).toBeLessThan(10_000)
    expect(broken).toContain('480 more in the log and the evidence file.')
    expect(sections.join('\n\n')).toContain('still-shown')
  })
})
