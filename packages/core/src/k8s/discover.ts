import { existsSync, readFileSync, statSync } from 'node:fs'
import * as path from 'node:path'
import { minimatch } from 'minimatch'
import { parse } from 'yaml'
import { ConfigurationError } from '../runtime/errors.js'
import { staticPrefix, walkFiles } from '../runtime/walk.js'
import type { ScanNote, ScanProblem } from './types.js'

export const DEFAULT_PATHS = ['**/*.yaml', '**/*.yml']
const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

export interface Discovery {
  /** Repository-relative YAML files to read as raw manifests. */
  rawFiles: string[]
  /** Repository-relative kustomization directories to render (those no other in-scope kustomization uses). */
  kustomizations: string[]
  /** Files that belong to a kustomization (bases, patches): read only to map rendered objects back. */
  kustomizeSources: string[]
  notes: ScanNote[]
  problems: ScanProblem[]
}

const toPosix = (p: string) => p.split(path.sep).join('/')
const isUnder = (file: string, dir: string) =>
  dir === '.' || dir === '' || file === dir || file.startsWith(`${dir}/`)

/** Splits `paths` into include and exclude (`!`) globs and refuses patterns that climb out of the workspace. */
export function parsePatterns(patterns: readonly string[]): { include: string[]; exclude: string[] } {
  const include: string[] = []
  const exclude: string[] = []
  for (const raw of patterns) {
    const negated = raw.startsWith('!')
    let pattern = (negated ? raw.slice(1) : raw).trim().replace(/\\/g, '/').replace(/^\.\//, '')
    if (pattern === '') continue
    if (pattern.startsWith('/') || pattern.split('/').includes('..') || pattern.includes('\0')) {
      throw new ConfigurationError(
        `Input 'paths' entry '${raw}' leaves the workspace; use globs relative to the repository root.`
      )
    }
    // A plain directory name means every YAML file below it.
    if (
      !/[*?[\]{}]/.test(pattern) &&
      !/\.ya?ml$/i.test(pattern) &&
      !KUSTOMIZATION_FILES.includes(path.posix.basename(pattern))
    ) {
      pattern = `${pattern.replace(/\/+$/, '')}/**/*.{yaml,yml}`
    }
    ;(negated ? exclude : include).push(pattern)
  }
  return { include: include.length > 0 ? include : DEFAULT_PATHS, exclude }
}

/** Every regular file under `start`; a YAML file behind a symbolic link is noted as not followed. */
function walkManifests(root: string, notes: ScanNote[], start = ''): string[] {
  return walkFiles(root, {
    start,
    inputName: 'paths',
    onSymlink: file => {
      if (/\.ya?ml$/i.test(file) || !/\.[^/]*$/.test(file))
        notes.push({ file, message: `${file} is a symbolic link, not followed` })
    }
  })
}

interface KustomizationRefs {
  dirs: string[]
  files: string[]
  remote: string[]
  /** `kind: Component`: a reusable piece only rendered through the kustomizations that include it. */
  component: boolean
}

/** Local files and directories a kustomization pulls in (resources, bases, components, patches). */
export function kustomizationRefs(root: string, dir: string, fileName: string): KustomizationRefs {
  const refs: KustomizationRefs = { dirs: [], files: [], remote: [], component: false }
  let doc: unknown
  try {
    doc = parse(readFileSync(path.join(root, dir, fileName), 'utf8'), { maxAliasCount: 100 })
  } catch {
    return refs // kustomize itself will report the broken file when it renders
  }
  if (typeof doc !== 'object' || doc === null) return refs
  const k = doc as Record<string, unknown>
  refs.component = k.kind === 'Component'
  const entries: unknown[] = [
    ...asList(k.resources),
    ...asList(k.bases),
    ...asList(k.components),
    ...asList(k.patchesStrategicMerge),
    ...asList(k.crds),
    ...[...asList(k.patches), ...asList(k.patchesJson6902)].map(p =>
      typeof p === 'object' && p ? (p as { path?: unknown }).path : undefined
    )
  ]
  for (const entry of entries) {
    if (typeof entry !== 'string' || entry.includes('\n')) continue
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(entry) || entry.startsWith('git@') || /^github\.com\//.test(entry)) {
      refs.remote.push(entry)
      continue
    }
    const target = toPosix(path.normalize(path.join(dir, entry)))
    if (target.startsWith('..')) continue
    try {
      if (statSync(path.join(root, target)).isDirectory()) refs.dirs.push(target)
      else refs.files.push(target)
    } catch {
      // A missing reference is kustomize's error to report.
    }
  }
  return refs
}

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

/** Helm chart directories (holding a Chart.yaml) that contain any of `files`, looking up their ancestors. */
function findCharts(root: string, files: readonly string[]): string[] {
  const known = new Map<string, boolean>()
  const charts = new Set<string>()
  for (const file of files) {
    for (let dir = path.posix.dirname(file); ; dir = path.posix.dirname(dir)) {
      let isChart = known.get(dir)
      if (isChart === undefined) {
        isChart = existsSync(path.join(root, dir, 'Chart.yaml'))
        known.set(dir, isChart)
      }
      if (isChart) charts.add(dir)
      if (dir === '.' || dir === '') break
    }
  }
  return [...charts].sort()
}

/**
 * Finds what to check: raw YAML files matching `paths`, and kustomizations to render instead of reading
 * their files one by one (a base or patch on its own is not what gets deployed). Helm charts are skipped.
 */
export function discoverManifests(
  root: string,
  patterns: readonly string[],
  useKustomize: boolean
): Discovery {
  const notes: ScanNote[] = []
  const problems: ScanProblem[] = []
  const { include, exclude } = parsePatterns(patterns)
  const matches = (file: string) =>
    include.some(p => minimatch(file, p, { dot: true })) &&
    !exclude.some(p => minimatch(file, p, { dot: true }))
  // Walk only below the fixed part of each pattern, so a narrow `paths` stays fast in a big repository.
  const prefixes = [...new Set(include.map(staticPrefix))].sort()
  const starts = prefixes.filter(p => !prefixes.some(other => other !== p && isUnder(p, other)))
  const walked = new Set<string>()
  for (const start of starts) walkManifests(root, notes, start).forEach(f => walked.add(f))
  const all = [...walked].sort()
  const matched = all.filter(matches)

  const charts = findCharts(root, matched)
  for (const chart of charts) {
    notes.push({
      file: `${chart}/Chart.yaml`,
      message: `${chart} is a Helm chart; charts are not rendered, its files are skipped`
    })
  }
  const inChart = (f: string) => charts.some(chart => isUnder(f, chart))
  const yamlUnder = (dir: string) => {
    const inside = starts.some(start => isUnder(dir, start))
      ? all.filter(f => isUnder(f, dir))
      : walkManifests(root, [], dir)
    return inside.filter(f => /\.ya?ml$/i.test(f))
  }

  const kustomizationFiles = matched.filter(
    f => KUSTOMIZATION_FILES.includes(path.posix.basename(f)) && !inChart(f)
  )
  const kustomizeDirs = kustomizationFiles.map(f => path.posix.dirname(f))
  const owned = new Set<string>()
  const referencedDirs = new Set<string>()
  for (const file of kustomizationFiles) {
    const dir = path.posix.dirname(file)
    const refs = kustomizationRefs(root, dir === '.' ? '' : dir, path.posix.basename(file))
    refs.files.forEach(f => owned.add(f))
    if (refs.component) {
      referencedDirs.add(dir)
      notes.push({
        file,
        message: `${file} is a kustomize Component; checked only through kustomizations that use it`
      })
    }
    for (const d of refs.dirs) {
      referencedDirs.add(d)
      yamlUnder(d).forEach(f => owned.add(f))
    }
    for (const remote of refs.remote) {
      notes.push({
        file,
        message: `${file} pulls remote resource ${remote}; kustomize will fetch it at render time`
      })
    }
  }
  for (const dir of kustomizeDirs)
    all.filter(f => isUnder(f, dir) && /\.ya?ml$/i.test(f)).forEach(f => owned.add(f))

  if (!useKustomize && kustomizeDirs.length > 0) {
    for (const dir of kustomizeDirs)
      notes.push({ file: dir, message: `${dir} is a kustomization; skipped because 'kustomize' is false` })
  }
  const rawFiles = matched.filter(f => /\.ya?ml$/i.test(f) && !owned.has(f) && !inChart(f))
  const kustomizations = useKustomize ? kustomizeDirs.filter(dir => !referencedDirs.has(dir)) : []
  return {
    rawFiles,
    kustomizations,
    kustomizeSources: useKustomize ? [...owned].sort() : [],
    notes,
    problems
  }
}
