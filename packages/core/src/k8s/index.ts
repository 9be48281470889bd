// Kubernetes admission rules, checked before merge.
export { DEFAULT_PATHS as DEFAULT_K8S_PATHS } from './discover.js'
export { parseQuantityOption, parseRequiredProbes } from './options.js'
export { parseAllowedRegistries } from './registry-scope.js'
export { runK8sPolicy, type K8sPolicyRunOptions } from './run.js'
export { RULES as K8S_RULES } from './rules/catalog.js'
export { parsePssVersion } from './rules/pss-version.js'
export type { PssLevel } from './rules/pss.js'
export { K8S_CATEGORY, K8S_SCANNER } from './to-findings.js'
