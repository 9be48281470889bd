import type { PackageRef } from '../findings/finding.js'

const KNOWN_SCANNERS = [
  'trivy',
  'grype',
  'semgrep',
  'opengrep',
  'osv-scanner',
  'codeql',
  'zizmor',
  'actionlint',
  'gitleaks',
  'checkov',
  'kics',
  'hadolint',
  'bandit',
  'eslint',
  'snyk',
  'dependency-check'
]

/** `Semgrep OSS` → `semgrep`, `CodeQL command-line toolchain` → `codeql`; other names lower-cased. */
export function scannerName(driverName: string): string {
  const lower = driverName.trim().toLowerCase()
  for (const known of KNOWN_SCANNERS) if (lower.startsWith(known)) return known
  return lower
}

/**
 * A SARIF artifact uri as a repository path: percent-decoded, forward slashes, no `./`; `file://` uris
 * under the run's SRCROOT become relative, other absolute ones keep their path.
 */
export function toRepoPath(uri: string, srcRoot?: string): string {
  let path = uri
  if (srcRoot && path.startsWith(srcRoot)) path = path.slice(srcRoot.length)
  if (path.startsWith('file://')) path = path.slice(7)
  if (path.includes('%')) {
    try {
      path = decodeURIComponent(path)
    } catch {
      // Not percent-encoded after all: keep it as written.
    }
  }
  if (path.includes('\\')) path = path.replace(/\\/g, '/')
  while (path.startsWith('./')) path = path.slice(2)
  return path
}

/**
 * Package and version from scanner messages, for SARIF without a purl:
 * Trivy `Package: musl\nInstalled Version: 1.1\n…Fixed Version: 1.2`, osv-scanner
 * `Package 'ansi-html@0.0.1' is vulnerable`, Grype `… package: package-1, version 1.1.1 was found`.
 */
export function packageFromMessage(message: string): PackageRef | undefined {
  if (message.startsWith('Package: ')) {
    const lines = message.split('\n')
    const field = (label: string) =>
      lines
        .find(line => line.startsWith(label))
        ?.slice(label.length)
        .trim()
    const name = field('Package: ')
    if (!name) return undefined
    const pkg: PackageRef = { name, fixedVersions: splitVersions(field('Fixed Version: ')) }
    const installed = field('Installed Version: ')
    if (installed) pkg.installedVersion = installed
    return pkg
  }
  const osv = /^Package '(.+)@([^@']+)' is vulnerable/.exec(message)
  if (osv) return { name: osv[1]!, installedVersion: osv[2]!, fixedVersions: [] }
  const grype = / package: (\S+), version (\S+) was found/.exec(message)
  if (grype) return { name: grype[1]!, installedVersion: grype[2]!, fixedVersions: [] }
  return undefined
}

function splitVersions(text: string | undefined): string[] {
  return text ? text.split(/,\s*/).filter(Boolean) : []
}
