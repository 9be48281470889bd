import { isAlias, isMap, isSeq } from 'yaml'
import { splitReference } from '../images/reference.js'
import { isKustomization } from './kustomize.js'
import { fieldName, OLD_DIGEST_KEPT, type Site } from './site.js'
import { namesImage, referenceText, type BumpTarget } from './target.js'
import { effectivePair, scalarString, visitMaps, type YamlSource } from './yaml-source.js'

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
    if (isKustomization(document, source.file, source.text)) return
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
