import { isAlias, isCollection, isScalar, type Node, type YAMLMap } from 'yaml'
import { renderScalar } from './scalar.js'
import type { ValuePath, YamlSource } from './yaml-source.js'

export const STRATEGIES = ['kustomize', 'helm', 'raw', 'flux-setter'] as const
export type Strategy = (typeof STRATEGIES)[number]

/** Where a value lives, for people and for the checks that follow an edit. */
export interface SiteLocation {
  strategy: Strategy
  /** What the value is, e.g. `images[0].newTag`, `spec.values.redis.tag`, `setter ns:policy:tag`. */
  field: string
  document: number
  /** Collections from the document root down to the value's parent (anchors, flow style). */
  ancestors: readonly Node[]
}

/** A value one strategy wants to hold `value`: an existing scalar, or a key to add to a mapping. */
export interface Site extends SiteLocation {
  change: { kind: 'set'; node: unknown } | { kind: 'add'; map: YAMLMap; key: string; order: number }
  value: string
  /** Set when the strategy found the value but must not change it, saying why. */
  refusal?: string
  /** Said about the value when it is changed (e.g. that the digest has no place beside it). */
  note?: string
}

/** Why a value that names the image is left alone when only a tag is given. */
export const OLD_DIGEST_KEPT =
  'pins a digest and no new digest was given: a new tag under the old digest would still run the old image'

/** Said of a tag set where no digest field is beside it: the digest given is not pinned there. */
export const DIGEST_NOT_PINNED = 'has no digest key beside it, so the digest is not pinned there'

/** A splice of the text: `text` replaces [start, end). An insertion has start === end. */
export interface Edit {
  start: number
  end: number
  text: string
  /** Orders insertions at the same offset (e.g. newTag before digest), whatever order they came in. */
  order: number
}

/** What an applied edit must look like afterwards: the value at this offset of the old text. */
export interface Expectation {
  document: number
  /** Offset in the old text of the scalar set, or of the mapping a key is added to. */
  offset: number
  key?: string
  value: string
}

export type SiteOutcome =
  | { kind: 'edit'; edit: Edit; expectation: Expectation; from: string | undefined; line: number }
  | { kind: 'unchanged'; line: number; value: string }
  | { kind: 'refused'; line: number; reason: string }

const TEMPLATE = /\{\{|\$\{|\$\(/

export function lineOf(text: string, offset: number): number {
  let line = 1
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++
  return line
}

function anchoredUse(nodes: readonly unknown[], aliased: ReadonlySet<string>): string | undefined {
  for (const node of nodes) {
    const anchor = (node as { anchor?: string } | null)?.anchor
    if (anchor && aliased.has(anchor)) return anchor
  }
  return undefined
}

const inFlow = (ancestors: readonly Node[]) => ancestors.some(n => isCollection(n) && n.flow === true)

/**
 * Turns a site into a splice of the scalar's own characters, or says why it is not touched: an alias,
 * a block scalar, a value built by a template, a value spread over lines, or one under an anchor that
 * aliases repeat elsewhere (editing it would change those too).
 */
export function planSite(source: YamlSource, site: Site, aliased: ReadonlySet<string>): SiteOutcome {
  const node = site.change.kind === 'set' ? site.change.node : site.change.map
  const at = (node as { range?: [number, number, number] } | null)?.range?.[0] ?? 0
  const line = lineOf(source.text, at)
  const refuse = (reason: string): SiteOutcome => ({ kind: 'refused', line, reason })
  if (site.refusal) return refuse(site.refusal)
  if (site.change.kind === 'add') return planAdd(source, site, site.change, aliased)
  if (isAlias(node)) return refuse(`is an alias (*${node.source}); edit the value its anchor holds`)
  if (!isScalar(node) || !node.range) return refuse('is not a single value')
  if (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED') return refuse('is a block scalar')
  if (node.tag && !/^(?:!!str|tag:yaml\.org,2002:str)$/.test(node.tag))
    return refuse(`has the tag ${node.tag}`)
  const written = source.text.slice(node.range[0], node.range[1])
  if (/[\r\n]/.test(written)) return refuse('spans several lines')
  const current = node.value === null ? '' : typeof node.value === 'string' ? node.value : written
  if (TEMPLATE.test(current)) return refuse(`is built by a template (${current})`)
  const anchor = anchoredUse([node, ...site.ancestors], aliased)
  if (anchor) return refuse(`is under the anchor &${anchor}, which aliases repeat elsewhere`)
  // `tag: 1.10` is written as the target but read as the number 1.1 (Helm prints 1.1): not current.
  if (current === site.value && typeof node.value === 'string')
    return { kind: 'unchanged', line, value: current }
  return {
    kind: 'edit',
    line,
    from: node.value === null ? undefined : current,
    edit: {
      start: node.range[0],
      end: node.range[1],
      text: renderScalar(site.value, node.type, inFlow(site.ancestors)),
      order: 0
    },
    expectation: { document: site.document, offset: node.range[0], value: site.value }
  }
}

function planAdd(
  source: YamlSource,
  site: Site,
  change: { map: YAMLMap; key: string; order: number },
  aliased: ReadonlySet<string>
): SiteOutcome {
  const { map } = change
  const mapStart = map.range?.[0] ?? 0
  const line = lineOf(source.text, mapStart)
  const refuse = (reason: string): SiteOutcome => ({ kind: 'refused', line, reason })
  const anchor = anchoredUse([map, ...site.ancestors], aliased)
  if (anchor) return refuse(`is under the anchor &${anchor}, which aliases repeat elsewhere`)
  const last = map.items.at(-1)
  const firstKey = map.items[0]?.key as { range?: [number, number, number] } | undefined
  const lastValue = last?.value as { range?: [number, number, number] } | null | undefined
  const lastEnd = lastValue?.range?.[1] ?? (last?.key as { range?: number[] } | undefined)?.range?.[1]
  if (!last || !firstKey?.range || lastEnd === undefined)
    return refuse(`has no entry to add ${change.key} beside`)
  if (!map.items.every(pair => pair.value === null || isScalar(pair.value)))
    return refuse(`holds more than single values; add ${change.key} by hand`)
  const expectation = { document: site.document, offset: mapStart, key: change.key, value: site.value }
  const pair = `${change.key}: ${renderScalar(site.value, 'PLAIN', map.flow === true || inFlow(site.ancestors))}`
  if (map.flow) {
    return {
      kind: 'edit',
      line,
      from: undefined,
      edit: { start: lastEnd, end: lastEnd, text: `, ${pair}`, order: change.order },
      expectation
    }
  }
  const { text, eol } = source
  const lineStart = text.lastIndexOf('\n', firstKey.range[0] - 1) + 1
  const indent = ' '.repeat(firstKey.range[0] - lineStart)
  const newline = text.indexOf('\n', lastEnd)
  const edit =
    newline < 0
      ? { start: text.length, end: text.length, text: `${eol}${indent}${pair}`, order: change.order }
      : { start: newline + 1, end: newline + 1, text: `${indent}${pair}${eol}`, order: change.order }
  return { kind: 'edit', line: lineOf(text, lastEnd) + 1, from: undefined, edit, expectation }
}

/**
 * Applies splices that do not overlap. They are sorted first (by offset, then `order`), so the result
 * is the same whatever order they are given in.
 */
export function applyEdits(text: string, edits: readonly Edit[]): string {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end || a.order - b.order)
  let out = ''
  let cursor = 0
  for (const edit of sorted) {
    if (edit.start < cursor) throw new Error(`overlapping edits at offset ${edit.start}`)
    out += text.slice(cursor, edit.start) + edit.text
    cursor = edit.end
  }
  return out + text.slice(cursor)
}

/** `segments` as people write a YAML path: `spec.values.image.tag`, `images[0].newTag`. */
export function fieldName(path: ValuePath): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('')
}
