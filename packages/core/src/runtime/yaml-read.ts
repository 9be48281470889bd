// Parsing YAML a pull request may have written, after `structureExcess` has measured it. Two of the
// yaml library's own costs grow with the square of the input, so they are turned off and done here in
// one pass: its duplicate-key check compares each key with every key before it in the map (40,000 keys
// took 19 s, a 1 MiB policy of them 7 minutes), and its pretty errors run a regex over the whole line
// for each error (one error on a line of 150,000 CRs took over a minute). Its alias bound is off too:
// it recounts an anchor's aliases on every use when the count is 0 (empty collections, aliases of
// them), so 1,400 aliases in 4 KB took 74 s; what aliases expand to is counted here instead.
import {
  isAlias,
  isCollection,
  isPair,
  isScalar,
  LineCounter,
  parseAllDocuments,
  visit,
  YAMLParseError,
  type Document,
  type Node
} from 'yaml'

export type YamlVersion = '1.1' | '1.2'

export interface YamlReadOptions {
  /** 1.1 as Kubernetes reads manifests (`yes` is true, `<<` merges); the library's 1.2 otherwise. */
  version?: YamlVersion
  /** Filled as the text is read, for callers that locate fields afterwards. */
  lineCounter?: LineCounter
  /** Nodes one document may hold with its aliases expanded (a `<<` merge copies what it names). */
  maxNodes?: number
}

const DEFAULT_MAX_NODES = 1_000_000

/**
 * Nodes of the document with each alias counted as the whole node it names, in one pass (sizes kept
 * per node); stops counting past `cap`. An alias resolves to the last anchor of its name before it, as
 * the library resolves it; one naming a node still open (a cycle) is left to the library to refuse.
 */
function expandedNodes(document: Document.Parsed, cap: number): number {
  const anchors = new Map<string, Node>()
  const sizes = new Map<Node, number>()
  const size = (node: unknown): number => {
    if (isAlias(node)) {
      const source = anchors.get(node.source)
      return (source && sizes.get(source)) ?? 1
    }
    if (!isCollection(node) && !isScalar(node)) return 0
    if (node.anchor) anchors.set(node.anchor, node)
    let total = 1
    if (isCollection(node))
      for (const item of node.items) {
        total += isPair(item) ? size(item.key) + size(item.value) : size(item)
        if (total > cap) break
      }
    sizes.set(node, total)
    return total
  }
  return size(document.contents)
}

/** The first key of a map that repeats an earlier key of the same map, compared as the library would. */
function firstDuplicateKey(document: Document.Parsed): Node | undefined {
  let found: Node | undefined
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const { key } of map.items) {
        // A scalar key is its value (`1` and `"1"` differ); any other key is only ever itself.
        const id = isScalar(key) ? key.value : key
        // The library compares values with ===: NaN keys never repeat. A merge key is a new symbol each time.
        if (typeof id === 'number' && Number.isNaN(id)) continue
        if (seen.has(id)) {
          found = key as Node
          return visit.BREAK
        }
        seen.add(id)
      }
      return undefined
    }
  })
  return found
}

/**
 * Every document of `text`; each one's `errors` hold a duplicate key as the library's own check would
 * report it, and every error its `linePos`.
 */
export function parseYamlDocuments(text: string, options: YamlReadOptions = {}): Document.Parsed[] {
  const lineCounter = options.lineCounter ?? new LineCounter()
  const version = options.version ?? '1.2'
  const documents = parseAllDocuments(text, {
    version,
    lineCounter,
    prettyErrors: false,
    uniqueKeys: false
  }) as Document.Parsed[]
  const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES
  return Array.from(documents, document => {
    const fault = document.errors.length === 0 ? semanticFault(document, version, maxNodes) : undefined
    if (fault) document.errors.push(fault)
    for (const error of document.errors)
      error.linePos ??= [lineCounter.linePos(error.pos[0]), lineCounter.linePos(error.pos[1])]
    return document
  })
}

/** What the library's own checks would have said, or what they no longer bound, as a parse error. */
function semanticFault(document: Document.Parsed, version: YamlVersion, maxNodes: number) {
  // Kubernetes reads 1.1 only (go-yaml v2 refuses another %YAML); a directive must not switch the schema.
  if (version === '1.1' && document.directives.yaml.version !== '1.1')
    return new YAMLParseError(
      [0, 0],
      'BAD_DIRECTIVE',
      `a %YAML ${document.directives.yaml.version} directive; this is read as YAML 1.1`
    )
  const duplicate = firstDuplicateKey(document)
  if (duplicate)
    return new YAMLParseError(
      duplicate.range ? [duplicate.range[0], duplicate.range[1]] : [0, 0],
      'DUPLICATE_KEY',
      'Map keys must be unique'
    )
  if (expandedNodes(document, maxNodes) > maxNodes)
    return new YAMLParseError(
      [0, 0],
      'RESOURCE_EXHAUSTION',
      `its aliases expand it to over ${maxNodes} nodes`
    )
  return undefined
}

/** The document as plain values: its aliases were bounded by `parseYamlDocuments`, not the library. */
export function plainValue(document: Document.Parsed): unknown {
  return document.toJS({ maxAliasCount: -1 }) as unknown
}

/** Where an error is, for a message: " at line 3, column 7". */
export function errorPlace(error: { linePos?: [{ line: number; col: number }, ...unknown[]] }): string {
  const at = error.linePos?.[0]
  return at ? ` at line ${at.line}, column ${at.col}` : ''
}

/**
 * The one document of `text` as plain values, or the first error thrown with its place. A text of
 * several documents is refused, as the library's `parse` refuses it.
 */
export function parseYamlValue(text: string, options: YamlReadOptions = {}): unknown {
  const documents = parseYamlDocuments(text, options)
  if (documents.length > 1) throw new Error('Source contains multiple documents')
  const document = documents[0]
  if (!document) return null
  const error = document.errors[0]
  if (error) throw new Error(`${error.message.split('\n', 1)[0]}${errorPlace(error)}`)
  return plainValue(document)
}
