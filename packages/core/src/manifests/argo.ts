import { isMap, isSeq, type Node, type YAMLMap } from 'yaml'
import { mapAt, pairOf, stringAt, type ValuePath } from './yaml-source.js'

/** A mapping inside a document, with its path and the collections above it. */
export interface PlacedMap {
  map: YAMLMap
  path: ValuePath
  ancestors: Node[]
}

export function placedAt(from: YAMLMap, keys: string[], base: ValuePath, above: Node[]): PlacedMap[] {
  const found = mapAt(from, keys)
  return found
    ? [{ map: found.map, path: [...base, ...keys], ancestors: [...above, ...found.ancestors] }]
    : []
}

export function isArgoApplication(root: YAMLMap, text: string): boolean {
  return (
    stringAt(root, 'kind', text) === 'Application' &&
    stringAt(root, 'apiVersion', text)?.startsWith('argoproj.io/') === true
  )
}

/** The `key` mappings (`helm`, `kustomize`) of an Argo CD Application: its one source's, and each of its sources'. */
export function argoSourceMaps(root: YAMLMap, key: string): PlacedMap[] {
  const spec = mapAt(root, ['spec'])?.map
  const sources = spec ? pairOf(spec, 'sources')?.value : undefined
  const many = isSeq(sources)
    ? sources.items.flatMap((source, i) =>
        isMap(source) ? placedAt(source, [key], ['spec', 'sources', i], [root, spec!, sources]) : []
      )
    : []
  return [...placedAt(root, ['spec', 'source', key], [], []), ...many]
}
