/** Kubernetes resource quantity suffixes and their multipliers. */
const SUFFIXES: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60
}

/** Exported for the admission export, which repeats this grammar in CEL. */
export const QUANTITY = /^([+-]?(?:\d+(?:\.\d*)?|\.\d+))(?:([eE][+-]?\d+)|(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])?)$/

/**
 * Parses a quantity (`500m`, `1.5`, `256Mi`, `1e3`, or a YAML number) into base units (cores, bytes).
 * Returns undefined for anything Kubernetes would not accept, so callers can report it as unparsable.
 */
export function parseQuantity(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const match = QUANTITY.exec(value.trim())
  if (!match) return undefined
  const base = Number(match[1])
  if (match[2]) return base * 10 ** Number(match[2].slice(1))
  return base * (SUFFIXES[match[3] ?? ''] ?? 1)
}
