import { buildCycloneDx, type CycloneDxBom, type SbomComponent, type SbomLicense } from '../sbom/cyclonedx.js'
import { packagePurl } from '../sbom/purl.js'
import type { LockfileText } from './enrich.js'
import { licenseForm } from './licenses.js'
import type { ScannedPackage } from './model.js'

function licensesOf(declared: readonly string[]): SbomLicense[] {
  return declared.map(value => {
    const form = licenseForm(value)
    return form.kind === 'id'
      ? { id: form.id }
      : form.kind === 'expression'
        ? { expression: value }
        : { name: value }
  })
}

/** Group (namespace) and name as CycloneDX splits them: npm scope, Maven groupId, Go module path prefix. */
function groupAndName(ecosystem: string, name: string): { group?: string; name: string } {
  const base = ecosystem.split(':')[0]
  const separator =
    base === 'Maven' ? ':' : base === 'npm' || base === 'Go' || base === 'Packagist' ? '/' : undefined
  const at = separator ? name.lastIndexOf(separator) : -1
  return at > 0 ? { group: name.slice(0, at), name: name.slice(at + 1) } : { name }
}

/**
 * One component per package version (by purl, else ecosystem/name@version), listing every dependency
 * file it was found in and the line declaring it there.
 */
export function sbomComponents(packages: readonly ScannedPackage[], text: LockfileText): SbomComponent[] {
  const components = new Map<string, SbomComponent & { occurrences: { location: string; line?: number }[] }>()
  for (const pkg of packages) {
    const purl = packagePurl(pkg)
    const key = purl ?? `${pkg.ecosystem}\u0000${pkg.name}\u0000${pkg.version ?? ''}`
    let component = components.get(key)
    if (!component) {
      component = {
        ...groupAndName(pkg.ecosystem, pkg.name),
        ...(pkg.version ? { version: pkg.version } : {}),
        ...(purl ? { purl } : {}),
        ecosystem: pkg.ecosystem,
        licenses: licensesOf(pkg.licenses),
        occurrences: []
      }
      components.set(key, component)
    } else if (component.licenses.length === 0 && pkg.licenses.length > 0) {
      component.licenses = licensesOf(pkg.licenses)
    }
    if (component.occurrences.some(o => o.location === pkg.lockfile)) continue
    const line = text.line(pkg.lockfile, pkg)
    component.occurrences.push({ location: pkg.lockfile, ...(line ? { line } : {}) })
  }
  return [...components.values()]
}

export function buildScaSbom(
  packages: readonly ScannedPackage[],
  text: LockfileText,
  context: { tool: { name: string; version?: string }; repository?: string; commit?: string }
): CycloneDxBom {
  return buildCycloneDx({
    components: sbomComponents(packages, text),
    tools: [{ name: 'secure-pipeline sca' }, context.tool],
    ...(context.repository
      ? { subject: { name: context.repository, ...(context.commit ? { version: context.commit } : {}) } }
      : {})
  })
}
