import { isAlias, isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml'
import { splitReference } from '../images/reference.js'
import { isKustomization } from './kustomize.js'
import { fieldName, OLD_DIGEST_KEPT, type Site } from './site.js'
import { namesImage, referenceText, type BumpTarget } from './target.js'
import {
  effectivePair,
  pairOf,
  parseYamlSource,
  scalarString,
  stringAt,
  visitMaps,
  type ValuePath,
  type YamlSource
} from './yaml-source.js'

/** Where a pod template keeps its containers, in any workload kind or custom resource. */
const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers'])

/**
 * `image:` fields of containers, init containers and ephemeral containers, wherever a pod template
 * sits (Deployment, CronJob, a custom resource). The name is kept as written (`nginx` stays `nginx`);
 * the tag and digest become the target's. A digest-pinned image with only a new tag is refused.
 */
export function rawSites(source: YamlSource, target: BumpTarget): Site[] {
  const sites: Site[] = []
  source.documents.forEach((document, index) => {
    if (isKustomization(document, source.file, source.text)) {
      sites.push(...inlinePatchSites(document, index, source.text, target))
      return
    }
    visitMaps(document.contents, ({ map, path, ancestors }) => {
      for (const pair of map.items) {
        const list = pair.value
        const key = (pair.key as { value?: unknown } | null)?.value
        if (typeof key !== 'string' || !CONTAINER_LISTS.has(key) || !isSeq(list)) continue
        list.items.forEach((container, i) => {
          if (!isMap(container)) return
          // An image a merge key (`<<: *defaults`) brings is found too, so it is reported, not passed over.
          const found = effectivePair(container, 'image', document)
          const image = found?.pair
          // An alias is found through its anchor, so it can be reported, never rewritten.
          const value = isAlias(image?.value) ? image.value.resolve(document) : image?.value
          const written = scalarString(value, source.text)
          if (written === undefined || !namesImage(target, written)) return
          const old = splitReference(written)
          const site: Site = {
            strategy: 'raw',
            field: fieldName([...path, key, i, 'image']),
            document: index,
            ancestors: [...ancestors, map, list, container, ...found!.through],
            change: { kind: 'set', node: image?.value },
            value: referenceText(old.name, target.tag ?? old.tag, target.digest)
          }
          sites.push(
            old.digest !== undefined && target.digest === undefined
              ? { ...site, refusal: OLD_DIGEST_KEPT }
              : site
          )
        })
      }
    })
  })
  return sites
}

/** Said of an inline kustomize patch that sets the image: it is text in a block scalar, never edited. */
export const INLINE_PATCH =
  "is an inline kustomize patch that sets the image, which this action does not edit and which overrides the manifests it patches: set the version in it by hand, or in the kustomization's images:"

interface InlinePatch {
  field: ValuePath
  node: unknown
  ancestors: Node[]
}

/** The patches a kustomization holds as text: `patches[].patch`, `patchesJson6902[].patch`, `patchesStrategicMerge[]`. */
function inlinePatches(root: YAMLMap): InlinePatch[] {
  const found: InlinePatch[] = []
  for (const key of ['patches', 'patchesJson6902']) {
    const list = pairOf(root, key)?.value
    if (isSeq(list))
      list.items.forEach((entry, i) => {
        if (isMap(entry))
          found.push({
            field: [key, i, 'patch'],
            node: pairOf(entry, 'patch')?.value,
            ancestors: [root, list, entry]
          })
      })
  }
  const merges = pairOf(root, 'patchesStrategicMerge')?.value
  if (isSeq(merges))
    merges.items.forEach((node, i) =>
      found.push({ field: ['patchesStrategicMerge', i], node, ancestors: [root, merges] })
    )
  return found
}

/**
 * Inline patches that set the image. Kustomize applies them over the manifests, so the manifests' new
 * version would not be what runs: each is named, with the reason, never passed over unsaid.
 */
function inlinePatchSites(
  document: Document.Parsed,
  index: number,
  text: string,
  target: BumpTarget
): Site[] {
  const root = document.contents
  if (!isMap(root)) return []
  return inlinePatches(root).flatMap(patch => {
    const patchText = scalarString(patch.node, text)
    if (patchText === undefined || !patchSetsImage(patchText, target)) return []
    return [
      {
        strategy: 'raw',
        field: fieldName(patch.field),
        document: index,
        ancestors: patch.ancestors,
        change: { kind: 'set', node: patch.node },
        value: '',
        refusal: INLINE_PATCH
      }
    ]
  })
}

/** Whether a patch's text sets the image: a strategic merge's container, or a JSON 6902 operation. */
function patchSetsImage(text: string, target: BumpTarget): boolean {
  const patch = parseYamlSource('patch.yaml', text)
  if ('problem' in patch) return false
  if (rawSites(patch, target).length > 0) return true
  return patch.documents.some(
    d => isSeq(d.contents) && d.contents.items.some(op => isMap(op) && operationSetsImage(op, target, text))
  )
}

/** `{op: replace, path: …/image, value: <image>}`, or an added container `{value: {image: <image>}}`. */
function operationSetsImage(op: YAMLMap, target: BumpTarget, text: string): boolean {
  const value = pairOf(op, 'value')?.value
  const written = stringAt(op, 'path', text)?.endsWith('/image')
    ? scalarString(value, text)
    : isMap(value)
      ? stringAt(value, 'image', text)
      : undefined
  return written !== undefined && namesImage(target, written)
}
