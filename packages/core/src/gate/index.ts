// The gate: one verdict over every report.
export { changeBaseFromEnv, committedFilesIn } from './change-base.js'
export { runIdentityFromEnv } from './evidence.js'
export { centralPolicyFrom, policyPathInRepository } from '../policy-source/location.js'
export { IN_SOURCE_SUPPRESSION_MODES, type GateConfig, type InSourceSuppressions } from './ports.js'
export { brokenInputsLine } from './render.js'
export { runGate, type GateResult } from './run-gate.js'
export { newCounted } from './verdict.js'
