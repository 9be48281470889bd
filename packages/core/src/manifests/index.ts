// GitOps bumps: find an image in kustomize, Helm values, raw manifests and Flux setters, edit it byte for byte.
export { parseHelmKey } from './helm.js'
export type { BumpInputNames, BumpOperation, BumpPorts, BumpResult, BumpRunOptions } from './options.js'
export { describeBump } from './report.js'
export { runBump } from './run-bump.js'
export { STRATEGIES, type Strategy } from './site.js'
export { parseBumpTarget } from './target.js'
export { bumpGitHub } from './github-port.js'
