import { mkdir, readFile, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { BrokenInputError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv, runProcess } from '../runtime/process.js'
import { backoffDelay } from '../runtime/retry.js'
import { dailyKey, jobStamp, pendingSave, restoreDb, type DbCache } from './db-cache.js'
import { sameUtcDay } from './db-metadata.js'
import type { EngineTarget } from './trivy.js'
import { checkFreshness, type DbOptions, type ProvisionedDb } from './trivy-db.js'

export const DEFAULT_GRYPE_DB_URLS = ['https://grype.anchore.io/databases'] as const
const GRYPE_DB_SCHEMA = 6
/** Written next to the DB when this action downloaded it: Grype's own status says when it was built, not fetched. */
const DOWNLOADED_STAMP = 'secure-pipeline-downloaded-at'

export interface GrypeScan {
  target: EngineTarget
  /** The file `writeGrypeConfig` wrote: the only configuration Grype reads. */
  config: string
  report: string
  sbom: string
  vexFiles: readonly string[]
  ignoreUnfixed: boolean
  platform?: string
}

/** Grype's source scheme for each target: never a Docker daemon, always what was resolved and checked. */
export function grypeSource(target: EngineTarget): string {
  if (target.kind === 'registry') return `registry:${target.reference}`
  return `${target.kind === 'archive' ? 'docker-archive' : 'oci-dir'}:${path.resolve(target.path)}`
}

export function grypeArgs(scan: GrypeScan): string[] {
  const args = [
    grypeSource(scan.target),
    '--output',
    `json=${scan.report}`,
    '--output',
    `cyclonedx-json=${scan.sbom}`,
    '--config',
    scan.config
  ]
  if (scan.platform && scan.target.kind !== 'registry') args.push('--platform', scan.platform)
  if (scan.ignoreUnfixed) args.push('--only-fixed')
  for (const file of scan.vexFiles) args.push('--vex', file)
  return args
}

/**
 * Grype's only configuration: an empty file in the run's private directory, given with `--config`.
 * Without it Grype also reads ~/.grype.yaml and ~/.config/grype/config.yaml, which outlive a job on a
 * self-hosted runner (and any earlier step can write): an `ignore` or `exclude` there hides findings.
 */
export async function writeGrypeConfig(dir: string): Promise<string> {
  const file = path.join(dir, 'grype.yaml')
  await writeFile(file, '{}\n', { mode: 0o600 })
  return file
}

/**
 * Grype's settings for a scan: the DB is the one provisioned and checked before (no update, no age
 * check of its own, no check for a newer Grype), in the cache directory given.
 */
export function grypeEnv(cacheRoot: string, extra: Record<string, string> = {}) {
  return childEnv({
    GRYPE_DB_CACHE_DIR: cacheRoot,
    GRYPE_DB_AUTO_UPDATE: 'false',
    GRYPE_DB_VALIDATE_AGE: 'false',
    GRYPE_DB_REQUIRE_UPDATE_CHECK: 'false',
    GRYPE_CHECK_FOR_APP_UPDATE: 'false',
    ...extra
  })
}

interface GrypeDbDeps {
  binary: string
  cache?: DbCache
  logger: Logger
  now: Date
  cwd: string
  /** A directory of this job only (RUNNER_TEMP), as for Trivy's DB. */
  jobDir?: string
  retryBaseMs?: number
  sleep?: (ms: number) => Promise<void>
}

async function grype(deps: GrypeDbDeps, args: string[], env: ReturnType<typeof childEnv>) {
  const config = await writeGrypeConfig(deps.cwd)
  return runProcess(deps.binary, [...args, '--config', config], {
    cwd: deps.cwd,
    deadlineMs: 15 * 60_000,
    env
  })
}

/** `grype db status -o json`: when the DB was built, or why there is none. */
async function builtAt(deps: GrypeDbDeps, root: string): Promise<Date | string> {
  const status = await grype(deps, ['db', 'status', '-o', 'json'], grypeEnv(root))
  try {
    const json = JSON.parse(status.stdout) as { built?: unknown; error?: unknown }
    const built = typeof json.built === 'string' ? new Date(json.built) : undefined
    if (json.error && typeof json.error === 'string') return json.error
    if (built && !Number.isNaN(built.getTime()) && built.getUTCFullYear() > 2000) return built
  } catch {
    // Reported below.
  }
  return `grype db status gave no build time (exit ${status.exitCode}): ${status.stderr.trim().slice(-300)}`
}

/**
 * Grype's DB, as for Trivy: today's cache entry or local copy, else `grype db update` from each URL in
 * order (twice each, with backoff), then the same maximum-age rule on its build time.
 */
export async function provisionGrypeDb(options: DbOptions, deps: GrypeDbDeps): Promise<ProvisionedDb> {
  const { logger, now } = deps
  await mkdir(options.root, { recursive: true })
  const key = dailyKey('grype', GRYPE_DB_SCHEMA, now)
  const restored = await restoreDb(deps.cache, [options.root], key, logger)
  const stampFile = path.join(options.root, DOWNLOADED_STAMP)
  const downloadedAt = await readFile(stampFile, 'utf8').then(
    text => new Date(text.trim()),
    () => undefined
  )
  let built = await builtAt(deps, options.root)
  let source: ProvisionedDb['source'] = restored ? 'cache' : 'local'
  let save: () => Promise<void> = async () => undefined
  let repository: string | undefined
  const stamp = jobStamp(deps.jobDir, options.root)
  const trusted = restored === key.key || (await stamp.has())
  if (!options.offline && !(built instanceof Date && trusted && sameUtcDay(downloadedAt, now))) {
    const failures: string[] = []
    for (const url of options.repositories) {
      for (let attempt = 1; attempt <= 2 && !repository; attempt++) {
        const update = await grype(
          deps,
          ['db', 'update'],
          grypeEnv(options.root, { GRYPE_DB_UPDATE_URL: url })
        )
        if (update.exitCode === 0) repository = url
        else {
          failures.push(`${url}: exit ${update.exitCode}: ${update.stderr.trim().split('\n').pop() ?? ''}`)
          if (attempt < 2)
            await (deps.sleep ?? (ms => new Promise(r => setTimeout(r, ms))))(
              backoffDelay(deps.retryBaseMs ?? 2000, attempt)
            )
        }
      }
      if (repository) break
      logger.warning(`Grype DB update from ${url} failed: ${failures[failures.length - 1]}`)
    }
    if (repository) {
      await writeFile(stampFile, now.toISOString())
      await stamp.mark()
      source = 'downloaded'
      built = await builtAt(deps, options.root)
      if (restored !== key.key) save = pendingSave(deps.cache, [options.root], key.key, logger)
    } else if (!(built instanceof Date)) {
      throw new BrokenInputError('vulnerability DB', `no Grype DB URL answered (${failures.join('; ')}).`)
    } else {
      logger.warning(`No Grype DB URL answered; using the ${source} DB.`)
    }
  }
  if (!(built instanceof Date))
    throw new BrokenInputError(
      'vulnerability DB',
      `${built}${options.offline ? `; input '${options.settings.offline}' is true so nothing is downloaded: pre-seed Grype's DB in ${options.root}` : ''}.`
    )
  return checkFreshness(
    built,
    source,
    options,
    deps,
    save,
    repository ? { repository, digest: '' } : undefined
  )
}
