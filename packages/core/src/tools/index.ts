export {
  COMPROMISED_RELEASES,
  PLATFORMS,
  currentPlatform,
  defaultCatalog,
  isPlatform,
  parseCatalog,
  type Platform,
  type ReleaseAsset,
  type ToolCatalog,
  type ToolEntry
} from './catalog.js'
export {
  DEFAULT_RETRY,
  fetchDownload,
  sha256File,
  type Downloader,
  type DownloadOptions,
  type RetryPolicy
} from './download.js'
export { installTool, type InstalledTool, type InstallToolOptions } from './install.js'
export { MIRROR_ENV, applyMirror, pathInputName, preProvisionedEnvName } from './locate.js'
export { resolveVersion, versionInputName } from './version.js'
