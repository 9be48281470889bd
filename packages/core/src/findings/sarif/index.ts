// SARIF 2.1.0: the only interchange between actions.
export { buildSarifLog, serializeSarif } from './write.js'
export type { SarifLog } from './types.js'
export { SarifOutput } from './output.js'
