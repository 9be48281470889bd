// SCA: dependency vulnerabilities from every lockfile (osv-scanner or Trivy), offline-capable, PR-diff aware, with SBOM.
export {
  ENGINES,
  runSca,
  SCA_CATEGORY,
  scaOutputs,
  type ScaEngine,
  type ScaInputNames,
  type ScaOptions
} from './run-sca.js'
export { NO_CONFIG } from './config-file.js'
export { parseLicenseList } from './licenses.js'
export { renderScaSummary } from './summary.js'
export { runOsvDbCommand } from './osv-db-command.js'
export { serializeBom as serializeScaSbom } from '../sbom/cyclonedx.js'
