import type { Severity } from '../findings/finding.js'
import { severityFromLevel, severityFromWord } from '../findings/severity.js'
import type { RepoRef } from './context.js'
import type { GitHubClient } from './octokit.js'
import { readIfPermitted, type Readable } from './readable.js'

/** A code scanning alert with the times metrics needs: created, fixed, dismissed. */
export interface AlertRecord {
  number: number
  state: 'open' | 'fixed' | 'dismissed'
  severity: Severity
  ruleId: string
  tool: string
  createdAt: string
  /** When code scanning stopped seeing it (fixed alerts). */
  fixedAt?: string
  dismissedAt?: string
  dismissedReason?: string
}

const FIX =
  "code scanning needs GitHub Advanced Security (Code Security) on private repositories and 'security-events: read' for the token"

/**
 * Every code scanning alert of the default branch, open or closed, 100 per request. A repository without
 * code scanning, or a token without `security-events: read`, gives `unavailable` with the reason: the
 * gate's evidence is then the only source, which is what it is for.
 */
export async function listCodeScanningAlerts(
  octokit: GitHubClient,
  repo: RepoRef
): Promise<Readable<AlertRecord[]>> {
  return readIfPermitted(async () => {
    const alerts: AlertRecord[] = []
    const pages = octokit.paginate.iterator(octokit.rest.codeScanning.listAlertsForRepo, {
      ...repo,
      per_page: 100
    })
    for await (const { data } of pages) {
      for (const a of data) {
        if (a.state !== 'open' && a.state !== 'fixed' && a.state !== 'dismissed') continue
        alerts.push({
          number: a.number,
          state: a.state,
          severity:
            severityFromWord(a.rule.security_severity_level) ??
            severityFromLevel(a.rule.severity) ??
            'medium',
          ruleId: a.rule.id ?? a.rule.name ?? 'unknown',
          tool: a.tool.name ?? 'unknown',
          createdAt: a.created_at,
          fixedAt: a.state === 'fixed' ? (a.fixed_at ?? a.updated_at ?? undefined) : undefined,
          dismissedAt: a.dismissed_at ?? undefined,
          dismissedReason: a.dismissed_reason ?? undefined
        })
      }
    }
    return alerts
  }, FIX)
}
