import { isMap, isScalar, isSeq, type Document, type Node, type YAMLMap } from 'yaml'
import { splitReference } from '../images/reference.js'
import { ConfigurationError } from '../runtime/errors.js'
import { argoSourceMaps, isArgoApplication, placedAt, type PlacedMap } from './argo.js'
import { isKustomization } from './kustomize.js'
import { DIGEST_NOT_PINNED, fieldName, OLD_DIGEST_KEPT, type Site, type SiteLocation } from './site.js'
import { isTag, namesImage, referenceText, repositoryNamesImage, type BumpTarget } from './target.js'
import {
  effectivePair,
  effectiveString,
  pairOf,
  scalarString,
  parseYamlSource,
  stringAt,
  visitMaps,
  type ValuePath,
  type YamlSource
} from './yaml-source.js'

/** A values key as a path: `image.tag`, `global.images[0].tag`, `a\.b.c` for a key with a dot. */
export type HelmKey = readonly (string | number)[]

export function parseHelmKey(raw: string, inputName: string): HelmKey {
  const bad = () =>
    new ConfigurationError(
      `Input '${inputName}' ('${raw}') is not a values key like image.tag (\\. for a dot inside a key, [n] for a list item).`
    )
  if (/\s/.test(raw)) throw bad()
  const segments: (string | number)[] = []
  for (const part of raw.split(/(?<!\\)\./)) {
    const match = /^((?:[^[\]]|\\\.)*)((?:\[\d{1,6}\])*)$/.exec(part)
    if (!match) throw bad()
    const [, name, indices] = match
    if (name) segments.push(name.replace(/\\\./g, '.'))
    else if (!indices || segments.length === 0) throw bad()
    for (const index of indices!.matchAll(/\[(\d+)\]/g)) segments.push(Number(index[1]))
  }
  return segments
}

/**
 * Where Helm values live in a document: a Flux HelmRelease's spec.values, an Argo CD Application's
 * helm.valuesObject, a kustomization's helmCharts[].valuesInline, or the whole document of a values
 * file (one without apiVersion and kind). Other Kubernetes objects hold no values.
 */
function valuesRoots(document: Document.Parsed, file: string, text: string): PlacedMap[] {
  const root = document.contents
  if (!isMap(root)) return []
  if (isKustomization(document, file, text)) {
    const charts = pairOf(root, 'helmCharts')?.value
    if (!isSeq(charts)) return []
    return charts.items.flatMap((chart, i) =>
      isMap(chart) ? placedAt(chart, ['valuesInline'], ['helmCharts', i], [root, charts]) : []
    )
  }
  const kind = stringAt(root, 'kind', text)
  const apiVersion = stringAt(root, 'apiVersion', text)
  if (kind === 'HelmRelease') return placedAt(root, ['spec', 'values'], [], [])
  if (isArgoApplication(root, text))
    return argoSourceMaps(root, 'helm').flatMap(helm =>
      placedAt(helm.map, ['valuesObject'], helm.path, helm.ancestors)
    )
  if (kind !== undefined && apiVersion !== undefined) return []
  return [{ map: root, path: [], ancestors: [] }]
}

/** Where a value sits: its document, the path of the mapping holding it, the collections above. */
interface Holder {
  document: number
  /** The parsed document, to follow merge keys (`<<: *defaults`) through. */
  parsed: Document.Parsed
  map: YAMLMap
  path: ValuePath
  ancestors: readonly Node[]
}

function site(holder: Holder, key: string, node: unknown, value: string, through: Node[] = []): Site {
  return {
    strategy: 'helm',
    field: fieldName([...holder.path, key]),
    document: holder.document,
    // A value a merge key brings sits in the merged mapping: its anchor, shared, stops the edit.
    ancestors: [...holder.ancestors, holder.map, ...through],
    change: { kind: 'set', node },
    value
  }
}

/**
 * The tag (and digest) of one image in values: `tag` gets the tag; a `digest` beside it gets the digest;
 * a tag written `1.2@sha256:…` keeps that form. Without a digest key the digest is not pinned (a
 * chart that prints the tag into a label would break on `@`), and the site says so.
 */
function tagSites(target: BumpTarget, holder: Holder, tagKey: string, text: string): Site[] {
  const tagFound = effectivePair(holder.map, tagKey, holder.parsed)
  const tagNode = tagFound?.pair.value
  const tagAt = (value: string) => site(holder, tagKey, tagNode, value, tagFound?.through)
  const digestFound = effectivePair(holder.map, 'digest', holder.parsed)
  const digestPair = digestFound?.pair
  const digestAt = (value: string) => site(holder, 'digest', digestPair?.value, value, digestFound?.through)
  const written = scalarString(tagNode, text)
  if (written?.includes('@') && !digestPair) {
    const oldTag = written.slice(0, written.indexOf('@'))
    const combined = tagAt(`${target.tag ?? oldTag}@${target.digest}`)
    return [target.digest === undefined ? { ...combined, refusal: OLD_DIGEST_KEPT } : combined]
  }
  if (digestPair && target.digest === undefined && scalarString(digestPair.value, text))
    return [{ ...digestAt(''), refusal: OLD_DIGEST_KEPT }]
  const sites: Site[] = []
  if (target.tag !== undefined) {
    if (tagNode === undefined)
      return [{ ...site(holder, tagKey, holder.map, target.tag), refusal: `has no ${tagKey} key` }]
    const tagSite = tagAt(target.tag)
    sites.push(target.digest !== undefined && !digestPair ? { ...tagSite, note: DIGEST_NOT_PINNED } : tagSite)
  }
  if (digestPair && target.digest !== undefined) sites.push(digestAt(target.digest))
  else if (!digestPair && target.tag === undefined)
    sites.push({ ...site(holder, 'digest', holder.map, target.digest ?? ''), refusal: 'has no digest key' })
  return sites
}

/** The value at an explicit values key (the `helm-key` input), in every values root of the file. */
function keySites(source: YamlSource, target: BumpTarget, key: HelmKey): Site[] {
  const last = key.at(-1)
  return source.documents.flatMap((document, index) =>
    valuesRoots(document, source.file, source.text).flatMap(root => {
      let parent: unknown = root.map
      const ancestors: Node[] = [...root.ancestors]
      for (const segment of key.slice(0, -1)) {
        ancestors.push(parent as Node)
        parent =
          typeof segment === 'number'
            ? isSeq(parent)
              ? parent.items[segment]
              : undefined
            : isMap(parent)
              ? pairOf(parent, segment)?.value
              : undefined
      }
      if (!isMap(parent) || typeof last !== 'string') return []
      const node = pairOf(parent, last)?.value
      if (!isScalar(node)) return []
      const holder: Holder = {
        document: index,
        parsed: document,
        map: parent,
        path: [...root.path, ...key.slice(0, -1)],
        ancestors
      }
      const written = scalarString(node, source.text) ?? ''
      // `nginx:1.25` is no tag (a tag has no ':'), so it is a reference; a bare `nginx` could be either.
      if ((written.includes('/') || !isTag(written)) && namesImage(target, written)) {
        const old = splitReference(written)
        const whole = site(holder, last, node, referenceText(old.name, target.tag ?? old.tag, target.digest))
        return [
          old.digest !== undefined && target.digest === undefined
            ? { ...whole, refusal: OLD_DIGEST_KEPT }
            : whole
        ]
      }
      const repository = effectiveString(parent, 'repository', document, source.text)
      if (
        repository !== undefined &&
        !repositoryNamesImage(target, repository, effectiveString(parent, 'registry', document, source.text))
      )
        return [
          {
            ...site(holder, last, node, target.tag ?? ''),
            refusal: `sits beside repository ${repository}, another image`
          }
        ]
      return tagSites(target, holder, last, source.text)
    })
  )
}

/** Every `repository:` in values that names the image, with its `tag` and `digest` siblings. */
function repositorySites(source: YamlSource, target: BumpTarget): Site[] {
  return source.documents.flatMap((document, index) =>
    valuesRoots(document, source.file, source.text).flatMap(root => {
      const sites: Site[] = []
      visitMaps(
        root.map,
        ({ map, path, ancestors }) => {
          // Keys a merge (`<<: *defaults`) brings count as Kubernetes and Helm read them.
          const has = (key: string) => effectivePair(map, key, document) !== undefined
          const repository = effectiveString(map, 'repository', document, source.text)
          if (repository === undefined || (!has('tag') && !has('digest'))) return
          const registry = effectiveString(map, 'registry', document, source.text)
          if (!repositoryNamesImage(target, repository, registry)) return
          const holder = { document: index, parsed: document, map, path, ancestors }
          sites.push(...tagSites(target, holder, 'tag', source.text))
        },
        root.path,
        root.ancestors
      )
      return sites
    })
  )
}

/** Said of Argo CD's `helm.values`: values written as one string, which an edit in place cannot reach. */
export const VALUES_AS_TEXT =
  'holds Helm values that name the image as text, which this action does not edit: move them to helm.valuesObject, or set the version there by hand'

/**
 * An Argo CD Application's `helm.values` (values as a YAML string) whose values this action would set:
 * left alone with the reason, so that the image it names is not passed over unsaid.
 */
function textValuesSites(source: YamlSource, target: BumpTarget, key: HelmKey | undefined): Site[] {
  return source.documents.flatMap((document, index) => {
    const root = document.contents
    if (!isMap(root) || !isArgoApplication(root, source.text)) return []
    return argoSourceMaps(root, 'helm').flatMap(helm => {
      const node = pairOf(helm.map, 'values')?.value
      const text = isScalar(node) && typeof node.value === 'string' ? node.value : undefined
      const values = text === undefined ? undefined : parseYamlSource('values.yaml', text)
      if (!values || 'problem' in values || helmSites(values, target, key).length === 0) return []
      const holder = { document: index, parsed: document, ...helm }
      return [{ ...site(holder, 'values', node, ''), refusal: VALUES_AS_TEXT }]
    })
  })
}

/** Helm values: the `helm-key` when given, else every repository/tag(/digest) group naming the image. */
export function helmSites(source: YamlSource, target: BumpTarget, key: HelmKey | undefined): Site[] {
  const sites = key ? keySites(source, target, key) : repositorySites(source, target)
  return [...sites, ...parameterSites(source, target, sites), ...textValuesSites(source, target, key)]
}

/** An Argo CD `helm.parameters` entry (`{name: image.tag, value: "1.2"}`), with where it sits. */
interface Parameter {
  name: string
  map: YAMLMap
  field: string
  ancestors: Node[]
}

function argoParameters(helm: PlacedMap, text: string): Map<string, Parameter> {
  const list = pairOf(helm.map, 'parameters')?.value
  const found = new Map<string, Parameter>()
  if (!isSeq(list)) return found
  list.items.forEach((map, i) => {
    const name = isMap(map) ? stringAt(map, 'name', text) : undefined
    if (name === undefined || !isMap(map)) return
    const field = fieldName([...helm.path, 'parameters', i, 'value'])
    found.set(name, { name, map, field, ancestors: [...helm.ancestors, helm.map, list, map] })
  })
  return found
}

function parameterSite(
  parameter: Parameter,
  document: number,
  like: Omit<Site, keyof SiteLocation | 'change'>
): Site {
  return {
    ...like,
    strategy: 'helm',
    field: parameter.field,
    document,
    ancestors: parameter.ancestors,
    change: { kind: 'set', node: pairOf(parameter.map, 'value')?.value }
  }
}

/**
 * Argo CD's `helm.parameters` override `valuesObject` and the chart's values: a parameter of a key set
 * in `valuesObject` gets the same value (else the old one is still deployed), and a `<prefix>.repository`
 * parameter naming the image has its `<prefix>.tag` and `<prefix>.digest` parameters set.
 */
function parameterSites(source: YamlSource, target: BumpTarget, values: readonly Site[]): Site[] {
  return source.documents.flatMap((document, index) => {
    const root = document.contents
    if (!isMap(root) || !isArgoApplication(root, source.text)) return []
    return argoSourceMaps(root, 'helm').flatMap(helm => {
      const parameters = argoParameters(helm, source.text)
      const prefix = `${fieldName([...helm.path, 'valuesObject'])}.`
      const sites: Site[] = []
      for (const site of values) {
        const parameter = parameters.get(site.field.slice(prefix.length))
        if (site.document === index && site.field.startsWith(prefix) && parameter)
          sites.push(parameterSite(parameter, index, site))
      }
      const taken = new Set(sites.map(site => site.field))
      for (const repository of parameters.values()) {
        const at = /^(.*?)\.?repository$/.exec(repository.name)?.[1]
        if (at === undefined) continue
        const sibling = (key: string) => parameters.get(at === '' ? key : `${at}.${key}`)
        const registry = sibling('registry')
        const named = stringAt(repository.map, 'value', source.text)
        if (
          named === undefined ||
          !repositoryNamesImage(target, named, registry && stringAt(registry.map, 'value', source.text))
        )
          continue
        for (const site of repositoryParameterSites(target, sibling('tag'), sibling('digest'), source.text))
          if (!taken.has(site.parameter.field)) sites.push(parameterSite(site.parameter, index, site))
      }
      return sites
    })
  })
}

/** The tag and digest parameters beside a repository parameter naming the image, as tagSites sets values. */
function repositoryParameterSites(
  target: BumpTarget,
  tag: Parameter | undefined,
  digest: Parameter | undefined,
  text: string
): { parameter: Parameter; value: string; refusal?: string; note?: string }[] {
  if (digest && target.digest === undefined && stringAt(digest.map, 'value', text))
    return [{ parameter: digest, value: '', refusal: OLD_DIGEST_KEPT }]
  const sites: { parameter: Parameter; value: string; refusal?: string; note?: string }[] = []
  if (tag && target.tag !== undefined)
    sites.push({
      parameter: tag,
      value: target.tag,
      ...(target.digest && !digest ? { note: DIGEST_NOT_PINNED } : {})
    })
  if (digest && target.digest !== undefined) sites.push({ parameter: digest, value: target.digest })
  return sites
}
