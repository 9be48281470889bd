/**
 * CVSS v3.0/v3.1 base score from a vector (FIRST CVSS v3.1 specification §7.1 and Appendix A roundup).
 * osv records carry only the vector; v2 and v4 vectors return undefined and callers fall back to the
 * advisory's severity word.
 */
const WEIGHTS: Record<string, Record<string, number>> = {
  AV: { N: 0.85, A: 0.62, L: 0.55, P: 0.2 },
  AC: { L: 0.77, H: 0.44 },
  UI: { N: 0.85, R: 0.62 },
  C: { H: 0.56, L: 0.22, N: 0 },
  I: { H: 0.56, L: 0.22, N: 0 },
  A: { H: 0.56, L: 0.22, N: 0 }
}
const PRIVILEGES = { unchanged: { N: 0.85, L: 0.62, H: 0.27 }, changed: { N: 0.85, L: 0.68, H: 0.5 } }

export function cvss3BaseScore(vector: string): number | undefined {
  if (!/^CVSS:3\.[01]\//.test(vector)) return undefined
  const metrics = new Map<string, string>()
  for (const part of vector.split('/').slice(1)) {
    const [key, value] = part.split(':')
    if (key && value) metrics.set(key, value)
  }
  const scope = metrics.get('S')
  if (scope !== 'U' && scope !== 'C') return undefined
  const changed = scope === 'C'
  const lookup = (table: Record<string, number>, value: string | undefined) =>
    value !== undefined && Object.hasOwn(table, value) ? table[value] : undefined
  const weight = (key: string) => lookup(WEIGHTS[key]!, metrics.get(key))
  const pr = lookup(changed ? PRIVILEGES.changed : PRIVILEGES.unchanged, metrics.get('PR'))
  const [av, ac, ui, c, i, a] = ['AV', 'AC', 'UI', 'C', 'I', 'A'].map(weight)
  if (av === undefined || ac === undefined || ui === undefined || pr === undefined) return undefined
  if (c === undefined || i === undefined || a === undefined) return undefined

  const iss = 1 - (1 - c) * (1 - i) * (1 - a)
  const impact = changed ? 7.52 * (iss - 0.029) - 3.25 * Math.pow(iss - 0.02, 15) : 6.42 * iss
  if (impact <= 0) return 0
  const exploitability = 8.22 * av * ac * pr * ui
  return roundUp(Math.min(changed ? 1.08 * (impact + exploitability) : impact + exploitability, 10))
}

/** The spec's Roundup: smallest number with one decimal ≥ input, robust to floating-point noise. */
function roundUp(value: number): number {
  const scaled = Math.round(value * 100000)
  return scaled % 10000 === 0 ? scaled / 100000 : (Math.floor(scaled / 10000) + 1) / 10
}
