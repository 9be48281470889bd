import { existsSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { countBySeverity } from '../findings/counts.js'
import type { Finding, ToolInfo, ToolProblem } from '../findings/finding.js'
import type { SarifLog } from '../findings/sarif/types.js'
import { buildSarifLog } from '../findings/sarif/write.js'
import type { ActionsContext } from '../github/context.js'
import { changeReaching, refuseChangedBinary, workspacePlaces } from '../github/changed-runner-path.js'
import { isChangeEvent, resolvePullRequestBase, type PullRequestBase } from '../github/pull-request-base.js'
import type { TrustSource } from '../github/trusted-file.js'
import { BrokenInputError, ConfigurationError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import type { CycloneDxBom } from '../sbom/cyclonedx.js'
import { installTool } from '../tools/install.js'
import { givenBinary } from '../tools/locate.js'
import {
  classifyFindings,
  decideScaMode,
  withIncludedChanges,
  writeBaseVersions,
  type ScaMode
} from './change.js'
import { resolveScannerConfig, type ScannerConfig } from './config-file.js'
import { scanWithOsvScanner } from './engine-osv.js'
import { scanWithTrivy } from './engine-trivy.js'
import { applyIgnores, type IgnoreHits } from './ignored-advisories.js'
import { baseGoWorkFindings, goWorkFindings } from './go-work-findings.js'
import { isGoWorkFile } from './go-work.js'
import { enrichVulnerabilities, type LockfileText, type VulnerabilityFinding } from './enrich.js'
import { licenseFindings, licenseRules } from './license-findings.js'
import { asDeclared } from './declared-dependencies.js'
import { lockfileIdentities } from './lockfile-identities.js'
import { lockfileReader } from './lockfile-reader.js'
import { lockfileLicenses } from './lockfile-licenses.js'
import type { LicensePolicy } from './licenses.js'
import {
  checkScopeGlobs,
  discoverLockfiles,
  type DiscoveredLockfiles,
  type LockfileSelection
} from './lockfiles.js'
import type { EngineResult } from './model.js'
import { checkOfflineDb, type OfflineDbInfo } from './osv-db.js'
import { buildScaSbom } from './sbom.js'
import { coveredBy, unlockedManifestEntries, unlockedManifests } from './unlocked-manifests.js'
import { unreadIncludeEntries } from './unread-includes.js'
import {
  directReferenceFindings,
  directRequirements,
  versionUnknownFindings,
  versionUnknownRule
} from './version-findings.js'

export const ENGINES = ['osv-scanner', 'trivy'] as const
export type ScaEngine = (typeof ENGINES)[number]
export const SCA_CATEGORY = 'sca'

/** The caller's names for what its users set, for messages that say what to change. */
export interface ScaInputNames {
  path: string
  include: string
  exclude: string
  offlineDb: string
  config: string
  diff: string
  binaryPath: string
  licensesAllow: string
  licensesDeny: string
}

export interface ScaOptions extends LockfileSelection {
  workspace: string
  engine: ScaEngine
  /** Absolute path of the offline database; undefined: the engine's online database. */
  offlineDb?: string
  /**
   * Repository-relative osv-scanner.toml; which version decides on a change: `configSource`. Undefined:
   * none is read (an organisation's required check ignores nothing the repository asks it to).
   */
  configFile: string | undefined
  configSource: TrustSource
  diff: 'auto' | 'false'
  licenses: LicensePolicy
  deadlineMs: number
  /** A pre-provisioned engine binary, used as is; else the pinned release is installed. */
  binaryPath?: string
  inputs: ScaInputNames
}

export interface ScaPorts {
  logger: Logger
  context: ActionsContext
  /** The runner's environment: RUNNER_TEMP, RUNNER_TOOL_CACHE, and what child processes may see. */
  env: NodeJS.ProcessEnv
}

/**
 * A file whose dependencies the scan does not see. `error`: the report is incomplete (the step fails, the
 * gate reads it as broken). `warning`: a manifest without a lockfile, shown in the summary and the SARIF
 * without failing anything, since many repositories keep a manifest for tools only.
 */
export interface NotScanned {
  file: string
  reason: string
  level: 'error' | 'warning'
}

export interface ScaResult {
  mode: ScaMode
  tool: ToolInfo
  offlineDb?: OfflineDbInfo
  config?: ScannerConfig
  lockfiles: string[]
  notScanned: NotScanned[]
  packages: number
  /** Every vulnerability at head, with its upgrade advice. */
  vulnerabilities: VulnerabilityFinding[]
  /** What the SARIF reports (on a change: only what it adds). */
  reported: Finding[]
  /** On a change: findings the merge-base already had. */
  existing: Finding[]
  /** Each `[[IgnoredVulns]]` entry with the head findings it hid (absent when nothing was scanned). */
  ignoreHits?: IgnoreHits[]
  /** Each ignore the pull request's own config adds, with what it would hide at head. */
  proposedIgnoreHits?: IgnoreHits[]
  /** Packages whose license could not be judged (no license known). */
  licensesUnknown: number
  sarif: SarifLog
  /** Undefined when nothing was scanned (a change with no dependency file). */
  sbom?: CycloneDxBom
}

/** The engine's packages as the files declare them (asDeclared): what it drops without a word is unknown, never absent. */
function withDeclaredDependencies(
  result: EngineResult,
  files: readonly string[],
  text: LockfileText
): EngineResult {
  return { ...result, packages: asDeclared(files, result.packages, file => text.text(file)) }
}

/** Offline, osv-scanner asks no license service: the licenses a lockfile records fill the gap. */
function withLockfileLicenses(result: EngineResult, text: LockfileText): EngineResult {
  const byFile = new Map<string, Map<string, string[]>>()
  for (const pkg of result.packages) {
    if (pkg.licenses.length > 0) continue
    let known = byFile.get(pkg.lockfile)
    if (!known)
      byFile.set(pkg.lockfile, (known = lockfileLicenses(pkg.lockfile, text.text(pkg.lockfile) ?? '')))
    pkg.licenses = known.get(`${pkg.name}@${pkg.version ?? ''}`) ?? []
  }
  return result
}

/**
 * The offline database judges the change: one it changed would let it vouch for itself with its own
 * advisories. A change to a file in it, or to a directory on its way (made a link to a tree of the
 * change's own), is refused. The engine binary is refused alike (refuseChangedBinary).
 */
function checkDbNotChanged(
  base: PullRequestBase | undefined,
  workspace: string,
  offlineDb: string | undefined,
  what: { engine: ScaEngine; input: string }
): void {
  const touched = changeReaching(base, workspace, offlineDb)
  if (touched)
    throw new BrokenInputError(
      what.engine,
      `this ${base!.event} changes ${touched.path} in the offline database '${what.input}': a change cannot bring the advisories it is judged by`
    )
}

export async function runSca(options: ScaOptions, ports: ScaPorts): Promise<ScaResult> {
  const { logger, context: ctx, env } = ports
  const { workspace, inputs } = options
  // The input or SECURE_PIPELINE_<ENGINE>_PATH: whichever installTool will run.
  const engineBinary = givenBinary(options.engine, options.binaryPath, env, inputs.binaryPath)
  const needsBase =
    isChangeEvent(ctx) &&
    (options.diff === 'auto' ||
      options.configSource === 'base' ||
      [options.offlineDb, engineBinary?.path].some(target => workspacePlaces(workspace, target).length > 0))
  const selection: LockfileSelection = {
    scanPath: options.scanPath,
    include: options.include,
    exclude: options.exclude
  }
  // Before the change decides what to scan: a bad pattern fails every run, naming its input.
  checkScopeGlobs(selection, inputs)
  const base = needsBase ? await resolvePullRequestBase(ctx, workspace, logger) : undefined
  const decided = decideScaMode(
    options.diff,
    options.diff === 'auto' ? base : undefined,
    selection,
    inputs.diff
  )
  const tool: ToolInfo = { name: options.engine }
  const discover = () =>
    discoverLockfiles(workspace, selection, {
      include: inputs.include,
      exclude: inputs.exclude,
      path: inputs.path
    })
  // A change that writes a manifest and no dependency file is not scanned, but still told of its
  // lockfile; with osv-scanner, a file a requirements file includes may be what it changed (below).
  if (decided.kind === 'skip' && options.engine !== 'osv-scanner') {
    logMode(logger, decided)
    return skipped(
      decided,
      tool,
      decided.manifests.length > 0 || decided.lockfilesRemoved.length > 0
        ? unlockedNotices(discover(), decided, options, lockfileReader(workspace))
        : []
    )
  }

  const found = discover()
  // Only the checked-out files: a merge-base version read in part has fewer findings, so more of the
  // change's count as new, and a change that repairs such a file must not be refused for the version it
  // repairs. The same reader serves the findings later, so each file is read once.
  const headText = lockfileReader(workspace)
  const unreadIncludes = headText.checkLineBased(found.files, {
    followIncludes: options.engine === 'osv-scanner'
  })
  headText.checkJson(found.files)
  await headText.checkFetched(found.files)
  const mode = withIncludedChanges(decided, found.files, file => headText.engineIncluded(file))
  logMode(logger, mode)
  if (mode.kind === 'skip')
    return skipped(
      mode,
      tool,
      mode.manifests.length > 0 || mode.lockfilesRemoved.length > 0
        ? unlockedNotices(found, mode, options, headText)
        : []
    )
  // One array literal, not push(...list): a tree of 100,000 manifests would overflow the call's arguments.
  const notScanned: NotScanned[] = [
    ...found.links.map(file => ({
      file,
      level: 'error' as const,
      reason: `a symbolic link; links are never followed: commit the file itself, or leave it out with '${inputs.exclude}'`
    })),
    ...unwalkedChanges(mode, found).map(file => ({
      file,
      level: 'error' as const,
      reason: `the change adds or changes it in a directory the scan does not walk (.git, node_modules) or behind a link; move it, or leave it out with '${inputs.exclude}'`
    })),
    // What pip installs from by an include the engine does not follow: unread, it is unknown, never "none".
    ...unreadIncludeEntries(unreadIncludes, options.engine, inputs).map(e => ({
      ...e,
      level: 'error' as const
    })),
    ...unlockedNotices(found, mode, options, headText)
  ]
  // Before the engine runs: a go.work that cannot be read fails the run at once.
  const goWork = found.goWorkspaces.flatMap(file => goWorkFindings(file, readGoWork(headText, file)))
  logger.info(
    `${found.files.length} dependency file(s) in scope${found.links.length ? `, ${found.links.length} link(s) not followed` : ''}`
  )
  const offlineDb =
    options.offlineDb && options.engine === 'osv-scanner'
      ? checkOfflineDb(options.offlineDb, inputs.offlineDb)
      : undefined
  if (options.offlineDb && !offlineDb && !existsSync(options.offlineDb))
    throw new ConfigurationError(
      `Input '${inputs.offlineDb}' (${options.offlineDb}) does not exist; give Trivy's cache directory holding its databases.`
    )
  checkDbNotChanged(base, workspace, options.offlineDb, { engine: options.engine, input: inputs.offlineDb })
  refuseChangedBinary(base, workspace, options.engine, engineBinary)
  const tempRoot = mkdtempSync(path.join(env.RUNNER_TEMP || tmpdir(), 'sca-'))
  const config = await resolveScannerConfig({
    workspace,
    file: options.configFile,
    source: options.configSource,
    base,
    tempDir: tempRoot
  })
  // Trivy has no package-wide ignore: one is not applied, and the summary says so too.
  if (options.engine === 'trivy' && config.packageIgnores.length > 0)
    logger.warning(
      `${config.path}: trivy does not apply its ${config.packageIgnores.length} [[PackageOverrides]] ignore(s); their advisories are reported (list the ids as [[IgnoredVulns]], or scan with osv-scanner)`
    )
  const installed = await installTool({
    tool: options.engine,
    preProvisionedPath: options.binaryPath,
    inputs: { path: inputs.binaryPath },
    logger,
    env
  })
  tool.version = installed.version
  const licensing = options.licenses.allow.length + options.licenses.deny.length > 0
  const scan = (root: string, files: readonly string[]): Promise<EngineResult> =>
    options.engine === 'trivy'
      ? scanWithTrivy({
          binary: installed.path,
          version: installed.version,
          root,
          files,
          offlineDb: options.offlineDb,
          cacheDir: path.join(env.RUNNER_TEMP || tempRoot, 'trivy-cache'),
          licenses: licensing,
          tempDir: tempRoot,
          deadlineMs: options.deadlineMs,
          env,
          logger
        })
      : scanWithOsvScanner({
          binary: installed.path,
          version: installed.version,
          root,
          files,
          offlineDb: options.offlineDb,
          licenses: licensing,
          configFile: config.file,
          deadlineMs: options.deadlineMs,
          env,
          logger
        })

  const baseRoot = path.join(tempRoot, 'base')
  const baseWritten =
    mode.kind === 'diff' ? await writeBaseVersions(mode, baseRoot, file => headText.engineIncluded(file)) : []
  // A go.work is read here, never by the engine.
  const baseFiles = baseWritten.filter(file => !isGoWorkFile(file))
  const [headScan, baseScan] = await logger.group(`${options.engine} scan`, () =>
    Promise.all([
      found.files.length > 0 ? scan(workspace, found.files) : Promise.resolve(emptyResult(tool)),
      baseFiles.length > 0 ? scan(baseRoot, baseFiles) : Promise.resolve(emptyResult(tool))
    ])
  )
  const baseText = lockfileReader(baseRoot)
  const head = withDeclaredDependencies(headScan, found.files, headText)
  const before = withDeclaredDependencies(baseScan, baseFiles, baseText)
  // The engines drop no ignored advisory (see withoutIgnoredVulns): sca hides them, naming each one.
  const ignored = applyIgnores(withLockfileLicenses(head, headText).findings, config.ignores)
  const vulnerabilities = enrichVulnerabilities({ ...head, findings: ignored.kept }, headText)
  // Hidden advisories stay in the SARIF, suppressed, so the gate counts and shows them; their upgrade
  // advice is the one that fixes every advisory of the package, as for any other.
  let suppressed = enrichVulnerabilities(
    { ...head, findings: [...ignored.kept, ...ignored.hidden] },
    headText
  )
    .map(v => v.finding)
    .filter(f => f.suppressions.length > 0)
  const headDirect = directRequirements(found.files, head.packages, headText)
  const licensed = licenseFindings(head.packages, options.licenses, headText)
  let findings = [
    ...vulnerabilities.map(v => v.finding),
    ...versionUnknownFindings(head.packages, headText),
    ...directReferenceFindings(headDirect, headText),
    ...goWork,
    ...licensed.findings
  ]
  let existing: Finding[] = []
  if (mode.kind === 'diff') {
    const baseVulnerabilities = withLockfileLicenses(before, baseText).findings
    const baseFindings = [
      // What the ignores hid at the base was not reported there either.
      ...applyIgnores(baseVulnerabilities, config.ignores).kept,
      ...versionUnknownFindings(before.packages, baseText),
      ...directReferenceFindings(directRequirements(baseFiles, before.packages, baseText), baseText),
      ...baseWritten.filter(isGoWorkFile).flatMap(file => baseGoWorkFindings(file, baseText.text(file))),
      ...licenseFindings(before.packages, options.licenses, baseText).findings
    ]
    const changed = new Set(mode.changed.map(c => c.path))
    const split = classifyFindings(findings, baseFindings, changed)
    findings = split.fresh
    existing = split.existing
    // Only what the change adds is shown suppressed; what the base had is not the change's.
    suppressed = classifyFindings(suppressed, baseVulnerabilities, changed).fresh
  }
  const problems: ToolProblem[] = [
    ...head.problems,
    // The tools that install dependencies read through a link: what it holds is unknown, never "none".
    ...notScanned.map(notScannedProblem)
  ]
  const sarif = buildSarifLog([
    {
      tool: head.tool.version ? head.tool : tool,
      category: SCA_CATEGORY,
      findings: [...findings, ...suppressed],
      problems,
      rules: [
        versionUnknownRule(),
        ...(licensing ? licenseRules({ allow: inputs.licensesAllow, deny: inputs.licensesDeny }) : [])
      ]
    }
  ])
  const sbom = buildScaSbom(
    // What requirements install from a URL or a VCS is a dependency too, though the engine lists none.
    lockfileIdentities([...head.packages, ...headDirect.filter(d => d.ref.name).map(d => d.pkg)], file =>
      headText.text(file)
    ),
    headText,
    {
      tool,
      repository: `${ctx.repo.owner}/${ctx.repo.repo}`,
      ...(ctx.sha ? { commit: ctx.sha } : {})
    }
  )
  return {
    mode,
    tool,
    ...(offlineDb ? { offlineDb } : {}),
    config,
    lockfiles: found.files,
    notScanned,
    packages: sbom.components.length,
    vulnerabilities,
    reported: findings,
    existing,
    ignoreHits: ignored.hits,
    ...(config.proposed
      ? { proposedIgnoreHits: applyIgnores(head.findings, config.proposed.addedIgnoreEntries).hits }
      : {}),
    licensesUnknown: licensed.unknown,
    sarif,
    sbom
  }
}

function logMode(logger: Logger, mode: ScaMode): void {
  logger.info(
    `${mode.kind === 'full' ? 'Full scan' : mode.kind === 'diff' ? 'Change scan' : 'Nothing to scan'}: ${mode.reason}`
  )
}

function notScannedProblem(n: NotScanned): ToolProblem {
  return { level: n.level, message: `not scanned: ${n.file}: ${n.reason}` }
}

/**
 * The manifests without a lockfile in the scan, as warnings. On a change only those it adds or modifies:
 * the others are left to the full scans of pushes and schedules, like the findings the base already had.
 */
function unlockedNotices(
  found: DiscoveredLockfiles,
  mode: ScaMode,
  options: Pick<ScaOptions, 'engine' | 'inputs'>,
  text: LockfileText
): NotScanned[] {
  const touched = mode.kind === 'full' ? undefined : new Set(mode.manifests)
  // A manifest the change leaves alone is its own when the change took away the lockfile that covered it.
  const uncovered = mode.kind === 'full' ? undefined : coveredBy(mode.lockfilesRemoved, options.engine)
  const inChange = (file: string) =>
    touched === undefined || touched.has(file) || uncovered?.(file).covered === true
  const unlocked = unlockedManifests({
    manifests: found.manifests.filter(inChange),
    manifestLinks: found.manifestLinks.filter(inChange),
    lockfiles: [...found.files, ...found.links],
    walked: [...found.files, ...found.manifests],
    engine: options.engine,
    text: file => text.text(file)
  })
  return unlockedManifestEntries(unlocked, options.engine, options.inputs).map(entry => ({
    ...entry,
    level: 'warning' as const
  }))
}

/**
 * Dependency files the change wrote that the walk did not meet: under a skipped directory, reached by
 * the tools through a directory link the change made (`web -> node_modules/.web`). Unscanned, they
 * would pass as a change that adds nothing.
 */
function unwalkedChanges(mode: ScaMode, found: DiscoveredLockfiles): string[] {
  if (mode.kind !== 'diff') return []
  const met = new Set([...found.files, ...found.links, ...found.goWorkspaces])
  return mode.changed.map(change => change.path).filter(file => !met.has(file))
}

/** A go.work's text; one the reader could not read (over its cap, gone) is refused, never read as empty. */
function readGoWork(text: LockfileText, file: string): string {
  const source = text.text(file)
  if (source === undefined)
    throw new BrokenInputError(
      file,
      'could not be read, so the scan cannot tell which module versions go build uses'
    )
  return source
}

function emptyResult(tool: ToolInfo): EngineResult {
  return { tool, packages: [], findings: [], advisories: new Map(), problems: [] }
}

function skipped(
  mode: Extract<ScaMode, { kind: 'skip' }>,
  tool: ToolInfo,
  notScanned: NotScanned[]
): ScaResult {
  return {
    mode,
    tool,
    lockfiles: [],
    notScanned,
    packages: 0,
    vulnerabilities: [],
    reported: [],
    existing: [],
    licensesUnknown: 0,
    sarif: buildSarifLog([
      { tool, category: SCA_CATEGORY, findings: [], problems: notScanned.map(notScannedProblem) }
    ])
  }
}

/** The action's outputs for a result. */
export function scaOutputs(
  result: ScaResult,
  files: { sarif: string; sbom: string }
): Record<string, string> {
  const counts = countBySeverity(result.reported)
  return {
    'sarif-file': files.sarif,
    'sbom-file': result.sbom ? files.sbom : '',
    findings: String(result.reported.length),
    'by-severity': JSON.stringify(counts),
    new: result.mode.kind === 'full' ? '' : String(result.reported.length),
    existing: result.mode.kind === 'diff' ? String(result.existing.length) : '',
    mode: result.mode.kind
  }
}
