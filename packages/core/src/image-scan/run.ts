import { mkdir, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { severityRank, type Finding, type ToolProblem } from '../findings/finding.js'
import type { JsonObject } from '../findings/json.js'
import { readGrype } from '../findings/readers/grype.js'
import { readTrivy } from '../findings/readers/trivy.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { ActionsContext } from '../github/context.js'
import { changeReaching, refuseChangedBinary, workspacePlaces } from '../github/changed-runner-path.js'
import { isChangeEvent, resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { TrustSource } from '../github/trusted-file.js'
import { BrokenInputError } from '../runtime/errors.js'
import { settleTogether, valuesOrFirstFailure } from '../runtime/held-logs.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv } from '../runtime/process.js'
import { RegistryClient } from '../registry/client.js'
import { givenBinary, type GivenBinary } from '../tools/locate.js'
import type { Platform } from '../registry/platform.js'
import type { DbCache } from './db-cache.js'
import { engineBinary, type EngineBinary, type EngineName } from './engine-binary.js'
import { readEngineReport, readEngineSbom, runEngine } from './engine-run.js'
import { grypeArgs, grypeEnv, provisionGrypeDb, writeGrypeConfig } from './grype.js'
import { toImageFindings } from './image-findings.js'
import { grypeOsProblems, trivyOsProblems } from './os-detection.js'
import { sbomFromTrivy } from './sbom.js'
import { resolveTarget, type ImageSource, type ScannedImage } from './target.js'
import { javaDbRepository, removeCachedChecks, trivyArgs, type Scanner } from './trivy.js'
import { provisionTrivyDb, type DbSettingNames, type ProvisionedDb } from './trivy-db.js'
import { trustedVexFiles, type VexOutcome } from './vex.js'

/** The caller's names for its inputs, for messages that say what to change. */
export interface ImageScanInputNames extends DbSettingNames {
  input: string
  vex: string
  engineVersion: string
  enginePath: string
}

/** Everything an image scan is asked to do, parsed and validated by the caller. */
export interface ImageScanOptions {
  workspace: string
  source: ImageSource
  /** The name findings and the SARIF category carry; default registry/repository, or the input's file name. */
  name?: string
  platform?: Platform
  engine: EngineName
  scanners: readonly Scanner[]
  db: {
    /** The engine's DB directory; default a private directory of this run (nothing reused). */
    root?: string
    repositories: readonly string[]
    maxAgeHours: number
    allowStale: boolean
    offline: boolean
  }
  vex: readonly string[]
  vexSource: TrustSource
  ignoreUnfixed: boolean
  deadlineMs: number
  engineVersion?: string
  enginePath?: string
  inputs: ImageScanInputNames
}

export interface ImageScanPorts {
  logger: Logger
  context: ActionsContext
  /** The runner's environment: RUNNER_TEMP, DOCKER_CONFIG, and what child processes may see. */
  env: NodeJS.ProcessEnv
  cache?: DbCache
  registry?: RegistryClient
  now?: () => Date
  /** Receives the engine's own output, for the log. */
  echo?: (text: string) => void
}

export interface ImageScanResult {
  image: Omit<ScannedImage, 'cleanup' | 'engineTarget' | 'contentChecked'>
  engine: Omit<EngineBinary, 'path'>
  name: string
  scanners: readonly Scanner[]
  db?: ProvisionedDb
  vex: VexOutcome
  /** Most severe first. */
  findings: Finding[]
  sarif: SarifLog
  /** The CycloneDX SBOM, as JSON text. */
  sbom: string
  problems: ToolProblem[]
}

export const IMAGE_SCAN_CATEGORY = 'image-scan'

/** One SARIF category per image, so that scans of several images never close each other's alerts. */
export const categoryFor = (name: string) => `${IMAGE_SCAN_CATEGORY}/${name}`

const INFORMATION_URI: Record<EngineName, string> = {
  trivy: 'https://github.com/aquasecurity/trivy',
  grype: 'https://github.com/anchore/grype'
}

/** The change's merge-base, when VEX files are read from it or a given engine or DB lies in the workspace. */
async function changeBase(options: ImageScanOptions, ports: ImageScanPorts, engine: GivenBinary | undefined) {
  const inWorkspace = [engine?.path, options.db.root].some(
    target => workspacePlaces(options.workspace, target).length > 0
  )
  const vexFromBase = options.vex.length > 0 && options.vexSource === 'base'
  return (vexFromBase || inWorkspace) && isChangeEvent(ports.context)
    ? await resolvePullRequestBase(ports.context, options.workspace, ports.logger)
    : undefined
}

/** A given engine binary or DB directory the change reaches would let it bring what judges it. */
function refuseChangedTools(
  options: ImageScanOptions,
  base: PullRequestBase | undefined,
  engine: GivenBinary | undefined
): void {
  refuseChangedBinary(base, options.workspace, options.engine, engine)
  const touched = changeReaching(base, options.workspace, options.db.root)
  if (touched)
    throw new BrokenInputError(
      options.engine,
      `this ${base!.event} changes ${touched.path} in the vulnerability DB directory: a change cannot bring the advisories it is judged by`
    )
}

/**
 * A whole image scan: pin the image (registry digest, or the checked image on disk), the engine (pinned
 * and verified, or given and checked without running it), the vulnerability DB (cache, mirrors, age),
 * the VEX files that decide, the scan, then findings, SARIF and SBOM. The DB downloaded by this run is
 * saved to the cache at the end whatever happened.
 */
export async function runImageScan(
  options: ImageScanOptions,
  ports: ImageScanPorts
): Promise<ImageScanResult> {
  const { logger, env } = ports
  const now = ports.now?.() ?? new Date()
  const work = await mkdtemp(path.join(env.RUNNER_TEMP?.trim() || tmpdir(), 'sp-image-scan-'))
  const client = ports.registry ?? new RegistryClient({ env, logger })
  let target: ScannedImage | undefined
  let db: ProvisionedDb | undefined
  const dbRoot = options.db.root ?? path.join(work, 'db-cache')
  try {
    // The input or SECURE_PIPELINE_<ENGINE>_PATH: whichever engineBinary will run.
    const given = givenBinary(options.engine, options.enginePath, env, options.inputs.enginePath)
    const base = await changeBase(options, ports, given)
    refuseChangedTools(options, base, given)
    const dbOptions = { ...options.db, root: dbRoot, settings: options.inputs }
    // RUNNER_TEMP is this job's own: the runner empties it before each job.
    const jobDir = env.RUNNER_TEMP?.trim() || undefined
    const wantsDb = options.scanners.includes('vuln')
    // Pinning, the engine and the DB wait on different hosts: fetched at once (Grype's DB needs its binary).
    const [pinned, engineAndDb, trivyDb] = await settleTogether(logger, [
      async (log, cancel) => {
        const pinnedTarget = await log.group('Pin the image', () =>
          resolveTarget(options.source, {
            client: client.cancelledBy(cancel),
            platform: options.platform,
            name: options.name,
            inputName: options.inputs.input,
            tempRoot: work
          })
        )
        // An input is named as the workflow named it, relative to the workspace, not by the runner's path.
        if (pinnedTarget.kind !== 'registry')
          pinnedTarget.asked = path.relative(options.workspace, pinnedTarget.asked) || '.'
        log.info(`Scanning ${pinnedTarget.name}@${pinnedTarget.digest} (${pinnedTarget.kind})`)
        return pinnedTarget
      },
      async (log, cancel) => {
        const engineFound = await engineBinary({
          engine: options.engine,
          version: options.engineVersion,
          path: options.enginePath,
          inputs: { version: options.inputs.engineVersion, path: options.inputs.enginePath },
          logger: log,
          env,
          cancel
        })
        const grypeDb =
          wantsDb && options.engine === 'grype'
            ? await log.group('Vulnerability DB', () =>
                provisionGrypeDb(dbOptions, {
                  binary: engineFound.path,
                  cache: ports.cache,
                  logger: log,
                  now,
                  cwd: work,
                  jobDir
                })
              )
            : undefined
        return { binary: engineFound, grypeDb }
      },
      async (log, cancel) =>
        wantsDb && options.engine === 'trivy'
          ? await log.group('Vulnerability DB', () =>
              provisionTrivyDb(dbOptions, {
                client: client.cancelledBy(cancel),
                cache: ports.cache,
                logger: log,
                now,
                jobDir
              })
            )
          : undefined
    ])
    // Kept for the cleanup below (the DB's cache save, the unpacked image) whatever else failed.
    if (pinned.status === 'fulfilled') target = pinned.value
    db = trivyDb.status === 'fulfilled' ? trivyDb.value : undefined
    if (engineAndDb.status === 'fulfilled') db ??= engineAndDb.value.grypeDb
    const [scanned, { binary }] = valuesOrFirstFailure([pinned, engineAndDb, trivyDb] as const)
    const vex = await trustedVexFiles(options.vex, {
      workspace: options.workspace,
      source: options.vexSource,
      base,
      dir: work,
      inputName: options.inputs.vex
    })
    const files = { report: path.join(work, 'report.json'), sbom: path.join(work, 'sbom.cdx.json') }
    const grypeConfig = binary.engine === 'grype' ? await writeGrypeConfig(work) : ''
    const moduleDir = path.join(work, 'trivy-modules')
    await mkdir(moduleDir)
    if (binary.engine === 'trivy') await removeCachedChecks(dbRoot)
    await logger.group(`${binary.engine} scan`, () =>
      runEngine({
        engine: binary.engine,
        binary: binary.path,
        args:
          binary.engine === 'trivy'
            ? trivyArgs({
                target: scanned.engineTarget,
                scanners: options.scanners,
                cacheRoot: dbRoot,
                moduleDir,
                report: files.report,
                vexFiles: vex.files,
                ignoreUnfixed: options.ignoreUnfixed,
                offline: options.db.offline,
                javaDbRepositories: options.db.repositories.map(javaDbRepository),
                deadlineMs: options.deadlineMs
              })
            : grypeArgs({
                target: scanned.engineTarget,
                config: grypeConfig,
                report: files.report,
                sbom: files.sbom,
                vexFiles: vex.files,
                ignoreUnfixed: options.ignoreUnfixed
              }),
        cwd: work,
        env: binary.engine === 'trivy' ? childEnv(dockerConfig(env)) : grypeEnv(dbRoot, dockerConfig(env)),
        deadlineMs: options.deadlineMs,
        echo: ports.echo
      })
    )
    await scanned.contentChecked
    const report = await readEngineReport(binary.engine, files.report)
    checkScannedImage(binary.engine, report, scanned)
    const read =
      binary.engine === 'trivy' ? readTrivy(report, 'trivy', { workspace: '/' }) : readGrype(report, 'grype')
    const engineTarget =
      scanned.engineTarget.kind === 'registry' ? scanned.engineTarget.reference : scanned.engineTarget.path
    const findings = toImageFindings(read.findings, { ...scanned, engineTarget }).sort(
      (a, b) => severityRank(a.severity) - severityRank(b.severity)
    )
    const sbom =
      binary.engine === 'trivy'
        ? JSON.stringify(
            sbomFromTrivy(
              report,
              { name: scanned.name, digest: scanned.digest, platform: scanned.platform },
              { name: 'trivy', version: binary.version },
              now
            ),
            null,
            2
          )
        : await readEngineSbom(binary.engine, files.sbom)
    const unscanned = !options.scanners.includes('vuln')
      ? []
      : binary.engine === 'trivy'
        ? trivyOsProblems(report)
        : grypeOsProblems(report, sbom)
    for (const problem of unscanned) logger.warning(`${binary.engine}: ${problem.message}`)
    const problems: ToolProblem[] = [...read.problems, ...unscanned, ...notes(db, vex)]
    const { cleanup: _cleanup, engineTarget: _engineTarget, contentChecked: _checked, ...image } = scanned
    const { path: _path, ...engine } = binary
    return {
      image,
      engine,
      name: scanned.name,
      scanners: options.scanners,
      ...(db ? { db } : {}),
      vex,
      findings,
      sbom,
      problems,
      sarif: buildSarifLog([
        {
          tool: {
            name: binary.engine,
            version: binary.version,
            informationUri: INFORMATION_URI[binary.engine]
          },
          category: categoryFor(scanned.name),
          findings,
          problems
        }
      ])
    }
  } finally {
    await db?.save()
    await target?.cleanup()
    await rm(work, { recursive: true, force: true })
  }
}

/** The engine reads registry credentials where docker and crane do; only the config's location is passed. */
function dockerConfig(env: NodeJS.ProcessEnv): Record<string, string> {
  return env.DOCKER_CONFIG?.trim() ? { DOCKER_CONFIG: env.DOCKER_CONFIG.trim() } : {}
}

/** What the run should keep in the SARIF as warnings: a stale DB, VEX files not applied. */
function notes(db: ProvisionedDb | undefined, vex: VexOutcome): ToolProblem[] {
  const out: ToolProblem[] = []
  if (db?.stale)
    out.push({
      level: 'warning',
      message: `the vulnerability DB is ${Math.round(db.ageHours)} h old, over the maximum age; recent vulnerabilities may be missing`
    })
  for (const missing of vex.notApplied)
    out.push({ level: 'warning', message: `VEX ${missing.path} not applied: ${missing.reason}` })
  return out
}

/** The report must be about the image we pinned: its config digest (the image ID) is compared. */
function checkScannedImage(engine: EngineName, report: JsonObject, target: ScannedImage): void {
  const metadata = report.Metadata as JsonObject | undefined
  const source = (report.source as JsonObject | undefined)?.target as JsonObject | undefined
  const imageId = engine === 'trivy' ? metadata?.ImageID : source?.imageID
  if (imageId !== target.configDigest)
    throw new BrokenInputError(
      engine,
      `reported on image ${String(imageId)}, not the pinned ${target.name}@${target.digest} (config ${target.configDigest}); the result is not used.`
    )
}
