// Public API of the Kubernetes policy checks. Generic names are exported with a K8s prefix so the
// core barrel cannot collide with other nouns.
export type {
  FieldLocation,
  ManifestObject,
  YamlPath,
  ScanNote as K8sScanNote,
  ScanProblem as K8sScanProblem
} from './types.js'
export {
  DEFAULT_MANIFEST_LIMITS,
  loadManifestText,
  type LoadedManifests,
  type ManifestLimits
} from './manifests.js'
export { podContextOf, isWorkload, WORKLOAD_KINDS, type PodContext, type ContainerRef } from './pod-spec.js'
export { parseImageRef, type ImageRef } from './image-ref.js'
export { parseQuantity } from './quantity.js'
export { RULES as K8S_RULES, RULES_BY_ID as K8S_RULES_BY_ID } from './rules/catalog.js'
export {
  RULE_GROUPS as K8S_RULE_GROUPS,
  type RuleGroup as K8sRuleGroup,
  type RuleMeta as K8sRuleMeta
} from './rules/types.js'
export { evaluatePodSecurity, pssChecksFor, PSS_RULE_IDS, type PssLevel } from './rules/pss.js'
export { DEFAULT_PROBE_HANDLERS } from './rules/probes.js'
export {
  LATEST_PSS_VERSION,
  parsePssVersion,
  formatPssVersion,
  type PssVersion
} from './rules/pss-version.js'
export {
  defaultOptions as defaultK8sPolicyOptions,
  selectRules as selectK8sRules,
  DEFAULT_REQUIRED_PROBES,
  type K8sPolicyOptions,
  type RuleSelection as K8sRuleSelection
} from './options.js'
export {
  evaluateObjects as evaluateK8sObjects,
  evaluatePod,
  type Violation as K8sViolation
} from './evaluate.js'
export {
  discoverManifests,
  DEFAULT_PATHS as DEFAULT_K8S_PATHS,
  type Discovery as K8sDiscovery
} from './discover.js'
export { findKustomize, renderKustomization } from './render-kustomize.js'
export { collectManifests, type CollectRequest as K8sCollectRequest } from './scan.js'
export {
  checkKubernetesManifests,
  countByRule as countK8sViolationsByRule,
  type K8sPolicyReport
} from './check.js'
export { parseK8sPolicySection, readK8sPolicyFile } from './policy-file.js'
export {
  toFinding as k8sViolationToFinding,
  toRuleDescriptor as k8sRuleDescriptor,
  toSarifRun as k8sSarifRun,
  K8S_SCANNER,
  K8S_CATEGORY
} from './to-findings.js'
