import { isScalar, isSeq, parseDocument, type Scalar } from 'yaml'

const keepsString = new Map<string, boolean>()

/**
 * Whether `value` written plain reads back as the same string under YAML 1.1 and 1.2, in block or flow
 * context: `1.10`, `on`, `yes`, `017`, `2024-01-01`, `null` or `a #b` do not.
 */
export function plainKeepsString(value: string, inFlow: boolean): boolean {
  const key = `${inFlow ? 'f' : 'b'}${value}`
  let answer = keepsString.get(key)
  if (answer === undefined) {
    answer = (['1.1', '1.2'] as const).every(version => {
      const document = parseDocument(inFlow ? `[${value}]` : value, { version })
      if (document.errors.length > 0 || document.warnings.length > 0) return false
      let node: unknown = document.contents
      if (inFlow) {
        if (!isSeq(node) || node.items.length !== 1) return false
        node = node.items[0]
      }
      return isScalar(node) && node.type === 'PLAIN' && node.value === value
    })
    if (keepsString.size > 10_000) keepsString.clear()
    keepsString.set(key, answer)
  }
  return answer
}

/** A double-quoted YAML scalar: JSON's string syntax is a subset of YAML's double-quoted style. */
export function doubleQuoted(value: string): string {
  return JSON.stringify(value)
}

/**
 * `value` in the style the old scalar had: single quotes stay single, double stay double, and a plain
 * value stays plain unless plain would read back as something else (then it gets double quotes).
 */
export function renderScalar(value: string, style: Scalar.Type | undefined, inFlow: boolean): string {
  if (style === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`
  if (style === 'QUOTE_DOUBLE' || !plainKeepsString(value, inFlow)) return doubleQuoted(value)
  return value
}
