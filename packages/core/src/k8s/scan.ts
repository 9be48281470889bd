import { readFileSync, statSync } from 'node:fs'
import { availableParallelism } from 'node:os'
import * as path from 'node:path'
import { getErrorMessage } from '../runtime/errors.js'
import { discoverManifests, type DiscoveryInputNames } from './discover.js'
import {
  DEFAULT_MANIFEST_LIMITS,
  formatMiB,
  loadManifestText,
  type LoadedManifests,
  type ManifestLimits
} from './manifests.js'
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
  limits: ManifestLimits = DEFAULT_MANIFEST_LIMITS
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
    return loadManifestText(readFileSync(path.join(root, file), 'utf8'), file, limits)
  } catch (error) {
    return failed(`${file} could not be read: ${getErrorMessage(error)}`)
  }
}

/** A collection under way: kustomize's processes run while the caller does other work. */
export interface ManifestCollection {
  /** Reads the plain files, waits for the renders and locates what they printed. */
  finish(): Promise<CollectedManifests>
}

/**
 * Discovers every manifest in scope and starts kustomize on each kustomization (a few at a time),
 * before any file is parsed: rendering is a child process's work, parsing this thread's.
 */
export async function startCollecting(request: CollectRequest): Promise<ManifestCollection> {
  const limits = request.limits ?? DEFAULT_MANIFEST_LIMITS
  const discovery = discoverManifests(request)
  const renders = discovery.renders.filter(target => target.refused === undefined)
  let finishRenders = async (): Promise<RenderResult[]> => []
  if (renders.length > 0) {
    const binary = await request.kustomizeBinary()
    // Loaded only with a kustomization to render: plain manifests never start a process.
    const { startKustomizeBuilds, locateKustomizeBuild } = await import('./render-kustomize.js')
    const builds = startKustomizeBuilds(
      request.root,
      renders,
      binary,
      Math.max(2, Math.min(4, availableParallelism()))
    )
    finishRenders = async () => {
      // Sources are only used to find lines; their own parse problems surface through kustomize's render.
      const sources = discovery.kustomizeSources.flatMap(
        file => loadManifestFile(request.root, file, limits).objects
      )
      return (await builds).map((build, i) => locateKustomizeBuild(renders[i]!, build, sources))
    }
  }
  return {
    finish: async () => {
      const result: CollectedManifests = {
        objects: [],
        notes: [...discovery.notes],
        problems: [...discovery.problems],
        unchecked: discovery.unchecked,
        files: discovery.rawFiles,
        kustomizations: renders.map(target => target.dir)
      }
      const add = (loaded: LoadedManifests | RenderResult) => {
        result.objects.push(...loaded.objects)
        result.notes.push(...loaded.notes)
        result.problems.push(...loaded.problems)
      }
      for (const file of discovery.rawFiles) add(loadManifestFile(request.root, file, limits))
      for (const rendered of await finishRenders()) add(rendered)
      return result
    }
  }
}

/** Discovers, reads and renders every manifest in scope. I/O lives here; evaluation is pure elsewhere. */
export async function collectManifests(request: CollectRequest): Promise<CollectedManifests> {
  return (await startCollecting(request)).finish()
}
