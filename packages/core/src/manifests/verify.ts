import { isDeepStrictEqual } from 'node:util'
import { isMap, isPair, isScalar, isSeq, type Document } from 'yaml'
import { getErrorMessage } from '../runtime/errors.js'
import type { Expectation } from './site.js'
import { plainValue, type YamlVersion } from '../runtime/yaml-read.js'
import { parseDocuments, type ValuePath } from './yaml-source.js'

/** The key under which toJS() stores a pair whose key is this scalar. */
function jsKey(key: unknown): string | undefined {
  return isScalar(key) ? String(key.value ?? '') : undefined
}

/** The path, in toJS() terms, of the value or mapping that starts at `offset`. */
export function pathAtOffset(document: Document.Parsed, offset: number): ValuePath | undefined {
  const find = (node: unknown, path: ValuePath): ValuePath | undefined => {
    const range = (node as { range?: number[] } | null)?.range
    if (range && range[0] === offset) return path
    if (range && (offset < range[0]! || offset > range[2]!)) return undefined
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isPair(pair) ? jsKey(pair.key) : undefined
        const found = key === undefined ? undefined : find(pair.value, [...path, key])
        if (found) return found
      }
    } else if (isSeq(node)) {
      for (const [i, item] of node.items.entries()) {
        const found = find(item, [...path, i])
        if (found) return found
      }
    }
    return undefined
  }
  return find(document.contents, [])
}

function setIn(root: unknown, path: ValuePath, value: string): boolean {
  if (path.length === 0) return false
  let node = root as Record<string | number, unknown> | undefined
  for (const part of path.slice(0, -1)) {
    node = node?.[part] as Record<string | number, unknown> | undefined
    if (node === null || typeof node !== 'object') return false
  }
  if (!node) return false
  node[path.at(-1)!] = value
  return true
}

/** Aliases were bounded by what they expand to when the text was parsed (runtime/yaml-read). */
const toJs = (document: Document.Parsed): unknown => plainValue(document)

/** The check under one YAML version; undefined when it holds or the old text does not parse under it. */
function verifyUnder(
  version: YamlVersion,
  before: string | readonly Document.Parsed[],
  after: string,
  expected: readonly Expectation[]
): string | undefined {
  const old = typeof before === 'string' ? parseDocuments(before, version) : before
  if (old.some(d => d.errors.length > 0)) return undefined
  const now = parseDocuments(after, version)
  const broken = now.find(d => d.errors.length > 0)
  if (broken)
    return `the edited text is not valid YAML ${version}: ${broken.errors[0]?.message.split('\n')[0]}`
  if (now.length !== old.length) return `the edited text has ${now.length} documents instead of ${old.length}`
  for (const [index, document] of old.entries()) {
    let want: unknown
    let got: unknown
    try {
      want = toJs(document)
      got = toJs(now[index]!)
    } catch (error) {
      return `document ${index + 1} cannot be read back: ${getErrorMessage(error)}`
    }
    for (const e of expected.filter(x => x.document === index)) {
      const at = pathAtOffset(document, e.offset)
      const path = at && (e.key !== undefined ? [...at, e.key] : at)
      if (!path || !setIn(want, path, e.value))
        return `no value at offset ${e.offset} of document ${index + 1}`
    }
    if (!isDeepStrictEqual(want, got))
      return `document ${index + 1} reads back differently under YAML ${version} than the edit intended`
  }
  return undefined
}

/**
 * Re-parses the edited text under YAML 1.2 and 1.1 and checks that every expected value holds its new
 * value and every other value, in every document, is exactly what it was. Returns what is wrong.
 */
export function verifyEdit(
  before: string,
  after: string,
  expected: readonly Expectation[],
  /** The old text already parsed as YAML 1.1, to save parsing it again. */
  before11: readonly Document.Parsed[] = parseDocuments(before, '1.1')
): string | undefined {
  return verifyUnder('1.2', before, after, expected) ?? verifyUnder('1.1', before11, after, expected)
}
