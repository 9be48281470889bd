import type { Finding } from '../findings/finding.js'
import { cappedList, codeSpan, escapeMarkdown } from '../report/markdown.js'
import type { IgnoreHits } from './ignored-advisories.js'

/*
 * What each `[[IgnoredVulns]]` entry hid, for the job summary. An id hides its whole alias group, so the
 * advisories named are often not the id written: listing them is what lets a reviewer see the reach of
 * an ignore. The ids, reasons and package names come from files a pull request may write: all are
 * escaped and bounded, so a long list cannot push the rest of the summary past its size limit.
 */

const IGNORES_SHOWN = 50
const HITS_SHOWN = 10
const REASON_CHARS = 200
const ID_CHARS = 100

/** `GHSA-jfh8-c2jp-5v3q` in org.apache.logging.log4j:log4j-core 2.14.1 (deps/java/pom.xml). */
function hitText(finding: Finding): string {
  const pkg = finding.package
  const version = pkg?.installedVersion ? ` ${pkg.installedVersion}` : ''
  const file = finding.location?.path ? ` (${finding.location.path})` : ''
  return `${codeSpan(finding.ruleId)} in ${escapeMarkdown(`${pkg?.name ?? 'unknown package'}${version}${file}`)}`
}

/** `hid A in x 1.0 (f); B in y 2.0 (g)`, or `matches nothing`. */
export function hiddenText(hidden: readonly Finding[], verb = 'hid'): string {
  if (hidden.length === 0) return 'matches nothing'
  const shown = hidden.slice(0, HITS_SHOWN).map(hitText).join('; ')
  return `${verb} ${shown}${hidden.length > HITS_SHOWN ? `; and ${hidden.length - HITS_SHOWN} more` : ''}`
}

/** `` `CVE-2021-44228` (line 3, reason: not reachable) `` */
function ignoreLabel({ ignore }: IgnoreHits): string {
  const id = cappedList([ignore.id], { max: 1, itemChars: ID_CHARS, render: codeSpan })
  const reason = ignore.reason
    ? `, reason: ${cappedList([ignore.reason], { max: 1, itemChars: REASON_CHARS, render: escapeMarkdown })}`
    : ''
  const until = ignore.until ? `, until ${escapeMarkdown(ignore.until)}` : ''
  return `${id} (line ${ignore.line}${reason}${until})`
}

/** One bullet per ignore with what it hid in this scan, at most IGNORES_SHOWN. */
export function ignoreHitList(hits: readonly IgnoreHits[]): string {
  const lines = hits.slice(0, IGNORES_SHOWN).map(hit => `- ${ignoreLabel(hit)}: ${hiddenText(hit.hidden)}`)
  if (hits.length > IGNORES_SHOWN) lines.push(`- and ${hits.length - IGNORES_SHOWN} more`)
  return lines.join('\n')
}

/** The ids a change adds, each with what it would hide in this scan: `` `X` (would hide …) ``. */
export function proposedIgnoreList(hits: readonly IgnoreHits[]): string {
  const shown = hits
    .slice(0, IGNORES_SHOWN)
    .map(
      hit =>
        `${cappedList([hit.ignore.id], { max: 1, itemChars: ID_CHARS, render: codeSpan })} (${hiddenText(hit.hidden, 'would hide')})`
    )
  const rest = hits.length - shown.length
  return `${shown.join(', ')}${rest > 0 ? `, and ${rest} more` : ''}`
}
