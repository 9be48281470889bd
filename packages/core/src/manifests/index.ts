// GitOps bumps: find an image in kustomize, Helm values, raw manifests and Flux setters, edit it byte for byte.
import type { BumpGitHubOptions } from './github-port.js'
import type { BumpPorts } from './options.js'
export { parseHelmKey } from './helm.js'
export type { BumpInputNames, BumpOperation, BumpPorts, BumpResult, BumpRunOptions } from './options.js'
export { describeBump } from './report.js'
export { runBump } from './run-bump.js'
export { STRATEGIES, type Strategy } from './site.js'
export { parseBumpTarget } from './target.js'

/** The GitHub client (Octokit, a third of the bundle) is loaded only by a run that calls the API. */
export async function loadBumpGitHub(options: BumpGitHubOptions): Promise<NonNullable<BumpPorts['gitData']>> {
  return (await import('./github-port.js')).bumpGitHub(options)
}
