import { rm } from 'node:fs/promises'
import * as path from 'node:path'

export type Scanner = 'vuln' | 'secret' | 'misconfig'
export const SCANNERS: readonly Scanner[] = ['vuln', 'secret', 'misconfig']

/** What the engine scans: an image in a registry, pinned by digest, or an image on disk. */
export type EngineTarget =
  { kind: 'registry'; reference: string } | { kind: 'archive' | 'oci-layout'; path: string }

export interface TrivyScan {
  target: EngineTarget
  scanners: readonly Scanner[]
  /** `--cache-dir`: the DB is in `<cacheRoot>/db`. */
  cacheRoot: string
  /**
   * `--module-dir`: an empty directory of the run. Trivy otherwise loads every WASM module in
   * ~/.trivy/modules, which outlives a job on a self-hosted runner, and a module may drop any finding.
   */
  moduleDir: string
  report: string
  vexFiles: readonly string[]
  ignoreUnfixed: boolean
  offline: boolean
  /** Where Trivy may fetch its Java index DB when the image holds jars (not offline). */
  javaDbRepositories: readonly string[]
  deadlineMs: number
}

/** The Java index DB lives next to the vulnerability DB in each mirror: `…/trivy-db:2` → `…/trivy-java-db:1`. */
export function javaDbRepository(dbRepository: string): string {
  const at = dbRepository.search(/[:@][^/]*$/)
  const name = at >= 0 ? dbRepository.slice(0, at) : dbRepository
  return `${name.replace(/trivy-db$/, 'trivy-java-db')}:1`
}

/**
 * Trivy's arguments. Everything that could change the result is set here, nothing is left to a config
 * or ignore file in the working directory (the engine runs in an empty private one) or to TRIVY_*
 * variables (the child gets none): the DB was provisioned and checked by us (`--skip-db-update`), the
 * misconfiguration checks are the ones compiled into the pinned binary (`--skip-check-update`), no
 * module of the runner's home is loaded (`--module-dir`), the scan cache lives in memory (nothing on
 * disk for a later job to trust), and images come from the registry, never from a local Docker daemon.
 */
export function trivyArgs(scan: TrivyScan): string[] {
  const args = ['image', '--format', 'json', '--list-all-pkgs', '--output', scan.report]
  args.push('--scanners', scan.scanners.join(','))
  const configScanners = scan.scanners.filter(s => s !== 'vuln')
  if (configScanners.length > 0) args.push('--image-config-scanners', configScanners.join(','))
  args.push(
    '--cache-dir',
    scan.cacheRoot,
    '--cache-backend',
    'memory',
    '--skip-db-update',
    '--skip-check-update',
    '--module-dir',
    scan.moduleDir
  )
  if (scan.offline) args.push('--skip-java-db-update', '--offline-scan')
  else for (const repository of scan.javaDbRepositories) args.push('--java-db-repository', repository)
  args.push('--disable-telemetry', '--skip-version-check', '--no-progress')
  args.push('--timeout', `${Math.max(1, Math.floor(scan.deadlineMs / 1000) - 5)}s`)
  for (const file of scan.vexFiles) args.push('--vex', file)
  if (scan.ignoreUnfixed) args.push('--ignore-unfixed')
  if (scan.target.kind === 'registry') {
    // Always a manifest digest the registry client chose and checked: no tag, no platform left to pick.
    args.push('--image-src', 'remote', scan.target.reference)
  } else {
    args.push('--input', path.resolve(scan.target.path))
  }
  return args
}

/**
 * Removes a check bundle from Trivy's cache directory before a scan. With `--skip-check-update` Trivy
 * still loads `<cache-dir>/policy/content` when it is there, instead of the checks compiled into the
 * pinned binary; the cache directory is the DB's, which outlives a job on a self-hosted runner, so an
 * earlier job could leave a bundle that runs no check at all. The Actions cache never holds one.
 */
export async function removeCachedChecks(cacheRoot: string): Promise<void> {
  await rm(path.join(cacheRoot, 'policy'), { recursive: true, force: true })
}
