import { fileURLToPath } from 'node:url'

type Json = Record<string, unknown>

const obj = (value: unknown): Json | undefined =>
  value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Json) : undefined
const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

function key(rule: unknown, path: string, start: [unknown, unknown], end: [unknown, unknown]): string {
  return `${String(rule)}\u0000${path}\u0000${start.join(':')}-${end.join(':')}`
}

/**
 * Whether a file could hold a `nosemgrep`/`nosem` comment. The engine's marks are only needed where one
 * appears; when none does, no result can be suppressed (a miss here only counts a finding, never hides one).
 */
export function mentionsNosem(text: string): boolean {
  return /nosem/i.test(text)
}

/** A SARIF artifact URI as the engine's JSON spells the same path (Semgrep writes plain paths). */
function plainPaths(uri: string): string[] {
  if (uri.startsWith('file://')) return [fileURLToPath(uri)]
  try {
    const decoded = decodeURIComponent(uri)
    return decoded === uri ? [uri] : [uri, decoded]
  } catch {
    return [uri]
  }
}

/**
 * Which results of an engine run a `nosemgrep` comment suppresses, read from the engine's own SARIF:
 * its JSON leaves them out (or, with `--disable-nosem`, keeps them unmarked), its SARIF keeps them with
 * a `suppressions: [{kind: inSource}]`. Keys are rule, path and exact range, as in the JSON.
 */
export function inSourceSuppressed(sarif: unknown): Set<string> {
  const out = new Set<string>()
  for (const run of list(obj(sarif)?.runs)) {
    for (const result of list(obj(run)?.results)) {
      const r = obj(result)
      if (!list(r?.suppressions).some(s => obj(s)?.kind === 'inSource')) continue
      const physical = obj(obj(list(r?.locations)[0])?.physicalLocation)
      const uri = obj(physical?.artifactLocation)?.uri
      const region = obj(physical?.region)
      if (typeof uri !== 'string' || !region) continue
      for (const path of plainPaths(uri))
        out.add(
          key(r?.ruleId, path, [region.startLine, region.startColumn], [region.endLine, region.endColumn])
        )
    }
  }
  return out
}

/** Marks the JSON results in `suppressed` with `extra.is_ignored`, which the Semgrep reader maps to inSource. */
export function markSuppressed(report: Json, suppressed: ReadonlySet<string>): void {
  if (suppressed.size === 0) return
  for (const result of list(report.results)) {
    const r = obj(result)
    const start = obj(r?.start)
    const end = obj(r?.end)
    if (!r || typeof r.path !== 'string' || !start || !end) continue
    if (!suppressed.has(key(r.check_id, r.path, [start.line, start.col], [end.line, end.col]))) continue
    r.extra = { ...(obj(r.extra) ?? {}), is_ignored: true }
  }
}
