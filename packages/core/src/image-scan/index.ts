// Image scanning: an image in a registry or on disk, Trivy or Grype, the DB kept fresh, SARIF and an SBOM.
export { actionsDbCache } from './db-cache.js'
export { ENGINES, type EngineName } from './engine-binary.js'
export { DEFAULT_GRYPE_DB_URLS } from './grype.js'
export {
  categoryFor,
  runImageScan,
  type ImageScanInputNames,
  type ImageScanOptions,
  type ImageScanResult
} from './run.js'
export { renderImageScanSummary } from './summary.js'
export { fileSafeName, imageName, type ImageSource } from './target.js'
export { SCANNERS, type Scanner } from './trivy.js'
export { DEFAULT_TRIVY_DB_REPOSITORIES } from './trivy-db.js'
