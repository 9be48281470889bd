import * as path from 'node:path'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../findings/json.js'
import { readOsvScanner, sameOsvPackage } from '../findings/readers/osv-scanner.js'
import { BrokenInputError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv, lastWords, runProcess } from '../runtime/process.js'
import { stdoutReport } from './engine-output.js'
import { parseAsName } from './lockfiles.js'
import { advisoryKey, type EngineResult, type ScannedPackage } from './model.js'
import type { AffectedRange, PackageAdvisory } from './upgrade.js'

export interface OsvScanRequest {
  binary: string
  version: string
  /** Directory the lockfile paths are relative to (the workspace, or a tree of base versions). */
  root: string
  /** Repository-relative dependency files. */
  files: readonly string[]
  /** The offline database directory; undefined: the OSV API. */
  offlineDb?: string
  /** Ask deps.dev for every package's licenses (online only). */
  licenses: boolean
  /** The osv-scanner.toml that decides (a private copy); always given, so none in the tree is read. */
  configFile: string
  deadlineMs: number
  env: NodeJS.ProcessEnv
  logger: Logger
}

/** The argv for a scan; every flag checked against osv-scanner 2.6.0 (`scan source --help`, its source). */
export function osvScannerArgs(
  request: Omit<OsvScanRequest, 'binary' | 'version' | 'deadlineMs' | 'env' | 'logger'>
): string[] {
  const args = ['scan', 'source', '--format', 'json', '--all-packages', '--allow-no-lockfiles']
  // Call analysis runs govulncheck (the Go toolchain, and its module downloads) or build scripts: never.
  // Transitive resolution (requirements.txt, pom.xml) asks api.deps.dev or the registries a pom.xml the
  // change controls names, and would make the package set differ between online and offline: never.
  args.push('--no-call-analysis=all', '--no-resolve', '--config', request.configFile)
  if (request.offlineDb) args.push('--offline', '--offline-vulnerabilities')
  else if (request.licenses) args.push('--licenses')
  for (const file of request.files) {
    const absolute = path.join(request.root, file)
    const parseAs = parseAsName(file)
    args.push('--lockfile', parseAs ? `${parseAs}:${absolute}` : absolute)
  }
  return args
}

/** Exit codes of osv-scanner 2.6.0 (cmd/osv-scanner/internal/cmd/run.go). */
const EXIT_MEANING: Readonly<Record<number, string>> = {
  127: 'it failed',
  128: 'it found no package sources',
  129: 'an OSV API query failed',
  130: 'its configuration file is invalid'
}

export async function scanWithOsvScanner(request: OsvScanRequest): Promise<EngineResult> {
  const { logger } = request
  const args = osvScannerArgs(request)
  const outcome = await runProcess(request.binary, args, {
    cwd: request.root,
    deadlineMs: request.deadlineMs,
    env: childEnv(
      request.offlineDb ? { OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY: request.offlineDb } : {},
      request.env
    )
  })
  for (const line of outcome.stderr.split('\n').filter(Boolean).slice(0, 200)) logger.debug(line)
  const name = 'osv-scanner'
  if (outcome.timedOut)
    throw new BrokenInputError(
      name,
      `did not finish within ${Math.round(request.deadlineMs / 60_000)} minute(s); it was stopped`
    )
  if (outcome.signal)
    throw new BrokenInputError(name, `was killed by ${outcome.signal}: ${lastWords(outcome)}`)
  if (outcome.exitCode !== 0 && outcome.exitCode !== 1) {
    const meaning = EXIT_MEANING[outcome.exitCode ?? -1] ?? `it exited with ${outcome.exitCode}`
    throw new BrokenInputError(name, `${meaning} (exit ${outcome.exitCode}): ${errorLines(outcome.stderr)}`)
  }
  const failedParts = failedPluginLines(outcome.stderr)
  if (failedParts.length > 0)
    throw new BrokenInputError(
      name,
      `part of the scan failed, so its report is incomplete (exit ${outcome.exitCode}): ${failedParts.join(' | ').slice(0, 600)}`
    )
  const report = stdoutReport(name, outcome)
  return readOsvOutput(report, request.root, { name, version: request.version })
}

/**
 * osv-scanner 2.6.0 logs a failed plugin (the OSV API query `vulnmatch/osvdev`, the deps.dev license
 * lookup `license/depsdev`, a local database) as `Error during extraction: (extracting as <plugin>) …`
 * and carries on (pkg/osvscanner/scan.go logPluginStatus). With no vulnerability found it then exits 127;
 * with one found, exit 1 (findings) wins over the error (cmd/osv-scanner/internal/cmd/run.go), so the
 * report looks whole while the failed part (licenses, the rest of a timed-out query) is missing.
 * Its yarn.lock extractor logs `Failed to determine version of <name> while parsing a yarn.lock` for
 * an entry whose version line it cannot read (yarn reads `  version "4.17.11" ` with its trailing
 * space; osv-scalibr's pattern does not) and drops the package from matching as "unscannable", exit 0.
 */
export function failedPluginLines(stderr: string): string[] {
  return stderr
    .split('\n')
    .map(line => line.trim())
    .filter(
      line =>
        line.startsWith('Error during extraction:') ||
        /^Failed to determine version of .* while parsing/.test(line)
    )
}

/** The lines that say what went wrong, without the progress chatter around them. */
function errorLines(stderr: string): string {
  const lines = stderr
    .split('\n')
    .map(l => l.trim())
    .filter(Boolean)
  const errors = lines.filter(l => /error|could not|failed|unable|invalid|no offline/i.test(l))
  return (errors.length > 0 ? errors : lines).slice(-4).join(' | ').slice(0, 600)
}

/** Packages, findings and per-package advisories from osv-scanner's JSON (`--all-packages`). */
export function readOsvOutput(
  report: JsonObject,
  root: string,
  tool: { name: string; version?: string }
): EngineResult {
  const scanned = readOsvScanner(report, 'osv-scanner', { workspace: root })
  const packages: ScannedPackage[] = []
  const advisories = new Map<string, PackageAdvisory[]>()
  for (const rawResult of asArray(report.results)) {
    const result = asObject(rawResult)
    const source = asString(asObject(result?.source)?.path)
    const lockfile = source ? relativeTo(root, source) : undefined
    if (!lockfile) continue
    for (const rawEntry of asArray(result?.packages)) {
      const entry = asObject(rawEntry)
      const pkg = asObject(entry?.package)
      const name = asString(pkg?.name)
      const ecosystem = asString(pkg?.ecosystem)
      if (!entry || !name || !ecosystem) continue
      const version = asString(pkg?.version)
      const commit = asString(pkg?.commit)
      packages.push({
        lockfile,
        ecosystem,
        name,
        ...(version ? { version } : {}),
        ...(commit ? { commit } : {}),
        licenses: asStrings(entry.licenses)
      })
      for (const [ruleId, list] of packageAdvisories(entry, name))
        advisories.set(advisoryKey(lockfile, ecosystem, name, version, ruleId), list)
    }
  }
  return {
    tool: {
      name: tool.name,
      ...(tool.version ? { version: tool.version } : {}),
      informationUri: 'https://github.com/google/osv-scanner'
    },
    packages,
    // The same repository-relative path as the packages' (a directory source keeps no trailing slash),
    // so each finding meets its advisories.
    findings: scanned.findings.map(f =>
      f.location
        ? { ...f, location: { ...f.location, path: relativeTo(root, f.location.path) ?? f.location.path } }
        : f
    ),
    advisories,
    problems: scanned.problems
  }
}

function relativeTo(root: string, file: string): string | undefined {
  const relative = path.relative(root, path.resolve(root, file)).split(path.sep).join('/')
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : undefined
}

/** Each group's advisories (its records' ranges for this package), by the group's first id. */
function packageAdvisories(entry: JsonObject, name: string): Map<string, PackageAdvisory[]> {
  const records = new Map<string, JsonObject>()
  for (const raw of asArray(entry.vulnerabilities)) {
    const record = asObject(raw)
    const id = asString(record?.id)
    if (record && id && (record.withdrawn === undefined || record.withdrawn === null)) records.set(id, record)
  }
  const groups = asArray(entry.groups)
    .map(asObject)
    .filter((g): g is JsonObject => g !== undefined)
  const idSets = groups.length > 0 ? groups.map(g => asStrings(g.ids)) : [...records.keys()].map(id => [id])
  const out = new Map<string, PackageAdvisory[]>()
  for (const ids of idSets) {
    const live = ids.filter(id => records.has(id))
    if (live.length === 0) continue
    out.set(
      live[0]!,
      live.map(id => advisoryFor(id, records.get(id)!, name))
    )
  }
  return out
}

function advisoryFor(id: string, record: JsonObject, name: string): PackageAdvisory {
  const advisory: PackageAdvisory = { id, ranges: [], versions: [], fixed: [] }
  for (const rawAffected of asArray(record.affected)) {
    const affected = asObject(rawAffected)
    const pkg = asObject(affected?.package)
    const affectedName = asString(pkg?.name)
    if (!affected || (affectedName && !sameOsvPackage(affectedName, name, asString(pkg?.ecosystem)))) continue
    advisory.versions.push(...asStrings(affected.versions))
    for (const rawRange of asArray(affected.ranges)) {
      const range = asObject(rawRange)
      if (!range || range.type === 'GIT') continue
      const events: AffectedRange['events'] = []
      for (const rawEvent of asArray(range.events)) {
        const event = asObject(rawEvent)
        const introduced = asString(event?.introduced)
        const fixed = asString(event?.fixed)
        const lastAffected = asString(event?.last_affected)
        if (introduced !== undefined) events.push({ introduced })
        if (fixed !== undefined) {
          events.push({ fixed })
          advisory.fixed.push(fixed)
        }
        if (lastAffected !== undefined) events.push({ last_affected: lastAffected })
      }
      advisory.ranges.push({ events })
    }
  }
  advisory.fixed = [...new Set(advisory.fixed)]
  return advisory
}
