// The policy file: thresholds, dated exceptions, and each action's section, validated as one.
export { DEFAULT_POLICY_PATH } from './policy.js'
export type { GatePolicy } from './policy.js'
