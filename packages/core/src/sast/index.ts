export {
  ENGINES,
  buildScanArgs,
  engineEnv,
  exitCodeMeaning,
  versionArgs,
  type Engine,
  type ScanArgsInput
} from './engine-args.js'
export {
  SEMGREP_PATH_ENV,
  SemgrepEngine,
  execWithDeadline,
  type EngineOptions,
  type ExecOutcome,
  type RunOptions
} from './engine.js'
export {
  assertHashLocked,
  installSemgrepVenv,
  lockedSemgrepVersion,
  semgrepVenvSteps,
  venvDir,
  type SemgrepVenvOptions
} from './install.js'
export { decideScanMode, type ScanMode } from './mode.js'
export { engineProblems, normalizeEngineReport, packRuleFor, type NormalizeOptions } from './normalize.js'
export {
  findBundledRulesDir,
  loadRulePack,
  ruleDescriptor,
  rulePackProblems,
  ruleTitle,
  severityOf,
  testTargetOf,
  type PackRule,
  type RulePack
} from './rule-pack.js'
export {
  countBySeverity,
  outcomeProblems,
  runSastScan,
  type SastScanOptions,
  type SastScanResult
} from './scan.js'
export {
  DEFAULT_SEMGREPIGNORE,
  fileMatcher,
  fitsArgv,
  isExcluded,
  normalizeRepoPath,
  planDiffTargets,
  semgrepIgnorePatterns,
  type TargetPlan,
  type TargetPlanInput
} from './targets.js'
export { resolveUserConfigs, type UserConfigs } from './configs.js'
export { renderSastSummary } from './summary.js'
