// SAST: Semgrep CE or Opengrep with the bundled rule pack, diff-aware on pull requests.
export { ENGINES, type Engine } from './engine-args.js'
export { findBundledRulesDir } from './pack.js'
export { assertComplete, runSast, sastCounts, type SastOptions, type SastInputNames } from './run-sast.js'
export { renderSastSummary } from './summary.js'
/** Which version of the ignore file decides on a change: the merge-base's (default) or the change's. */
export { TRUST_SOURCES as IGNORE_SOURCES } from '../github/trusted-file.js'
