// Metrics: build success, vulnerability trend and MTTR, drift, branch protection and change records.
import type { MetricsGitHubOptions } from './github-port.js'
import type { MetricsGitHub } from './ports.js'

export { mttrOutput } from './document.js'
export { runMetrics, type MetricsResult } from './run-metrics.js'
export type { MetricsOptions } from './ports.js'

/** The GitHub client is loaded only with a token: it is most of the bundle's start-up cost. */
export async function loadMetricsGitHub(options: MetricsGitHubOptions): Promise<MetricsGitHub> {
  return (await import('./github-port.js')).createMetricsGitHub(options)
}
