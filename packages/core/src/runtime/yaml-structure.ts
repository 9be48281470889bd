/*
 * What a YAML text would cost the parser, measured without it. The yaml library spends some 2 KB and
 * 10 µs on each node it builds and recurses once per level of nesting, so within the 10 MiB size limit a
 * pull request's 2 MB flow list of a million numbers took 15 s and 2 GB, and a line of four million
 * `- ` 17 s and 2.3 GB before the parser overflowed its stack. Some of its costs grow faster than the
 * nodes: each alias is resolved by a walk of the document up to it, a document costs ~20 times a node,
 * a pair inside a flow sequence builds a map of its own, and each escape or stray character in a quoted
 * string can be an error of its own. Those are counted here too.
 */

/** What one run may still parse over all its files: a few big files add up like one huge one. */
export interface ItemBudget {
  readonly total: number
  left: number
}

export const itemBudget = (total: number): ItemBudget => ({ total, left: total })

export interface Structure {
  /**
   * Line breaks (a lone CR is one), commas, flow openers, backslashes and `- `, `? `, `: ` indicators:
   * about one per node. A pair in a flow sequence (`[a: 1]`, `["": 1]`) builds a map of its own: 3.
   */
  items: number
  /** The most collections written open at once: flow brackets, plus block entries begun in a row on a line. */
  depth: number
  /** `---` and `...` markers at the start of a line. */
  documents: number
  /** `%` directives at the start of a line: in YAML 1.1 each document copies every one before it. */
  directives: number
  /** Tokens that begin like an alias (`*name` after a space, a line start, `[`, `{`, `,` or `:`). */
  aliases: number
}

const [TAB, NEWLINE, CR, SPACE, COMMA, DASH, COLON, QUESTION] = [9, 10, 13, 32, 44, 45, 58, 63]
const [OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY] = [91, 93, 123, 125]
const [DOT, STAR, BACKSLASH, DOUBLE_QUOTE, SINGLE_QUOTE, PERCENT] = [46, 42, 92, 34, 39, 37]

const isBlank = (code: number) => code === SPACE || code === TAB || code === NEWLINE || code === CR
/** What ends an alias name, or stands where none begins. */
const endsName = (code: number) =>
  Number.isNaN(code) ||
  isBlank(code) ||
  code === COMMA ||
  code === OPEN_SQUARE ||
  code === CLOSE_SQUARE ||
  code === OPEN_CURLY ||
  code === CLOSE_CURLY
/** What may stand before an alias: the start of a token, or the `:` of a JSON-like pair (`{"a":*x}`). */
const startsToken = (code: number) =>
  Number.isNaN(code) ||
  isBlank(code) ||
  code === OPEN_SQUARE ||
  code === OPEN_CURLY ||
  code === COMMA ||
  code === COLON

/** `---` or `...` at column 0, followed by a blank or the end. */
function isDocumentMarker(text: string, i: number, code: number): boolean {
  if (code !== DASH && code !== DOT) return false
  if (text.charCodeAt(i + 1) !== code || text.charCodeAt(i + 2) !== code) return false
  const after = text.charCodeAt(i + 3)
  return Number.isNaN(after) || isBlank(after)
}

/**
 * One pass over the characters as written: brackets and indicators inside strings count too, so the
 * figures are upper bounds for ordinary text and exact for the shapes that hurt.
 */
export function measureStructure(text: string): Structure {
  let items = 0
  let documents = 0
  let directives = 0
  let aliases = 0
  /** The flow collections open, innermost last: true for a sequence. */
  const flows: boolean[] = []
  let run = 0
  let depth = 0
  let lineStart = true
  let column0 = true
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    const after = text.charCodeAt(i + 1)
    // The lexer breaks lines at a lone CR as at LF; CRLF is one break.
    if (code === NEWLINE || (code === CR && after !== NEWLINE)) {
      items++
      run = 0
      lineStart = column0 = true
      continue
    }
    if (code === CR) continue
    if (column0 && isDocumentMarker(text, i, code)) documents++
    if (column0 && code === PERCENT) directives++
    column0 = false
    const inFlowSequence = flows.at(-1) === true
    const before = text.charCodeAt(i - 1)
    const flowPair =
      code === COLON && flows.length > 0 && (before === DOUBLE_QUOTE || before === SINGLE_QUOTE)
    const indicator =
      flowPair ||
      ((code === DASH || code === QUESTION || code === COLON) &&
        (after === SPACE || after === TAB || after === CR))
    if (indicator) items += code === COLON && inFlowSequence ? 3 : 1
    if (code === BACKSLASH) items++
    else if (code === STAR && startsToken(before) && !endsName(after)) aliases++
    if (lineStart) {
      if (code === SPACE || code === TAB) continue
      // `- - - x` nests a sequence per dash with no line break, comma or bracket in sight.
      if (indicator && code !== COLON) {
        depth = Math.max(depth, ++run + flows.length)
        continue
      }
      lineStart = false
    }
    if (code === COMMA) items++
    else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
      items++
      flows.push(code === OPEN_SQUARE)
      depth = Math.max(depth, run + flows.length)
    } else if (code === CLOSE_SQUARE || code === CLOSE_CURLY) flows.pop()
  }
  return { items, depth, documents, directives, aliases }
}

export interface StructureLimits {
  /** Nodes in one text, as `measureStructure` counts them. */
  maxItems: number
  /** Collections open at once: the parser overflows its stack near 800. */
  maxDepth: number
  maxDocuments: number
}

/**
 * Aliases times nodes: each alias is resolved by walking the document up to it, and a `<<` merge copies
 * the map it names, so 10,000 aliases among 20,000 nodes took 4 s, and 99 merges of a 99,000-key map
 * 9 s and 1 GB. At this bound such merges take under 2 s. A manifest of 100,000 nodes keeps 20 aliases,
 * one of 10,000 nodes 200; Helm and kustomize output has none.
 */
export const MAX_ALIAS_WORK = 2_000_000

/** Directives times documents: 20,000 `%TAG` lines before 1,000 documents took 12 s and 861 MB. */
export const MAX_DIRECTIVE_WORK = 100_000

/** Which limit a text would break if parsed, with what was measured. */
export type StructureExcess =
  | { over: 'depth' }
  | { over: 'documents'; documents: number }
  | { over: 'items'; items: number }
  | { over: 'aliases'; aliases: number; items: number }
  | { over: 'directives'; directives: number; documents: number }
  | { over: 'budget' }

/**
 * Measures `text` against the limits before any parser sees it, and takes its nodes from `budget` when
 * it fits. Every reader of YAML a pull request can write asks this first.
 */
export function structureExcess(
  text: string,
  limits: StructureLimits,
  budget?: ItemBudget
): StructureExcess | undefined {
  const { items, depth, documents, directives, aliases } = measureStructure(text)
  if (depth > limits.maxDepth) return { over: 'depth' }
  if (documents > limits.maxDocuments) return { over: 'documents', documents }
  if (items > limits.maxItems) return { over: 'items', items }
  if (aliases * items > MAX_ALIAS_WORK) return { over: 'aliases', aliases, items }
  if (directives * (documents + 1) > MAX_DIRECTIVE_WORK) return { over: 'directives', directives, documents }
  if (budget && items > budget.left) return { over: 'budget' }
  if (budget) budget.left -= items
  return undefined
}

/** Why, in words that follow the file's name: "… nests over 500 collections deep". */
export function describeExcess(
  excess: StructureExcess,
  limits: StructureLimits,
  budget?: ItemBudget
): string {
  switch (excess.over) {
    case 'depth':
      return `nests over ${limits.maxDepth} collections deep`
    case 'documents':
      return `holds about ${excess.documents} YAML documents, over the limit of ${limits.maxDocuments}`
    case 'items':
      return `has about ${excess.items} YAML nodes, over the limit of ${limits.maxItems}`
    case 'aliases':
      return `has ${excess.aliases} aliases among about ${excess.items} YAML nodes, more than the parser resolves in reasonable time`
    case 'directives':
      return `has ${excess.directives} directives carried into about ${excess.documents} documents`
    case 'budget':
      return `would take this run over ${budget?.total ?? 'its budget of'} YAML nodes with the files read before it`
  }
}
