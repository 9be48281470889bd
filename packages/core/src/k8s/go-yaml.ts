import {
  isAlias,
  isMap,
  isScalar,
  isSeq,
  Scalar,
  visit,
  type Document,
  type LineCounter,
  type Node
} from 'yaml'

// Kubernetes (kubectl, the API machinery, kustomize's kustomization decoder) turns YAML into JSON with
// sigs.k8s.io/yaml on go-yaml v2, which resolves a plain scalar its own way: `0o0`, `0X1F`, `0B1`,
// `0_` and `0b-1` are integers there (strconv.ParseInt with base 0, underscores dropped) but strings or
// NaN to the yaml library's 1.1 schema; `1:20` and `2024-01-01` stay strings there but become 80 and a
// Date here. Read the library's way, `runAsUser: 0o0` would be a string where the cluster sees root,
// and a kustomization entry `2024-01-01` no path at all. So every scalar is re-resolved here as go-yaml
// v2 (go.yaml.in/yaml/v2 resolve.go) decodes it into an interface{}.

const YAML_TAG = 'tag:yaml.org,2002:'
const STR = `${YAML_TAG}str`
const BINARY = `${YAML_TAG}binary`
const BOOL = `${YAML_TAG}bool`
const INT = `${YAML_TAG}int`
const FLOAT = `${YAML_TAG}float`
const NULL = `${YAML_TAG}null`
const TIMESTAMP = `${YAML_TAG}timestamp`
const MERGE = `${YAML_TAG}merge`

/** go-yaml v2's resolveMap: the words it reads without parsing. */
const RESOLVE_MAP = new Map<string, { tag: string; value: unknown }>([
  ...['y', 'Y', 'yes', 'Yes', 'YES', 'true', 'True', 'TRUE', 'on', 'On', 'ON'].map(
    s => [s, { tag: BOOL, value: true }] as const
  ),
  ...['n', 'N', 'no', 'No', 'NO', 'false', 'False', 'FALSE', 'off', 'Off', 'OFF'].map(
    s => [s, { tag: BOOL, value: false }] as const
  ),
  ...['', '~', 'null', 'Null', 'NULL'].map(s => [s, { tag: NULL, value: null }] as const),
  ...['.nan', '.NaN', '.NAN'].map(s => [s, { tag: FLOAT, value: NaN }] as const),
  ...['.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF'].map(
    s => [s, { tag: FLOAT, value: Infinity }] as const
  ),
  ...['-.inf', '-.Inf', '-.INF'].map(s => [s, { tag: FLOAT, value: -Infinity }] as const),
  ['<<', { tag: MERGE, value: '<<' }]
])

/** go-yaml v2's resolveTable: what the first character says a plain scalar may be. */
function hintOf(text: string): 'M' | '.' | 'D' | 'S' | 'N' | undefined {
  if (text === '') return 'N'
  const c = text[0] as string
  if (c === '+' || c === '-') return 'S'
  if (c >= '0' && c <= '9') return 'D'
  if (c === '.') return '.'
  return 'yYnNtTfFoO~'.includes(c) ? 'M' : undefined
}

const DIGITS: Record<number, RegExp> = { 2: /^[01]+$/, 8: /^[0-7]+$/, 10: /^[0-9]+$/, 16: /^[0-9a-f]+$/i }

/** The sign and magnitude of a Go integer literal (base 0: `0x`, `0o`, `0b` or a leading `0`), or undefined. */
function goLiteral(
  s: string,
  base: 0 | 2
): { negative: boolean; signed: boolean; magnitude: bigint } | undefined {
  let rest = s
  const signed = rest.startsWith('+') || rest.startsWith('-')
  const negative = rest.startsWith('-')
  if (signed) rest = rest.slice(1)
  let radix: 2 | 8 | 10 | 16 = base === 2 ? 2 : 10
  if (base === 0 && rest.startsWith('0') && rest.length > 1) {
    const prefix = rest[1]?.toLowerCase()
    radix = prefix === 'x' ? 16 : prefix === 'o' ? 8 : prefix === 'b' ? 2 : 8
    rest = prefix === 'x' || prefix === 'o' || prefix === 'b' ? rest.slice(2) : rest.slice(1)
  }
  if (!DIGITS[radix]?.test(rest)) return undefined
  const magnitude = [...rest.toLowerCase()].reduce((n, d) => n * BigInt(radix) + BigInt(parseInt(d, 16)), 0n)
  return { negative, signed, magnitude }
}

/** strconv.ParseInt(s, base, 64), or undefined where it fails (out of range included). */
function parseGoInt(s: string, base: 0 | 2): bigint | undefined {
  const literal = goLiteral(s, base)
  if (!literal) return undefined
  const value = literal.negative ? -literal.magnitude : literal.magnitude
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined
}

/** strconv.ParseUint(s, 0, 64): no sign. */
function parseGoUint(s: string): bigint | undefined {
  const literal = goLiteral(s, 0)
  return literal && !literal.signed && literal.magnitude < 2n ** 64n ? literal.magnitude : undefined
}

/** strconv.ParseFloat(s, 64) on the syntax go-yaml hands it, undefined where it fails (overflow included). */
function parseGoFloat(s: string): number | undefined {
  if (!/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(s)) return undefined
  const value = Number(s)
  return Number.isFinite(value) ? value : undefined
}

/** time.Parse with one of go-yaml v2's allowedTimestampFormats (it keeps the text for an interface{}). */
const TIMESTAMP_TEXT =
  /^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:(?:[Tt][0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?(?:Z|[+-][0-9]{2}:[0-9]{2}))|(?: [0-9]{1,2}:[0-9]{1,2}:[0-9]{1,2}(?:\.[0-9]+)?))?$/

const asNumber = (value: bigint) => Number(value)

/** go-yaml v2's resolve(tag, in): the tag it settles on and the value. */
function resolve(tag: string, text: string): { tag: string; value: unknown } {
  const hint = hintOf(text)
  if (hint === undefined || tag === STR) return { tag: STR, value: text }
  const mapped = RESOLVE_MAP.get(text)
  if (mapped) return mapped
  if (hint === '.') {
    // ParseFloat takes underscores between digits.
    const float = /(?<![0-9])_|_(?![0-9])/.test(text) ? undefined : parseGoFloat(text.replace(/_/g, ''))
    return float === undefined ? { tag: STR, value: text } : { tag: FLOAT, value: float }
  }
  if (hint !== 'D' && hint !== 'S') return { tag: STR, value: text }
  if ((tag === '' || tag === TIMESTAMP) && TIMESTAMP_TEXT.test(text)) return { tag: TIMESTAMP, value: text }
  const plain = text.replace(/_/g, '')
  const int = parseGoInt(plain, 0) ?? parseGoUint(plain)
  if (int !== undefined) return { tag: INT, value: asNumber(int) }
  const float = parseGoFloat(plain)
  if (float !== undefined) return { tag: FLOAT, value: float }
  if (plain.startsWith('0b')) {
    const binary = parseGoInt(plain.slice(2), 2)
    if (binary !== undefined) return { tag: INT, value: asNumber(binary) }
  } else if (plain.startsWith('-0b')) {
    const binary = parseGoInt(`-${plain.slice(3)}`, 2)
    if (binary !== undefined) return { tag: INT, value: asNumber(binary) }
  }
  return { tag: STR, value: text }
}

/**
 * The value go-yaml v2 decodes a scalar to (into an interface{}), from its text and its tag (`''` for
 * a plain scalar with none), or why it refuses the scalar.
 */
export function goYamlScalar(tag: string, text: string): { value: unknown } | { error: string } {
  if (tag === BINARY) return { error: 'a !!binary scalar' }
  if (tag === NULL) return { value: null }
  // go-yaml v2 resolves only these tags; a scalar with any other tag is its text.
  if (!['', STR, BOOL, INT, FLOAT, TIMESTAMP].includes(tag)) return { value: text }
  const resolved = resolve(tag, text)
  if (tag === '' || tag === STR || tag === resolved.tag) return { value: resolved.value }
  if (tag === FLOAT && resolved.tag === INT) return { value: resolved.value }
  return { error: `'${text}' tagged ${tag.replace(YAML_TAG, '!!')}, which Kubernetes refuses` }
}

/**
 * Sets every scalar of `document` to the value Kubernetes reads there (see above), before the document
 * is turned into plain values. Returns where and why a scalar cannot be read as Kubernetes reads it
 * (a `!!binary` scalar, which it decodes to text: `image: !!binary <base64>` would hide the image), or
 * undefined.
 */
export function readScalarsAsKubernetes(
  document: Document.Parsed,
  lineCounter?: LineCounter
): string | undefined {
  let refused: string | undefined
  visit(document, {
    Scalar(_, node) {
      const scalar = node as Scalar
      const text = typeof scalar.source === 'string' ? scalar.source : String(scalar.value)
      // A quoted or block scalar without a tag is a string to both; go-yaml resolves only plain ones.
      if (scalar.tag === undefined && scalar.type !== Scalar.PLAIN) return undefined
      // A merge key stays the library's: it applies `<<` as go-yaml does.
      if (scalar.tag === undefined && text === '<<') return undefined
      const read = goYamlScalar(scalar.tag ?? '', text)
      if ('error' in read) {
        const at = scalar.range && lineCounter ? ` at line ${lineCounter.linePos(scalar.range[0]).line}` : ''
        refused = `${read.error}${at}, which kubectl and kustomize read as other text than k8s-policy would check; write the value as plain YAML`
        return visit.BREAK
      }
      if (!sameValue(scalar.value, read.value)) scalar.value = read.value
      return undefined
    }
  })
  return refused ?? mergeOverride(document, lineCounter)
}

/**
 * A key a `<<` merge key brings into a map that already set it (by an explicit key before the `<<`, or
 * an earlier `<<`) to another value. go-yaml v2 (kubectl apply -f, Argo CD, Helm) applies merges in
 * order, the later one winning: `{privileged: false, <<: *x}` is x's privileged there, while kustomize
 * (go-yaml v3) and the yaml library keep the first. Which one the cluster gets depends on the tool.
 */
function mergeOverride(document: Document.Parsed, lineCounter?: LineCounter): string | undefined {
  let refused: string | undefined
  const json = (node: unknown) =>
    canonicalJson(
      isAlias(node)
        ? node.resolve(document)?.toJS(document, { maxAliasCount: -1 })
        : ((node as Node | null)?.toJS?.(document, { maxAliasCount: -1 }) ?? null)
    )
  visit(document, {
    Map(_, map) {
      const isMerge = (key: unknown) => isScalar(key) && typeof key.value === 'symbol'
      if (!map.items.some(pair => isMerge(pair.key))) return undefined
      const set = new Map<string, string>()
      for (const pair of map.items) {
        if (!isMerge(pair.key)) {
          set.set(String(isScalar(pair.key) ? pair.key.value : json(pair.key)), json(pair.value))
          continue
        }
        const target = isAlias(pair.value) ? pair.value.resolve(document) : pair.value
        const sources = isSeq(target)
          ? target.items.map(i => (isAlias(i) ? i.resolve(document) : i))
          : [target]
        const merged = new Map<string, string>()
        for (const source of sources.reverse()) {
          if (!isMap(source)) continue
          const value = source.toJS(document, { maxAliasCount: -1 }) as Record<string, unknown>
          for (const [key, field] of Object.entries(value)) merged.set(key, canonicalJson(field))
        }
        for (const [key, value] of merged) {
          const before = set.get(key)
          if (before !== undefined && before !== value) {
            const at =
              pair.key && (pair.key as Node).range && lineCounter
                ? ` at line ${lineCounter.linePos((pair.key as Node).range![0]).line}`
                : ''
            refused = `the merge key '<<'${at} sets '${key}', which the map already sets to another value: kubectl and Argo CD (go-yaml v2) read the merged value, kustomize and k8s-policy the first; set '${key}' once`
            return visit.BREAK
          }
          if (before === undefined) set.set(key, value)
        }
      }
      return undefined
    }
  })
  return refused
}

/** JSON with object keys sorted: `{cpu, memory}` and `{memory, cpu}` are one value to every reader. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v
  )
}

const sameValue = (a: unknown, b: unknown) => Object.is(a, b) || (a === 0 && b === 0)
