/**
 * Bidi controls (Trojan Source) make text read differently from what it says: `src/\u202Esj.nimda`
 * shows as `src/admin.js`. A report's text comes from the pull request it judges, so every escaper
 * for people (markdown, code spans, HTML) shows them as their code point instead.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/g

export function showBidiControls(text: string): string {
  return text.replace(
    BIDI_CONTROLS,
    ch => `[U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}]`
  )
}
