import { countBySeverity } from '../findings/counts.js'
import { SEVERITIES, type Finding } from '../findings/finding.js'
import { formatPlatform } from '../registry/platform.js'
import { truncateText } from '../report/html-escape.js'
import { escapeMarkdown, markdownTable, tableCodeSpan } from '../report/markdown.js'
import type { ImageScanResult } from './run.js'

const TOP_FINDINGS = 50
/**
 * Whoever built the image wrote its package names and versions: one megabyte-long value made the
 * summary drop the whole findings table. Cut as the gate cuts; the SARIF keeps them whole.
 */
const ID_CHARS = 80
const CELL_CHARS = 120
const MESSAGE_CHARS = 160

function pinLine(result: ImageScanResult): string {
  const { image } = result
  const platform = image.platform
    ? ` (${tableCodeSpan(formatPlatform(image.platform))}${image.indexDigest ? `, chosen from the index ${tableCodeSpan(image.indexDigest)}` : ''})`
    : ''
  if (image.digestKind === 'image-id')
    return `Scanned the docker save archive ${tableCodeSpan(image.asked)}, image ID ${tableCodeSpan(image.digest)}${platform}. An archive has no registry digest: pin the digest the registry gives after the push.`
  const where =
    image.kind === 'registry'
      ? `${tableCodeSpan(image.asked)} resolved to`
      : `the OCI layout ${tableCodeSpan(image.asked)}:`
  return `Scanned ${where} **${tableCodeSpan(`${image.name}@${image.digest}`)}**${platform}. This is the digest to pin: it names exactly the bytes scanned.`
}

function dbLine(result: ImageScanResult): string | undefined {
  const { db } = result
  if (!db) return undefined
  const built = db.builtAt.toISOString().replace(/:\d{2}\.\d{3}Z$/, 'Z')
  const from =
    db.source === 'downloaded'
      ? `downloaded from ${tableCodeSpan(db.repository ?? '')}`
      : db.source === 'cache'
        ? 'restored from the Actions cache'
        : 'found on the runner (pre-seeded, or downloaded earlier in this job)'
  const stale = db.stale
    ? ' **It is older than the maximum age: recent vulnerabilities may be missing.**'
    : ''
  return `Vulnerability DB built ${built}, ${Math.round(db.ageHours)} h old, ${from}.${stale}`
}

/** A package finding shows its versions; a secret or misconfiguration what it is and where in the image. */
function findingRow(finding: Finding): string[] {
  const pkg = finding.package
  if (!pkg)
    return [
      finding.severity,
      tableCodeSpan(truncateText(finding.ruleId, ID_CHARS)),
      escapeMarkdown(`${finding.kind}: ${truncateText(finding.message, MESSAGE_CHARS)}`),
      '',
      ''
    ]
  return [
    finding.severity,
    tableCodeSpan(truncateText(finding.ruleId, ID_CHARS)),
    escapeMarkdown(truncateText(pkg.name, CELL_CHARS)),
    pkg.installedVersion ? escapeMarkdown(truncateText(pkg.installedVersion, CELL_CHARS)) : '',
    escapeMarkdown(truncateText(pkg.fixedVersions.join(', ') || 'none yet', CELL_CHARS))
  ]
}

/** The job summary: the digest scanned (to pin), the engine and DB, counts, the worst findings. */
export function renderImageScanSummary(
  result: ImageScanResult,
  files: { sarif: string; sbom: string }
): string {
  const counts = countBySeverity(result.findings)
  const total = SEVERITIES.reduce((sum, s) => sum + counts[s], 0)
  const parts = [`## Image scan: ${escapeMarkdown(result.image.name)}`, pinLine(result)]
  parts.push(
    `Engine: ${escapeMarkdown(`${result.engine.engine} ${result.engine.version}`)}; scanners: ${result.scanners.join(', ')}.`
  )
  const db = dbLine(result)
  if (db) parts.push(db)
  const { vex } = result
  if (vex.applied.length > 0)
    parts.push(
      `VEX applied: ${vex.applied.map(v => `${tableCodeSpan(v.path)} (${escapeMarkdown(v.origin)})`).join(', ')}.`
    )
  for (const missing of vex.notApplied)
    parts.push(
      `> [!NOTE]\n> VEX ${tableCodeSpan(missing.path)} not applied: ${escapeMarkdown(missing.reason)}.`
    )
  if (vex.proposed.length > 0)
    parts.push(
      `> [!NOTE]\n> This change edits ${vex.proposed.map(tableCodeSpan).join(', ')}; the version from before the change decides until it is merged.`
    )
  parts.push(
    markdownTable(
      [...SEVERITIES, 'total'],
      [[...SEVERITIES.map(s => counts[s]), total]],
      [...SEVERITIES.map(() => 'r' as const), 'r']
    )
  )
  const shown = result.findings.slice(0, TOP_FINDINGS)
  if (shown.length > 0) {
    parts.push(
      markdownTable(['severity', 'id', 'package or finding', 'installed', 'fixed in'], shown.map(findingRow))
    )
    if (result.findings.length > shown.length)
      parts.push(`${result.findings.length - shown.length} more in ${tableCodeSpan(files.sarif)}.`)
  }
  parts.push(`SARIF: ${tableCodeSpan(files.sarif)} · CycloneDX SBOM: ${tableCodeSpan(files.sbom)}`)
  return parts.join('\n\n')
}
