/**
 * Package URLs (purl spec, github.com/package-url/purl-spec) for packages named as OSV names them:
 * the ecosystem (`npm`, `PyPI`, `Go`, `Maven`, `crates.io`, …), the name and the version.
 */

/** OSV ecosystem → purl type. Ecosystems with a `:release` suffix (`Debian:12`) use the part before it. */
const PURL_TYPES: Readonly<Record<string, string>> = {
  npm: 'npm',
  PyPI: 'pypi',
  Go: 'golang',
  Maven: 'maven',
  'crates.io': 'cargo',
  RubyGems: 'gem',
  Packagist: 'composer',
  NuGet: 'nuget',
  Pub: 'pub',
  Hex: 'hex',
  CRAN: 'cran',
  Hackage: 'hackage',
  ConanCenter: 'conan',
  SwiftURL: 'swift',
  'GitHub Actions': 'githubactions',
  Bioconductor: 'bioconductor',
  CocoaPods: 'cocoapods'
}

/** Where a package was installed from other than its registry: a VCS (`git+https://…@ref`) or an archive URL. */
export interface PackageSource {
  kind: 'vcs' | 'download'
  /** Without credentials: it is shown and written to SBOMs. */
  url: string
}

export interface PackageCoordinates {
  ecosystem: string
  name: string
  version?: string
  source?: PackageSource
}

/** Distributions: their purl type and the vendor namespace the spec gives their packages. */
const DISTRIBUTIONS: Readonly<Record<string, { type: string; namespace: string }>> = {
  Debian: { type: 'deb', namespace: 'debian' },
  Ubuntu: { type: 'deb', namespace: 'ubuntu' },
  Alpine: { type: 'apk', namespace: 'alpine' }
}

const baseEcosystem = (ecosystem: string) => ecosystem.split(':')[0] ?? ecosystem

/** The purl type for an OSV ecosystem, or undefined for one purl has no type for. */
export function purlType(ecosystem: string): string | undefined {
  const base = baseEcosystem(ecosystem)
  if (Object.hasOwn(DISTRIBUTIONS, base)) return DISTRIBUTIONS[base]!.type
  return Object.hasOwn(PURL_TYPES, base) ? PURL_TYPES[base] : undefined
}

/** Percent-encodes all but the purl spec's unreserved characters (so `@` in a scope is `%40`). */
function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, c => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
}

/** PEP 503: runs of `-`, `_` and `.` become one `-`, lower case. The purl spec normalizes PyPI names so. */
export function pep503Name(name: string): string {
  return name.replace(/[-_.]+/g, '-').toLowerCase()
}

/** Namespace segments and the name, per the purl type's rules. */
function namespaceAndName(type: string, name: string): { namespace: string[]; name: string } {
  const split = (separator: string) => {
    const parts = name.split(separator).filter(Boolean)
    return { namespace: parts.slice(0, -1), name: parts[parts.length - 1] ?? name }
  }
  switch (type) {
    case 'maven':
      return name.includes(':') ? split(':') : { namespace: [], name }
    case 'npm':
    case 'golang':
    case 'composer':
    case 'swift':
    case 'githubactions':
      return split('/')
    case 'pypi':
      return { namespace: [], name: pep503Name(name) }
    default:
      return { namespace: [], name }
  }
}

/** `pkg:npm/%40babel/code-frame@7.0.0` for ecosystem npm, name @babel/code-frame, version 7.0.0. */
export function packagePurl(pkg: PackageCoordinates): string | undefined {
  const type = purlType(pkg.ecosystem)
  if (!type || !pkg.name) return undefined
  const distribution = Object.hasOwn(DISTRIBUTIONS, baseEcosystem(pkg.ecosystem))
    ? DISTRIBUTIONS[baseEcosystem(pkg.ecosystem)]!
    : undefined
  const parts = distribution
    ? { namespace: [distribution.namespace], name: pkg.name }
    : namespaceAndName(type, pkg.name)
  const path = [...parts.namespace, parts.name].map(encodeSegment).join('/')
  return `pkg:${type}/${path}${pkg.version ? `@${encodeSegment(pkg.version)}` : ''}${sourceQualifier(pkg.source)}`
}

/** The spec's `vcs_url` or `download_url` qualifier; its value keeps `:` and `/`, as the spec's own examples do. */
function sourceQualifier(source: PackageSource | undefined): string {
  if (!source) return ''
  const value = encodeSegment(source.url).replace(/%3A/g, ':').replace(/%2F/g, '/')
  return `?${source.kind === 'vcs' ? 'vcs_url' : 'download_url'}=${value}`
}

/**
 * OSV ecosystems named elsewhere than in the purl tables above; with them, every base name osv-scanner
 * keeps an offline archive for. Ecosystem names are case-sensitive there: `pypi` is no archive it reads.
 */
const OTHER_OSV_ECOSYSTEMS = [
  'GIT',
  'Linux',
  'Android',
  'OSS-Fuzz',
  'Rocky Linux',
  'AlmaLinux',
  'Red Hat',
  'SUSE',
  'openSUSE',
  'Photon OS',
  'Mageia',
  'Wolfi',
  'Chainguard',
  'openEuler',
  'MinimOS',
  'Julia',
  'Azure Linux',
  'Echo',
  'Ubuntu',
  'Debian',
  'Alpine'
]
const OSV_ECOSYSTEMS = new Map(
  [...Object.keys(PURL_TYPES), ...OTHER_OSV_ECOSYSTEMS].map(name => [name.toLowerCase(), name])
)

/** The OSV schema's spelling of an ecosystem (`pypi:3` → `PyPI:3`); an unknown one is returned as is. */
export function canonicalOsvEcosystem(ecosystem: string): string {
  const [base, ...suffix] = ecosystem.split(':')
  const known = OSV_ECOSYSTEMS.get((base ?? '').trim().toLowerCase())
  return known ? [known, ...suffix].join(':') : ecosystem
}

/**
 * The OSV ecosystem and name a language package's purl names (`pkg:maven/g/a` → Maven `g:a`), without
 * its version, qualifiers or subpath; undefined for distributions (their OSV name needs a release).
 */
export function osvPackageOfPurl(purl: string): { ecosystem: string; name: string } | undefined {
  const match = /^pkg:([A-Za-z0-9.+-]+)\/([^?#]+)/.exec(purl.trim())
  if (!match) return undefined
  const type = match[1]!.toLowerCase()
  const ecosystem = Object.keys(PURL_TYPES).find(key => PURL_TYPES[key] === type)
  const at = match[2]!.lastIndexOf('@')
  const path = at > 0 ? match[2]!.slice(0, at) : match[2]!
  let segments: string[]
  try {
    segments = path.split('/').filter(Boolean).map(decodeURIComponent)
  } catch {
    return undefined
  }
  if (!ecosystem || segments.length === 0) return undefined
  return { ecosystem, name: segments.join(type === 'maven' ? ':' : '/') }
}
