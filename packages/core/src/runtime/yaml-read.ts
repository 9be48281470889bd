// Parsing YAML a pull request may have written, after `structureExcess` has measured it. Two of the
// yaml library's own costs grow with the square of the input, so they are turned off and done here in
// one pass: its duplicate-key check compares each key with every key before it in the map (40,000 keys
// took 19 s, a 1 MiB policy of them 7 minutes), and its pretty errors run a regex over the whole line
// for each error (one error on a line of 150,000 CRs took over a minute).
import {
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
}

/** The first key of a map that repeats an earlier key of the same map, compared as the library would. */
function firstDuplicateKey(document: Document.Parsed, merges: boolean): Node | undefined {
  let found: Node | undefined
  visit(document, {
    Map(_, map) {
      const seen = new Set<unknown>()
      for (const { key } of map.items) {
        // A scalar key is its value (`1` and `"1"` differ); any other key is only ever itself.
        const id = isScalar(key) ? key.value : key
        if (merges && id === '<<') continue
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
  return Array.from(documents, document => {
    const duplicate = document.errors.length === 0 && firstDuplicateKey(document, version === '1.1')
    if (duplicate) {
      const [start, end] = duplicate.range ?? [0, 0]
      document.errors.push(new YAMLParseError([start, end], 'DUPLICATE_KEY', 'Map keys must be unique'))
    }
    for (const error of document.errors)
      error.linePos ??= [lineCounter.linePos(error.pos[0]), lineCounter.linePos(error.pos[1])]
    return document
  })
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
export function parseYamlValue(text: string, options: YamlReadOptions & { maxAliasCount?: number } = {}) {
  const documents = parseYamlDocuments(text, options)
  if (documents.length > 1) throw new Error('Source contains multiple documents')
  const document = documents[0]
  if (!document) return null
  const error = document.errors[0]
  if (error) throw new Error(`${error.message.split('\n', 1)[0]}${errorPlace(error)}`)
  return document.toJS({ maxAliasCount: options.maxAliasCount ?? 100 }) as unknown
}
