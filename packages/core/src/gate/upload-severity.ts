import type { Severity } from '../findings/finding.js'
import { fromProperties } from '../findings/sarif/properties.js'
import { severityFromLevel, severityFromScoreValue } from '../findings/severity.js'
import { PROPERTY_KEY, type SarifResult, type SarifRun } from '../findings/sarif/types.js'

/** The rank used to decide what to keep under the upload budget; same precedence as the reader. */
export function rawResultSeverity(run: SarifRun, result: SarifResult): Severity {
  const ours = fromProperties(result.properties?.[PROPERTY_KEY])
  if (ours) return ours.severity
  const rule = run.tool.driver.rules?.find((r, i) => i === result.ruleIndex || r.id === result.ruleId)
  return (
    severityFromScoreValue(result.properties?.['security-severity']) ??
    severityFromScoreValue(rule?.properties?.['security-severity']) ??
    severityFromLevel(result.level ?? rule?.defaultConfiguration?.level) ??
    'medium'
  )
}
