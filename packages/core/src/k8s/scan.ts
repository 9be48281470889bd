import { readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import * as path from 'node:path'
import { getErrorMessage } from '../runtime/errors.js'
import { eventLoopTurns } from '../runtime/pool.js'
import { discoverManifests, type Discovery, type DiscoveryInputNames } from './discover.js'
import {
  DEFAULT_MANIFEST_LIMITS,
  decodeManifestBytes,
  formatMiB,
  loadManifestText,
  type LoadedManifests,
  type ManifestLimits
} from './manifests.js'
import { itemBudget, type ItemBudget } from '../runtime/yaml-structure.js'
import type { RenderTarget } from './kustomize-plan.js'
import type { RenderResult } from './render-kustomize.js'
import type { ManifestObject, ScanNote, ScanProblem, UncheckedFile } from './types.js'

export interface CollectRequest {
  /** Workspace root; every reported path is relative to it. */
  root: string
  paths: readonly string[]
  kustomize: boolean
  allowRemoteResources: boolean
  inputNames: DiscoveryInputNames
  /** The kustomize binary; asked for only when there is a kustomization to render. */
  kustomizeBinary: () => Promise<string>
  limits?: ManifestLimits
}

export interface CollectedManifests {
  objects: ManifestObject[]
  notes: ScanNote[]
  problems: ScanProblem[]
  unchecked: UncheckedFile[]
  files: string[]
  kustomizations: string[]
}

/** Reads one file within the size limit; a file over it is reported without being read. */
export function loadManifestFile(
  root: string,
  file: string,
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS,
  budget?: ItemBudget
): LoadedManifests {
  const failed = (message: string): LoadedManifests => ({
    objects: [],
    notes: [],
    problems: [{ level: 'error', file, message }]
  })
  try {
    const size = statSync(path.join(root, file)).size
    if (size > limits.maxBytes) {
      return failed(
        `${file} is ${formatMiB(size)}, over the ${formatMiB(limits.maxBytes)} limit for one manifest; exclude it (e.g. '!${file}') or split it.`
      )
    }
    return loadManifestText(decodeManifestBytes(readFileSync(path.join(root, file))), file, limits, budget)
  } catch (error) {
    return failed(`${file} could not be read: ${getErrorMessage(error)}`)
  }
}

/**
 * A JSON file read as manifests when it holds a Kubernetes object, else undefined (package.json,
 * tsconfig.json), as kubectl reads it: text that starts with `{` as JSON, anything else as YAML. One
 * over the size limit is not read and is listed as not checked.
 */
function loadJsonManifest(
  root: string,
  file: string,
  limits: ManifestLimits,
  budget: ItemBudget
): LoadedManifests | { unchecked: string } | undefined {
  let text: string
  try {
    const size = statSync(path.join(root, file)).size
    // Not read, but not dropped either: padded past the limit, a manifest kubectl applies would pass unseen.
    if (size > limits.maxBytes)
      return {
        unchecked: `JSON file of ${formatMiB(size)}, over the ${formatMiB(limits.maxBytes)} limit for one manifest: not read, so a Kubernetes object in it is not checked`
      }
    text = decodeManifestBytes(readFileSync(path.join(root, file)))
  } catch {
    return undefined
  }
  if (/^\s*\{/.test(text)) {
    let value: unknown
    try {
      value = JSON.parse(text)
    } catch {
      return notOneJsonDocument(text, file, limits, budget)
    }
    if (!isKubernetesObject(value)) return undefined
    // Read as YAML for the lines; what JSON allows and YAML does not (a repeated key) stays an error.
    return loadManifestText(text, file, limits, budget)
  }
  const loaded = loadManifestText(text, file, limits, budget)
  return loaded.objects.length > 0 || loaded.problems.length > 0 ? loaded : undefined
}

const isKubernetesObject = (value: unknown) => {
  const object = value as { apiVersion?: unknown; kind?: unknown } | null
  return typeof object?.apiVersion === 'string' && typeof object.kind === 'string'
}

/**
 * A `{` text that is not one JSON document, read as kubectl's decoder (apimachinery's
 * YAMLOrJSONDecoder) reads it: JSON documents one after another, and YAML from where JSON fails after
 * the first (`{apiVersion: v1, kind: Pod}` is YAML). Read as YAML when that yields objects; one that
 * starts with a JSON Kubernetes object and goes on is a problem, as k8s-policy reads one JSON document
 * per file; anything else (a tsconfig.json with comments) kubectl refuses too.
 */
function notOneJsonDocument(
  text: string,
  file: string,
  limits: ManifestLimits,
  budget: ItemBudget
): LoadedManifests | undefined {
  const loaded = loadManifestText(text, file, limits, budget)
  if (loaded.objects.length > 0) return loaded
  const first = firstJsonValue(text)
  if (first === undefined || !isKubernetesObject(first)) return undefined
  return {
    objects: [],
    notes: [],
    problems: [
      {
        level: 'error',
        file,
        message: `${file} holds a JSON Kubernetes object followed by more text, which kubectl reads as further documents and applies; k8s-policy reads one JSON document per file. Put each object in a file of its own, or write them as YAML documents separated by ---.`
      }
    ]
  }
}

/** The first JSON value of `text` (one that starts with `{`), parsed, or undefined. */
function firstJsonValue(text: string): unknown {
  const start = text.indexOf('{')
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === '\\') i++
      else if (c === '"') inString = false
    } else if (c === '"') inString = true
    else if (c === '{' || c === '[') depth++
    else if ((c === '}' || c === ']') && --depth === 0) {
      try {
        return JSON.parse(text.slice(start, i + 1)) as unknown
      } catch {
        return undefined
      }
    }
  }
  return undefined
}

/** What discovery found, with the run's limits and the item budget its parses drew on. */
export interface FoundManifests {
  discovery: Discovery
  limits: ManifestLimits
  budget: ItemBudget
}

/** The renders a discovery calls for, started: kustomize runs while the caller does other work. */
export interface StartedCollection extends FoundManifests {
  renders: RenderTarget[]
  rendering?: Awaited<ReturnType<typeof startRenders>>
}

/** Finds every manifest in scope (reads files, starts nothing). */
export function findManifests(request: CollectRequest): FoundManifests {
  const limits = request.limits ?? DEFAULT_MANIFEST_LIMITS
  const budget = itemBudget(limits.maxRunItems)
  return { discovery: discoverManifests(request, budget), limits, budget }
}

/** Starts kustomize on every kustomization `found` calls for, before any file is parsed. */
export async function startCollecting(
  request: CollectRequest,
  found: FoundManifests = findManifests(request)
): Promise<StartedCollection> {
  const renders = found.discovery.renders.filter(target => target.refused === undefined)
  // Rendering is kustomize's processes' work, parsing this thread's: the first goes first.
  const rendering =
    renders.length > 0 ? await startRenders(request, renders, found.limits, found.budget) : undefined
  return { ...found, renders, ...(rendering ? { rendering } : {}) }
}

/** Discovers, reads and renders every manifest in scope. I/O lives here; evaluation is pure elsewhere. */
export async function collectManifests(
  request: CollectRequest,
  started?: StartedCollection
): Promise<CollectedManifests> {
  const { discovery, limits, budget, renders, rendering } = started ?? (await startCollecting(request))
  const result: CollectedManifests = {
    objects: [],
    notes: [...discovery.notes],
    problems: [...discovery.problems],
    unchecked: [...discovery.unchecked],
    files: [...discovery.rawFiles],
    kustomizations: renders.map(target => target.dir)
  }
  const add = (loaded: LoadedManifests | RenderResult) => {
    result.objects.push(...loaded.objects)
    result.notes.push(...loaded.notes)
    result.problems.push(...loaded.problems)
  }
  // The renders' output is read (and their next builds started) between files, not after all of them.
  const turn = eventLoopTurns()
  for (const file of discovery.rawFiles) {
    add(loadManifestFile(request.root, file, limits, budget))
    await turn()
  }
  for (const file of discovery.jsonFiles) {
    const loaded = loadJsonManifest(request.root, file, limits, budget)
    if (loaded && 'unchecked' in loaded) {
      result.unchecked.push({ file, reason: loaded.unchecked })
      result.unchecked.sort((a, b) => a.file.localeCompare(b.file))
    } else if (loaded) {
      add(loaded)
      result.files.push(file)
    }
    await turn()
  }
  if (!rendering) return result
  // Sources are only used to find lines; their own parse problems surface through kustomize's render.
  const sources: ManifestObject[] = []
  for (const file of discovery.kustomizeSources) {
    sources.push(...loadManifestFile(request.root, file, limits, budget).objects)
    await turn()
  }
  const builds = await rendering.builds
  builds.forEach((build, i) => add(rendering.locate(renders[i]!, build, sources)))
  return result
}

/**
 * kustomize on every kustomization, a few at a time; its module is loaded only when there is one.
 * `stop` starts no more builds (the ones running finish): for a run that fails before it reads them.
 */
async function startRenders(
  request: CollectRequest,
  renders: RenderTarget[],
  limits: ManifestLimits,
  budget: ItemBudget
) {
  const binary = await request.kustomizeBinary()
  const { startKustomizeBuilds, locateKustomizeBuild } = await import('./render-kustomize.js')
  const parallel = Math.max(2, Math.min(4, availableParallelism()))
  const stopping = { stopped: false }
  return {
    builds: startKustomizeBuilds(request.root, renders, binary, { parallel, limits, budget, stopping }),
    locate: locateKustomizeBuild,
    stop: () => {
      stopping.stopped = true
    }
  }
}
