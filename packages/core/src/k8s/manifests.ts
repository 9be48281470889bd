import { isMap, isScalar, isSeq, LineCounter, type Document, type Node } from 'yaml'
import { getErrorMessage } from '../runtime/errors.js'
import { readScalarsAsKubernetes } from './go-yaml.js'
import { parseYamlDocuments, plainValue } from '../runtime/yaml-read.js'
import {
  describeExcess,
  structureExcess,
  type ItemBudget,
  type StructureLimits
} from '../runtime/yaml-structure.js'
import type { FieldLocation, ManifestObject, Position, ScanNote, ScanProblem, YamlPath } from './types.js'

/** Limits that keep a hostile or accidental input (alias bomb, generated dump) from exhausting the runner. */
export interface ManifestLimits extends StructureLimits {
  maxBytes: number
  maxDocuments: number
  /**
   * Nodes in one file: the ~1,060,000 of a 10 MiB manifest of dense, ordinary YAML fit (the size limit
   * admits it; its parse takes ~15 s and about 1 GB). Depth: no manifest comes near the parser's limit,
   * and brackets in strings are counted as written.
   */
  maxItems: number
  /**
   * Nodes parsed in one run over every file, kustomization and rendered output: a few big files add up
   * like one huge one.
   */
  maxRunItems: number
}

export const DEFAULT_MANIFEST_LIMITS: ManifestLimits = {
  maxBytes: 10 * 1024 * 1024,
  maxDocuments: 5000,
  maxItems: 1_500_000,
  maxDepth: 500,
  maxRunItems: 3_000_000
}

export interface LoadedManifests {
  objects: ManifestObject[]
  notes: ScanNote[]
  problems: ScanProblem[]
}

type PlainMap = Record<string, unknown>

/**
 * A manifest's bytes as text, as go-yaml (kubectl, kustomize) reads them: UTF-16 when a byte order
 * mark says so, else UTF-8. Read as UTF-8, a UTF-16 file is text without a Kubernetes object in it,
 * skipped with a note while kubectl applies it.
 */
export function decodeManifestBytes(bytes: Buffer): string {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return bytes.subarray(2).toString('utf16le')
  if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    const swapped = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)))
    return swapped.swap16().toString('utf16le')
  }
  return bytes.toString('utf8')
}

const isPlainMap = (value: unknown): value is PlainMap =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/**
 * Parses a multi-document YAML text into Kubernetes objects that remember where each field is.
 * Never throws for bad input: unparsable documents, alias bombs and oversized files become
 * `problems` (error level: the scan is incomplete), non-Kubernetes documents become `notes`.
 */
export function loadManifestText(
  text: string,
  file: string,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
  budget?: ItemBudget
): LoadedManifests {
  const result: LoadedManifests = { objects: [], notes: [], problems: [] }
  const bytes = Buffer.byteLength(text)
  if (bytes > limits.maxBytes) {
    result.problems.push({
      level: 'error',
      file,
      message: `${file} is ${formatMiB(bytes)}, over the ${formatMiB(limits.maxBytes)} limit for one manifest; exclude it (e.g. '!${file}') or split it.`
    })
    return result
  }
  const oversized = structureProblem(text, file, limits, budget)
  if (oversized) {
    result.problems.push({ level: 'error', file, message: oversized })
    return result
  }
  const lineCounter = new LineCounter()
  let documents: Document.Parsed[]
  try {
    // YAML 1.1 like the API machinery (sigs.k8s.io/yaml on go-yaml v2): `privileged: yes` is true and
    // `<<` merge keys apply. Read as YAML 1.2, both would hide a violation the cluster would see.
    documents = parseYamlDocuments(text, { lineCounter, version: '1.1', maxNodes: limits.maxItems })
  } catch (error) {
    result.problems.push({
      level: 'error',
      file,
      message: `${file}: YAML could not be parsed: ${getErrorMessage(error)}`
    })
    return result
  }
  if (documents.length > limits.maxDocuments) {
    result.problems.push({
      level: 'error',
      file,
      message: `${file} holds ${documents.length} YAML documents, over the limit of ${limits.maxDocuments}; split it.`
    })
    return result
  }
  documents.forEach((document, index) => loadDocument(document, index, file, lineCounter, limits, result))
  return result
}

/** Why a text is too big a structure to hand to the parser; what it costs is taken from the run's budget. */
function structureProblem(
  text: string,
  file: string,
  limits: ManifestLimits,
  budget: ItemBudget | undefined
): string | undefined {
  const excess = structureExcess(text, limits, budget)
  if (!excess) return undefined
  const why = `${file} was not parsed: it ${describeExcess(excess, limits, budget)}`
  switch (excess.over) {
    case 'depth':
      return `${why}; no manifest does.`
    case 'budget':
      return `${why} (minutes and gigabytes); check fewer files in one run.`
    default:
      return `${why} (parsing it would take minutes and gigabytes); split it, or exclude it (e.g. '!${file}').`
  }
}

function loadDocument(
  document: Document.Parsed,
  index: number,
  file: string,
  lineCounter: LineCounter,
  limits: ManifestLimits,
  out: LoadedManifests
): void {
  const where = `${file} (document ${index + 1})`
  if (document.errors.length > 0) {
    const first = document.errors[0]
    const line = first?.linePos?.[0]?.line
    out.problems.push({
      level: 'error',
      file,
      message: `${where}: invalid YAML${line ? ` at line ${line}` : ''}: ${firstLine(first?.message ?? 'parse error')}`
    })
    return
  }
  const refused = readScalarsAsKubernetes(document, lineCounter)
  if (refused) {
    out.problems.push({ level: 'error', file, message: `${where}: ${refused}` })
    return
  }
  let value: unknown
  try {
    value = plainValue(document)
  } catch (error) {
    out.problems.push({ level: 'error', file, message: `${where}: ${firstLine(getErrorMessage(error))}` })
    return
  }
  if (value === null || value === undefined) return
  const locate = (path: YamlPath): FieldLocation => ({
    file,
    ...locateInDocument(document, lineCounter, path)
  })
  collectObjects(value, [], where, { file, documentIndex: index, locate }, out)
}

interface DocumentContext {
  file: string
  documentIndex: number
  locate: (path: YamlPath) => FieldLocation
}

function collectObjects(
  value: unknown,
  basePath: YamlPath,
  where: string,
  ctx: DocumentContext,
  out: LoadedManifests
) {
  if (!isPlainMap(value) || typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    out.notes.push({
      file: ctx.file,
      message: `${where}: not a Kubernetes object (no apiVersion/kind), skipped`
    })
    return
  }
  // kubectl reads any object with an `items` list as a list (apimachinery's unstructured decoder, then
  // the builder's Flatten), whatever its kind: `kind: List`, typed lists (`PodList`, what `kubectl get
  // -o yaml` writes), and a `kind: Anything` too. An item with neither kind nor apiVersion takes the
  // list's apiVersion and its kind without `List`, as that decoder sets them: a PodList's bare items are Pods.
  if (Array.isArray(value.items)) {
    const { apiVersion, kind } = value
    value.items.forEach((item, i) =>
      collectObjects(
        inheritKind(item, apiVersion, kind.replace(/List$/, '')),
        [...basePath, 'items', i],
        `${where} item ${i + 1}`,
        ctx,
        out
      )
    )
    return
  }
  const metadata = isPlainMap(value.metadata) ? value.metadata : {}
  out.objects.push({
    file: ctx.file,
    documentIndex: ctx.documentIndex,
    apiVersion: value.apiVersion,
    kind: value.kind,
    name: typeof metadata.name === 'string' ? metadata.name : undefined,
    namespace: typeof metadata.namespace === 'string' ? metadata.namespace : undefined,
    basePath,
    object: value,
    locate: path => {
      const found = ctx.locate([...basePath, ...path])
      return { ...found, depth: Math.max(0, found.depth - basePath.length) }
    }
  })
}

const nonEmptyString = (value: unknown) => typeof value === 'string' && value !== ''

/** A list item as the unstructured decoder leaves it: given the list's apiVersion and kind when it has neither. */
function inheritKind(item: unknown, apiVersion: string, kind: string): unknown {
  if (!isPlainMap(item) || nonEmptyString(item.kind) || nonEmptyString(item.apiVersion)) return item
  return { ...item, apiVersion, kind }
}

/**
 * Walks the YAML node tree along `path` and returns the position of the deepest node found: the key of a
 * map entry (so `privileged: true` points at its own line) or the first line of a sequence item. A path
 * that leaves the tree (a missing field) stops at its nearest existing ancestor; aliases are not followed.
 */
export function locateInDocument(
  document: Document,
  lineCounter: LineCounter,
  path: YamlPath
): Position & { depth: number } {
  let node: unknown = document.contents
  let offset = nodeStart(node) ?? 0
  let depth = 0
  for (const segment of path) {
    if (isMap(node)) {
      const pair = node.items.find(item => isScalar(item.key) && String(item.key.value) === String(segment))
      if (!pair) break
      offset = nodeStart(pair.key) ?? offset
      node = pair.value
      depth++
    } else if (isSeq(node) && typeof segment === 'number') {
      const item = node.items[segment]
      if (item === undefined) break
      offset = nodeStart(item) ?? offset
      node = item
      depth++
    } else {
      break
    }
  }
  const { line, col } = lineCounter.linePos(offset)
  return { line, column: col, depth }
}

function nodeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range
  return Array.isArray(range) ? range[0] : undefined
}

function firstLine(message: string): string {
  return message.split('\n', 1)[0]?.trim() ?? message
}

export function formatMiB(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`
}
