import { createHash } from 'node:crypto'
import { lstat, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import type { Logger } from '../runtime/logger.js'
import { getErrorMessage } from '../runtime/errors.js'

/** The runner's cache service, as @actions/cache offers it; a port so tests can count what was asked. */
export interface DbCache {
  /** The key that matched (the exact one or a prefix), or undefined on a miss. */
  restore(paths: string[], key: string, restoreKeys: string[]): Promise<string | undefined>
  /** True once the service holds the entry; false when it did not take it (the library said why). */
  save(paths: string[], key: string): Promise<boolean>
}

/**
 * One cache entry per engine, DB schema and UTC day: the first job of a day downloads the DB and saves
 * it, later jobs restore it (and jobs of the next day start from yesterday's and download once).
 */
export function dailyKey(engine: string, schema: number, now: Date): { key: string; restoreKeys: string[] } {
  const prefix = `secure-pipeline-${engine}-db-v${schema}-`
  return { key: `${prefix}${now.toISOString().slice(0, 10)}`, restoreKeys: [prefix] }
}

/**
 * Whether this job itself downloaded the DB now in `root`, recorded in a directory of this job only
 * (RUNNER_TEMP, which the runner empties before each job). The DB directory (RUNNER_TOOL_CACHE by
 * default) outlives the job on self-hosted runners, and whatever an earlier job ran, a pull request's
 * build included, could write a DB there stamped as fetched today: like the tool cache's binaries
 * (re-hashed on every hit), such a DB proves nothing. One this job downloaded, or today's entry the
 * Actions cache (scoped to the branch) just restored, is used without a download; anything else found
 * there is downloaded over.
 */
export function jobStamp(jobDir: string | undefined, root: string) {
  const id = createHash('sha256').update(path.resolve(root)).digest('hex').slice(0, 16)
  const file = jobDir ? path.join(jobDir, `secure-pipeline-db-${id}`) : undefined
  return {
    has: async () => file !== undefined && (await lstat(file).catch(() => undefined))?.isFile() === true,
    mark: async () => {
      if (file) await writeFile(file, root)
    }
  }
}

/** Restores, logging instead of failing: without the cache the DB is downloaded, which is slower, not wrong. */
export async function restoreDb(
  cache: DbCache | undefined,
  paths: string[],
  key: { key: string; restoreKeys: string[] },
  logger: Logger
): Promise<string | undefined> {
  if (!cache) return undefined
  try {
    const hit = await cache.restore(paths, key.key, key.restoreKeys)
    logger.info(
      hit
        ? `Vulnerability DB cache: restored ${hit}${hit === key.key ? '' : ` (looking for ${key.key})`}`
        : // A miss, or a service that failed: @actions/cache reports both as nothing, and warns of the latter.
          `Vulnerability DB cache: nothing restored for ${key.key}`
    )
    return hit
  } catch (error) {
    logger.warning(
      `Vulnerability DB cache could not be restored (${getErrorMessage(error)}); downloading instead.`
    )
    return undefined
  }
}

/**
 * What the run saves at its end, scan failed or not: the DB it downloaded under today's key. Nothing
 * when the DB came from today's entry already, or was not downloaded.
 */
export function pendingSave(
  cache: DbCache | undefined,
  paths: string[],
  key: string,
  logger: Logger
): () => Promise<void> {
  let done = false
  return async () => {
    if (!cache || done) return
    done = true
    try {
      if (await cache.save(paths, key)) logger.info(`Vulnerability DB cache: saved ${key}`)
      else
        logger.warning(
          `Vulnerability DB cache ${key} was not saved: the cache service did not take it (another job of the same day may have saved it first).`
        )
    } catch (error) {
      // A key the library refuses, or a runner without the service it speaks: still not the scan's failure.
      logger.warning(`Vulnerability DB cache ${key} was not saved: ${getErrorMessage(error)}`)
    }
  }
}

/**
 * The runner's cache service through @actions/cache, loaded only when the runner offers the service
 * (ACTIONS_CACHE_URL or ACTIONS_RESULTS_URL): the library and its storage client weigh megabytes.
 * The library never throws for a service that fails: it warns, then restores nothing or saves nothing
 * (cache id -1).
 */
export function actionsDbCache(env: NodeJS.ProcessEnv): DbCache | undefined {
  if (!env.ACTIONS_CACHE_URL && !env.ACTIONS_RESULTS_URL) return undefined
  const cache = async () => {
    const library = await import('@actions/cache')
    // It speaks v2 at ACTIONS_RESULTS_URL only when the runner sets ACTIONS_CACHE_SERVICE_V2, else the
    // legacy API at ACTIONS_CACHE_URL: a URL for the other one would only earn a warning per run.
    if (!library.isFeatureAvailable())
      throw new Error('the runner sets no URL for the cache service this version of @actions/cache speaks')
    return library
  }
  return {
    restore: async (paths, key, restoreKeys) => (await cache()).restoreCache(paths, key, restoreKeys),
    save: async (paths, key) => (await (await cache()).saveCache(paths, key)) !== -1
  }
}
