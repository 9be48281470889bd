// Pinned tool binaries, verified by sha256 before they run.
export { installTool, type InstalledTool, type InstallToolOptions } from './install.js'
