import { childEnv, type ChildEnv } from '../runtime/process.js'

export const ENGINES = ['semgrep', 'opengrep'] as const
export type Engine = (typeof ENGINES)[number]

export interface ScanArgsInput {
  engine: Engine
  /** Rule configs: the user's (files, directories, or registry names), then our pack, which wins a shared id. */
  configs: readonly string[]
  /** Files or directories, relative to the engine's working directory. */
  targets: readonly string[]
  /**
   * Where the engine writes its report, as SARIF: the one output that keeps the results `nosemgrep`
   * suppresses, marked. One output only: a second one costs another formatting pass.
   */
  report: string
  /**
   * With the user's own rules: where the engine also writes its JSON, read only for the rules'
   * severities. Its SARIF maps CRITICAL and HIGH alike to `error`; the pack's severities are our own.
   */
  severities?: string
  /** Every path pattern to skip: the deciding ignore file's (or Semgrep's defaults), then the user's. */
  exclude: readonly string[]
  /** Per rule and file, in whole seconds (Semgrep rejects fractions). */
  ruleTimeoutSeconds: number
  jobs?: number
}

/**
 * Flags only Semgrep 1.185 is known to take. Opengrep (a Semgrep CE fork, one OCaml binary) removed the
 * telemetry switch: 1.29 rejects `--metrics` as an unknown option, so it gets the common flags only and
 * the environment below (it sends no metrics). Semgrep: no metrics; no version check (on a blocked
 * network that check hangs ~90 s); and no Python-side rule pre-validation, which costs 2-3 s per run
 * (most of a diff scan) and loses no check: semgrep-core still parses every rule, and a bad one aborts
 * the scan with exit 7 and a level-error entry in errors[] (tested).
 */
const SEMGREP_ONLY = ['--metrics=off', '--disable-version-check', '--x-rule-validation=none']

/**
 * The one engine command line. The report goes to a file so stdout noise can never corrupt it.
 * The engine reads no `.semgrepignore` of its own (`--x-ignore-semgrepignore-files`, which also drops
 * its built-in list and nested ignore files): the patterns that decide are passed as `--exclude`, so a
 * pull request cannot skip its own files with an ignore file it adds. Results a `nosemgrep` comment
 * suppresses stay in the SARIF, marked, so they are shown as suppressed, never dropped.
 */
export function buildScanArgs(input: ScanArgsInput): string[] {
  const args = [
    'scan',
    ...(input.engine === 'semgrep' ? SEMGREP_ONLY : []),
    // Rule ids as written, by both engines (Opengrep's scan CLI keeps Semgrep's negatable flag): a rule
    // read from a directory, or from the base branch's copy in a temporary one, keeps the id the checkout's
    // rule has, so the gate's baseline and exceptions match it.
    '--no-rewrite-rule-ids',
    '--sarif',
    '--output',
    input.report,
    ...(input.severities ? [`--json-output=${input.severities}`] : []),
    '--x-ignore-semgrepignore-files',
    // No size limit: by default the engine skips files over 1 MB in a directory scan and says so only in
    // its console summary (the SARIF reads as complete), so a change could hide a flaw in a big file. A
    // file too big to analyse in time fails the scan by its rule timeout or the deadline instead.
    '--max-target-bytes=0'
  ]
  for (const config of input.configs) args.push('--config', config)
  // One argument each: a pattern that starts with `-` stays a pattern.
  for (const pattern of input.exclude) args.push(`--exclude=${pattern}`)
  args.push(
    '--timeout',
    String(Math.max(1, Math.round(input.ruleTimeoutSeconds))),
    '--timeout-threshold',
    '3'
  )
  if (input.jobs !== undefined) args.push('--jobs', String(input.jobs))
  // `--` so a target named like an option (a file called `--config=x`) stays a target.
  args.push('--', ...input.targets)
  return args
}

/** `--version` with the version check off where the engine has that flag. */
export function versionArgs(engine: Engine): string[] {
  return engine === 'semgrep' ? ['--version', '--disable-version-check'] : ['--version']
}

/** Environment for the engine: the allowlist, with telemetry and update checks off whatever the caller says. */
export function engineEnv(base: Readonly<Record<string, string | undefined>> = process.env): ChildEnv {
  return childEnv(
    {
      SEMGREP_SEND_METRICS: 'off',
      SEMGREP_ENABLE_VERSION_CHECK: '0',
      SEMGREP_SUPPRESS_ERRORS: '0',
      // Semgrep lists targets with git; keep it from prompting or paging.
      GIT_TERMINAL_PROMPT: '0',
      GIT_PAGER: 'cat'
    },
    base
  )
}

/**
 * Engine exit codes (Semgrep CLI reference): 0 done, 1 findings with `--error` (not passed, tolerated),
 * anything else is a failed scan whose report cannot be trusted to be complete.
 */
export function exitCodeMeaning(code: number): string | undefined {
  const known: Record<number, string> = {
    2: 'fatal error (invalid rule, unreadable target or internal error)',
    3: 'invalid target code',
    4: 'invalid pattern in a rule',
    5: 'unparseable rule YAML',
    7: 'a rule config could not be found or loaded',
    8: 'invalid language in a rule',
    13: 'invalid API token',
    14: 'scan failed'
  }
  if (code === 0 || code === 1) return undefined
  if (code >= 128) return `killed by signal ${code - 128}`
  return known[code] ?? `unexpected exit code ${code}`
}
