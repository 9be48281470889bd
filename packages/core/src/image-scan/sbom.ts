import { randomUUID } from 'node:crypto'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../findings/json.js'
import type { Platform } from '../registry/platform.js'

export interface SbomSubject {
  /** registry/repository of the image. */
  name: string
  digest: string
  platform?: Platform
}

/** `pkg:oci/app@sha256%3A…?repository_url=ghcr.io/o/app&arch=amd64`, as the purl spec writes OCI images. */
export function ociPurl(subject: SbomSubject): string {
  const last = subject.name.split('/').pop() ?? subject.name
  const query = new URLSearchParams({ repository_url: subject.name })
  if (subject.platform) query.set('arch', subject.platform.architecture)
  return `pkg:oci/${encodeURIComponent(last)}@${encodeURIComponent(subject.digest)}?${query.toString().replace(/%2F/g, '/')}`
}

interface Component {
  'bom-ref': string
  type: 'library' | 'operating-system' | 'container'
  name: string
  version?: string
  purl?: string
  licenses?: { license: { name: string } }[]
  properties?: { name: string; value: string }[]
}

/**
 * A CycloneDX 1.6 SBOM of an image from Trivy's JSON report (`--list-all-pkgs`): the image as the
 * subject, every package Trivy found with its purl, licenses and where it lies in the image, the
 * operating system, and the dependency graph Trivy saw. Built from the one scan, so the SBOM and the
 * findings describe the same bytes.
 */
export function sbomFromTrivy(
  report: JsonObject,
  subject: SbomSubject,
  tool: { name: string; version: string },
  now = new Date()
): JsonObject {
  const root: Component = {
    'bom-ref': `${subject.name}@${subject.digest}`,
    type: 'container',
    name: subject.name,
    version: subject.digest,
    purl: ociPurl(subject)
  }
  const components: Component[] = []
  const refs = new Set<string>([root['bom-ref']])
  // Where the search for a free `#n` resumes per base: an image can hold thousands of copies of one
  // package (vendored node_modules), and probing from #2 each time was quadratic in them.
  const nextSuffix = new Map<string, number>()
  const uniqueRef = (wanted: string, base: string): string => {
    if (!refs.has(wanted)) return wanted
    let n = nextSuffix.get(base) ?? 2
    while (refs.has(`${base}#${n}`)) n++
    nextSuffix.set(base, n + 1)
    return `${base}#${n}`
  }
  const byId = new Map<string, string>()
  const dependsOn = new Map<string, string[]>()
  const os = asObject(asObject(report.Metadata)?.OS)
  if (os && asString(os.Family)) {
    const ref = `os:${asString(os.Family)}@${asString(os.Name) ?? ''}`
    refs.add(ref)
    components.push({
      'bom-ref': ref,
      type: 'operating-system',
      name: asString(os.Family)!,
      ...(asString(os.Name) ? { version: asString(os.Name) } : {})
    })
  }
  for (const rawResult of asArray(report.Results)) {
    const result = asObject(rawResult)
    const type = asString(result?.Type)
    for (const rawPackage of asArray(result?.Packages)) {
      const pkg = asObject(rawPackage)
      const name = asString(pkg?.Name)
      if (!pkg || !name) continue
      const purl = asString(asObject(pkg.Identifier)?.PURL)
      const ref = uniqueRef(
        purl ?? `pkg:${type ?? 'unknown'}/${name}@${asString(pkg.Version) ?? ''}`,
        purl ?? name
      )
      refs.add(ref)
      const id = asString(pkg.ID)
      if (id) byId.set(id, ref)
      const properties = [
        ...(type ? [{ name: 'aquasecurity:trivy:PkgType', value: type }] : []),
        ...(asString(pkg.FilePath)
          ? [{ name: 'secure-pipeline:path-in-image', value: `/${asString(pkg.FilePath)}` }]
          : []),
        ...(asString(asObject(pkg.Layer)?.DiffID)
          ? [{ name: 'secure-pipeline:layer-diff-id', value: asString(asObject(pkg.Layer)?.DiffID)! }]
          : [])
      ]
      const licenses = asStrings(pkg.Licenses)
      components.push({
        'bom-ref': ref,
        type: 'library',
        name,
        ...(asString(pkg.Version) ? { version: asString(pkg.Version) } : {}),
        ...(purl ? { purl } : {}),
        ...(licenses.length > 0 ? { licenses: licenses.map(l => ({ license: { name: l } })) } : {}),
        ...(properties.length > 0 ? { properties } : {})
      })
      const deps = asStrings(pkg.DependsOn)
      if (id && deps.length > 0) dependsOn.set(id, deps)
    }
  }
  const dependencies = [
    { ref: root['bom-ref'], dependsOn: components.map(c => c['bom-ref']) },
    ...[...dependsOn].flatMap(([id, deps]) => {
      const ref = byId.get(id)
      const targets = deps.flatMap(dep => (byId.get(dep) ? [byId.get(dep)!] : []))
      return ref ? [{ ref, dependsOn: targets }] : []
    })
  ]
  return {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${randomUUID()}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
      tools: {
        components: [{ type: 'application', group: 'aquasecurity', name: tool.name, version: tool.version }]
      },
      component: root
    },
    components,
    dependencies
  }
}
