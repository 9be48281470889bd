/*
 * What a YAML text would cost the parser, measured without it. The yaml library spends some 2 KB and
 * 10 µs on each node it builds and recurses once per level of nesting, so within the 10 MiB size limit a
 * pull request's 2 MB flow list of a million numbers took 15 s and 2 GB, and a line of four million
 * `- ` 17 s and 2.3 GB before the parser overflowed its stack.
 */

/** What one run may still parse over all its files: a few big files add up like one huge one. */
export interface ItemBudget {
  readonly total: number
  left: number
}

export const itemBudget = (total: number): ItemBudget => ({ total, left: total })

export interface Structure {
  /** Line breaks, commas, flow openers and `- `, `? `, `: ` indicators: about one per node. */
  items: number
  /** The most collections written open at once: flow brackets, plus block entries begun in a row on a line. */
  depth: number
}

const [TAB, NEWLINE, SPACE, COMMA, DASH, COLON, QUESTION] = [9, 10, 32, 44, 45, 58, 63]
const [OPEN_SQUARE, CLOSE_SQUARE, OPEN_CURLY, CLOSE_CURLY] = [91, 93, 123, 125]

/**
 * One pass over the characters as written: brackets and indicators inside strings count too, so both
 * figures are upper bounds for ordinary text and exact for the shapes that hurt.
 */
export function measureStructure(text: string): Structure {
  let items = 0
  let flow = 0
  let run = 0
  let depth = 0
  let lineStart = true
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    if (code === NEWLINE) {
      items++
      run = 0
      lineStart = true
      continue
    }
    const after = text.charCodeAt(i + 1)
    const indicator =
      (code === DASH || code === QUESTION || code === COLON) && (after === SPACE || after === TAB)
    if (indicator) items++
    if (lineStart) {
      if (code === SPACE || code === TAB) continue
      // `- - - x` nests a sequence per dash with no line break, comma or bracket in sight.
      if (indicator && code !== COLON) {
        depth = Math.max(depth, ++run + flow)
        continue
      }
      lineStart = false
    }
    if (code === COMMA) items++
    else if (code === OPEN_SQUARE || code === OPEN_CURLY) {
      items++
      depth = Math.max(depth, run + ++flow)
    } else if ((code === CLOSE_SQUARE || code === CLOSE_CURLY) && flow > 0) flow--
  }
  return { items, depth }
}

export interface StructureLimits {
  /** Nodes in one text, as `measureStructure` counts them. */
  maxItems: number
  /** Collections open at once: the parser overflows its stack near 800. */
  maxDepth: number
}

/** Which limit a text would break if parsed. */
export type StructureExcess = { over: 'depth' } | { over: 'items'; items: number } | { over: 'budget' }

/**
 * Measures `text` against the limits before any parser sees it, and takes its nodes from `budget` when
 * it fits. Every reader of YAML a pull request can write asks this first.
 */
export function structureExcess(
  text: string,
  limits: StructureLimits,
  budget?: ItemBudget
): StructureExcess | undefined {
  const { items, depth } = measureStructure(text)
  if (depth > limits.maxDepth) return { over: 'depth' }
  if (items > limits.maxItems) return { over: 'items', items }
  if (budget && items > budget.left) return { over: 'budget' }
  if (budget) budget.left -= items
  return undefined
}
