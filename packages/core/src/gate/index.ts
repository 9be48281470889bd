// The gate: one verdict over every report.
export { runIdentityFromEnv } from './evidence.js'
export type { GateConfig } from './ports.js'
export { runGate, type GateResult } from './run-gate.js'
