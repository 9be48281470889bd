// The runner protocol and process edge every action stands on.
export { BrokenInputError, ConfigurationError, IntegrityError, getErrorMessage } from './errors.js'
export {
  getBooleanInput,
  getListInput,
  getOptionalInput,
  getTriStateInput,
  parseBoolean,
  parseEnum,
  parseList,
  parsePositiveInteger,
  type TriState
} from './inputs.js'
export { logLine, type Logger } from './logger.js'
export { resolveInWorkspace, workspaceRoot } from './paths.js'
export { runAction, type ActionRun } from './run-action.js'
export { JobSummary } from './job-summary.js'
export {
  prepareOutputFile,
  resolveOutputDirectory,
  resolveOutputFile,
  writeOutputFile
} from './output-files.js'
export * as workflow from './workflow-commands.js'
export { captureStdout, writeStdout } from './stdout.js'
