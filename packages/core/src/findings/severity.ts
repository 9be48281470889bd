import { severityFromScore, type Severity } from './finding.js'

const WORDS: Record<string, Severity> = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  negligible: 'info',
  info: 'info',
  informational: 'info'
}

/**
 * A severity word (`HIGH`, `Moderate`, `negligible`, …) as used by Trivy/Grype/GHSA, or undefined.
 * `unknown` is deliberately not a word: the caller falls back to its scanner's own default. SARIF levels
 * (error/warning/note) are not words either: a rule tagged `warning` says nothing about severity.
 */
export function severityFromWord(word: unknown): Severity | undefined {
  if (typeof word !== 'string' || word.length > 20) return undefined
  // Surrounding spaces (`"High "`) are no other word, as they are no other number for parseScore.
  const key = word.trim().toLowerCase()
  // Own keys only: `constructor` or `toString` from a report must not resolve to Object.prototype members.
  return Object.hasOwn(WORDS, key) ? WORDS[key] : undefined
}

/** A CVSS-like score given as a number or a numeric string (`"7.5"`), within (0, 10]. */
export function parseScore(value: unknown): number | undefined {
  const score =
    typeof value === 'number' ? value : typeof value === 'string' && value !== '' ? Number(value) : NaN
  // 0.0 means "no score" for GitHub's bands (0.1–3.9 is low) and for Trivy's UNKNOWN, so it is not a score.
  return Number.isFinite(score) && score > 0 && score <= 10 ? score : undefined
}

export function severityFromScoreValue(value: unknown): Severity | undefined {
  const score = parseScore(value)
  return score === undefined ? undefined : severityFromScore(score)
}

/**
 * SARIF level → severity, for results with nothing better (SARIF's default level is `warning`). A level in
 * another case (`ERROR`) is that level: read as no level, it fell to the `warning` default and a
 * high finding counted as medium.
 */
export function severityFromLevel(level: unknown): Severity | undefined {
  switch (typeof level === 'string' ? level.toLowerCase() : level) {
    case 'error':
      return 'high'
    case 'warning':
      return 'medium'
    case 'note':
      return 'low'
    case 'none':
      return 'info'
    default:
      return undefined
  }
}
