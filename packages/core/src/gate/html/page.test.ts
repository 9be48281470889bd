import { describe, expect, it } from '@jest/globals'
import fc from 'fast-check'
import type { Finding } from '../../findings/finding.js'
import { makeFinding } from '../../../../../test/support/findings.js'
import { evaluateGate, type BrokenInput } from '../verdict.js'
import { parsePolicy } from '../../policy/load.js'
import { ConfigurationError } from '../../runtime/errors.js'
import {
  BANNER_SWATCHES,
  GATE_HTML_CSP,
  SEVERITY_SWATCHES,
  contrastRatio,
  escapeHtml,
  renderGateHtml,
  safeHref
} from './page.js'

const today = '2026-11-25'
const HOSTILE = ['<script>alert(1)</script>', '"><img src=x onerror=alert(2)>', "'><svg onload=alert(3)>"]

function verdict(
  findings: Finding[],
  extra: { broken?: BrokenInput[]; policy?: string; baseline?: Finding[] } = {}
) {
  return evaluateGate({
    findings,
    brokenInputs: extra.broken ?? [],
    baseline: extra.baseline,
    policy: parsePolicy(extra.policy ?? '', 'test'),
    today
  })
}
const render = (v: ReturnType<typeof verdict>, maxRows?: number) =>
  renderGateHtml(v, { generatedAt: '2026-11-25T19:00:00Z', maxRows })

/** Every start tag in the document, so injected markup shows up whatever text surrounds it. */
const startTags = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)([^>]*)>/g)]
const ALLOWED_TAGS = new Set(
  'html head meta title style body header h1 dl div dt dd code main section svg path p strong h2 table thead tbody tr th td span rect text br details summary colgroup col a wbr'.split(
    ' '
  )
)

/** Arbitrary text, salted with the fragments that break HTML when left unescaped. */
const reportText = fc
  .array(
    fc.oneof(
      fc.string({ unit: 'binary' }),
      fc.constantFrom(
        '<',
        '>',
        '"',
        "'",
        '&',
        '<script>',
        '<img src=x onerror=a()>',
        '</td></tr>',
        '<!--',
        '\u202E'
      )
    ),
    { maxLength: 8 }
  )
  .map(parts => parts.join(''))

describe('renderGateHtml', () => {
  it('renders hostile report text as text in every field that comes from a report or the policy', () => {
    const findings = HOSTILE.map((h, i) =>
      makeFinding({
        message: h,
        ruleId: `rule-${h}`,
        scanner: `scanner${i}${h}`,
        location: { path: `src/${h}.ts`, startLine: 3 },
        helpUri: `javascript:alert(${i})`,
        aliases: [h]
      })
    )
    const policy = `exceptions:\n  - id: 'x${HOSTILE[1]}'\n    owner: '${HOSTILE[0]}'\n    reason: 'r ${HOSTILE[0]}'\n    expires: 2026-12-01\n`
    const v = verdict(findings, { broken: [{ source: HOSTILE[1]!, message: HOSTILE[0]! }], policy })
    const html = renderGateHtml(v, {
      generatedAt: HOSTILE[0]!,
      title: HOSTILE[1],
      repository: HOSTILE[2],
      commit: HOSTILE[0],
      runUrl: 'javascript:alert(9)'
    })
    expect(html).not.toMatch(/<script|<img|<svg onload|<link|<iframe|javascript:alert\(\d\)"/i)
    for (const [, name, attrs] of startTags(html)) {
      expect(ALLOWED_TAGS).toContain(name)
      expect(attrs).not.toMatch(/\son\w+\s*=|href="javascript/i)
    }
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;')
    expect(html).not.toContain('<a ')
  })

  it('declares the strict CSP, a language, and loads nothing from outside', () => {
    const html = render(verdict([makeFinding({ helpUri: 'https://semgrep.dev/r/x' })]))
    expect(html.startsWith('<!DOCTYPE html>\n<html lang="en"')).toBe(true)
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="${GATE_HTML_CSP}">`)
    // base-uri and form-action do not fall back to default-src, so each is named.
    expect(GATE_HTML_CSP).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"
    )
    expect(html).not.toMatch(/\ssrc=|url\(|@import|<script/i)
    expect(html).toContain('<a href="https://semgrep.dev/r/x" rel="noopener noreferrer">')
  })

  it('gives every table header a scope', () => {
    const html = render(verdict([makeFinding()], { broken: [{ source: 'a.json', message: 'truncated' }] }))
    const headers = html.match(/<th\b[^>]*>/g) ?? []
    expect(headers.length).toBeGreaterThan(10)
    for (const th of headers) expect(th).toMatch(/scope="(col|row)"/)
  })

  it('tells the three outcomes and warn-only apart in words, not only colour', () => {
    const pass = render(verdict([makeFinding({ severity: 'low' })]))
    const fail = render(verdict([makeFinding({ severity: 'critical' })]))
    const broken = render(
      verdict([], { broken: [{ source: 'trivy.json', message: 'cut off at byte 4096' }] })
    )
    const warn = render(
      verdict([makeFinding({ severity: 'critical' })], { policy: 'gate:\n  warn-only: true' })
    )
    expect(pass).toContain('<div class="word">Passed</div>')
    expect(fail).toContain('<div class="word">Failed</div>')
    expect(fail).toContain('1 critical finding at a fail-on severity')
    expect(broken).toContain('<div class="word">Broken input</div>')
    expect(broken).toMatch(/Broken inputs \(1\)[\s\S]*trivy\.json[\s\S]*cut off at byte 4096/)
    expect(warn).toContain('<div class="word">Passed, warn-only</div>')
    expect(
      new Set([pass, fail, broken, warn].map(h => /class="banner (banner-[\w-]+)"/.exec(h)?.[1])).size
    ).toBe(4)
  })

  it('counts per scanner and severity, counted first and all reported in brackets', () => {
    const findings = [
      makeFinding({ scanner: 'trivy', severity: 'high', ruleId: 'CVE-1' }),
      makeFinding({ scanner: 'trivy', severity: 'high', ruleId: 'CVE-2' }),
      makeFinding({ scanner: 'semgrep', severity: 'medium' })
    ]
    const html = render(
      verdict(findings, {
        policy:
          'exceptions:\n  - id: CVE-1\n    owner: sec\n    reason: accepted risk\n    expires: 2026-12-01\n'
      })
    )
    expect(html).toMatch(
      /<th scope="row">trivy<\/th><td class="num">0<\/td><td class="num">1 <span class="muted">\(2\)<\/span><\/td>/
    )
    expect(html).toContain('Counted findings by severity: 0 critical, 1 high, 1 medium, 0 low, 0 info')
    expect(html).toMatch(/Exceptions used \(1\)[\s\S]*CVE-1[\s\S]*accepted risk/)
    expect(html).toContain('excepted #1')
  })

  it('caps the findings table at maxRows and says how many were left out', () => {
    const findings = Array.from({ length: 7 }, () => makeFinding({ severity: 'low' }))
    const html = render(verdict(findings), 3)
    expect(html.match(/<tr><td><span class="badge sev-/g)).toHaveLength(3)
    expect(html).toContain('4 more findings are not shown')
    expect(render(verdict(findings)).match(/<tr><td><span class="badge sev-/g)).toHaveLength(7)
    expect(() => render(verdict(findings), -1)).toThrow(ConfigurationError)
    expect(() => render(verdict(findings), 1.5)).toThrow(/maxRows/)
  })

  it('cuts a scanner name a report makes long: in every row, it made a page too long to build', () => {
    const scanner = 's'.repeat(1_000_000)
    const findings = Array.from({ length: 1000 }, () => makeFinding({ scanner }))
    const html = render(verdict(findings), 1000)
    expect(html.length).toBeLessThan(2_000_000)
    expect(html).toContain(`<td>${'s'.repeat(79)}…</td>`)
  })

  it('links no help URL longer than a browser keeps: in every row, a long one made the page too long to build', () => {
    const helpUri = `https://example.com/${'h'.repeat(1_000_000)}`
    const findings = Array.from({ length: 1000 }, () => makeFinding({ ruleId: 'R', helpUri }))
    const html = render(verdict(findings), 1000)
    expect(html.length).toBeLessThan(2_000_000)
    expect(html).not.toContain('href="https://example.com/hhh')
    expect(safeHref(`https://example.com/${'h'.repeat(2000)}`)).toBeDefined()
  })

  it('marks a finding whose in-source suppression the change adds as counted', () => {
    const mine = makeFinding({ ruleId: 'MINE', suppressions: [{ kind: 'inSource' }] })
    const theirs = makeFinding({ ruleId: 'THEIRS', suppressions: [{ kind: 'inSource' }] })
    const v = evaluateGate({
      findings: [mine, theirs],
      brokenInputs: [],
      policy: parsePolicy('', 'test'),
      today,
      inSourceByChange: new Set([mine])
    })
    const rows = render(v).split('<tr>')
    expect(rows.find(row => row.includes('MINE'))).toContain(
      '<span class="badge st-blocking">blocking</span> <span class="badge st-new">suppressed in source by this change, counted</span>'
    )
    expect(rows.find(row => row.includes('THEIRS'))).toContain(
      '<span class="badge st-suppressed">suppressed (inSource)</span>'
    )
  })

  it('lists new, known and fixed findings against a baseline, and expired and stale exceptions', () => {
    const known = makeFinding({ ruleId: 'KNOWN', fingerprint: 'fp-known' })
    const gone = makeFinding({ ruleId: 'GONE', fingerprint: 'fp-gone', severity: 'critical' })
    const fresh = makeFinding({ ruleId: 'FRESH', severity: 'medium', location: { path: 'src/a.ts' } })
    const policy =
      'exceptions:\n  - id: OLD\n    owner: a\n    reason: b\n    expires: 2025-01-01\n  - id: NOTHING\n    owner: c\n    reason: d\n    expires: 2026-12-31\n'
    const html = render(verdict([known, fresh], { baseline: [known, gone], policy }))
    expect(html).toMatch(/FRESH[\s\S]*<span class="badge st-new">new<\/span>|st-new">new<\/span>[\s\S]*FRESH/)
    expect(html).toContain('st-known">known</span>')
    expect(html).toMatch(/Fixed since the baseline \(1\)[\s\S]*GONE/)
    expect(html).toContain('src/<wbr>a.<wbr>ts') // paths wrap at their joints
    expect(html).toMatch(/Expired exceptions \(1\)[\s\S]*OLD/)
    expect(html).toMatch(/Stale exceptions \(1\)[\s\S]*NOTHING/)
  })

  it('counts as new only the new findings that count, as the `new` output does', () => {
    const known = makeFinding({ ruleId: 'KNOWN', fingerprint: 'fp-known' })
    const fresh = makeFinding({ ruleId: 'FRESH', fingerprint: 'fp-fresh' })
    const excepted = makeFinding({ ruleId: 'CVE-2026-1', fingerprint: 'fp-excepted' })
    const policy = 'exceptions:\n  - id: CVE-2026-1\n    owner: a\n    reason: b\n    expires: 2026-12-31\n'
    const html = render(verdict([known, fresh, excepted], { baseline: [known], policy }))
    expect(html).toContain('only <strong>new</strong> findings count (1 new, 0 fixed)')
  })

  it('keeps its structure whatever text the reports hold (property)', () => {
    fc.assert(
      fc.property(fc.array(reportText, { minLength: 1, maxLength: 6 }), texts => {
        const findings = texts.map(t => makeFinding({ message: t, ruleId: t || 'r', scanner: t || 's' }))
        const html = render(verdict(findings, { broken: [{ source: texts[0]!, message: texts[0]! }] }))
        for (const [, name] of startTags(html)) expect(ALLOWED_TAGS).toContain(name)
        expect(html.match(/<tr><td><span class="badge sev-/g)).toHaveLength(texts.length)
        const scanners = new Set(findings.map(f => f.scanner)).size
        // Findings, the three header rows, a row per scanner plus the total, and the broken input.
        expect(html.match(/<\/tr>/g)?.length).toBe(texts.length + 3 + scanners + 1 + 1)
        expect(html).not.toContain('<!--')
      }),
      { numRuns: 60 }
    )
  })
})

describe('escapeHtml and safeHref', () => {
  it('escapes markup characters and neutralises control, lone-surrogate and bidi characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe(
      '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;'
    )
    expect(escapeHtml('a\u0000b\u001bc\ud800d')).toBe('a\uFFFDb\uFFFDc\uFFFDd')
    expect(escapeHtml('admin\u202E txt.exe')).toBe('admin[U+202E] txt.exe')
    expect(escapeHtml('tab\tnew\nline 😀')).toBe('tab\tnew\nline 😀')
  })

  it('links only absolute http(s) URLs', () => {
    expect(safeHref('https://example.com/a?b="c"')).toBe('https://example.com/a?b=%22c%22')
    for (const bad of ['javascript:alert(1)', 'data:text/html,x', '/relative', 'file:///etc/passwd', ''])
      expect(safeHref(bad)).toBeUndefined()
  })
})

describe('palette', () => {
  it('meets WCAG AA contrast for every severity and banner swatch', () => {
    for (const s of [...Object.values(SEVERITY_SWATCHES), ...Object.values(BANNER_SWATCHES)])
      expect(contrastRatio(s.background, s.text)).toBeGreaterThanOrEqual(4.5)
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5)
  })
})
