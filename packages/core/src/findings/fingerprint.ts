import { createHash } from 'node:crypto'
import type { Finding } from './finding.js'

/** Scanner fingerprints we trust to survive line shifts, best first. */
const SCANNER_FINGERPRINT_KEYS = [
  'matchBasedId/v1',
  'primaryLocationLineHash',
  'primaryLocationStartColumnFingerprint'
]
const OUR_KEY = 'securePipeline/v1'

export type FingerprintInput = Pick<
  Finding,
  'ruleId' | 'kind' | 'location' | 'package' | 'image' | 'partialFingerprints' | 'scanner'
>

/**
 * sha256 (first 32 hex chars) over what identifies the problem rather than where it is this time:
 *  - always the rule id;
 *  - the file path when there is one (a lockfile or manifest for dependencies, so the same package in two
 *    lockfiles stays two findings);
 *  - code/config/secret: the scanner's own line-independent fingerprint when present (Semgrep
 *    `matchBasedId/v1`, CodeQL `primaryLocationLineHash`), else `context` (the matched snippet,
 *    whitespace-collapsed), else the start line as a last resort (line-dependent, but never merges two
 *    different matches in one file). The message is left out: it often embeds versions or counts.
 *  - dependency/image: the purl without qualifiers (`?arch=…&distro=…` changes with the base image's
 *    patch level) or ecosystem/name@installedVersion;
 *  - image: the repository only (no tag, no digest), so a rebuild of the same image keeps its findings.
 */
export function computeFingerprint(finding: FingerprintInput, context?: string): string {
  const parts: string[] = [finding.ruleId, finding.location?.path ?? '']
  if (finding.package) {
    parts.push(packageIdentity(finding.package))
  } else {
    const own = scannerFingerprint(finding.partialFingerprints)
    if (own) parts.push(own)
    else if (context && context.trim()) parts.push(`ctx:${context.replace(/\s+/g, ' ').trim()}`)
    else parts.push(`line:${finding.location?.startLine ?? ''}`)
  }
  if (finding.image) parts.push(`image:${imageRepository(finding.image)}`)
  return createHash('sha256').update(parts.join('\u0000')).digest('hex').slice(0, 32)
}

function scannerFingerprint(fingerprints: Record<string, string>): string | undefined {
  for (const key of SCANNER_FINGERPRINT_KEYS) {
    const value = fingerprints[key]
    if (value) return `${key}=${value}`
  }
  const other = Object.keys(fingerprints)
    .filter(key => key !== OUR_KEY && fingerprints[key])
    .sort()
  return other.length > 0 ? other.map(key => `${key}=${fingerprints[key]}`).join(',') : undefined
}

function packageIdentity(pkg: NonNullable<Finding['package']>): string {
  if (pkg.purl) {
    const end = pkg.purl.search(/[?#]/)
    return `purl:${end === -1 ? pkg.purl : pkg.purl.slice(0, end)}`
  }
  return `pkg:${pkg.ecosystem ?? ''}/${pkg.name}@${pkg.installedVersion ?? ''}`
}

/** `ghcr.io/o/app:1.2@sha256:…` → `ghcr.io/o/app`; a registry port (`host:5000/app`) is kept. */
export function imageRepository(image: string): string {
  const withoutDigest = image.split('@', 1)[0] ?? image
  const slash = withoutDigest.lastIndexOf('/')
  const colon = withoutDigest.lastIndexOf(':')
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest
}
