// Small builders of CEL text shared by the rule translations.

/** A CEL string literal: single-quoted, with the characters that would end or break it escaped. */
export function celString(text: string): string {
  const escaped = [...text]
    .map(c => {
      if (c === '\\' || c === "'") return `\\${c}`
      const code = c.charCodeAt(0)
      return code < 0x20 || code === 0x7f ? `\\x${code.toString(16).padStart(2, '0')}` : c
    })
    .join('')
  return `'${escaped}'`
}

/** A CEL list of string literals. */
export const celList = (items: Iterable<string>) => `[${[...items].map(celString).join(', ')}]`

/** `path` exists and is a map (asRecord in the evaluator); its parent must be a map already. */
export const hasMap = (path: string) => `(has(${path}) && type(${path}) == map)`

/**
 * `base.f1.f2…` exists as a map at every step, tested left to right so a missing or scalar step stops
 * the test instead of raising an evaluation error. `base` itself must be a map.
 */
export function mapAt(base: string, ...fields: string[]): string {
  return `(${fields.map((_, i) => hasMap([base, ...fields.slice(0, i + 1)].join('.'))).join(' && ')})`
}
