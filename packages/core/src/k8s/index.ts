// Kubernetes admission rules, checked before merge.
import type { CentralPolicyReaderOptions } from '../policy-source/central-file.js'
import type { ReadCentralFile } from '../policy-source/resolve.js'
export { DEFAULT_PATHS as DEFAULT_K8S_PATHS } from './discover.js'
export { parseQuantityOption, parseRequiredProbes } from './options.js'
export { parseAllowedRegistries } from './registry-scope.js'
export { runK8sPolicy, type K8sPolicyRunOptions } from './run.js'
export { RULES as K8S_RULES } from './rules/catalog.js'
export { parsePssVersion } from './rules/pss-version.js'
export type { PssLevel } from './rules/pss.js'
export { K8S_CATEGORY, K8S_SCANNER } from './to-findings.js'
export { parseExportFormats } from './export/format-option.js'
export { centralPolicyFrom } from '../policy-source/location.js'

/** Reads a central policy with a token. Loaded only then: the GitHub client is most of the bundle. */
export async function loadCentralPolicyReader(options: CentralPolicyReaderOptions): Promise<ReadCentralFile> {
  return (await import('../policy-source/central-file.js')).createCentralPolicyReader(options)
}
