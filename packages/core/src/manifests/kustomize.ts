import * as path from 'node:path'
import { isMap, isSeq, type Document, type Node, type YAMLMap } from 'yaml'
import { splitReference } from '../images/reference.js'
import { argoSourceMaps, isArgoApplication } from './argo.js'
import { fieldName, OLD_DIGEST_KEPT, type Site } from './site.js'
import { namesImage, referenceText, type BumpTarget } from './target.js'
import { pairOf, scalarString, stringAt, type YamlSource } from './yaml-source.js'

const KUSTOMIZATION_FILES = new Set(['kustomization.yaml', 'kustomization.yml', 'Kustomization'])

/**
 * A kustomize Kustomization or Component: by its apiVersion, or by its file name when it declares none.
 * Flux's `Kustomization` (kustomize.toolkit.fluxcd.io) is a cluster object, not one of these.
 */
export function isKustomization(document: Document.Parsed, file: string, text: string): boolean {
  const root = document.contents
  if (!isMap(root)) return false
  const apiVersion = stringAt(root, 'apiVersion', text)
  if (apiVersion !== undefined) return apiVersion.startsWith('kustomize.config.k8s.io/')
  return KUSTOMIZATION_FILES.has(path.posix.basename(file))
}

/** The `images:` entries of a kustomization that name the target after renaming (`newName`, else `name`). */
function matchingEntries(
  root: YAMLMap,
  target: BumpTarget,
  text: string
): { entry: YAMLMap; index: number }[] {
  const images = pairOf(root, 'images')?.value
  if (!isSeq(images)) return []
  return images.items.flatMap((entry, index) => {
    if (!isMap(entry)) return []
    const effective = stringAt(entry, 'newName', text) ?? stringAt(entry, 'name', text)
    return effective !== undefined && namesImage(target, effective) ? [{ entry, index }] : []
  })
}

/**
 * kustomize `images:` entries: the tag goes to `newTag` and the digest to `digest`, each set where the
 * entry has it and added beside the other fields where it has not. `newName` and `name` are never
 * changed, and no field is dropped. An entry that pins a digest while only a tag is given is refused
 * by the planner (a new tag under an old digest would keep the old image).
 */
export function kustomizeSites(source: YamlSource, target: BumpTarget): Site[] {
  return [...kustomizationSites(source, target), ...argoImageSites(source, target)]
}

function kustomizationSites(source: YamlSource, target: BumpTarget): Site[] {
  return source.documents.flatMap((document, index) => {
    const root = document.contents
    if (!isMap(root) || !isKustomization(document, source.file, source.text)) return []
    const images = pairOf(root, 'images')?.value as Node
    return matchingEntries(root, target, source.text).flatMap(({ entry, index: i }) => {
      const ancestors = [root, images]
      const sites: Site[] = []
      const location = (field: string) => ({
        strategy: 'kustomize' as const,
        field: `images[${i}].${field}`,
        document: index,
        ancestors: [...ancestors, entry]
      })
      const add = (key: string, value: string, order: number): Site => ({
        ...location(key),
        ancestors,
        change: { kind: 'add', map: entry, key, order },
        value
      })
      const set = (key: string, value: string): Site => ({
        ...location(key),
        change: { kind: 'set', node: pairOf(entry, key)?.value },
        value
      })
      const tagged = stringAt(entry, 'newTag', source.text)
      const pinned = pairOf(entry, 'digest') !== undefined
      // Some write `newTag: 1.2@sha256:…`; a digest then goes where the user keeps it.
      const tagHoldsDigest = tagged?.includes('@') === true && !pinned
      if (tagHoldsDigest) {
        const oldTag = tagged.slice(0, tagged.indexOf('@'))
        const site = set('newTag', `${target.tag ?? oldTag}@${target.digest}`)
        return [target.digest === undefined ? { ...site, refusal: OLD_DIGEST_KEPT } : site]
      }
      // A new tag under the old digest would still run the old image: the entry is left whole.
      if (pinned && target.digest === undefined) return [{ ...set('digest', ''), refusal: OLD_DIGEST_KEPT }]
      if (target.tag !== undefined)
        sites.push(pairOf(entry, 'newTag') ? set('newTag', target.tag) : add('newTag', target.tag, 0))
      if (target.digest !== undefined)
        sites.push(pinned ? set('digest', target.digest) : add('digest', target.digest, 1))
      return sites
    })
  })
}

/**
 * An Argo CD Application's `kustomize.images`: strings `[name=]newName[:tag][@digest]` that Argo CD
 * hands to `kustomize edit set image`, so they override the manifests as a kustomization's do. The
 * image deployed is the one after `=`; the part before it is kept as written.
 */
function argoImageSites(source: YamlSource, target: BumpTarget): Site[] {
  return source.documents.flatMap((document, index) => {
    const root = document.contents
    if (!isMap(root) || !isArgoApplication(root, source.text)) return []
    return argoSourceMaps(root, 'kustomize').flatMap(kustomize => {
      const images = pairOf(kustomize.map, 'images')?.value
      if (!isSeq(images)) return []
      return images.items.flatMap((node, i): Site[] => {
        const written = scalarString(node, source.text)
        if (written === undefined) return []
        const rename = written.indexOf('=') + 1
        const old = splitReference(written.slice(rename))
        if (!namesImage(target, old.name)) return []
        const site: Site = {
          strategy: 'kustomize',
          field: fieldName([...kustomize.path, 'images', i]),
          document: index,
          ancestors: [...kustomize.ancestors, kustomize.map, images],
          change: { kind: 'set', node },
          value: written.slice(0, rename) + referenceText(old.name, target.tag ?? old.tag, target.digest)
        }
        return [
          old.digest !== undefined && target.digest === undefined
            ? { ...site, refusal: OLD_DIGEST_KEPT }
            : site
        ]
      })
    })
  })
}
