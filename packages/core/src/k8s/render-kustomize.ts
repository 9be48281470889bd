import * as path from 'node:path'
import { getErrorMessage } from '../runtime/errors.js'
import { mapPooled } from '../runtime/pool.js'
import { childEnv, lastWords, runProcess } from '../runtime/process.js'
import type { ItemBudget } from '../runtime/yaml-structure.js'
import type { RenderNaming, RenderTarget } from './kustomize-plan.js'
import {
  DEFAULT_MANIFEST_LIMITS,
  loadManifestText,
  type LoadedManifests,
  type ManifestLimits
} from './manifests.js'
import { isWorkload, podContextOf } from './pod-spec.js'
import type { FieldLocation, ManifestObject, PathSegment, ScanNote, ScanProblem, YamlPath } from './types.js'

export const KUSTOMIZE_TIMEOUT_MS = 120_000

export async function runKustomizeBuild(
  binary: string,
  dir: string,
  timeoutMs = KUSTOMIZE_TIMEOUT_MS
): Promise<string> {
  const maxBytes = DEFAULT_MANIFEST_LIMITS.maxBytes * 4
  // No --enable-helm, --enable-exec or alpha plugins: a pull request must not make the runner execute code.
  const outcome = await runProcess(binary, ['build', dir], {
    cwd: dir,
    deadlineMs: timeoutMs,
    env: childEnv(),
    killGraceMs: 0,
    maxStdoutBytes: maxBytes
  }).catch(error => {
    throw new Error(getErrorMessage(error))
  })
  if (outcome.timedOut) throw new Error(`kustomize build was killed after ${timeoutMs / 1000} s`)
  if (outcome.stdoutTruncated) throw new Error(`kustomize build printed over ${maxBytes} bytes`)
  if (outcome.exitCode !== 0)
    throw new Error(
      lastWords(outcome, 1000) ||
        (outcome.signal ? `killed by ${outcome.signal}` : `exited ${outcome.exitCode}`)
    )
  // kustomize ends every render with a newline: one that stops mid-line was cut short, and YAML cut short
  // still parses, into objects missing what the rest held (a container, a securityContext).
  if (outcome.stdout !== '' && !outcome.stdout.endsWith('\n'))
    throw new Error('its output stops mid-line, so it was cut short; the render is not checked')
  return outcome.stdout
}

/**
 * Whether `rendered` is `name` with some of the render's name prefixes and suffixes around it: the name
 * a source object gets through namePrefix and nameSuffix (each kustomization on the way adds its own).
 * Only an exact fit counts: a name that merely contains a source's must not be reported in its file.
 */
export function nameFits(
  rendered: string,
  name: string,
  naming: Pick<RenderNaming, 'prefixes' | 'suffixes'>
): boolean {
  const tried = new Set<string>()
  const fits = (start: number, end: number): boolean => {
    if (end - start < name.length || tried.has(`${start}:${end}`)) return false
    tried.add(`${start}:${end}`)
    if (end - start === name.length && rendered.startsWith(name, start)) return true
    return (
      naming.prefixes.some(p => rendered.startsWith(p, start) && fits(start + p.length, end)) ||
      naming.suffixes.some(s => rendered.slice(0, end).endsWith(s) && fits(start, end - s.length))
    )
  }
  return fits(0, rendered.length)
}

/** A source keeps its namespace, or takes one a kustomization of the render sets. */
const namespaceFits = (rendered: string | undefined, source: string | undefined, naming: RenderNaming) =>
  rendered === source || (rendered !== undefined && naming.namespaces.includes(rendered))

const NO_NAMING: RenderNaming = { prefixes: [], suffixes: [], namespaces: [] }

/**
 * Maps a rendered object back to the files it came from: the source objects (bases, patches) with the same
 * kind whose name, with the prefixes and suffixes of the kustomizations that include their file, is the
 * rendered name. A field is reported
 * in the source that holds most of its path (a patch that sets the image wins over the base); a field no
 * source holds is reported at its nearest ancestor there, and an object no source matches at line 1 of the
 * kustomization file.
 */
export function mapRenderedObject(
  rendered: ManifestObject,
  sources: readonly ManifestObject[],
  kustomizationFile: string,
  renderedFrom: string,
  naming: ReadonlyMap<string, RenderNaming>
): ManifestObject {
  const renderedName = rendered.name ?? ''
  const best = sources.filter(s => {
    const applied = naming.get(s.file) ?? NO_NAMING
    return (
      s.kind === rendered.kind &&
      s.name !== undefined &&
      s.name !== '' &&
      nameFits(renderedName, s.name, applied) &&
      namespaceFits(rendered.namespace, s.namespace, applied)
    )
  })
  const locate = (fieldPath: YamlPath): FieldLocation => {
    let found: FieldLocation = { file: kustomizationFile, line: 1, column: 1, depth: 0 }
    for (const source of best) {
      const at = source.locate(translatePath(rendered.object, source.object, fieldPath))
      if (found.file === kustomizationFile || at.depth > found.depth) found = at
    }
    return found
  }
  const primary = best[0]
  return {
    ...rendered,
    file: primary?.file ?? kustomizationFile,
    documentIndex: primary?.documentIndex ?? 0,
    locate,
    renderedFrom
  }
}

/** Lists kustomize merges by `name` (strategic merge patch keys), so an index in the output is not one in a source. */
const LISTS_KEYED_BY_NAME = new Set(['containers', 'initContainers', 'ephemeralContainers', 'volumes'])

/**
 * Rewrites list indexes of a rendered path into the source's indexes, matching list items by name;
 * stops (leaving the rest to the nearest-ancestor rule) where the source has no such item.
 */
export function translatePath(rendered: unknown, source: unknown, fieldPath: YamlPath): YamlPath {
  const out: PathSegment[] = []
  let r: unknown = rendered
  let s: unknown = source
  for (let i = 0; i < fieldPath.length; i++) {
    const segment = fieldPath[i] as PathSegment
    const parent = fieldPath[i - 1]
    if (typeof segment === 'number' && typeof parent === 'string' && LISTS_KEYED_BY_NAME.has(parent)) {
      const name = (asArrayOf(r)[segment] as { name?: unknown } | undefined)?.name
      const index = asArrayOf(s).findIndex(item => (item as { name?: unknown } | null)?.name === name)
      if (name === undefined || index < 0) break
      out.push(index)
      r = asArrayOf(r)[segment]
      s = asArrayOf(s)[index]
      continue
    }
    out.push(segment)
    r = step(r, segment)
    s = step(s, segment)
  }
  return out
}

const asArrayOf = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])
const step = (value: unknown, segment: PathSegment): unknown =>
  typeof value === 'object' && value !== null
    ? (value as Record<string | number, unknown>)[segment]
    : undefined

export interface RenderResult {
  objects: ManifestObject[]
  notes: ScanNote[]
  problems: ScanProblem[]
}

/** One `kustomize build` read as manifests, or why it failed. */
export type KustomizeBuild = { loaded: LoadedManifests } | { error: string }

/**
 * Builds every kustomization, `parallel` processes at a time; the first ones are running when this
 * returns, so the caller can parse files meanwhile. Each output is parsed as it arrives, within the
 * run's limits and budget like any file, and then dropped: a hostile repository's many large renders
 * are never all held at once, nor all parsed. Once `stopping.stopped` is set, no more builds start.
 */
export function startKustomizeBuilds(
  root: string,
  targets: readonly Pick<RenderTarget, 'dir'>[],
  binary: string,
  {
    parallel,
    limits,
    budget,
    stopping
  }: { parallel: number; limits: ManifestLimits; budget: ItemBudget; stopping?: { stopped: boolean } }
): Promise<KustomizeBuild[]> {
  return mapPooled(targets, parallel, async target =>
    stopping?.stopped
      ? { error: 'not started: the run stopped before it' }
      : runKustomizeBuild(binary, path.join(root, target.dir)).then(
          output => ({ loaded: loadManifestText(output, `${target.dir} (kustomize build)`, limits, budget) }),
          (error: unknown) => ({ error: getErrorMessage(error) })
        )
  )
}

/**
 * One kustomization's build located in the files it renders. Sources of other kustomizations are never
 * candidates: a name that happens to contain theirs would move a violation into their files, and so
 * under their exceptions.
 */
export function locateKustomizeBuild(
  target: Pick<RenderTarget, 'dir' | 'file' | 'files' | 'naming'>,
  build: KustomizeBuild,
  sources: readonly ManifestObject[]
): RenderResult {
  const { dir, file } = target
  if ('error' in build)
    return {
      objects: [],
      notes: [],
      problems: [{ level: 'error', file, message: `kustomize build ${dir} failed: ${build.error}` }]
    }
  const { loaded } = build
  const own = new Set(target.files)
  const ownSources = sources.filter(source => own.has(source.file))
  const objects = loaded.objects.map(o => mapRenderedObject(o, ownSources, file, dir, target.naming))
  return { objects, notes: loaded.notes, problems: [...loaded.problems, ...cutShort(loaded.objects, target)] }
}

/**
 * A rendered workload without containers, which no cluster admits: either the render was cut short at a
 * line break (YAML cut there still parses), and the containers it lost would have been checked, or a
 * resource of the kustomization is a partial object. Either way the render is not what will be applied.
 * Raw files are not held to this (a patch file alone is a partial object); a render is whole objects.
 */
function cutShort(
  objects: readonly ManifestObject[],
  { dir, file }: Pick<RenderTarget, 'dir' | 'file'>
): ScanProblem[] {
  return objects
    .filter(o => isWorkload(o) && !podContextOf(o)?.containers.some(c => c.field === 'containers'))
    .map(o => ({
      level: 'error' as const,
      file,
      message: `kustomize build ${dir} rendered ${o.kind}/${o.name ?? '(unnamed)'} without containers: its output was cut short, or a resource it includes is a partial object; run kustomize build ${dir} and fix what it prints`
    }))
}
