import { randomUUID } from 'node:crypto'

/**
 * CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json): the one writer, for the subset an SCA run or an
 * image scan knows. Each component is one package version, identified by its purl; `evidence.occurrences`
 * lists every dependency file (and line, when known) it was found in, so a reader can tell which lockfile
 * brought it in.
 */
export const CYCLONEDX_SPEC_VERSION = '1.6'

export interface SbomOccurrence {
  /** Repository-relative path of the lockfile or manifest. */
  location: string
  line?: number
}

export interface SbomProperty {
  name: string
  value: string
}

export interface SbomComponent {
  /** A library unless said otherwise (an image's operating system). */
  type?: 'library' | 'operating-system'
  /** The bom-ref wanted instead of the purl (or the fallback without one); made unique like any other. */
  bomRef?: string
  name: string
  version?: string
  /** The ecosystem's namespace when the name has one (npm scope, Maven groupId, Go module path). */
  group?: string
  purl?: string
  /** SPDX ids or expressions, as the package declares them; others are kept as names. */
  licenses: readonly SbomLicense[]
  occurrences: readonly SbomOccurrence[]
  /** OSV ecosystem, kept as a property: purl types do not map back one to one. */
  ecosystem?: string
  /** Further properties, written after the ecosystem. */
  properties?: readonly SbomProperty[]
}

export type SbomLicense = { id: string } | { expression: string } | { name: string }

export interface SbomInput {
  components: readonly SbomComponent[]
  /** The tools that produced it, first the action itself. */
  tools: readonly SbomTool[]
  /** What the SBOM describes: the repository (an application, bom-ref `subject`) or an image. */
  subject?: SbomSubject
  /**
   * The dependency graph, by index into `components`. When given, `dependencies` is written: the subject
   * depending on every component, then these edges.
   */
  dependencies?: readonly { component: number; dependsOn: readonly number[] }[]
  /** Name the JSON schema in `$schema`. */
  schemaRef?: boolean
  timestamp?: Date
  serialNumber?: string
}

export interface SbomTool {
  group?: string
  name: string
  version?: string
}

export interface SbomSubject {
  type?: 'application' | 'container'
  bomRef?: string
  name: string
  version?: string
  purl?: string
}

export interface CycloneDxBom {
  $schema?: string
  bomFormat: 'CycloneDX'
  specVersion: string
  serialNumber: string
  version: number
  metadata: Record<string, unknown>
  components: Record<string, unknown>[]
  dependencies?: { ref: string; dependsOn: string[] }[]
}

export const CYCLONEDX_SCHEMA = 'http://cyclonedx.org/schema/bom-1.6.schema.json'

const ECOSYSTEM_PROPERTY = 'secure-pipeline:ecosystem'

/**
 * CycloneDX's `license.id` is an enum of the SPDX license list: a LicenseRef (a package's own license,
 * valid SPDX) there makes the whole document invalid, so it is written as the license's name.
 */
const LICENSE_REF = /^(?:DocumentRef-[^:]+:)?LicenseRef-/

function licenseChoice(license: SbomLicense): Record<string, unknown> {
  if ('expression' in license) return { expression: license.expression }
  if ('name' in license) return { license: { name: license.name } }
  return { license: LICENSE_REF.test(license.id) ? { name: license.id } : { id: license.id } }
}

function component(input: SbomComponent, bomRef: string): Record<string, unknown> {
  const out: Record<string, unknown> = { type: input.type ?? 'library', 'bom-ref': bomRef }
  if (input.group) out.group = input.group
  out.name = input.name
  if (input.version) out.version = input.version
  if (input.purl) out.purl = input.purl
  // A license list is either one expression or any number of ids/names, never a mix (CycloneDX 1.6).
  const expression = input.licenses.find(l => 'expression' in l)
  const licenses = expression ? [expression] : input.licenses
  if (licenses.length > 0) out.licenses = licenses.map(licenseChoice)
  const properties = [
    ...(input.ecosystem !== undefined ? [{ name: ECOSYSTEM_PROPERTY, value: input.ecosystem }] : []),
    ...(input.properties ?? []).map(p => ({ name: p.name, value: p.value }))
  ]
  if (properties.length > 0) out.properties = properties
  if (input.occurrences.length > 0)
    out.evidence = {
      occurrences: input.occurrences.map(o => ({ location: o.location, ...(o.line ? { line: o.line } : {}) }))
    }
  return out
}

/**
 * bom-refs are unique, the subject's among them: the one asked for, else the purl, else
 * ecosystem/name@version, suffixed `#n` on a clash with the first `n` no other ref has taken (a purl may
 * itself end in `#2`: that is its subpath). Where the search resumes is kept per base: an image can hold
 * thousands of copies of one package (vendored node_modules).
 */
function bomRefs(components: readonly SbomComponent[], reserved: string | undefined): string[] {
  const used = new Set<string>(reserved === undefined ? [] : [reserved])
  const next = new Map<string, number>()
  return components.map(c => {
    const base =
      c.bomRef ??
      c.purl ??
      `${c.ecosystem === undefined ? '' : `${c.ecosystem}/`}${c.name}@${c.version ?? ''}`
    let ref = base
    for (let n = next.get(base) ?? 2; used.has(ref); n++) {
      ref = `${base}#${n}`
      next.set(base, n + 1)
    }
    used.add(ref)
    return ref
  })
}

function subjectComponent(subject: SbomSubject, bomRef: string): Record<string, unknown> {
  return {
    type: subject.type ?? 'application',
    'bom-ref': bomRef,
    name: subject.name,
    ...(subject.version ? { version: subject.version } : {}),
    ...(subject.purl ? { purl: subject.purl } : {})
  }
}

/** `dependsOn` is a set in the schema: a target Trivy (or anyone) gives twice is written once. */
function dependencyGraph(
  input: SbomInput,
  refs: readonly string[],
  subjectRef: string | undefined
): { ref: string; dependsOn: string[] }[] | undefined {
  if (!input.dependencies) return undefined
  const edge = (ref: string, targets: readonly string[]) => ({ ref, dependsOn: [...new Set(targets)] })
  return [
    ...(subjectRef !== undefined ? [edge(subjectRef, refs)] : []),
    ...input.dependencies.map(d =>
      edge(
        refs[d.component]!,
        d.dependsOn.map(i => refs[i]!)
      )
    )
  ]
}

export function buildCycloneDx(input: SbomInput): CycloneDxBom {
  const subjectRef = input.subject ? (input.subject.bomRef ?? 'subject') : undefined
  const refs = bomRefs(input.components, subjectRef)
  const [self, ...others] = input.tools
  const toolComponent = (tool: SbomTool) => ({
    type: 'application',
    ...(tool.group ? { group: tool.group } : {}),
    name: tool.name,
    ...(tool.version ? { version: tool.version } : {})
  })
  const dependencies = dependencyGraph(input, refs, subjectRef)
  return {
    ...(input.schemaRef ? { $schema: CYCLONEDX_SCHEMA } : {}),
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: input.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (input.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [self, ...others].filter(t => t !== undefined).map(toolComponent) },
      ...(input.subject ? { component: subjectComponent(input.subject, subjectRef!) } : {})
    },
    components: input.components.map((c, i) => component(c, refs[i]!)),
    ...(dependencies ? { dependencies } : {})
  }
}

export function serializeBom(bom: CycloneDxBom): string {
  return `${JSON.stringify(bom, null, 2)}\n`
}
