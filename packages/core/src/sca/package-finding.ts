import type { Finding, Severity } from '../findings/finding.js'
import { computeFingerprint } from '../findings/fingerprint.js'
import { baseFinding } from '../findings/readers/common.js'
import { packagePurl } from '../sbom/purl.js'
import type { ScannedPackage } from './model.js'

/** A finding of this action's own about one package, at the line of its lockfile that declares it. */
export function packageFinding(
  pkg: ScannedPackage,
  rule: { id: string; severity: Severity; tag: string },
  message: string,
  line: number | undefined
): Finding {
  const finding = baseFinding('secure-pipeline-sca', rule.id, message, rule.severity, 'dependency')
  const purl = packagePurl(pkg)
  finding.package = {
    name: pkg.name,
    ecosystem: pkg.ecosystem,
    fixedVersions: [],
    ...(pkg.version ? { installedVersion: pkg.version } : {}),
    ...(purl ? { purl } : {})
  }
  finding.location = { path: pkg.lockfile, ...(line ? { startLine: line } : {}) }
  finding.tags = [rule.tag]
  finding.fingerprint = computeFingerprint(finding)
  return finding
}
