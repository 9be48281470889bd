import { statSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from '../runtime/errors.js'
import { globsOf } from '../runtime/glob.js'
import { staticPrefix, walkFiles, type WalkOptions } from '../runtime/walk.js'
import type { ItemBudget } from '../runtime/yaml-structure.js'
import { helmTemplateChart } from './helm.js'
import { findKustomizationFile, KUSTOMIZATION_FILES } from './kustomization.js'
import { planKustomize, type RenderTarget } from './kustomize-plan.js'
import type { ScanNote, ScanProblem, UncheckedFile } from './types.js'

export const DEFAULT_PATHS = ['**/*.yaml', '**/*.yml']

export interface DiscoveryRequest {
  root: string
  paths: readonly string[]
  kustomize: boolean
  allowRemoteResources: boolean
  /** The action's names for the inputs that errors speak of. */
  inputNames: DiscoveryInputNames
}

export interface DiscoveryInputNames {
  paths: string
  allowRemoteResources: string
}

export interface Discovery {
  /** Repository-relative YAML files to read as raw manifests. */
  rawFiles: string[]
  /**
   * JSON files where `paths` reach (a YAML file of the same name there would match): kubectl and GitOps
   * controllers apply them too. Read as manifests when they hold Kubernetes objects, else skipped.
   */
  jsonFiles: string[]
  /** Kustomizations to render (those refused carry the reason). */
  renders: RenderTarget[]
  /** Files the renders read (bases, patches): read only to map rendered objects back to lines. */
  kustomizeSources: string[]
  /** Files that match `paths` and are not checked, each with the reason. */
  unchecked: UncheckedFile[]
  notes: ScanNote[]
  problems: ScanProblem[]
}

const isYaml = (file: string) => /\.ya?ml$/i.test(file)
const isJson = (file: string) => /\.json$/i.test(file)
const isUnder = (file: string, dir: string) =>
  dir === '.' || dir === '' || file === dir || file.startsWith(`${dir}/`)

/** Splits `paths` into include and exclude (`!`) globs and refuses patterns that climb out of the workspace. */
export function parsePatterns(
  patterns: readonly string[],
  inputName: string
): { include: string[]; exclude: string[] } {
  const include: string[] = []
  const exclude: string[] = []
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    let pattern = (negated ? raw.slice(1) : raw).trim().replace(/\\/g, '/').replace(/^\.\//, '')
    if (pattern === '') continue
    if (pattern.startsWith('/') || pattern.split('/').includes('..') || pattern.includes('\0')) {
      throw new ConfigurationError(
        `Input '${inputName}' entry '${raw}' leaves the workspace; use globs relative to the repository root.`
      )
    }
    // A plain directory name means every YAML file below it.
    if (
      !/[*?[\]{}]/.test(pattern) &&
      !isYaml(pattern) &&
      !KUSTOMIZATION_FILES.includes(path.posix.basename(pattern))
    ) {
      pattern = `${pattern.replace(/\/+$/, '')}/**/*.{yaml,yml}`
    }
    ;(negated ? exclude : include).push(pattern)
  }
  return { include: include.length > 0 ? include : DEFAULT_PATHS, exclude }
}

/** The files under the fixed part of each pattern, so a narrow `paths` stays fast in a big repository. */
function walkScope(
  root: string,
  include: readonly string[],
  inputName: string,
  report: Pick<WalkOptions, 'onSymlink' | 'onSkippedDir'>
): string[] {
  const prefixes = [...new Set(include.map(staticPrefix))].sort()
  const starts = prefixes.filter(p => !prefixes.some(other => other !== p && isUnder(p, other)))
  const files = new Set<string>()
  for (const start of starts) walkFiles(root, { start, inputName, ...report }).forEach(f => files.add(f))
  return [...files].sort()
}

/**
 * node_modules directories the walk skips (installed dependencies would swamp it) where `paths` reach:
 * `kubectl apply -R` and GitOps tools apply a manifest a pull request commits there, so it is listed.
 * `.git` is skipped silently: git tracks nothing in it.
 */
function skippedModules(dirs: readonly string[], matches: (file: string) => boolean): UncheckedFile[] {
  return dirs
    .filter(dir => path.posix.basename(dir) === 'node_modules' && matches(`${dir}/x.yaml`))
    .map(file => ({
      file,
      reason: `node_modules directory, not walked: a manifest in it is not checked; move manifests out of it, or exclude it (e.g. '!${file}/**')`
    }))
}

function isDirectoryLink(root: string, file: string): boolean {
  try {
    return statSync(path.join(root, file)).isDirectory()
  } catch {
    return false
  }
}

/** Links that hide a matching file: one that matches itself, or a directory whose files would match. */
function hidingLinks(
  root: string,
  links: readonly string[],
  matches: (file: string) => boolean
): UncheckedFile[] {
  return links
    .filter(link => matches(link) || (isDirectoryLink(root, link) && matches(`${link}/x.yaml`)))
    .map(file => ({ file, reason: 'symbolic link, not followed' }))
}

/** A directory holding a matched file is a kustomization when it holds a kustomization file (not a link). */
function kustomizationsOf(root: string, files: readonly string[]): string[] {
  const dirs = new Set(files.map(f => path.posix.dirname(f)))
  return [...dirs].flatMap(dir => {
    const found = findKustomizationFile(root, dir)
    return found && !found.link ? [found.file] : []
  })
}

/**
 * A kustomization file in a directory `paths` reaches, whether or not its own name matches: the YAML
 * globs of `paths` never match `Kustomization`, and a directory holding only it and JSON resources
 * would go unrendered, though kustomize and GitOps controllers render it.
 */
function inScopeKustomization(matches: (file: string) => boolean): (file: string) => boolean {
  return file => {
    if (!KUSTOMIZATION_FILES.includes(path.posix.basename(file))) return false
    const dir = path.posix.dirname(file)
    return matches(file) || matches(dir === '.' ? 'kustomization.yaml' : `${dir}/kustomization.yaml`)
  }
}

interface Classifier {
  kustomize: boolean
  /** Kustomization that renders the file's objects, or reads it (a non-YAML input) for the render. */
  kustomizationOf(file: string): string | undefined
  unusedComponents: ReadonlySet<string>
  chartOf(file: string): string | undefined
}

/** How a matching file is checked: as a raw manifest, through a kustomize render, or not (and why). */
function checkOf(file: string, c: Classifier): 'raw' | 'json' | 'rendered' | { notChecked: string } {
  const kustomization = c.kustomizationOf(file)
  if (kustomization !== undefined)
    return c.kustomize
      ? 'rendered'
      : {
          notChecked: `read by kustomization ${kustomization}, which is not rendered because 'kustomize' is false`
        }
  if (c.unusedComponents.has(file))
    return {
      notChecked:
        'kustomize Component that no kustomization under paths uses; it is checked only through one that does'
    }
  const chart = c.chartOf(file)
  if (chart !== undefined) return { notChecked: `Helm template of chart ${chart}; charts are not rendered` }
  // kustomize refuses a directory with two kustomization files; this is the one it would not read.
  if (KUSTOMIZATION_FILES.includes(path.posix.basename(file)))
    return { notChecked: 'a second kustomization file in its directory; kustomize reads only one' }
  if (isJson(file)) return 'json'
  return isYaml(file) ? 'raw' : { notChecked: 'not a YAML or JSON file' }
}

/**
 * Finds what to check: raw YAML files matching `paths`, and kustomizations to render instead of reading
 * their inputs one by one (a base or patch on its own is not what gets deployed). Every matching file
 * that is not checked is returned in `unchecked` with the reason, never dropped silently.
 */
export function discoverManifests(request: DiscoveryRequest, budget?: ItemBudget): Discovery {
  const { root } = request
  const { include, exclude } = parsePatterns(request.paths, request.inputNames.paths)
  const included = globsOf(include, request.inputNames.paths)
  const excluded = globsOf(exclude, request.inputNames.paths)
  const matches = (file: string) =>
    included.some(glob => glob.matches(file)) && !excluded.some(glob => glob.matches(file))
  const links: string[] = []
  const skipped: string[] = []
  const walked = walkScope(root, include, request.inputNames.paths, {
    onSymlink: link => links.push(link),
    onSkippedDir: dir => skipped.push(dir)
  })
  const matched = walked.filter(matches)
  const chartOf = helmTemplateChart(root)
  const plan = planKustomize(
    root,
    kustomizationsOf(
      root,
      [...matched, ...walked.filter(inScopeKustomization(matches))].filter(f => chartOf(f) === undefined)
    ),
    {
      allow: request.allowRemoteResources,
      inputName: request.inputNames.allowRemoteResources
    },
    budget
  )
  // The first target (in path order) that reads a file names it in the reasons.
  const renderedBy = new Map<string, string>()
  const readBy = new Map<string, string>()
  for (const target of [...plan.targets].reverse()) {
    for (const f of target.files) renderedBy.set(f, target.dir)
    for (const f of target.inputs) readBy.set(f, target.dir)
  }
  const classifier: Classifier = {
    kustomize: request.kustomize,
    // A YAML file a render only reads as configuration is checked as it is, like any other.
    kustomizationOf: file => renderedBy.get(file) ?? (isYaml(file) ? undefined : readBy.get(file)),
    unusedComponents: new Set(plan.unusedComponents),
    chartOf
  }
  const rawFiles: string[] = []
  const unchecked = [...hidingLinks(root, links.sort(), matches), ...skippedModules(skipped, matches)]
  for (const file of matched) {
    const check = checkOf(file, classifier)
    if (check === 'raw') rawFiles.push(file)
    else if (check !== 'rendered' && check !== 'json') unchecked.push({ file, reason: check.notChecked })
  }
  const reached = (file: string) => matches(file) || matches(file.replace(/\.json$/i, '.yaml'))
  const jsonFiles = walked.filter(f => isJson(f) && reached(f) && checkOf(f, classifier) === 'json')
  const renders = request.kustomize ? plan.targets : []
  return {
    rawFiles,
    jsonFiles,
    renders,
    kustomizeSources: [...new Set(renders.flatMap(t => t.files))].filter(isYaml).sort(),
    unchecked: unchecked.sort((a, b) => a.file.localeCompare(b.file)),
    notes: renders.flatMap(t =>
      t.remote.map(r => ({ file: t.file, message: `${t.file} fetches remote resource ${r} at render time` }))
    ),
    problems: renders.flatMap(t =>
      t.refused ? [{ level: 'error' as const, file: t.file, message: t.refused }] : []
    )
  }
}
