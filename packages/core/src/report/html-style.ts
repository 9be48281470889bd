import type { Severity } from '../findings/finding.js'

export interface Swatch {
  background: string
  text: string
}

/** Text on every swatch meets WCAG AA (4.5:1); html.test.ts checks it. */
export const SEVERITY_SWATCHES: Record<Severity, Swatch> = {
  critical: { background: '#8e1519', text: '#ffffff' },
  high: { background: '#b93d0a', text: '#ffffff' },
  medium: { background: '#f2c230', text: '#1f2328' },
  low: { background: '#1d4ed8', text: '#ffffff' },
  info: { background: '#e4e7eb', text: '#1f2328' }
}

export const PAGE_SWATCH: Swatch = { background: '#ffffff', text: '#1f2328' }
export const MUTED_TEXT = '#57606a'

function channel(hex: string, offset: number): number {
  const c = parseInt(hex.slice(offset, offset + 2), 16) / 255
  return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
}

function luminance(hex: string): number {
  return 0.2126 * channel(hex, 1) + 0.7152 * channel(hex, 3) + 0.0722 * channel(hex, 5)
}

/** WCAG 2 contrast ratio of two #rrggbb colours, 1 to 21. */
export function contrastRatio(a: string, b: string): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number]
  return (hi + 0.05) / (lo + 0.05)
}

export const swatchRules = (prefix: string, swatches: Record<string, Swatch>) =>
  Object.entries(swatches)
    .map(([name, s]) => `.${prefix}-${name}{background-color:${s.background};color:${s.text}}`)
    .join('\n')

/** Inline because the CSP allows no stylesheet fetch; print keeps the colours and drops the chrome. */
export const STYLESHEET = `
*{box-sizing:border-box}
html{-webkit-print-color-adjust:exact;print-color-adjust:exact}
body{margin:0;padding:24px 32px;font:15px/1.45 "DejaVu Sans",system-ui,sans-serif;
  background:${PAGE_SWATCH.background};color:${PAGE_SWATCH.text};max-width:1400px}
h1{font-size:24px;margin:0 0 4px}
h2{font-size:19px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
.meta{color:${MUTED_TEXT};margin:0 0 16px;display:flex;flex-wrap:wrap;gap:4px 20px}
.meta dt{font-weight:bold;display:inline}.meta dd{display:inline;margin:0 0 0 4px}
a{color:#0550ae}
code,.mono{font-family:"DejaVu Sans Mono",ui-monospace,monospace;font-size:13px}
${swatchRules('sev', SEVERITY_SWATCHES)}
.note{background:#f6f8fa;border-left:4px solid #8c959f;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;margin:8px 0}
th,td{border:1px solid #d0d7de;padding:5px 8px;text-align:left;vertical-align:top;overflow-wrap:anywhere}
thead th{background:#eaeef2;overflow-wrap:normal;white-space:nowrap}
tbody tr:nth-child(even){background:#f6f8fa}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
tr.total th,tr.total td{font-weight:bold;border-top:2px solid #1f2328}
table.findings{table-layout:fixed}
table.findings col.c-sev{width:86px}table.findings col.c-status{width:116px}
table.findings col.c-rule{width:210px}table.findings col.c-scanner{width:96px}
table.findings col.c-where{width:220px}table.findings col.c-fix{width:100px}
.badge{display:inline-block;padding:1px 7px;border-radius:10px;font-size:12px;font-weight:bold;
  border:1px solid rgba(0,0,0,.35);margin:1px 2px 1px 0;white-space:nowrap}
.st-new{background:#ffffff;color:#b3261e;border-color:#b3261e}
.st-blocking{background:#b3261e;color:#ffffff}
.st-known,.st-reported{background:#ffffff;color:${MUTED_TEXT}}
.st-suppressed,.st-excepted{background:#ddf4ff;color:#0a3069}
.chart{max-width:760px}
.chart text{font:13px "DejaVu Sans",sans-serif;fill:#1f2328}
details>summary{cursor:pointer;font-weight:bold;margin:6px 0}
.muted{color:${MUTED_TEXT}}
@media print{body{padding:0;font-size:11px;max-width:none}thead{display:table-header-group}
  tr{break-inside:avoid}a{color:inherit;text-decoration:none}h2{break-after:avoid}}
`
