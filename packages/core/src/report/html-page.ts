import { escapeHtml, linkOrText } from './html-escape.js'
import { STYLESHEET } from './html-style.js'

/**
 * Scripts, fetches, frames and forms are all refused; only the inline stylesheet and data: images load.
 * `base-uri` and `form-action` fall back to nothing, not to `default-src`: without them an injected
 * `<base>` would point every relative URL elsewhere and an injected `<form>` could post anywhere.
 */
export const REPORT_HTML_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

export interface PageMeta {
  /** Shown as given: the caller decides the format (an ISO timestamp is the usual choice). */
  generatedAt: string
  repository?: string
  commit?: string
  /** Linked only when it is an absolute http(s) URL. */
  runUrl?: string
  /** More `label: value` pairs, escaped here. */
  extra?: Array<[string, string]>
}

export function metaHtml(meta: PageMeta): string {
  const items: [string, string][] = [['generated', escapeHtml(meta.generatedAt)]]
  if (meta.repository) items.push(['repository', escapeHtml(meta.repository)])
  if (meta.commit) items.push(['commit', `<code>${escapeHtml(meta.commit)}</code>`])
  for (const [label, value] of meta.extra ?? []) items.push([escapeHtml(label), escapeHtml(value)])
  if (meta.runUrl) items.push(['run', linkOrText(meta.runUrl, meta.runUrl)])
  return `<dl class="meta">${items.map(([k, v]) => `<div><dt>${k}</dt><dd>${v}</dd></div>`).join('')}</dl>`
}

/**
 * A self-contained HTML5 page: inline CSS, no script, no external resource, and a CSP that would block
 * them anyway. `heading` and `title` are text; `sections` are markup whose text the caller escaped.
 */
export function htmlDocument(page: {
  title: string
  heading: string
  meta: PageMeta
  sections: readonly string[]
  /** Extra CSS after the shared stylesheet. */
  style?: string
  /** `data-*` attributes on <html>, for tests and styling (values escaped here). */
  data?: Record<string, string>
}): string {
  const data = Object.entries(page.data ?? {})
    .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
    .join('')
  return `<!DOCTYPE html>
<html lang="en"${data}>
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${REPORT_HTML_CSP}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${escapeHtml(page.title)}</title>
<style>${STYLESHEET}${page.style ?? ''}</style>
</head>
<body>
${[`<header><h1>${escapeHtml(page.heading)}</h1>${metaHtml(page.meta)}</header>`, '<main>', ...page.sections.filter(Boolean), '</main>'].join('\n')}
</body>
</html>
`
}
