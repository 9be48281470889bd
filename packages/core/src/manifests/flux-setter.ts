import { isScalar, type Node } from 'yaml'
import { splitReference } from '../images/reference.js'
import { DIGEST_NOT_PINNED, fieldName, OLD_DIGEST_KEPT, type Site } from './site.js'
import { namesImage, referenceText, type BumpTarget } from './target.js'
import { keyText, type ValuePath, type YamlSource } from './yaml-source.js'
import { isCollection, isMap, isPair, isSeq } from 'yaml'

/** What a Flux setter marker asks for: the whole reference, or its name, tag or digest. */
export type SetterField = 'ref' | 'name' | 'tag' | 'digest'

export interface SetterMarker {
  /** `namespace:name` of the ImagePolicy. */
  policy: string
  field: SetterField
  document: number
  path: ValuePath
  ancestors: readonly Node[]
  node: unknown
  /** The value as it is now. */
  current: string
}

const POLICY = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?:[a-z0-9]([-.a-z0-9]*[a-z0-9])?$/

/**
 * The marker in a comment that follows a value on its own line: `# {"$imagepolicy": "ns:name[:field]"}`.
 * Only the text after the value's end is read, so a `#` inside a quoted value or a block scalar is
 * never taken for a marker.
 */
export function markerAfter(
  text: string,
  valueEnd: number
): { policy: string; field: SetterField } | undefined {
  const lineEnd = text.indexOf('\n', valueEnd)
  const rest = text.slice(valueEnd, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, '')
  const comment = /^[ \t]+#[ \t]*(\{.*\})[ \t]*$/.exec(rest)?.[1]
  if (!comment) return undefined
  let marker: unknown
  try {
    marker = JSON.parse(comment)
  } catch {
    return undefined
  }
  const value = (marker as Record<string, unknown> | null)?.['$imagepolicy']
  if (typeof value !== 'string') return undefined
  const parts = value.split(':')
  const field = parts.length === 3 ? parts[2] : 'ref'
  const policy = parts.slice(0, 2).join(':')
  if (!POLICY.test(policy) || !['ref', 'name', 'tag', 'digest'].includes(field ?? '')) return undefined
  return { policy, field: field as SetterField }
}

/** Every setter marker in the file, on scalar values of mappings and sequences. */
export function setterMarkers(source: YamlSource): SetterMarker[] {
  const markers: SetterMarker[] = []
  source.documents.forEach((document, index) => {
    const walk = (node: unknown, path: ValuePath, ancestors: Node[]) => {
      const children: [string | number, unknown][] = isMap(node)
        ? node.items.flatMap(pair => {
            const key = isPair(pair) ? keyText(pair) : undefined
            return key === undefined ? [] : [[key, pair.value] as [string, unknown]]
          })
        : isSeq(node)
          ? node.items.map((item, i) => [i, item] as [number, unknown])
          : []
      for (const [key, child] of children) {
        if (isCollection(child)) walk(child, [...path, key], [...ancestors, node as Node])
        else if (
          isScalar(child) &&
          child.range &&
          child.type !== 'BLOCK_LITERAL' &&
          child.type !== 'BLOCK_FOLDED'
        ) {
          const marker = markerAfter(source.text, child.range[1])
          if (marker)
            markers.push({
              ...marker,
              document: index,
              path: [...path, key],
              ancestors: [...ancestors, node as Node],
              node: child,
              current:
                typeof child.value === 'string'
                  ? child.value
                  : source.text.slice(child.range[0], child.range[1])
            })
        }
      }
    }
    walk(document.contents, [], [])
  })
  return markers
}

/** The policies whose markers hold the image now: a whole reference or a `:name` naming it. */
export function policiesNaming(target: BumpTarget, markers: readonly SetterMarker[]): Set<string> {
  return new Set(
    markers
      .filter(m => (m.field === 'ref' || m.field === 'name') && namesImage(target, m.current))
      .map(m => m.policy)
  )
}

/**
 * What each marker of a chosen policy gets, as Flux's image automation writes it: the whole reference
 * `image:tag[@digest]`, the name, the tag or the digest. A marker for a part the target lacks (a
 * `:digest` marker with no digest) is left alone.
 */
export function setterSites(
  target: BumpTarget,
  markers: readonly SetterMarker[],
  policies: ReadonlySet<string>
): Site[] {
  return markers.flatMap(marker => {
    if (!policies.has(marker.policy)) return []
    const value = setterValue(target, marker)
    if (value === undefined) return []
    const site: Site = {
      strategy: 'flux-setter' as const,
      field: `${fieldName(marker.path)} (${marker.policy}${marker.field === 'ref' ? '' : `:${marker.field}`})`,
      document: marker.document,
      ancestors: marker.ancestors,
      change: { kind: 'set' as const, node: marker.node },
      value
    }
    if (marker.field === 'ref' && target.digest === undefined && splitReference(marker.current).digest)
      return [{ ...site, refusal: OLD_DIGEST_KEPT }]
    if (marker.field === 'tag' && target.digest !== undefined && !digestMarked(markers, marker))
      return [{ ...site, note: DIGEST_NOT_PINNED }]
    return [site]
  })
}

/** Whether the document has a `:digest` marker of the tag marker's policy, for the digest to go. */
function digestMarked(markers: readonly SetterMarker[], tag: SetterMarker): boolean {
  return markers.some(m => m.field === 'digest' && m.policy === tag.policy && m.document === tag.document)
}

function setterValue(target: BumpTarget, marker: SetterMarker): string | undefined {
  switch (marker.field) {
    case 'name':
      return target.image
    case 'tag':
      return target.tag
    case 'digest':
      return target.digest
    case 'ref':
      return referenceText(target.image, target.tag ?? splitReference(marker.current).tag, target.digest)
  }
}
