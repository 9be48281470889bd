import { randomUUID } from 'node:crypto'

/**
 * CycloneDX 1.6 JSON (cyclonedx.org/docs/1.6/json): the subset an SCA run knows. Each component is
 * one package version, identified by its purl; `evidence.occurrences` lists every dependency file
 * (and line, when known) it was found in, so a reader can tell which lockfile brought it in.
 */
export const CYCLONEDX_SPEC_VERSION = '1.6'

export interface SbomOccurrence {
  /** Repository-relative path of the lockfile or manifest. */
  location: string
  line?: number
}

export interface SbomComponent {
  name: string
  version?: string
  /** The ecosystem's namespace when the name has one (npm scope, Maven groupId, Go module path). */
  group?: string
  purl?: string
  /** SPDX ids or expressions, as the package declares them; others are kept as names. */
  licenses: readonly SbomLicense[]
  occurrences: readonly SbomOccurrence[]
  /** OSV ecosystem, kept as a property: purl types do not map back one to one. */
  ecosystem: string
}

export type SbomLicense = { id: string } | { expression: string } | { name: string }

export interface SbomInput {
  components: readonly SbomComponent[]
  /** The tools that produced it, first the action itself. */
  tools: readonly { name: string; version?: string }[]
  /** What the SBOM describes (the repository). */
  subject?: { name: string; version?: string }
  timestamp?: Date
  serialNumber?: string
}

export interface CycloneDxBom {
  bomFormat: 'CycloneDX'
  specVersion: string
  serialNumber: string
  version: number
  metadata: Record<string, unknown>
  components: Record<string, unknown>[]
}

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
  const out: Record<string, unknown> = { type: 'library', 'bom-ref': bomRef }
  if (input.group) out.group = input.group
  out.name = input.name
  if (input.version) out.version = input.version
  if (input.purl) out.purl = input.purl
  // A license list is either one expression or any number of ids/names, never a mix (CycloneDX 1.6).
  const expression = input.licenses.find(l => 'expression' in l)
  const licenses = expression ? [expression] : input.licenses
  if (licenses.length > 0) out.licenses = licenses.map(licenseChoice)
  out.properties = [{ name: ECOSYSTEM_PROPERTY, value: input.ecosystem }]
  if (input.occurrences.length > 0)
    out.evidence = {
      occurrences: input.occurrences.map(o => ({ location: o.location, ...(o.line ? { line: o.line } : {}) }))
    }
  return out
}

/**
 * bom-refs are unique: the purl when there is one, else ecosystem/name@version, suffixed `#n` on a clash
 * with the first `n` no other ref has taken (a purl may itself end in `#2`: that is its subpath).
 */
function bomRefs(components: readonly SbomComponent[]): string[] {
  const used = new Set<string>()
  const next = new Map<string, number>()
  return components.map(c => {
    const base = c.purl ?? `${c.ecosystem}/${c.name}@${c.version ?? ''}`
    let ref = base
    for (let n = next.get(base) ?? 2; used.has(ref); n++) {
      ref = `${base}#${n}`
      next.set(base, n + 1)
    }
    used.add(ref)
    return ref
  })
}

export function buildCycloneDx(input: SbomInput): CycloneDxBom {
  const refs = bomRefs(input.components)
  const [self, ...others] = input.tools
  const toolComponent = (tool: { name: string; version?: string }) => ({
    type: 'application',
    name: tool.name,
    ...(tool.version ? { version: tool.version } : {})
  })
  return {
    bomFormat: 'CycloneDX',
    specVersion: CYCLONEDX_SPEC_VERSION,
    serialNumber: input.serialNumber ?? `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: (input.timestamp ?? new Date()).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: { components: [self, ...others].filter(t => t !== undefined).map(toolComponent) },
      ...(input.subject
        ? {
            component: {
              type: 'application',
              'bom-ref': 'subject',
              name: input.subject.name,
              ...(input.subject.version ? { version: input.subject.version } : {})
            }
          }
        : {})
    },
    components: input.components.map((c, i) => component(c, refs[i]!))
  }
}

export function serializeBom(bom: CycloneDxBom): string {
  return `${JSON.stringify(bom, null, 2)}\n`
}
