import { SEVERITIES, type Finding } from '../findings/finding.js'
import { countBySeverity } from '../findings/counts.js'
import {
  cappedList,
  codeSpan,
  details,
  escapeMarkdown,
  markdownTable,
  tableCodeSpan
} from '../report/markdown.js'
import { truncateText } from '../report/html-escape.js'
import { NO_CONFIG } from './config-file.js'
import { ignoreHitList, proposedIgnoreList } from './ignore-summary.js'
import { describePackageIgnore, type PackageIgnore } from './package-overrides.js'
import type { VulnerabilityFinding } from './enrich.js'
import type { NotScanned, ScaResult } from './run-sca.js'
import { VERSION_UNKNOWN } from './version-findings.js'

const SHOWN = 50
/** Longest advisory id listed whole; one the change writes longer is cut. */
const ID_CHARS = 100
/**
 * A lockfile's author writes its package names, versions and paths: one megabyte-long value made the
 * summary drop every table. Cut as the gate cuts; the SARIF keeps them whole.
 */
const CELL_CHARS = 120
const MESSAGE_CHARS = 300

/** A vulnerability, as against this action's own findings about a package (license, no version). */
const isVulnerability = (f: Finding) => !f.tags.includes('license') && !f.tags.includes(VERSION_UNKNOWN.tag)

const isUnversioned = (f: Finding) => f.tags.includes(VERSION_UNKNOWN.tag)

function unversionedTable(findings: readonly Finding[]): string {
  const more = findings.length > SHOWN ? `\n\n${findings.length - SHOWN} more in the SARIF.` : ''
  return (
    markdownTable(
      ['severity', 'package', 'ecosystem', 'declared at'],
      findings
        .slice(0, SHOWN)
        .map(f => [
          f.severity,
          escapeMarkdown(truncateText(f.package?.name ?? '', CELL_CHARS)),
          escapeMarkdown(truncateText(f.package?.ecosystem ?? '', CELL_CHARS)),
          where(f)
        ])
    ) + more
  )
}

function where(finding: Finding): string {
  const location = finding.location
  return location
    ? escapeMarkdown(
        truncateText(`${location.path}${location.startLine ? `:${location.startLine}` : ''}`, CELL_CHARS)
      )
    : ''
}

function ids(finding: Finding): string {
  return [finding.ruleId, ...finding.aliases.filter(a => /^(CVE|GHSA)-/.test(a))]
    .map(id => escapeMarkdown(truncateText(id, ID_CHARS)))
    .join(', ')
}

function vulnerabilityTable(findings: readonly Finding[], advice: ReadonlyMap<Finding, string>): string {
  const rows = findings
    .slice(0, SHOWN)
    .map(f => [
      f.severity,
      escapeMarkdown(
        truncateText(`${f.package?.name ?? ''} ${f.package?.installedVersion ?? ''}`.trim(), CELL_CHARS)
      ),
      ids(f),
      escapeMarkdown(truncateText((f.package?.fixedVersions ?? []).join(', ') || '—', CELL_CHARS)),
      advice.get(f) ?? '—',
      where(f)
    ])
  const more = findings.length > SHOWN ? `\n\n${findings.length - SHOWN} more in the SARIF.` : ''
  return (
    markdownTable(
      ['severity', 'package', 'advisories', 'fixed in', 'smallest upgrade fixing all', 'declared at'],
      rows
    ) + more
  )
}

/** The upgrade column: the version, or why there is none, for each vulnerability finding. */
function upgradeAdvice(vulnerabilities: readonly VulnerabilityFinding[]): Map<Finding, string> {
  const out = new Map<Finding, string>()
  for (const v of vulnerabilities)
    out.set(
      v.finding,
      v.upgrade.kind === 'upgrade'
        ? `**${escapeMarkdown(truncateText(v.upgrade.version, CELL_CHARS))}**`
        : escapeMarkdown(truncateText(v.upgrade.reason, MESSAGE_CHARS))
    )
  return out
}

function header(result: ScaResult, files: { sarif: string; sbom: string }): string[] {
  const engine = `${result.tool.name}${result.tool.version ? ` ${result.tool.version}` : ''}`
  const db = result.offlineDb
    ? `offline database ${escapeMarkdown(result.offlineDb.dir)} (${result.offlineDb.ecosystems.map(escapeMarkdown).join(', ')}${
        result.offlineDb.manifest
          ? `; archives match their manifest${result.offlineDb.manifest.newestModified ? `, newest advisory ${escapeMarkdown(result.offlineDb.manifest.newestModified)}` : ''}`
          : '; no manifest, archives not verified'
      })`
    : 'the OSV API'
  const lines = [`## SCA: ${escapeMarkdown(engine)}`]
  if (result.mode.kind === 'skip') {
    lines.push(
      `> [!NOTE]\n> **Nothing to scan**: ${escapeMarkdown(result.mode.reason)}. Vulnerabilities already in the dependencies are reported by the scans of pushes and schedules; no SBOM is written for this change.`
    )
    return lines
  }
  const scope = `${result.lockfiles.length} dependency file(s), ${result.packages} package version(s), against ${db}.`
  lines.push(
    result.mode.kind === 'diff'
      ? `**Change scan** (${escapeMarkdown(result.mode.reason)}): ${scope} Only vulnerabilities this change **adds** are reported; those the ${result.mode.base.event === 'merge_group' ? 'base commit' : 'merge-base'} already had are listed apart and not counted.`
      : `**Full scan** (${escapeMarkdown(result.mode.reason)}): ${scope}`
  )
  lines.push(`SARIF: ${codeSpan(files.sarif)} · SBOM (CycloneDX 1.6): ${codeSpan(files.sbom)}`)
  return lines
}

function configNotes(result: ScaResult): string[] {
  const config = result.config
  if (!config) return []
  if (config.path === NO_CONFIG)
    return ['Ignore rules: none; `config: none` reads no `osv-scanner.toml`, so every advisory counts.']
  const from = `${codeSpan(config.path)} (${escapeMarkdown(config.origin)})`
  const notes = [
    `Ignore rules: ${config.exists ? `${config.ignored.length} ignored advisory id(s) from ${from}` : `none, there is no ${from}`}; an \`osv-scanner.toml\` elsewhere in the tree is not read.`,
    // An id hides every advisory that has it as id or alias (osv-scanner's rule): name what each hid.
    ...(result.ignoreHits && result.ignoreHits.length > 0
      ? [
          `What each ignore hid in this scan (an id hides every advisory that has it as id or alias; they stay in the SARIF as suppressed results):\n\n${ignoreHitList(result.ignoreHits)}`
        ]
      : []),
    ...packageIgnoreNote(config.packageIgnores, result.tool.name)
  ]
  const proposed = config.proposed
  // The change writes the ids it would ignore: a long list would push the counts and findings after it
  // past the job summary's size limit, so at most SHOWN are listed.
  if (proposed) {
    const wouldIgnore = [
      ...(proposed.addedIgnores.length > 0
        ? [
            `ignore ${
              result.proposedIgnoreHits
                ? proposedIgnoreList(result.proposedIgnoreHits)
                : cappedList(proposed.addedIgnores, { max: SHOWN, itemChars: ID_CHARS, render: codeSpan })
            }`
          ]
        : []),
      ...(proposed.addedPackageIgnores.length > 0
        ? [`hide ${packageIgnoreList(proposed.addedPackageIgnores)}`]
        : [])
    ]
    notes.push(
      `> [!NOTE]\n> This change proposes its own osv-scanner config (${escapeMarkdown(proposed.unreadable ?? proposed.origin)})${
        wouldIgnore.length > 0 ? ` that would ${wouldIgnore.join('; and ')}` : ''
      }. It is not applied until it is reviewed and merged.`
    )
  }
  return notes
}

/** The package ignores, the names the change wrote escaped, at most SHOWN. */
const packageIgnoreList = (rules: readonly PackageIgnore[]) =>
  cappedList(rules.map(describePackageIgnore), { max: SHOWN, itemChars: 300, render: escapeMarkdown })

/**
 * The `[[PackageOverrides]]` that hide advisories. osv-scanner applies them; with Trivy, which has no
 * rule for every advisory of a package, only the `[[IgnoredVulns]]` ids apply (sca applies those), so
 * they are listed as not applied and those packages' advisories are reported.
 */
function packageIgnoreNote(rules: readonly PackageIgnore[], engine: string): string[] {
  if (rules.length === 0) return []
  if (engine === 'trivy')
    return [
      `> [!WARNING]\n> Not applied: with trivy only the advisory ids of \`[[IgnoredVulns]]\` apply, so these \`[[PackageOverrides]]\` ignores hide nothing and their advisories are reported: ${packageIgnoreList(rules)}. List the advisory ids as \`[[IgnoredVulns]]\`, or scan with osv-scanner.`
    ]
  return [`Package ignores (\`[[PackageOverrides]]\`): ${packageIgnoreList(rules)}.`]
}

/**
 * What the scan did not read, at one level: the change names these files, so each is escaped, its
 * reason cut, and at most SHOWN are listed.
 */
function notScannedList(entries: readonly NotScanned[]): string {
  const more = entries.length > SHOWN ? `\n\n${entries.length - SHOWN} more in the SARIF.` : ''
  const items = entries
    .slice(0, SHOWN)
    .map(n => `- ${codeSpan(n.file)}: ${escapeMarkdown(truncateText(n.reason, 600))}`)
    .join('\n')
  return `${items}${more}`
}

/** Manifests the scan reads no lockfile for (warnings). */
function unlockedSection(result: ScaResult): string[] {
  const unlocked = result.notScanned.filter(n => n.level === 'warning')
  if (unlocked.length === 0) return []
  return [
    `### Not scanned: manifests without a lockfile\n\n> [!WARNING]\n> The scan reads dependencies only from lockfiles: what these manifests declare is unknown, not absent. This does not fail the step or the gate; commit the lockfile each line names.\n\n${notScannedList(unlocked)}`
  ]
}

export function renderScaSummary(result: ScaResult, files: { sarif: string; sbom: string }): string {
  const parts = header(result, files)
  if (result.mode.kind === 'skip') return [...parts, ...unlockedSection(result)].join('\n\n')
  parts.push(...configNotes(result))
  const counts = countBySeverity(result.reported)
  parts.push(
    markdownTable(
      [...SEVERITIES, 'total'],
      [[...SEVERITIES.map(s => counts[s]), result.reported.length]],
      [...SEVERITIES.map(() => 'r' as const), 'r']
    )
  )
  const advice = upgradeAdvice(result.vulnerabilities)
  const vulnerable = result.reported.filter(isVulnerability)
  const title = result.mode.kind === 'diff' ? 'New vulnerabilities' : 'Vulnerable dependencies'
  parts.push(
    vulnerable.length > 0
      ? `### ${title}\n\n${vulnerabilityTable(vulnerable, advice)}`
      : `### ${title}\n\nNone.`
  )
  if (result.mode.kind === 'diff' && result.existing.length > 0) {
    // Each kind of finding in its own table: a dependency without a version has no advisory to list.
    const oldVulnerable = result.existing.filter(isVulnerability)
    const oldUnversioned = result.existing.filter(isUnversioned)
    parts.push(
      details(
        `${result.existing.length} finding(s) the base already had (not counted)`,
        [
          ...(oldVulnerable.length > 0 ? [vulnerabilityTable(oldVulnerable, advice)] : []),
          ...(oldUnversioned.length > 0 ? [`Not checked:\n\n${unversionedTable(oldUnversioned)}`] : [])
        ].join('\n\n')
      )
    )
  }
  const unversioned = result.reported.filter(isUnversioned)
  if (unversioned.length > 0)
    parts.push(
      `### Not checked: dependencies without a version\n\nNo advisory could be matched against these, so their vulnerabilities are unknown, not absent. Give each one exact version where it is declared (each result says how), or waive it with a policy exception that says why.\n\n${unversionedTable(unversioned)}`
    )
  const licenses = result.reported.filter(f => f.tags.includes('license'))
  if (licenses.length > 0)
    parts.push(
      `### License findings\n\n${markdownTable(
        ['rule', 'finding', 'declared at'],
        licenses
          .slice(0, SHOWN)
          .map(f => [
            tableCodeSpan(f.ruleId),
            escapeMarkdown(truncateText(f.message, MESSAGE_CHARS)),
            where(f)
          ])
      )}`
    )
  if (result.licensesUnknown > 0)
    parts.push(
      `${result.licensesUnknown} package(s) declare no license that could be read${result.offlineDb ? ' (offline, licenses come only from what package-lock.json v2/v3 and composer.lock record)' : ''}.`
    )
  const unread = result.notScanned.filter(n => n.level === 'error')
  if (unread.length > 0) parts.push(`### Not scanned\n\n${notScannedList(unread)}`)
  parts.push(...unlockedSection(result))
  return parts.join('\n\n')
}
