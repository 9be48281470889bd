import { spawn } from 'node:child_process'
import { existsSync, realpathSync } from 'node:fs'
import * as path from 'node:path'
import { ConfigurationError } from './errors.js'

export interface ProcessOutcome<Out = string> {
  exitCode: number | null
  signal: NodeJS.Signals | null
  /** The wall-clock deadline passed and the process group was killed. */
  timedOut: boolean
  stdout: Out
  /** stdout was longer than `maxStdoutBytes`: only its last bytes are in `stdout`. */
  stdoutTruncated: boolean
  stderr: string
  /** stderr was longer than `maxStderrBytes`: only its last bytes are in `stderr`. */
  stderrTruncated?: boolean
  durationMs: number
}

export interface RunProcessOptions {
  cwd: string
  deadlineMs: number
  /** The child's whole environment: build it with `childEnv`, never pass process.env. */
  env: ChildEnv
  /** Written to stdin, which is closed afterwards; without it stdin is /dev/null. */
  input?: string
  /** Grace between SIGTERM and SIGKILL once the deadline passes. */
  killGraceMs?: number
  /** Bytes of stdout kept (the last ones when it is longer). */
  maxStdoutBytes?: number
  /** Bytes of stderr kept (the last ones), 512 KiB by default: more for a tool whose log must be read whole. */
  maxStderrBytes?: number
}

/** An environment built by `childEnv`: the type keeps a raw `process.env` from reaching a child. */
export type ChildEnv = Readonly<Record<string, string>> & { readonly __allowlisted: true }

/**
 * What a scanner, git or kustomize needs from the runner's environment: where to find programs and a
 * home, locale, temp dirs, proxies and CA bundles. Nothing else passes: no INPUT_* (the token is an
 * input), no ACTIONS_RUNTIME_TOKEN or ACTIONS_ID_TOKEN_REQUEST_*, no GITHUB_TOKEN, no cloud keys.
 */
const PASSED = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'RUNNER_TEMP',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'NODE_EXTRA_CA_CERTS',
  'REQUESTS_CA_BUNDLE',
  'SYSTEMROOT',
  'COMSPEC',
  'PATHEXT',
  'WINDIR'
])
const PASSED_PREFIXES = ['LC_']

/** Names that must never reach a child, even when a caller asks for them by name. */
const SECRET =
  /^(INPUT_|ACTIONS_)|TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE_KEY|^GITHUB_|^AWS_|^AZURE_|^GOOGLE_/i

export function isPassedToChildren(name: string): boolean {
  return PASSED.has(name) || PASSED_PREFIXES.some(prefix => name.startsWith(prefix))
}

/**
 * The allowlisted environment for a child process, plus `extra` (tool settings such as
 * SEMGREP_SEND_METRICS or OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY). An `extra` name that looks like a
 * credential is refused: a tool that needs one gets it through a file, never the environment.
 */
export function childEnv(
  extra: Readonly<Record<string, string | undefined>> = {},
  base: Readonly<Record<string, string | undefined>> = process.env
): ChildEnv {
  const env: Record<string, string> = {}
  for (const [name, value] of Object.entries(base))
    if (value !== undefined && isPassedToChildren(name)) env[name] = value
  if (env.PATH !== undefined) env.PATH = searchPathOutside(env.PATH, base.GITHUB_WORKSPACE)
  for (const [name, value] of Object.entries(extra)) {
    if (SECRET.test(name) && !isPassedToChildren(name))
      throw new Error(`childEnv: '${name}' looks like a credential and is never passed to a child process`)
    if (value !== undefined) env[name] = value
  }
  return env as ChildEnv
}

/**
 * PATH without its relative entries and those inside the workspace. Spawn looks programs up in the
 * child's PATH, and so do the tools themselves (semgrep runs git): a workflow that put
 * `node_modules/.bin` or `$GITHUB_WORKSPACE/bin` on PATH would otherwise run a `git` or `tar` the pull
 * request committed, with the action's process (and its token) readable in /proc.
 */
function searchPathOutside(searchPath: string, workspace: string | undefined): string {
  const roots = workspace ? [path.resolve(workspace), realOrSelf(workspace)] : []
  const outside = (dir: string) =>
    path.isAbsolute(dir) && ![path.resolve(dir), realOrSelf(dir)].some(d => roots.some(r => isWithin(d, r)))
  return searchPath.split(path.delimiter).filter(outside).join(path.delimiter)
}

function isWithin(dir: string, root: string): boolean {
  const relative = path.relative(root, dir)
  return !(relative === '..' || relative.startsWith(`..${path.sep}`) || path.isAbsolute(relative))
}

function realOrSelf(dir: string): string {
  try {
    return realpathSync(dir)
  } catch {
    return path.resolve(dir)
  }
}

const STDERR_CAP_BYTES = 512 * 1024
export const DEFAULT_STDOUT_CAP_BYTES = 256 * 1024 * 1024

/** Keeps the last `cap` bytes: a runaway tool must not exhaust memory, and its last words matter most. */
function tail(cap: number): { push(chunk: Buffer): void; bytes(): Buffer; dropped(): boolean } {
  const chunks: Buffer[] = []
  let size = 0
  let dropped = false
  return {
    push(chunk) {
      chunks.push(chunk)
      size += chunk.length
      while (size > cap && chunks.length > 1) {
        size -= (chunks.shift() as Buffer).length
        dropped = true
      }
    },
    bytes: () => Buffer.concat(chunks),
    dropped: () => dropped
  }
}

/**
 * The one way this code runs a program: argv only (no shell), an allowlisted environment, its own
 * process group, and a wall-clock deadline after which the whole group gets SIGTERM, then SIGKILL
 * (semgrep forks its OCaml core, git its remote helpers: killing the leader alone leaves them running).
 * A program that cannot start is a ConfigurationError naming it; every exit is returned, never thrown.
 */
export async function runProcess(
  file: string,
  args: readonly string[],
  options: RunProcessOptions
): Promise<ProcessOutcome> {
  const outcome = await runProcessBytes(file, args, options)
  return { ...outcome, stdout: outcome.stdout.toString('utf8') }
}

/** `runProcess` for programs whose stdout is binary (git cat-file --batch). */
export function runProcessBytes(
  file: string,
  args: readonly string[],
  options: RunProcessOptions
): Promise<ProcessOutcome<Buffer>> {
  const started = Date.now()
  // spawn says ENOENT for a missing cwd as for a missing program: tell the two apart.
  if (!existsSync(options.cwd))
    return Promise.reject(
      new ConfigurationError(`Could not start ${file}: its working directory ${options.cwd} does not exist`)
    )
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      detached: process.platform !== 'win32'
    })
    if (options.input !== undefined) {
      // A program that exits early closes stdin; its exit status tells why, not EPIPE.
      child.stdin?.on('error', () => undefined)
      child.stdin?.end(options.input)
    }
    const out = tail(options.maxStdoutBytes ?? DEFAULT_STDOUT_CAP_BYTES)
    const err = tail(options.maxStderrBytes ?? STDERR_CAP_BYTES)
    child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
    child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
    let timedOut = false
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined && process.platform !== 'win32') process.kill(-child.pid, signal)
        else child.kill(signal)
      } catch {
        // Already gone.
      }
    }
    let hardKill: NodeJS.Timeout | undefined
    const deadline = setTimeout(() => {
      timedOut = true
      killGroup('SIGTERM')
      hardKill = setTimeout(() => killGroup('SIGKILL'), options.killGraceMs ?? 5000)
    }, options.deadlineMs)
    child.on('error', error => {
      clearTimeout(deadline)
      if (hardKill) clearTimeout(hardKill)
      const why = (error as NodeJS.ErrnoException).code === 'ENOENT' ? notFound(file) : error.message
      reject(new ConfigurationError(`Could not start ${file} (in ${options.cwd}): ${why}`, { cause: error }))
    })
    child.on('close', (exitCode, signal) => {
      clearTimeout(deadline)
      if (hardKill) clearTimeout(hardKill)
      // The group may outlive its leader (a forked core); make sure nothing keeps running.
      if (timedOut) killGroup('SIGKILL')
      resolve({
        exitCode,
        signal,
        timedOut,
        stdout: out.bytes(),
        stdoutTruncated: out.dropped(),
        stderr: err.bytes().toString('utf8'),
        stderrTruncated: err.dropped(),
        durationMs: Date.now() - started
      })
    })
  })
}

/** A bare name was looked up in PATH, less the entries `childEnv` drops: say so, or a user hunts for it. */
function notFound(file: string): string {
  if (path.isAbsolute(file) || file.includes('/') || file.includes(path.sep)) return 'not found'
  return 'not found on PATH (entries inside the workspace and relative ones are never searched)'
}

/** The last lines of what a failed program said, short enough for a one-line error. */
export function lastWords(outcome: Pick<ProcessOutcome, 'stdout' | 'stderr'>, maxChars = 300): string {
  const text = outcome.stderr.trim() || outcome.stdout.trim()
  return text.split('\n').slice(-3).join(' ').slice(-maxChars)
}
