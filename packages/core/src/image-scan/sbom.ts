import { asArray, asObject, asString, asStrings, type JsonObject } from '../findings/json.js'
import type { Platform } from '../registry/platform.js'
import { buildCycloneDx, type CycloneDxBom, type SbomComponent } from '../sbom/cyclonedx.js'

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

/**
 * A CycloneDX 1.6 SBOM of an image from Trivy's JSON report (`--list-all-pkgs`): the image as the
 * subject, every package Trivy found with its purl, licenses and where it lies in the image, the
 * operating system, and the dependency graph Trivy saw. Built from the one scan, so the SBOM and the
 * findings describe the same bytes; written by the one CycloneDX writer (sbom/cyclonedx.ts).
 */
export function sbomFromTrivy(
  report: JsonObject,
  subject: SbomSubject,
  tool: { name: string; version: string },
  now = new Date()
): CycloneDxBom {
  const components: SbomComponent[] = []
  const os = asObject(asObject(report.Metadata)?.OS)
  const family = asString(os?.Family)
  if (family) {
    const release = asString(os?.Name)
    components.push({
      type: 'operating-system',
      bomRef: `os:${family}@${release ?? ''}`,
      name: family,
      ...(release ? { version: release } : {}),
      licenses: [],
      occurrences: []
    })
  }
  // Trivy's package IDs (the last package holding one wins, as in Trivy's own graph) and their DependsOn.
  const byId = new Map<string, number>()
  const dependsOn = new Map<string, string[]>()
  for (const rawResult of asArray(report.Results)) {
    const result = asObject(rawResult)
    const type = asString(result?.Type)
    for (const rawPackage of asArray(result?.Packages)) {
      const pkg = asObject(rawPackage)
      const name = asString(pkg?.Name)
      if (!pkg || !name) continue
      const version = asString(pkg.Version)
      const purl = asString(asObject(pkg.Identifier)?.PURL)
      const path = asString(pkg.FilePath)
      const diffId = asString(asObject(pkg.Layer)?.DiffID)
      const id = asString(pkg.ID)
      if (id) byId.set(id, components.length)
      components.push({
        ...(purl ? { purl } : { bomRef: `pkg:${type ?? 'unknown'}/${name}@${version ?? ''}` }),
        name,
        ...(version ? { version } : {}),
        // Trivy's license strings are names as the package gave them, not checked SPDX ids.
        licenses: asStrings(pkg.Licenses).map(l => ({ name: l })),
        occurrences: [],
        properties: [
          ...(type ? [{ name: 'aquasecurity:trivy:PkgType', value: type }] : []),
          ...(path ? [{ name: 'secure-pipeline:path-in-image', value: `/${path}` }] : []),
          ...(diffId ? [{ name: 'secure-pipeline:layer-diff-id', value: diffId }] : [])
        ]
      })
      const deps = asStrings(pkg.DependsOn)
      if (id && deps.length > 0) dependsOn.set(id, deps)
    }
  }
  return buildCycloneDx({
    schemaRef: true,
    components,
    tools: [{ group: 'aquasecurity', name: tool.name, version: tool.version }],
    subject: {
      type: 'container',
      bomRef: `${subject.name}@${subject.digest}`,
      name: subject.name,
      version: subject.digest,
      purl: ociPurl(subject)
    },
    dependencies: [...dependsOn].map(([id, deps]) => ({
      component: byId.get(id)!,
      dependsOn: deps.flatMap(dep => (byId.has(dep) ? [byId.get(dep)!] : []))
    })),
    timestamp: now
  })
}
