import { lstat, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises'
import * as path from 'node:path'
import { BrokenInputError, CancelledError, getErrorMessage } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import type { RegistryClient } from '../registry/client.js'
import { RegistryError } from '../registry/errors.js'
import { fromFirstAvailable } from '../registry/mirrors.js'
import { dailyKey, jobStamp, pendingSave, restoreDb, type DbCache } from './db-cache.js'
import {
  ageHours,
  parseDbMetadata,
  sameUtcDay,
  serializeDbMetadata,
  TRIVY_DB_SCHEMA,
  type DbMetadata
} from './db-metadata.js'
import { extractFiles } from './extract.js'

export const TRIVY_DB_LAYER = 'application/vnd.aquasec.trivy.db.layer.v1.tar+gzip'
export const DEFAULT_TRIVY_DB_REPOSITORIES = [
  'mirror.gcr.io/aquasec/trivy-db:2',
  'ghcr.io/aquasecurity/trivy-db:2',
  'public.ecr.aws/aquasecurity/trivy-db:2'
] as const

const MAX_ARCHIVE_BYTES = 1024 ** 3
const MAX_UNPACKED_BYTES = 8 * 1024 ** 3
const MAX_CLOCK_SKEW_HOURS = 24

/** The caller's names for the settings a DB message tells the user to change. */
export interface DbSettingNames {
  maxAge: string
  allowStale: string
  offline: string
  repositories: string
}

export interface DbOptions {
  /** The engine's cache directory: Trivy reads `<root>/db/trivy.db`. */
  root: string
  repositories: readonly string[]
  maxAgeHours: number
  allowStale: boolean
  offline: boolean
  settings: DbSettingNames
}

export interface DbDeps {
  client: RegistryClient
  cache?: DbCache
  logger: Logger
  now: Date
  /** A directory of this job only (RUNNER_TEMP): where `jobStamp` records a DB this job downloaded. */
  jobDir?: string
}

/** The DB a scan uses, where it came from, and how old it is. */
export interface ProvisionedDb {
  builtAt: Date
  ageHours: number
  stale: boolean
  source: 'downloaded' | 'cache' | 'local'
  /** The repository it was downloaded from, and the artifact's manifest digest. */
  repository?: string
  artifactDigest?: string
  /** Saves a DB downloaded by this run to the cache; called at the end of the run, scan failed or not. */
  save(): Promise<void>
}

async function readLocal(dir: string): Promise<DbMetadata | string | undefined> {
  const db = await lstat(path.join(dir, 'trivy.db')).catch(() => undefined)
  const meta = await lstat(path.join(dir, 'metadata.json')).catch(() => undefined)
  if (!db && !meta) return undefined
  if (!db?.isFile() || !meta?.isFile()) return `${dir} lacks trivy.db or metadata.json as regular files`
  return parseDbMetadata(await readFile(path.join(dir, 'metadata.json'), 'utf8'))
}

/**
 * Downloads the DB artifact from one repository: the manifest, then the one DB layer streamed to disk
 * and checked against its digest, then `trivy.db` and `metadata.json` (and nothing else) unpacked into
 * a fresh directory that replaces the old one only once complete.
 */
async function downloadFrom(
  client: RegistryClient,
  reference: string,
  root: string,
  now: Date,
  refuse: (meta: DbMetadata) => string | undefined
): Promise<{ meta: DbMetadata; digest: string }> {
  const fetched = await client.fetchManifest(reference)
  const layer = fetched.manifest?.layers.find(l => l.mediaType === TRIVY_DB_LAYER)
  if (!layer)
    throw new RegistryError(reference, 'invalid', `is not a Trivy DB artifact (no ${TRIVY_DB_LAYER} layer).`)
  if (layer.size > MAX_ARCHIVE_BYTES)
    throw new RegistryError(
      reference,
      'invalid',
      `offers a ${layer.size}-byte DB, over the ${MAX_ARCHIVE_BYTES}-byte limit.`
    )
  await mkdir(root, { recursive: true })
  const work = await mkdtemp(path.join(root, '.download-'))
  try {
    const archive = path.join(work, 'db.tar.gz')
    await client.downloadBlob(reference, layer.digest, archive, MAX_ARCHIVE_BYTES)
    const fresh = path.join(work, 'db')
    await mkdir(fresh)
    let names: string[]
    try {
      names = await extractFiles(archive, fresh, ['trivy.db', 'metadata.json'], MAX_UNPACKED_BYTES)
    } catch (error) {
      throw new RegistryError(
        reference,
        'invalid',
        `the DB archive cannot be unpacked: ${getErrorMessage(error)}.`
      )
    }
    if (!names.includes('trivy.db') || !names.includes('metadata.json'))
      throw new RegistryError(reference, 'invalid', 'the DB archive lacks trivy.db or metadata.json.')
    const meta = parseDbMetadata(await readFile(path.join(fresh, 'metadata.json'), 'utf8'))
    if (typeof meta === 'string') throw new RegistryError(reference, 'invalid', `${meta}.`)
    const why = refuse(meta)
    if (why) throw new RegistryError(reference, 'invalid', `serves a DB ${why}.`)
    const stamped = { ...meta, downloadedAt: now }
    await writeFile(path.join(fresh, 'metadata.json'), serializeDbMetadata(stamped))
    const dir = path.join(root, 'db')
    await rm(dir, { recursive: true, force: true })
    await rename(fresh, dir)
    return { meta: stamped, digest: fetched.digest }
  } finally {
    await rm(work, { recursive: true, force: true })
  }
}

const when = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, 'Z')

/**
 * The Trivy DB for this run: today's cache entry or local copy when there is one, else downloaded from
 * the first repository that answers (each retried with backoff on 429/5xx); offline, only what is
 * there. A DB built longer ago than the maximum age fails the run, or only warns when allowed.
 */
export async function provisionTrivyDb(options: DbOptions, deps: DbDeps): Promise<ProvisionedDb> {
  const { logger, now } = deps
  const dir = path.join(options.root, 'db')
  const paths = [dir, path.join(options.root, 'java-db')]
  const key = dailyKey('trivy', TRIVY_DB_SCHEMA, now)
  const restored = await restoreDb(deps.cache, paths, key, logger)
  const stamp = jobStamp(deps.jobDir, options.root)
  const trusted = restored === key.key || (await stamp.has())
  // Trivy keeps its Java DB beside ours and trusts its own metadata: one only found there goes too.
  if (!options.offline && !restored && !trusted) await rm(paths[1]!, { recursive: true, force: true })
  let local = await readLocal(dir)
  let source: ProvisionedDb['source'] = restored ? 'cache' : 'local'
  const usable = typeof local === 'object' ? local : undefined
  const age = usable ? ageHours(usable.updatedAt, now) : NaN
  const current =
    usable &&
    trusted &&
    sameUtcDay(usable.downloadedAt, now) &&
    age <= options.maxAgeHours &&
    age >= -MAX_CLOCK_SKEW_HOURS
  let save: () => Promise<void> = async () => undefined
  let downloaded: { repository: string; digest: string } | undefined
  if (!options.offline && !current) {
    try {
      const got = await downloadNewest(options, deps)
      local = got.value.meta
      source = 'downloaded'
      await stamp.mark()
      downloaded = { repository: got.reference, digest: got.value.digest }
      logger.info(
        `Vulnerability DB: downloaded from ${got.reference} (${got.value.digest}), built ${when(got.value.meta.updatedAt)}`
      )
      if (restored !== key.key) save = pendingSave(deps.cache, paths, key.key, logger)
    } catch (error) {
      // Called off because the scan already failed: no fallback to report.
      if (!usable || error instanceof CancelledError) throw error
      logger.warning(
        `No repository gave a newer vulnerability DB (${getErrorMessage(error)}); using the ${source} one built ${when(usable.updatedAt)}.`
      )
    }
  }
  if (typeof local !== 'object') {
    const why = local ?? `there is no DB in ${dir}`
    throw new BrokenInputError(
      'vulnerability DB',
      options.offline
        ? `${why}, and input '${options.settings.offline}' is true so nothing is downloaded: pre-seed the DB (trivy.db and metadata.json) in that directory.`
        : `${why}.`
    )
  }
  return checkFreshness(local.updatedAt, source, options, deps, save, downloaded)
}

/**
 * The DB from the first repository that has one within the maximum age: a mirror replaying an old DB
 * (or one dated in the future) is passed over for the next. Only when none has one, and stale DBs are
 * allowed, the first that is merely old.
 */
async function downloadNewest(options: DbOptions, { client, logger, now }: DbDeps) {
  const attempt = (refuse: (meta: DbMetadata) => string | undefined) =>
    fromFirstAvailable(
      options.repositories,
      ref => downloadFrom(client, ref, options.root, now, refuse),
      logger
    )
  try {
    return await attempt(meta => {
      const why = unusable(meta.updatedAt, options, now)
      if (why?.kind !== 'stale' || options.allowStale) return why?.message
      return `${why.message}; set input '${options.settings.allowStale}' to scan with it anyway`
    })
  } catch (error) {
    if (!options.allowStale || !(error instanceof RegistryError)) throw error
    return await attempt(meta => {
      const why = unusable(meta.updatedAt, options, now)
      return why?.kind === 'future' ? why.message : undefined
    })
  }
}

/** Why a DB built at `builtAt` is not to be scanned with now, if it is not. */
function unusable(
  builtAt: Date,
  options: Pick<DbOptions, 'maxAgeHours' | 'settings'>,
  now: Date
): { kind: 'future' | 'stale'; message: string } | undefined {
  const age = ageHours(builtAt, now)
  // A build time ahead of the clock (beyond skew) would keep a DB "fresh" forever: a frozen or planted one.
  if (age < -MAX_CLOCK_SKEW_HOURS)
    return {
      kind: 'future',
      message: `built ${when(builtAt)}, after this run started (${when(now)}); its age cannot be trusted`
    }
  if (age > options.maxAgeHours)
    return {
      kind: 'stale',
      message: `built ${when(builtAt)}, ${Math.round(age)} h ago, over the ${options.maxAgeHours} h maximum (input '${options.settings.maxAge}')`
    }
  return undefined
}

/** Fails the run on a DB built longer ago than the maximum age, or warns when a stale DB is allowed. */
export function checkFreshness(
  builtAt: Date,
  source: ProvisionedDb['source'],
  options: Pick<DbOptions, 'maxAgeHours' | 'allowStale' | 'settings'>,
  { logger, now }: Pick<DbDeps, 'logger' | 'now'>,
  save: () => Promise<void>,
  downloaded?: { repository: string; digest: string }
): ProvisionedDb {
  const meta = { updatedAt: builtAt }
  const age = ageHours(meta.updatedAt, now)
  const why = unusable(builtAt, options, now)
  if (why?.kind === 'future')
    throw new BrokenInputError(
      'vulnerability DB',
      `the vulnerability DB says it was ${why.message}. Refresh it, or check the runner's clock.`
    )
  const stale = why?.kind === 'stale'
  const state = `the vulnerability DB was ${why?.message}`
  if (stale && !options.allowStale)
    throw new BrokenInputError(
      'vulnerability DB',
      `${state}: vulnerabilities published since would be missed. Refresh it, or set input '${options.settings.allowStale}' to scan with it anyway.`
    )
  if (stale)
    logger.warning(
      `${state}; scanning anyway because input '${options.settings.allowStale}' is set. Recent vulnerabilities may be missed.`
    )
  return {
    builtAt: meta.updatedAt,
    ageHours: age,
    stale,
    source,
    ...(downloaded ? { repository: downloaded.repository, artifactDigest: downloaded.digest } : {}),
    save
  }
}
