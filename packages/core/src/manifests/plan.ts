import { setterMarkers, policiesNaming, setterSites, type SetterMarker } from './flux-setter.js'
import { helmSites, type HelmKey } from './helm.js'
import { kustomizeSites } from './kustomize.js'
import { rawSites } from './raw.js'
import { applyEdits, planSite, type Edit, type Expectation, type Site, type Strategy } from './site.js'
import type { BumpTarget } from './target.js'
import { verifyEdit } from './verify.js'
import { aliasedAnchors, decodeManifest, parseYamlSource, type YamlSource } from './yaml-source.js'

export interface BumpRequest {
  target: BumpTarget
  /** `auto` detects which strategies apply; a strategy name forces that one. */
  strategy: 'auto' | Strategy
  helmKey?: HelmKey
  /** `namespace:name` of the Flux ImagePolicies whose markers are set; empty: those naming the image. */
  fluxPolicies: readonly string[]
}

export interface ManifestFile {
  /** Repository-relative, forward slashes. */
  path: string
  bytes: Uint8Array
}

/** One value changed: where, by which strategy, from what to what. */
export interface ValueChange {
  file: string
  line: number
  strategy: Strategy
  field: string
  /** Undefined when the key was added. */
  from?: string
  to: string
  note?: string
}

/** A value that names the image and is left alone, with the reason. */
export interface LeftAlone {
  file: string
  line: number
  strategy: Strategy
  field: string
  reason: string
}

export interface FileEdit {
  file: string
  before: Uint8Array
  after: Uint8Array
  changes: ValueChange[]
}

export interface BumpPlan {
  edits: FileEdit[]
  /** Values that already hold what the target asks for. */
  current: { file: string; line: number; strategy: Strategy; field: string; value: string }[]
  leftAlone: LeftAlone[]
  /**
   * Files not read (links, too large) and, with `mentionsImage`, files whose bytes name the image but
   * that could not be parsed or safely edited: those keep the old version, and people must be told.
   */
  unreadable: { file: string; reason: string; mentionsImage?: boolean }[]
  /** The strategies whose values were set. */
  strategies: Strategy[]
  /** With `auto`: how many values other strategies found that were left to the chosen ones. */
  passedOver: Partial<Record<Strategy, number>>
  /** The Flux ImagePolicies whose markers were set. */
  policies: string[]
  /** Files looked at, and how many of those were parsed (the rest cannot mention the image). */
  filesSeen: number
  filesParsed: number
}

interface Found {
  source: YamlSource
  sites: Partial<Record<Exclude<Strategy, 'flux-setter'>, Site[]>>
  markers: SetterMarker[]
}

/**
 * Strings one of which every file that can hold a site contains: the last component of the image name
 * (a file that names the image contains it, however it spells the registry), the setter marker, and
 * the last part of the Helm key. Files without any are not parsed: a 5,000-file repository is read in
 * milliseconds, not parsed in seconds.
 */
function needles(request: BumpRequest): Buffer[] {
  const words = [request.target.image.split('/').at(-1)!]
  if (request.strategy === 'auto' || request.strategy === 'flux-setter') words.push('$imagepolicy')
  const key = request.helmKey?.filter(s => typeof s === 'string').at(-1)
  if (key !== undefined) words.push(key)
  return words.map(word => Buffer.from(word))
}

const bytesContain = (bytes: Uint8Array, words: readonly Buffer[]) => {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  return words.some(word => buffer.includes(word))
}

/** Said of a UTF-16 file that names the image: go-yaml (kubectl, kustomize, Argo CD) reads it by its BOM. */
export const UTF16_NOT_EDITED =
  'UTF-16 text (its byte order mark says so), which kubectl reads but this action does not edit; save it as UTF-8'

/**
 * Whether a file is UTF-16 (by its byte order mark) and holds one of the words: such a file fails the
 * UTF-8 search above, yet Kubernetes applies it, so it must be named, never passed over unsaid.
 */
function utf16Contains(bytes: Uint8Array, words: readonly Buffer[]): boolean {
  const little = bytes[0] === 0xff && bytes[1] === 0xfe
  if (!little && !(bytes[0] === 0xfe && bytes[1] === 0xff)) return false
  const encoded = words.map(word => {
    const le = Buffer.from(word.toString('utf8'), 'utf16le')
    return little ? le : le.swap16()
  })
  return bytesContain(bytes, encoded)
}

/** Whether a file's bytes (UTF-8 or UTF-16) hold a word every file naming the target holds. */
export function mentionsTarget(bytes: Uint8Array, request: BumpRequest): boolean {
  const words = needles(request)
  return bytesContain(bytes, words) || utf16Contains(bytes, words)
}

/** Said of a chart template: what Helm renders from it, not its text, is the YAML Kubernetes reads. */
export const HELM_TEMPLATE_NOT_EDITED =
  'a Helm chart template ({{ }}), which Helm renders before it is YAML, so it is not edited as YAML: set the image in the chart values'

/**
 * A file under a chart's templates/ that holds template actions. Even when it happens to parse, the
 * YAML seen is not what Helm renders (a value may sit in a branch or loop), so it is never edited.
 */
const isHelmTemplate = (file: string, text: string): boolean =>
  /(?:^|\/)templates\//.test(file) && text.includes('{{')

function find(source: YamlSource, request: BumpRequest): Found {
  const wants = (s: Strategy) => request.strategy === 'auto' || request.strategy === s
  const { target } = request
  return {
    source,
    sites: {
      ...(wants('kustomize') && !request.helmKey ? { kustomize: kustomizeSites(source, target) } : {}),
      ...(wants('helm') ? { helm: helmSites(source, target, request.helmKey) } : {}),
      ...(wants('raw') && !request.helmKey ? { raw: rawSites(source, target) } : {})
    },
    markers: wants('flux-setter') && !request.helmKey ? setterMarkers(source) : []
  }
}

/**
 * Which strategies set values. A forced one alone; with `auto`, the most specific one that found the
 * image: Flux setter markers (the user marked exactly what to set), else kustomize `images:` entries
 * (they override the manifests below them), else Helm values and raw manifests together.
 */
function choose(request: BumpRequest, found: readonly Found[], policies: ReadonlySet<string>): Strategy[] {
  if (request.strategy !== 'auto') return [request.strategy]
  if (request.helmKey) return ['helm']
  const any = (s: 'kustomize' | 'helm' | 'raw') => found.some(f => (f.sites[s]?.length ?? 0) > 0)
  if (found.some(f => f.markers.some(m => policies.has(m.policy)))) return ['flux-setter']
  if (any('kustomize')) return ['kustomize']
  return ['helm', 'raw']
}

/** Finds every value the request names across the files, edits them in place, and checks each edit. */
export function planBump(files: Iterable<ManifestFile>, request: BumpRequest): BumpPlan {
  const words = needles(request)
  const plan: BumpPlan = {
    edits: [],
    current: [],
    leftAlone: [],
    unreadable: [],
    strategies: [],
    passedOver: {},
    policies: [],
    filesSeen: 0,
    filesParsed: 0
  }
  const found: Found[] = []
  const bytesOf = new Map<string, Uint8Array>()
  for (const file of files) {
    plan.filesSeen++
    if (!bytesContain(file.bytes, words)) {
      if (utf16Contains(file.bytes, words))
        plan.unreadable.push({ file: file.path, reason: UTF16_NOT_EDITED, mentionsImage: true })
      continue
    }
    plan.filesParsed++
    const decoded = decodeManifest(file.bytes)
    if ('text' in decoded && isHelmTemplate(file.path, decoded.text)) {
      plan.unreadable.push({ file: file.path, reason: HELM_TEMPLATE_NOT_EDITED, mentionsImage: true })
      continue
    }
    const source = 'text' in decoded ? parseYamlSource(file.path, decoded.text) : decoded
    if ('problem' in source) {
      if (/\.(ya?ml)$/i.test(file.path) || file.path.endsWith('Kustomization'))
        plan.unreadable.push({ file: file.path, reason: source.problem, mentionsImage: true })
      continue
    }
    bytesOf.set(file.path, file.bytes)
    found.push(find(source, request))
  }
  const allMarkers = found.flatMap(f => f.markers)
  const policies = new Set(
    request.fluxPolicies.length > 0 ? request.fluxPolicies : policiesNaming(request.target, allMarkers)
  )
  plan.strategies = choose(request, found, policies)
  plan.policies = plan.strategies.includes('flux-setter')
    ? [...policies].filter(p => allMarkers.some(m => m.policy === p)).sort()
    : []
  for (const f of found) {
    for (const [strategy, sites] of Object.entries(f.sites) as [Strategy, Site[]][])
      if (!plan.strategies.includes(strategy) && sites.length > 0)
        plan.passedOver[strategy] = (plan.passedOver[strategy] ?? 0) + sites.length
    const sites = [
      ...plan.strategies.flatMap(s =>
        s === 'flux-setter' ? setterSites(request.target, f.markers, policies) : (f.sites[s] ?? [])
      )
    ]
    if (sites.length > 0) editFile(f.source, bytesOf.get(f.source.file)!, sites, plan)
  }
  return plan
}

function editFile(source: YamlSource, bytes: Uint8Array, sites: readonly Site[], plan: BumpPlan): void {
  const aliased = new Set(source.documents.flatMap(d => [...aliasedAnchors(d)]))
  const edits: Edit[] = []
  const expected: Expectation[] = []
  const changes: ValueChange[] = []
  const taken = new Set<string>()
  for (const site of sites) {
    const outcome = planSite(source, site, aliased)
    const where = { file: source.file, line: outcome.line, strategy: site.strategy, field: site.field }
    if (outcome.kind === 'refused') plan.leftAlone.push({ ...where, reason: outcome.reason })
    else if (outcome.kind === 'unchanged') plan.current.push({ ...where, value: outcome.value })
    else {
      // Two strategies may reach the same scalar; it is set once.
      const key = `${outcome.edit.start}:${outcome.edit.end}:${outcome.edit.order}`
      if (taken.has(key)) continue
      taken.add(key)
      edits.push(outcome.edit)
      expected.push(outcome.expectation)
      changes.push({
        ...where,
        ...(outcome.from !== undefined ? { from: outcome.from } : {}),
        to: site.value,
        ...(site.note ? { note: site.note } : {})
      })
    }
  }
  if (edits.length === 0) return
  const after = applyEdits(source.text, edits)
  const problem = verifyEdit(source.text, after, expected, source.documents)
  if (problem) {
    plan.unreadable.push({
      file: source.file,
      reason: `the edit was not made: ${problem}`,
      mentionsImage: true
    })
    return
  }
  plan.edits.push({
    file: source.file,
    before: bytes,
    after: Buffer.from(after, 'utf8'),
    changes: changes.sort((a, b) => a.line - b.line)
  })
}
