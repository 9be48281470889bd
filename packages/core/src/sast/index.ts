// SAST: Semgrep CE or Opengrep with the bundled rule pack, diff-aware on pull requests.
export { ENGINES, type Engine } from './engine-args.js'
export { SemgrepEngine } from './engine.js'
export { installSemgrepVenv } from './install.js'
export { decideScanMode } from './mode.js'
export { findBundledRulesDir, loadRulePack } from './rule-pack.js'
export { runSastScan } from './scan.js'
export { resolveUserConfigs } from './configs.js'
export { renderSastSummary } from './summary.js'
