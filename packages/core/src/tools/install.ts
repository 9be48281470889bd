import { chmod, copyFile, mkdir, mkdtemp, realpath, rm, stat, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { BrokenInputError, ConfigurationError, getErrorMessage, IntegrityError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv, runProcess } from '../runtime/process.js'
import { readZipMembers } from '../runtime/zip.js'
import {
  currentPlatform,
  defaultCatalog,
  isPlatform,
  type ReleaseAsset,
  type ToolCatalog,
  type ToolEntry
} from './catalog.js'
import type { Downloader, RetryPolicy } from './download.js'
import {
  applyMirror,
  checkPreProvisioned,
  givenBinary,
  MIRROR_ENV,
  preProvisionedEnvName,
  settingName
} from './locate.js'
import { resolveVersion } from './version.js'

/**
 * The caller's action inputs behind the options, so a message can tell the user which input to fix.
 * Core knows no input names of its own: without these, messages say what the setting is instead.
 */
export interface ToolInputNames {
  /** The input behind `version`, e.g. 'opengrep-version'. */
  version?: string
  /** The input behind `preProvisionedPath`, e.g. 'semgrep-path'. */
  path?: string
  /** The input behind `mirror`. */
  mirror?: string
}

export interface InstallToolOptions {
  tool: string
  /** Exact `x.y.z` (one leading `v` allowed) or `latest` (= the catalog default); default: the catalog default. */
  version?: string
  /** Replaces the `https://github.com` origin of asset URLs; default: env SECURE_PIPELINE_TOOLS_MIRROR. */
  mirror?: string
  /** A binary the user provides, used as is; default: env SECURE_PIPELINE_<TOOL>_PATH. */
  preProvisionedPath?: string
  inputs?: ToolInputNames
  logger: Logger
  /** `${process.platform}-${process.arch}` by default. */
  platform?: string
  catalog?: ToolCatalog
  download?: Downloader
  retry?: Partial<RetryPolicy>
  /** Calls a download off when the run no longer needs the tool (see DownloadOptions). */
  cancel?: AbortSignal
  /** Where downloads and fresh extraction directories go; default RUNNER_TEMP, else the OS temp dir. */
  tempDir?: string
  env?: NodeJS.ProcessEnv
}

export interface InstalledTool {
  /** Absolute path of the binary. */
  path: string
  version: string
  source: 'download' | 'cache' | 'pre-provisioned'
}

/** Unpacking a verified archive of tens of MB takes seconds; this only stops a wedged tar. */
const UNPACK_DEADLINE_MS = 300_000
/** Larger than any scanner binary (trivy.exe is about 200 MB); the zip reader holds the member in memory. */
const MAX_BINARY_BYTES = 1024 * 1024 * 1024

/**
 * Provides a pinned scanner binary: pre-provisioned if the user gave one, else the catalog's release
 * asset, whose sha256 is checked before a single byte of it is unpacked or run.
 */
export async function installTool(options: InstallToolOptions): Promise<InstalledTool> {
  const { tool, logger } = options
  const env = options.env ?? process.env
  const entry = catalogEntry(options.catalog ?? defaultCatalog(), tool)
  const names = options.inputs ?? {}
  const versionSetting = settingName(names.version, `The ${tool} version`)
  const version = resolveVersion(tool, options.version, entry, versionSetting)
  const own = await preProvisioned(options, env)
  if (own) return { path: own, version, source: 'pre-provisioned' }

  const platform = options.platform ?? currentPlatform()
  const asset = pinnedAsset(entry, tool, version, platform, { versionSetting, names })
  const mirror = options.mirror?.trim() || env[MIRROR_ENV]?.trim()
  const mirrorSetting = options.mirror?.trim() ? settingName(names.mirror, 'The tools mirror') : MIRROR_ENV
  const url = applyMirror(asset.url, mirror, mirrorSetting)
  // A fresh mkdtemp directory (mode 0700) per run, never a fixed path: nothing in a shared temp dir is reused.
  const tempRoot = options.tempDir ?? env.RUNNER_TEMP ?? tmpdir()
  const label = `${tool} ${version} (${platform})`

  return logger.group(`Install ${label}`, async () => {
    const workDir = await mkdtemp(path.join(tempRoot, `sp-${tool}-download-`))
    try {
      let archive = await fromToolCache(tool, version, platform, asset, workDir, logger)
      const source = archive ? 'cache' : 'download'
      if (!archive) {
        if (mirror) logger.info(`${label}: using mirror ${mirror}`)
        archive = path.join(workDir, assetFileName(asset))
        logger.info(`${label}: downloading ${url}`)
        await (options.download ?? (await downloads()).fetchDownload)(url, archive, {
          logger,
          retry: options.retry,
          cancel: options.cancel
        })
        await verifyOrDelete(archive, asset.sha256, `${label} downloaded from ${url}`)
        logger.info(`${label}: sha256 ${asset.sha256} verified`)
        await saveToToolCache(archive, tool, version, platform, asset, logger)
      }
      const binary = await unpack(archive, asset, tempRoot, tool, version)
      logger.info(`${label}: ${binary}`)
      return { path: binary, version, source }
    } finally {
      await rm(workDir, { recursive: true, force: true })
    }
  })
}

function catalogEntry(catalog: ToolCatalog, tool: string): ToolEntry {
  const entry = catalog.tools[tool]
  if (entry) return entry
  throw new ConfigurationError(
    `Unknown tool '${tool}': the pinned catalog has ${Object.keys(catalog.tools).join(', ')}.`
  )
}

/** The user's own binary, from the option or SECURE_PIPELINE_<TOOL>_PATH; undefined when none is given. */
async function preProvisioned(
  options: InstallToolOptions,
  env: NodeJS.ProcessEnv
): Promise<string | undefined> {
  const { tool, logger } = options
  const given = givenBinary(tool, options.preProvisionedPath, env, options.inputs?.path)
  if (!given) return undefined
  const origin = given.setting.replace(/^./, first => first.toUpperCase())
  const binary = await checkPreProvisioned(tool, given.path, origin)
  logger.info(
    `${tool}: using the pre-provisioned binary ${binary} (from ${origin}) as is; it is not hash-verified, because no pinned sha256 applies to a file this action did not download.`
  )
  return binary
}

function pinnedAsset(
  entry: ToolEntry,
  tool: string,
  version: string,
  platform: string,
  { versionSetting, names }: { versionSetting: string; names: ToolInputNames }
): ReleaseAsset {
  const envName = preProvisionedEnvName(tool)
  const ownBinary = names.path ? `the '${names.path}' input or ${envName}` : envName
  const assets = entry.versions[version]
  if (!assets) {
    throw new ConfigurationError(
      `${versionSetting}: ${tool} ${version} is not in the pinned catalog (pinned: ${Object.keys(entry.versions).join(', ')}); choose a pinned version or provide your own binary with ${ownBinary}.`
    )
  }
  const asset = isPlatform(platform) ? assets[platform] : undefined
  if (asset) return asset
  throw new ConfigurationError(
    `${tool} ${version} has no published sha256 pinned for ${platform} (pinned: ${Object.keys(assets).join(', ')}), so it will not be downloaded; provide a pre-provisioned binary with ${ownBinary}.`
  )
}

async function verifyOrDelete(file: string, expected: string, what: string): Promise<void> {
  const actual = await (await downloads()).sha256File(file)
  if (actual === expected) return
  await rm(file, { force: true })
  throw new IntegrityError(
    `sha256 mismatch for ${what}: expected ${expected}, got ${actual}. The file was deleted; nothing was extracted or executed.`
  )
}

function assetFileName(asset: ReleaseAsset): string {
  return path.posix.basename(new URL(asset.url).pathname)
}

// Cached under our own name so another action's extracted `trivy` in the same cache is never mistaken for ours.
function cacheName(tool: string): string {
  return `secure-pipeline-${tool}-archive`
}

/**
 * Loaded on first use: @actions/tool-cache brings @actions/core and its HTTP client (undici), ~35 ms of
 * start-up that a run with a pre-provisioned or already installed tool never needs.
 */
const toolCache = () => import('@actions/tool-cache')

/** Loaded on first use too: the downloader and hashing bring node:crypto and streams (5-10 ms). */
const downloads = () => import('./download.js')

/**
 * The tool cache keeps the verified ARCHIVE, and every hit is re-hashed and extracted afresh: on
 * self-hosted runners that cache outlives the job and anything running as the runner user can
 * write to it, so "it was verified when it was stored" proves nothing about what is there now.
 * The copy is hashed, not the shared file, so nothing can swap the bytes between check and use.
 */
async function fromToolCache(
  tool: string,
  version: string,
  platform: string,
  asset: ReleaseAsset,
  workDir: string,
  logger: Logger
): Promise<string | undefined> {
  if (!process.env.RUNNER_TOOL_CACHE) return undefined
  const dir = (await toolCache()).find(cacheName(tool), version, platform)
  if (!dir) return undefined
  const cached = path.join(dir, assetFileName(asset))
  const copy = path.join(workDir, assetFileName(asset))
  try {
    await copyFile(cached, copy)
  } catch {
    logger.warning(
      `${tool} ${version}: the tool-cache entry ${dir} has no ${assetFileName(asset)}; downloading again.`
    )
    return undefined
  }
  const actual = await (await downloads()).sha256File(copy)
  if (actual !== asset.sha256) {
    await rm(copy, { force: true })
    await rm(dir, { recursive: true, force: true })
    await rm(`${dir}.complete`, { force: true })
    throw new IntegrityError(
      `sha256 mismatch for the cached archive ${cached} of ${tool} ${version} (${platform}): expected ${asset.sha256}, got ${actual}. The cache entry was removed; nothing was extracted or executed. Someone or something wrote to the tool cache: find out what before re-running.`
    )
  }
  logger.info(`${tool} ${version}: cached archive re-verified (sha256 ${actual})`)
  return copy
}

async function saveToToolCache(
  archive: string,
  tool: string,
  version: string,
  platform: string,
  asset: ReleaseAsset,
  logger: Logger
): Promise<void> {
  if (!process.env.RUNNER_TOOL_CACHE) {
    logger.debug(`RUNNER_TOOL_CACHE is not set; ${tool} ${version} is not cached.`)
    return
  }
  await (await toolCache()).cacheFile(archive, assetFileName(asset), cacheName(tool), version, platform)
}

/** Unpacks into a directory nobody else has seen, and returns the binary's real path inside it. */
async function unpack(
  archive: string,
  asset: ReleaseAsset,
  tempRoot: string,
  tool: string,
  version: string
): Promise<string> {
  const dest = await mkdtemp(path.join(tempRoot, `sp-${tool}-${version}-`))
  try {
    if (asset.archive === 'tar.gz') await untar(archive, dest, asset.url)
    else if (asset.archive === 'zip') await unzipBinary(archive, asset, dest)
    else await copyFile(archive, path.join(dest, asset.binary))
    const binary = await containedFile(dest, asset.binary)
    if (!binary) throw new BrokenInputError(asset.url, `the archive has no file ${asset.binary}`)
    if (process.platform !== 'win32') await chmod(binary, 0o755)
    return binary
  } catch (error) {
    await rm(dest, { recursive: true, force: true })
    throw error
  }
}

/**
 * The system tar through the one process runner, so it gets the allowlisted environment: tool-cache's
 * extractTar hands tar (whichever `tar` PATH names) the whole environment, the token among the inputs.
 */
async function untar(archive: string, dest: string, url: string): Promise<void> {
  const outcome = await runProcess('tar', ['-xzf', archive, '--no-same-owner', '-C', dest], {
    cwd: dest,
    deadlineMs: UNPACK_DEADLINE_MS,
    env: childEnv()
  })
  if (outcome.exitCode === 0) return
  const why = outcome.timedOut
    ? `took over ${UNPACK_DEADLINE_MS} ms`
    : `exit ${outcome.exitCode ?? outcome.signal}`
  throw new BrokenInputError(url, `tar could not unpack it (${why}): ${outcome.stderr.trim().slice(-500)}`)
}

/** Only the binary is read out of a zip, in this process: no unzip or PowerShell child, no other member written. */
async function unzipBinary(archive: string, asset: ReleaseAsset, dest: string): Promise<void> {
  let members: Map<string, Buffer>
  try {
    members = readZipMembers(archive, name => name === asset.binary, { maxMemberBytes: MAX_BINARY_BYTES })
  } catch (error) {
    throw new BrokenInputError(asset.url, `the zip cannot be read: ${getErrorMessage(error)}`)
  }
  const bytes = members.get(asset.binary)
  if (!bytes) return
  const target = path.join(dest, asset.binary)
  await mkdir(path.dirname(target), { recursive: true })
  await writeFile(target, bytes, { flag: 'wx', mode: 0o755 })
}

async function containedFile(root: string, relative: string): Promise<string | undefined> {
  try {
    const realRoot = await realpath(root)
    const real = await realpath(path.join(root, relative))
    const inside = path.relative(realRoot, real)
    if (inside.startsWith('..') || path.isAbsolute(inside)) return undefined
    return (await stat(real)).isFile() ? real : undefined
  } catch {
    return undefined
  }
}
