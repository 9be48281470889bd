import type { PackageRef } from './finding.js'

/**
 * The parts of a package URL (`pkg:type/namespace/name@version?qualifiers#subpath`) we report.
 * Not a full purl validator: enough to name the package and its version.
 */
export function packageFromPurl(purl: string, fixedVersions: string[] = []): PackageRef | undefined {
  if (!purl.startsWith('pkg:')) return undefined
  const end = purl.search(/[?#]/)
  const body = end === -1 ? purl.slice(4) : purl.slice(4, end)
  const slash = body.indexOf('/')
  if (slash <= 0) return undefined
  const ecosystem = body.slice(0, slash).toLowerCase()
  let rest = body.slice(slash + 1)
  let version: string | undefined
  const at = rest.lastIndexOf('@')
  if (at > 0) {
    version = safeDecode(rest.slice(at + 1))
    rest = rest.slice(0, at)
  }
  const segments = rest.split('/').filter(Boolean).map(safeDecode)
  if (segments.length === 0) return undefined
  // npm scopes and Go module paths are part of the name people know; os packages drop the vendor namespace.
  const keepNamespace = ecosystem === 'npm' || ecosystem === 'golang' || ecosystem === 'maven'
  const name = keepNamespace
    ? segments.join(ecosystem === 'maven' ? ':' : '/')
    : segments[segments.length - 1]!
  const pkg: PackageRef = { name, purl, ecosystem, fixedVersions }
  if (version) pkg.installedVersion = version
  return pkg
}

/**
 * A purl's `vcs_url` and `download_url` qualifiers (`?vcs_url=…`), which say what was installed: a pull
 * request that points a name at another repository, ref or archive brings another package. Other
 * qualifiers (arch, distro) describe the same package; '' when there are none.
 */
export function purlSource(purl: string): string {
  const query = /^[^?#]*\?([^#]*)/.exec(purl)?.[1]
  if (!query) return ''
  const kept = query.split('&').filter(q => q.startsWith('vcs_url=') || q.startsWith('download_url='))
  return kept.length > 0 ? `?${kept.sort().join('&')}` : ''
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text
  }
}
