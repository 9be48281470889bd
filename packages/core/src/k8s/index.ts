// Kubernetes admission rules, checked before merge.
export { checkKubernetesManifests, type K8sPolicyReport } from './check.js'
export { DEFAULT_PATHS as DEFAULT_K8S_PATHS } from './discover.js'
export {
  defaultOptions as defaultK8sPolicyOptions,
  selectRules as selectK8sRules,
  DEFAULT_REQUIRED_PROBES,
  type K8sPolicyOptions
} from './options.js'
export { findKustomize } from './render-kustomize.js'
export { annotateK8sViolations, summarizeK8sReport } from './report.js'
export { DEFAULT_PROBE_HANDLERS } from './rules/probes.js'
export { RULES as K8S_RULES } from './rules/catalog.js'
export { parsePssVersion } from './rules/pss-version.js'
export type { PssLevel } from './rules/pss.js'
export { toSarifRun as k8sSarifRun, K8S_CATEGORY, K8S_SCANNER } from './to-findings.js'
