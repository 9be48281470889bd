import {
  isAlias,
  isCollection,
  isMap,
  isScalar,
  isSeq,
  visit,
  type Document,
  type Node,
  type Pair,
  type YAMLMap
} from 'yaml'
import { getErrorMessage } from '../runtime/errors.js'
import { parseYamlDocuments, type YamlVersion } from '../runtime/yaml-read.js'
import { describeExcess, structureExcess, type StructureLimits } from '../runtime/yaml-structure.js'

/** A manifest file as text, parsed once, with what every finder needs to locate and edit values. */
export interface YamlSource {
  file: string
  text: string
  /** The line ending the file uses (its first one), for inserted lines. */
  eol: '\n' | '\r\n'
  documents: Document.Parsed[]
}

/** Limits that keep a hostile file (alias bomb, generated dump) from exhausting the runner. */
export const MAX_MANIFEST_BYTES = 1024 * 1024
/**
 * A MiB of dense Deployments measures about 112,000 nodes, a MiB of short flow lists 321,000; past
 * these, a file is refused before the parser sees it (it costs 1 to 2 KB and 10 to 15 µs per node).
 */
const MANIFEST_STRUCTURE: StructureLimits = { maxItems: 400_000, maxDepth: 100, maxDocuments: 1000 }

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })

/**
 * The file's text when its bytes are UTF-8 (a BOM is kept as U+FEFF, so encoding the text again gives
 * the same bytes). Anything else is refused: a lossy decode would change bytes nobody asked to change.
 */
export function decodeManifest(bytes: Uint8Array): { text: string } | { problem: string } {
  if (bytes.length > MAX_MANIFEST_BYTES)
    return { problem: `${bytes.length} bytes, over the ${MAX_MANIFEST_BYTES}-byte limit for one manifest` }
  try {
    return { text: UTF8.decode(bytes) }
  } catch {
    return { problem: 'not UTF-8 text' }
  }
}

export function parseDocuments(text: string, version: YamlVersion): Document.Parsed[] {
  return parseYamlDocuments(text, { version, maxNodes: MANIFEST_STRUCTURE.maxItems })
}

/**
 * Parses a manifest as Kubernetes does (YAML 1.1: `<<` merges apply). A file with a syntax error, or
 * more documents than any manifest has, is returned as a problem and never edited.
 */
export function parseYamlSource(file: string, text: string): YamlSource | { problem: string } {
  const excess = structureExcess(text, MANIFEST_STRUCTURE)
  if (excess) return { problem: describeExcess(excess, MANIFEST_STRUCTURE) }
  let documents: Document.Parsed[]
  try {
    documents = parseDocuments(text, '1.1')
  } catch (error) {
    return { problem: `not YAML: ${getErrorMessage(error)}` }
  }
  if (documents.length > MANIFEST_STRUCTURE.maxDocuments)
    return { problem: `holds ${documents.length} YAML documents` }
  const broken = documents.find(d => d.errors.length > 0)
  if (broken) return { problem: `not valid YAML: ${broken.errors[0]?.message.split('\n')[0]}` }
  const firstBreak = text.indexOf('\n')
  return { file, text, eol: firstBreak > 0 && text[firstBreak - 1] === '\r' ? '\r\n' : '\n', documents }
}

/** A key's text, when the key is a plain or quoted scalar. */
export function keyText(pair: Pair): string | undefined {
  return isScalar(pair.key) && pair.key.value !== null ? String(pair.key.value) : undefined
}

export function pairOf(map: YAMLMap, key: string): Pair | undefined {
  return map.items.find(pair => keyText(pair) === key) as Pair | undefined
}

/** The string a scalar holds, or undefined for anything else (a number stays as written: `1.10`). */
export function scalarString(node: unknown, text: string): string | undefined {
  if (!isScalar(node) || node.value === null || node.value === undefined) return undefined
  if (typeof node.value === 'string') return node.value
  if (!node.range) return String(node.value)
  return text.slice(node.range[0], node.range[1])
}

export function stringAt(map: YAMLMap, key: string, text: string): string | undefined {
  return scalarString(pairOf(map, key)?.value, text)
}

/** A YAML 1.1 merge (`<<: *anchor`): the library keys it with a symbol, never a string. */
const isMergePair = (pair: Pair): boolean => isScalar(pair.key) && typeof pair.key.value === 'symbol'

/** Merges nested deeper than this are not followed (an alias may even name its own ancestor). */
const MAX_MERGE_DEPTH = 10

/**
 * The pair `key` of a map as Kubernetes reads it (YAML 1.1): its own, else the one the first mapping
 * its `<<` merge keys bring holds, with the mappings passed on the way. A value found under an anchor
 * is shared by every map merging it, so the planner sees that anchor among a site's ancestors.
 */
export function effectivePair(
  map: YAMLMap,
  key: string,
  document: Document.Parsed,
  depth = 0
): { pair: Pair; through: Node[] } | undefined {
  const own = pairOf(map, key)
  if (own) return { pair: own, through: [] }
  if (depth >= MAX_MERGE_DEPTH) return undefined
  for (const merge of map.items.filter(pair => isMergePair(pair as Pair))) {
    const value = (merge as Pair).value
    // `<<: [*a, *b]`: an earlier mapping's keys win over a later one's.
    for (const source of isSeq(value) ? value.items : [value]) {
      const merged = isAlias(source) ? source.resolve(document) : source
      if (!isMap(merged)) continue
      const found = effectivePair(merged, key, document, depth + 1)
      if (found) return { pair: found.pair, through: [merged, ...found.through] }
    }
  }
  return undefined
}

/** `stringAt` through merge keys. */
export function effectiveString(
  map: YAMLMap,
  key: string,
  document: Document.Parsed,
  text: string
): string | undefined {
  return scalarString(effectivePair(map, key, document)?.pair.value, text)
}

/** A JS path into `toJS()` of a document: keys and sequence indices. */
export type ValuePath = readonly (string | number)[]

export interface MapVisit {
  map: YAMLMap
  path: ValuePath
  /** Nodes from the document root down to the map's parent. */
  ancestors: readonly Node[]
}

/** Every mapping under `root` (a document's contents), depth first, with its path; aliases are not followed. */
export function visitMaps(
  root: unknown,
  onMap: (visit: MapVisit) => void,
  base: MapVisit['path'] = [],
  above: readonly Node[] = []
): void {
  const walk = (node: unknown, path: ValuePath, ancestors: Node[]) => {
    if (isMap(node)) {
      onMap({ map: node, path, ancestors })
      for (const pair of node.items) {
        const key = keyText(pair as Pair)
        if (key !== undefined && isCollection((pair as Pair).value))
          walk((pair as Pair).value, [...path, key], [...ancestors, node])
      }
    } else if (isSeq(node)) {
      node.items.forEach((item, index) => {
        if (isCollection(item)) walk(item, [...path, index], [...ancestors, node])
      })
    }
  }
  walk(root, base, [...above])
}

/** The mapping at `keys` below `root` and the mappings passed on the way, if every step is a mapping. */
export function mapAt(
  root: unknown,
  keys: readonly string[]
): { map: YAMLMap; ancestors: Node[] } | undefined {
  let node: unknown = root
  const ancestors: Node[] = []
  for (const key of keys) {
    if (!isMap(node)) return undefined
    ancestors.push(node)
    node = pairOf(node, key)?.value
  }
  return isMap(node) ? { map: node, ancestors } : undefined
}

/** Anchors that some alias in the document refers to: a value under one of them appears more than once. */
export function aliasedAnchors(document: Document.Parsed): Set<string> {
  const used = new Set<string>()
  visit(document, {
    Alias(_key, node) {
      used.add(node.source)
    }
  })
  return used
}
