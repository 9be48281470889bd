const ADVISORY_ID = /\b(?:CVE-\d{4}-\d{4,}|GHSA(?:-[23456789cfghjmpqrvwx]{4}){3})\b/gi
const CWE_ID = /^(?:external\/cwe\/)?cwe-0*(\d+)\b/i

/** CVE and GHSA ids mentioned in `texts`, upper-cased CVE / lower-case-body GHSA, in first-seen order. */
export function advisoryIds(texts: Iterable<string>): string[] {
  const seen = new Set<string>()
  for (const text of texts) {
    if (text.length > 2000) continue
    for (const match of text.matchAll(ADVISORY_ID)) seen.add(normalizeAdvisoryId(match[0]))
  }
  return [...seen]
}

function normalizeAdvisoryId(id: string): string {
  return id.toUpperCase().startsWith('GHSA') ? `GHSA${id.slice(4).toLowerCase()}` : id.toUpperCase()
}

/** `CWE-79: Improper…`, `external/cwe/cwe-079`, `cwe-79` → `CWE-79`; anything else → undefined. */
export function cweId(text: string): string | undefined {
  const match = CWE_ID.exec(text)
  return match ? `CWE-${match[1]}` : undefined
}

export function cweIds(values: Iterable<string>): string[] {
  const seen = new Set<string>()
  for (const value of values) {
    const id = cweId(value)
    if (id) seen.add(id)
  }
  return [...seen]
}

/** `ids` without `ruleId` and duplicates. */
export function aliasesOf(ruleId: string, ids: Iterable<string>): string[] {
  const out = new Set<string>()
  for (const id of ids) if (id !== ruleId) out.add(id)
  return [...out]
}
