import type { ToolProblem } from '../findings/finding.js'
import type { JsonObject } from '../findings/json.js'

/** Package types of an operating system's package manager, as Syft names them in Grype's SBOM. */
const OS_PACKAGE_TYPES = new Set(['deb', 'apk', 'rpm', 'alpm', 'portage'])

const NOT_SCANNED =
  'no operating system was detected, so its installed packages were not checked for vulnerabilities (an image without /etc/os-release); the scan is incomplete'

/**
 * What Trivy's report says it could not check. Trivy names the OS family "none" when it found
 * installed OS packages but no OS release file: it then skips them with only a log line, so an image
 * whose build deletes /etc/os-release would read as free of OS vulnerabilities. An end-of-life release
 * gets no more advisories: its result is kept, with a warning.
 */
export function trivyOsProblems(report: JsonObject): ToolProblem[] {
  const os = (report.Metadata as JsonObject | undefined)?.OS as JsonObject | undefined
  if (os?.Family === 'none') return [{ level: 'error', message: NOT_SCANNED }]
  if (os?.EOSL === true)
    return [
      {
        level: 'warning',
        message: `${String(os.Family)} ${String(os.Name)} is no longer supported by its distribution: vulnerabilities fixed since are not known`
      }
    ]
  return []
}

/**
 * The same for Grype: with no distribution detected it matches no OS package and only warns on its
 * log. Its report lists matches, not packages, so the packages are read from the SBOM it wrote.
 */
export function grypeOsProblems(report: JsonObject, sbom: string): ToolProblem[] {
  const distro = report.distro as JsonObject | undefined
  if (typeof distro?.name === 'string' && distro.name !== '') return []
  const components = (JSON.parse(sbom) as { components?: { properties?: unknown }[] }).components ?? []
  const osPackage = components.some(
    component =>
      Array.isArray(component.properties) &&
      component.properties.some(
        (p: { name?: unknown; value?: unknown }) =>
          p?.name === 'syft:package:type' && typeof p.value === 'string' && OS_PACKAGE_TYPES.has(p.value)
      )
  )
  return osPackage ? [{ level: 'error', message: NOT_SCANNED }] : []
}
