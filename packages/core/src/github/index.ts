// The GitHub edge: event context, git, and the REST API.
export { readActionsContext, type ActionsContext } from './context.js'
export { defaultBranch, runUrl } from './context.js'
export { assertRef, parseRepositoryInput } from './repository-input.js'
