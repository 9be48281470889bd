// The normalized finding every reader produces and every domain consumes.
export { SEVERITIES, type Finding, type Severity, type ToolInfo, type ToolProblem } from './finding.js'
export { countBySeverity, type SeverityCounts } from './counts.js'
