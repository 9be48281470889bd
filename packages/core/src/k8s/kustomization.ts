import { lstatSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { getErrorMessage } from '../runtime/errors.js'
import { containedDirectory } from '../runtime/walk.js'
import { LineCounter } from 'yaml'
import { errorPlace, parseYamlDocuments, plainValue } from '../runtime/yaml-read.js'
import { readScalarsAsKubernetes } from './go-yaml.js'
import { decodeManifestBytes } from './manifests.js'
import {
  describeExcess,
  structureExcess,
  type ItemBudget,
  type StructureLimits
} from '../runtime/yaml-structure.js'

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization']

/** What one kustomization file pulls in, as kustomize would load it. */
export interface Kustomization {
  /** Repository-relative directory ('.' for the root). */
  dir: string
  /** Repository-relative kustomization file. */
  file: string
  /** `kind: Component`: rendered only through the kustomizations that include it. */
  component: boolean
  /** Local files it renders: resources and patches, checked through the render. */
  files: string[]
  /**
   * Of `files`, the patches: kustomize matches a patch to its target by any name the target had, so a
   * patch may name an object of a base by what it was called before that base's namePrefix.
   */
  patches: string[]
  /** Local files it reads as configuration (CRD schemas, transformer and generator configs and inputs). */
  inputs: string[]
  /** Local directories it renders (bases, components): each holds a kustomization of its own. */
  dirs: string[]
  /** Local paths it names that do not exist (kustomize reports them when it renders). */
  missing: string[]
  /** References kustomize would fetch from the network. */
  remote: string[]
  /** References kustomize would follow where k8s-policy cannot look: out of the workspace, through a link. */
  unreadable: { entry: string; why: string }[]
  /** What it does to the names and namespaces of what it renders: how a rendered object is traced back. */
  naming: Naming
}

/** The name and namespace transformers of a kustomization (namePrefix, nameSuffix, namespace). */
export interface Naming {
  prefix?: string
  suffix?: string
  namespace?: string
}

const MAX_KUSTOMIZATION_BYTES = 1024 * 1024
/** Far above any kustomization's inline patches, far below what 1 MiB of dense YAML costs the parser. */
const KUSTOMIZATION_STRUCTURE: StructureLimits = { maxItems: 100_000, maxDepth: 100, maxDocuments: 10 }

const asList = (value: unknown): unknown[] => (Array.isArray(value) ? value : [])

/**
 * kustomize decodes a kustomization as JSON, whose field names match without regard to case (with
 * Unicode folding: `ſ` is `s`, the Kelvin sign is `k`), so `Resources:` is `resources:`. Keys are read
 * the same way here; two keys that fold to one are a conflict, since which one kustomize keeps is not
 * something to guess at.
 */
type Fields = (value: unknown) => Record<string, unknown>

function foldedFields(conflicts: string[]): Fields {
  return value => {
    const out: Record<string, unknown> = {}
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return out
    for (const [key, field] of Object.entries(value as Record<string, unknown>)) {
      const folded = key.toUpperCase().toLowerCase()
      if (Object.hasOwn(out, folded)) conflicts.push(key)
      out[folded] = field
    }
    return out
  }
}

const joinDir = (dir: string, name: string) => (dir === '.' || dir === '' ? name : `${dir}/${name}`)

function lstatOrUndefined(file: string) {
  try {
    return lstatSync(file)
  } catch {
    return undefined
  }
}

/** The kustomization file of `dir` when it holds one, and whether it is a link kustomize would follow. */
export function findKustomizationFile(
  root: string,
  dir: string
): { file: string; link: boolean } | undefined {
  for (const name of KUSTOMIZATION_FILES) {
    const file = joinDir(dir, name)
    const info = lstatOrUndefined(path.join(root, file))
    if (info?.isFile()) return { file, link: false }
    if (info?.isSymbolicLink()) return { file, link: true }
  }
  return undefined
}

/** A URL: kustomize's loader fetches http(s) ones in every field it reads a file from. */
const URL_REFERENCE = /^[a-z][a-z0-9+.-]*:\/\//i

/**
 * What kustomize's repository parser (api/internal/git/repospec.go) takes for a git repository: a
 * `git::` prefix, an scp-like `user@host:path`, or `github.com/` or `github.com:` in any case. It parses
 * that before it looks on disk, so a directory of the same name in the workspace does not keep it local.
 */
const GIT_REPOSITORY = /^(git::|gh:|[a-z][a-z0-9-]*@|github\.com[/:])/i

/** What the workspace holds where an entry points: a file kustomize reads as it is, or anything else. */
export type LocalEntry = 'file' | 'other' | undefined

/**
 * kustomize loads a reference from the network when it is a URL (`https://`, `ssh://`, `file://`), or,
 * where loading it as a local file fails (a directory, nothing), a git repository spec (`git::`,
 * `user@host:repo`, `github.com/org/repo`); a `host.tld/org/repo` path that does not exist locally is
 * taken for one too.
 */
export function isRemoteReference(entry: string, local: LocalEntry): boolean {
  if (URL_REFERENCE.test(entry)) return true
  if (local !== 'file' && GIT_REPOSITORY.test(entry)) return true
  if (local !== undefined) return false
  const [first, ...rest] = entry.split('/')
  return rest.length > 0 && (first ?? '').includes('.') && first !== '.' && first !== '..'
}

interface Reference {
  entry: unknown
  /** kustomize may load it as a git repository too (resources, bases, components, plugins). */
  canBeRemote: boolean
  /** Its objects end up in the output (resources, patches), as opposed to configuring the render. */
  rendered: boolean
}

/** Entries of the fields kustomize resolves as paths (or URLs) relative to the kustomization. */
function referencedEntries(k: Record<string, unknown>, fields: Fields): Reference[] {
  const pathOf = (value: unknown): unknown => fields(value).path
  const generatorInputs = [...asList(k.configmapgenerator), ...asList(k.secretgenerator)].flatMap(g => {
    const generator = fields(g)
    // `files` entries may be `key=path`.
    const files = asList(generator.files).map(f => (typeof f === 'string' ? f.replace(/^[^=]*=/, '') : f))
    return [...files, ...asList(generator.envs), generator.env]
  })
  const of = (entries: unknown[], canBeRemote: boolean, rendered: boolean): Reference[] =>
    entries.map(entry => ({ entry, canBeRemote, rendered }))
  return [
    ...of([...asList(k.resources), ...asList(k.bases), ...asList(k.components)], true, true),
    ...of([...asList(k.generators), ...asList(k.transformers), ...asList(k.validators)], true, false),
    ...of(
      [
        ...asList(k.patchesstrategicmerge),
        ...[...asList(k.patches), ...asList(k.patchesjson6902)].map(pathOf)
      ],
      false,
      true
    ),
    ...of(
      [
        ...asList(k.crds),
        ...asList(k.configurations),
        ...asList(k.replacements).map(pathOf),
        pathOf(k.openapi),
        ...asList(k.helmcharts).map(chart => fields(chart).valuesfile),
        ...generatorInputs
      ],
      false,
      false
    )
  ]
}

/** The one document of a kustomization as plain values, its scalars read as go-yaml v2 reads them. */
function parseKustomizationYaml(text: string): unknown {
  const lineCounter = new LineCounter()
  const documents = parseYamlDocuments(text, {
    version: '1.1',
    maxNodes: KUSTOMIZATION_STRUCTURE.maxItems,
    lineCounter
  })
  if (documents.length > 1) throw new Error('Source contains multiple documents')
  const document = documents[0]
  if (!document) return null
  const error = document.errors[0]
  if (error) throw new Error(`${error.message.split('\n', 1)[0]}${errorPlace(error)}`)
  const refused = readScalarsAsKubernetes(document, lineCounter)
  if (refused) throw new Error(refused)
  return plainValue(document)
}

/** The kustomization as kustomize would decode it, or why k8s-policy cannot be sure of that. */
function parseKustomization(
  root: string,
  file: string,
  budget: ItemBudget | undefined
): { fields: Record<string, unknown>; referenced: Reference[] } | { why: string } {
  const size = lstatOrUndefined(path.join(root, file))?.size ?? 0
  if (size > MAX_KUSTOMIZATION_BYTES) return { why: `is over ${MAX_KUSTOMIZATION_BYTES} bytes` }
  const text = decodeManifestBytes(readFileSync(path.join(root, file)))
  const excess = structureExcess(text, KUSTOMIZATION_STRUCTURE, budget)
  if (excess) return { why: `was not parsed: it ${describeExcess(excess, KUSTOMIZATION_STRUCTURE, budget)}` }
  let doc: unknown
  try {
    // YAML 1.1 with merge keys, as kustomize's YAML-to-JSON step (go-yaml v2) reads it, scalars included:
    // an entry `2024-01-01` is a path there, not a date, and `!!binary` text is decoded there.
    doc = parseKustomizationYaml(text)
  } catch (error) {
    return { why: `could not be parsed (${getErrorMessage(error).split('\n', 1)[0]})` }
  }
  const conflicts: string[] = []
  const fields = foldedFields(conflicts)
  const top = fields(doc)
  const referenced = referencedEntries(top, fields)
  if (conflicts.length > 0)
    return {
      why: `has keys that differ only in case (${conflicts.join(', ')}), which kustomize reads as one`
    }
  return { fields: top, referenced }
}

/**
 * Reads the kustomization file `file` (repository-relative) and sorts what it references into local
 * files and directories, remote references and references k8s-policy cannot follow. A file it cannot
 * read exactly as kustomize would is itself such a reference: rendering it could fetch what no one saw.
 */
export function readKustomization(root: string, file: string, budget?: ItemBudget): Kustomization {
  const dir = path.posix.dirname(file)
  const out: Kustomization = {
    dir,
    file,
    component: false,
    files: [],
    patches: [],
    inputs: [],
    dirs: [],
    missing: [],
    remote: [],
    unreadable: [],
    naming: {}
  }
  const parsed = parseKustomization(root, file, budget)
  if ('why' in parsed) {
    out.unreadable.push({ entry: file, why: parsed.why })
    return out
  }
  out.component = parsed.fields.kind === 'Component'
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
  out.naming = {
    prefix: text(parsed.fields.nameprefix),
    suffix: text(parsed.fields.namesuffix),
    namespace: text(parsed.fields.namespace)
  }
  for (const { entry, canBeRemote, rendered } of parsed.referenced) {
    // Inline objects (a transformer config, an inline patch) reference no file.
    if (typeof entry !== 'string' || entry.trim() === '' || entry.includes('\n')) continue
    const target = path.posix.normalize(joinDir(dir, entry)).replace(/(.)\/+$/, '$1')
    const outside = path.posix.isAbsolute(entry) || target === '..' || target.startsWith('../')
    const info = outside ? undefined : lstatOrUndefined(path.join(root, target))
    const local: LocalEntry = info === undefined ? undefined : info.isFile() ? 'file' : 'other'
    // Fields that only name files (patches, generator inputs) are still fetched when they are URLs.
    if (canBeRemote ? isRemoteReference(entry, local) : URL_REFERENCE.test(entry)) out.remote.push(entry)
    else if (outside) out.unreadable.push({ entry, why: 'is outside the workspace' })
    else if (info === undefined) out.missing.push(target)
    else if (info.isSymbolicLink()) out.unreadable.push({ entry, why: 'is a symbolic link' })
    // lstat follows links above the last part: `linked/pod.yaml` under `linked -> /elsewhere` is a file.
    else if (containedDirectory(root, info.isDirectory() ? target : path.posix.dirname(target)) === undefined)
      out.unreadable.push({ entry, why: 'is reached through a symbolic link' })
    else if (!info.isDirectory()) {
      ;(rendered ? out.files : out.inputs).push(target)
      if (rendered && !canBeRemote) out.patches.push(target)
    } else out.dirs.push(target)
  }
  return out
}
