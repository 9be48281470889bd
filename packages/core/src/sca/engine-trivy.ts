import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import * as path from 'node:path'
import { asArray, asObject, asString, asStrings, type JsonObject } from '../findings/json.js'
import { readTrivy } from '../findings/readers/trivy.js'
import { BrokenInputError } from '../runtime/errors.js'
import type { Logger } from '../runtime/logger.js'
import { childEnv, lastWords, runProcess } from '../runtime/process.js'
import { stdoutReport } from './engine-output.js'
import { vulnerabilityKeyOf, type EngineResult, type ScannedPackage } from './model.js'
import type { PackageAdvisory } from './upgrade.js'

/** Trivy's language types → OSV ecosystems, for the lockfiles both read. */
const ECOSYSTEMS: Readonly<Record<string, string>> = {
  npm: 'npm',
  yarn: 'npm',
  pnpm: 'npm',
  bun: 'npm',
  pip: 'PyPI',
  pipenv: 'PyPI',
  poetry: 'PyPI',
  uv: 'PyPI',
  gomod: 'Go',
  cargo: 'crates.io',
  pom: 'Maven',
  gradle: 'Maven',
  bundler: 'RubyGems',
  composer: 'Packagist',
  nuget: 'NuGet',
  'dotnet-core': 'NuGet',
  pub: 'Pub',
  hex: 'Hex',
  swift: 'SwiftURL',
  conan: 'ConanCenter'
}

export interface TrivyScanRequest {
  binary: string
  version: string
  root: string
  /** Repository-relative dependency files: Trivy walks `root` itself; results for others are dropped. */
  files: readonly string[]
  /** A Trivy cache directory holding its databases (`db/trivy.db`): used as is, never updated. */
  offlineDb?: string
  /** Where Trivy keeps its cache when it may download (the runner's temp directory). */
  cacheDir: string
  licenses: boolean
  /** Where the private .trivyignore and trivy.yaml go: the tree's own (the pull request's) are never read. */
  tempDir: string
  deadlineMs: number
  env: NodeJS.ProcessEnv
  logger: Logger
}

export function trivyArgs(
  request: Pick<TrivyScanRequest, 'offlineDb' | 'cacheDir' | 'licenses'> & {
    ignoreFile: string
    configFile: string
    moduleDir: string
  }
): string[] {
  // --debug: a dependency file Trivy cannot parse is only a DEBUG "Walk error" line, and exit 0.
  const args = ['fs', '--format', 'json', '--list-all-pkgs', '--include-dev-deps', '--debug']
  args.push('--scanners', request.licenses ? 'vuln,license' : 'vuln')
  // An empty module directory of the run's: Trivy loads every WASM module in ~/.trivy/modules (kept
  // between jobs on a self-hosted runner), and a module's post-scan hook may drop any finding.
  args.push(
    '--ignorefile',
    request.ignoreFile,
    '--config',
    request.configFile,
    '--module-dir',
    request.moduleDir
  )
  args.push('--disable-telemetry', '--skip-version-check')
  if (request.offlineDb)
    args.push('--cache-dir', request.offlineDb, '--skip-db-update', '--skip-java-db-update', '--offline-scan')
  else args.push('--cache-dir', request.cacheDir)
  return [...args, '.']
}

export async function scanWithTrivy(request: TrivyScanRequest): Promise<EngineResult> {
  const dir = mkdtempSync(path.join(request.tempDir, 'trivy-'))
  const ignoreFile = path.join(dir, '.trivyignore')
  const configFile = path.join(dir, 'trivy.yaml')
  const moduleDir = path.join(dir, 'modules')
  mkdirSync(moduleDir)
  // Empty: sca applies the osv-scanner.toml ignores to Trivy's findings itself, by osv-scanner's rule
  // (an id hides its alias group), and names what each hid; the file only keeps the tree's own unread.
  writeFileSync(ignoreFile, '')
  writeFileSync(configFile, '{}\n')
  const outcome = await runProcess(
    request.binary,
    trivyArgs({ ...request, ignoreFile, configFile, moduleDir }),
    {
      cwd: request.root,
      deadlineMs: request.deadlineMs,
      env: childEnv({}, request.env),
      maxStderrBytes: TRIVY_LOG_BYTES
    }
  )
  for (const line of outcome.stderr.split('\n').filter(Boolean).slice(0, 200)) request.logger.debug(line)
  if (outcome.timedOut) throw new BrokenInputError('trivy', 'did not finish in time; it was stopped')
  if (outcome.exitCode !== 0)
    throw new BrokenInputError(
      'trivy',
      `it exited with ${outcome.exitCode ?? outcome.signal}: ${lastWords(outcome)}`
    )
  const unread = unreadFiles(outcome.stderr, new Set(request.files))
  if (unread.length > 0)
    throw new BrokenInputError('trivy', `could not read ${unread.join(' | ').slice(0, 600)}`)
  if (outcome.stderrTruncated)
    throw new BrokenInputError(
      'trivy',
      `its log passed ${TRIVY_LOG_BYTES / 1024 / 1024} MiB, so whether it read every dependency file is unknown`
    )
  const report = stdoutReport('trivy', outcome)
  return readTrivyOutput(report, request.root, new Set(request.files), request.version)
}

/** Trivy's debug log is read whole for its walk errors; past this, the scan is not trusted. */
const TRIVY_LOG_BYTES = 64 * 1024 * 1024

/**
 * The selected dependency files Trivy 0.74 could not read: it logs each as `DEBUG Walk error
 * file_path="…" err="parse error: …"`, leaves it out of the report and exits 0, so a broken lockfile
 * would read as one with no vulnerability. A walk error on a file the user left out does not count.
 */
export function unreadFiles(log: string, selected: ReadonlySet<string>): string[] {
  const out: string[] = []
  for (const line of log.split('\n')) {
    if (!/\bWalk error\b/.test(line)) continue
    const quoted = /\bfile_path=("(?:[^"\\]|\\.)*")/.exec(line)?.[1]
    let file: string | undefined
    try {
      file = quoted ? (JSON.parse(quoted) as string) : undefined
    } catch {
      file = undefined
    }
    // A path it quotes in a way we cannot read may be a selected one: counted, never guessed away.
    if (file !== undefined && !selected.has(path.posix.normalize(file))) continue
    const error = /\berr=("(?:[^"\\]|\\.)*")/.exec(line)?.[1]
    out.push(`${file ?? quoted ?? line.trim()}: ${error ? error.slice(1, -1) : 'walk error'}`)
  }
  return out
}

/** Packages (with Trivy's licenses), findings and fixed versions from `trivy fs --format json`. */
export function readTrivyOutput(
  report: JsonObject,
  root: string,
  selected: ReadonlySet<string>,
  version?: string
): EngineResult {
  const results = asArray(report.Results)
    .map(asObject)
    .filter((r): r is JsonObject => r !== undefined)
  const kept = results.filter(r => {
    const target = asString(r.Target)
    return target !== undefined && selected.has(path.posix.normalize(target)) && r.Class === 'lang-pkgs'
  })
  const scanned = readTrivy({ ...report, Results: kept }, 'trivy', { workspace: root })
  const packages: ScannedPackage[] = []
  for (const result of kept) {
    const lockfile = path.posix.normalize(asString(result.Target)!)
    const ecosystem = ECOSYSTEMS[asString(result.Type) ?? ''] ?? asString(result.Type) ?? 'unknown'
    for (const raw of asArray(result.Packages)) {
      const pkg = asObject(raw)
      const name = asString(pkg?.Name)
      if (!pkg || !name) continue
      const pkgVersion = asString(pkg.Version)
      packages.push({
        lockfile,
        ecosystem,
        name,
        ...(pkgVersion ? { version: pkgVersion } : {}),
        licenses: asStrings(pkg.Licenses)
      })
    }
  }
  const advisories = new Map<string, PackageAdvisory[]>()
  for (const finding of scanned.findings) {
    const ecosystem = ECOSYSTEMS[finding.package?.ecosystem ?? ''] ?? finding.package?.ecosystem ?? 'unknown'
    if (finding.package) finding.package.ecosystem = ecosystem
    const fixed = finding.package?.fixedVersions ?? []
    advisories.set(vulnerabilityKeyOf(finding), [{ id: finding.ruleId, ranges: [], versions: [], fixed }])
  }
  return {
    tool: {
      name: 'trivy',
      ...(version ? { version } : {}),
      informationUri: 'https://github.com/aquasecurity/trivy'
    },
    packages,
    findings: scanned.findings,
    advisories,
    problems: scanned.problems
  }
}
