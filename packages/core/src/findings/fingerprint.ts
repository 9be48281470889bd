import { splitReference } from '../images/reference.js'
import type { Finding } from './finding.js'
import { purlSource } from './purl.js'
import { sha256Hex } from './sha256.js'

const OUR_KEY = 'securePipeline/v1'

export type FingerprintInput = Pick<
  Finding,
  'ruleId' | 'kind' | 'location' | 'package' | 'image' | 'partialFingerprints' | 'scanner'
> &
  Partial<Pick<Finding, 'message'>>

const FINGERPRINT = /^[0-9a-f]{32}$/

/**
 * A fingerprint as computeFingerprint writes it. One read back from a report is used only in this shape:
 * anything else was not written by us, and a made-up value could pose as a baselined finding.
 */
export function isFingerprint(value: unknown): value is string {
  return typeof value === 'string' && FINGERPRINT.test(value)
}

/**
 * sha256 (first 32 hex chars) over what identifies the problem rather than where it is this time:
 *  - always the rule id;
 *  - the file path when there is one (a lockfile or manifest for dependencies, so the same package in two
 *    lockfiles stays two findings);
 *  - code/config/secret: the scanner's own line-independent fingerprint when present (Semgrep
 *    `matchBasedId/v1`, CodeQL `primaryLocationLineHash`), else `context` (the matched snippet,
 *    whitespace-collapsed), else the start line (line-dependent, but never merges two different matches
 *    in one file), else the message for results with no line at all. The message is otherwise left out:
 *    it often embeds versions or counts.
 *  - dependency/image: the purl without qualifiers (`?arch=…&distro=…` changes with the base image's
 *    patch level) or ecosystem/name@installedVersion;
 *  - image: the repository only (no tag, no digest), so a rebuild of the same image keeps its findings.
 */
export function computeFingerprint(finding: FingerprintInput, context?: string): string {
  return fingerprintOfKey(fingerprintKey(finding, context))
}

/** What computeFingerprint hashes: findings with equal keys are the same problem. */
export function fingerprintKey(finding: FingerprintInput, context?: string): string {
  // Plain concatenation: this runs once per finding, 100,000 times for a large report.
  let key = `${finding.ruleId}\u0000${finding.location?.path ?? ''}\u0000`
  if (finding.package) {
    key += packageIdentity(finding.package)
  } else {
    const own = scannerFingerprint(finding.partialFingerprints)
    if (own) key += own
    else if (context && context.trim()) key += `ctx:${context.replace(/\s+/g, ' ').trim()}`
    else if (finding.location?.startLine) key += `line:${finding.location.startLine}`
    else key += `msg:${(finding.message ?? '').replace(/\s+/g, ' ').trim()}`
  }
  if (finding.image) key += `\u0000image:${imageRepository(finding.image)}`
  return key
}

/**
 * One finding at one place. Copies of a line in a file share a fingerprint when the scanner gives none of
 * its own (the snippet is the key), yet they are two findings; the same finding read from two reports is one.
 */
export function occurrenceKey(f: Pick<Finding, 'fingerprint' | 'location'>): string {
  return `${f.fingerprint}\u0000${f.location?.path ?? ''}\u0000${f.location?.startLine ?? ''}`
}

/** The fingerprint of a key: the first 32 hex characters of its sha256. */
export function fingerprintOfKey(key: string): string {
  // A 32-character slice would keep the whole 64-character digest alive as its parent (64 bytes more per
  // finding, 6 MB on a large report); converting the case twice yields a flat copy of the same lower-case hex.
  return sha256Hex(key).slice(0, 32).toUpperCase().toLowerCase()
}

/** Scanner fingerprints we trust to survive line shifts, best first; else all others, sorted. */
function scannerFingerprint(fingerprints: Record<string, string>): string | undefined {
  // Spelled out rather than looped over a key list: constant keys keep each lookup cheap.
  const semgrep = fingerprints['matchBasedId/v1']
  if (semgrep) return `matchBasedId/v1=${semgrep}`
  const codeql = fingerprints.primaryLocationLineHash
  if (codeql) return `primaryLocationLineHash=${codeql}`
  const column = fingerprints.primaryLocationStartColumnFingerprint
  if (column) return `primaryLocationStartColumnFingerprint=${column}`
  const other = Object.keys(fingerprints)
    .filter(key => key !== OUR_KEY && fingerprints[key])
    .sort()
  return other.length > 0 ? other.map(key => `${key}=${fingerprints[key]}`).join(',') : undefined
}

function packageIdentity(pkg: NonNullable<Finding['package']>): string {
  if (pkg.purl) {
    const end = pkg.purl.search(/[?#]/)
    if (end === -1) return `purl:${pkg.purl}`
    return `purl:${pkg.purl.slice(0, end)}${purlSource(pkg.purl)}`
  }
  return `pkg:${pkg.ecosystem ?? ''}/${pkg.name}@${pkg.installedVersion ?? ''}`
}

let lastImage = ''
let lastRepository = ''

/** `ghcr.io/o/app:1.2@sha256:…` → `ghcr.io/o/app`; a registry port (`host:5000/app`) is kept. */
export function imageRepository(image: string): string {
  // Every finding of an image scan names the same image: remember the last answer.
  if (image === lastImage) return lastRepository
  lastImage = image
  lastRepository = splitReference(image).name
  return lastRepository
}
