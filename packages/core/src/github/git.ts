import { spawn } from 'node:child_process'
import { ConfigurationError } from '../runtime/errors.js'

export interface GitResult {
  exitCode: number
  stdout: string
  stderr: string
}

/** One path a change added, copied, modified or renamed, with what it was at the base commit. */
export interface FileChange {
  /** Path at the head commit. */
  path: string
  status: 'A' | 'C' | 'M' | 'R'
  /** Blob and mode at the base commit: for a modified file at `path`, for a renamed one at its old path. */
  previous?: { path: string; blob: string; mode: string }
}

export interface GitOptions {
  gitPath?: string
  /** Deadline for one git command (default 5 min: a deepening fetch on a big repository is slow). */
  timeoutMs?: number
  env?: Record<string, string | undefined>
}

const OBJECT_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/i

export function isObjectId(value: string): boolean {
  return OBJECT_ID.test(value)
}

/**
 * Branch names come from the event payload and are attacker-chosen on fork PRs: refuse anything
 * git would not accept as a branch, and anything that could be read as an option.
 */
export function assertBranchName(name: string, what: string): void {
  const bad =
    name.length === 0 ||
    name.startsWith('-') ||
    name.startsWith('/') ||
    name.endsWith('/') ||
    name.endsWith('.') ||
    name.endsWith('.lock') ||
    name.includes('..') ||
    name.includes('@{') ||
    name.includes('//') ||
    // eslint-disable-next-line no-control-regex -- control characters are exactly what git forbids
    /[\x00-\x20\x7f~^:?*[\\]/.test(name)
  if (bad) throw new ConfigurationError(`${what} '${name}' is not a valid branch name`)
}

function killTree(pid: number | undefined): void {
  if (pid === undefined) return
  try {
    process.kill(process.platform === 'win32' ? pid : -pid, 'SIGKILL')
  } catch {
    // Already gone.
  }
}

/** One way to run git: fixed binary, no prompts, stable (English) messages, a deadline, argv only. */
export class Git {
  private constructor(
    readonly cwd: string,
    private readonly gitPath: string,
    private readonly timeoutMs: number,
    private readonly env: Record<string, string | undefined>
  ) {}

  static async create(cwd: string, options: GitOptions = {}): Promise<Git> {
    const git = new Git(
      cwd,
      options.gitPath ?? 'git',
      options.timeoutMs ?? 300_000,
      options.env ?? process.env
    )
    const inside = await git.exec(['rev-parse', '--is-inside-work-tree'], { allowExitCodes: [0, 128] })
    if (inside.exitCode !== 0 || inside.stdout.trim() !== 'true') {
      throw new ConfigurationError(`'${cwd}' is not a git work tree; run actions/checkout before this step`)
    }
    return git
  }

  exec(args: string[], options: { allowExitCodes?: number[]; input?: string } = {}): Promise<GitResult> {
    return this.execRaw(args, options).then(result => ({
      exitCode: result.exitCode,
      stdout: result.stdout.toString('utf8'),
      stderr: result.stderr
    }))
  }

  private execRaw(
    args: string[],
    options: { allowExitCodes?: number[]; input?: string }
  ): Promise<{ exitCode: number; stdout: Buffer; stderr: string }> {
    const allowed = options.allowExitCodes ?? [0]
    return new Promise((resolve, reject) => {
      // Own process group, so a deadline kills git AND what it started (ssh, remote helpers, hooks):
      // a surviving grandchild would hold the pipes open and hang the step.
      const child = spawn(this.gitPath, args, {
        cwd: this.cwd,
        env: { ...this.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANG: 'C' },
        stdio: [options.input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
        detached: process.platform !== 'win32'
      })
      if (options.input !== undefined) {
        // A git that exits early (bad object) closes stdin; the close handler reports it, not EPIPE.
        child.stdin?.on('error', () => undefined)
        child.stdin?.end(options.input)
      }
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        killTree(child.pid)
      }, this.timeoutMs)
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout?.on('data', (chunk: Buffer) => out.push(chunk))
      child.stderr?.on('data', (chunk: Buffer) => err.push(chunk))
      child.on('error', error => {
        clearTimeout(timer)
        reject(new Error(`git ${args[0]} could not start: ${error.message}`))
      })
      child.on('close', code => {
        clearTimeout(timer)
        const stderr = Buffer.concat(err).toString('utf8')
        if (timedOut || code === null) {
          reject(
            new Error(`git ${args.join(' ')} was killed (SIGKILL) after the ${this.timeoutMs} ms deadline`)
          )
        } else if (!allowed.includes(code)) {
          const tail = stderr.trim().split('\n').slice(-3).join(' ')
          reject(new Error(`git ${args.join(' ')} exited ${code}: ${tail}`))
        } else {
          resolve({ exitCode: code, stdout: Buffer.concat(out), stderr })
        }
      })
    })
  }

  async isShallow(): Promise<boolean> {
    return (await this.exec(['rev-parse', '--is-shallow-repository'])).stdout.trim() === 'true'
  }

  /** The commit `rev` names, or undefined when it does not exist locally. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    const result = await this.exec(
      ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
      {
        allowExitCodes: [0, 1, 128]
      }
    )
    return result.exitCode === 0 ? result.stdout.trim() : undefined
  }

  /** Best common ancestor, or undefined when none is reachable (yet: the clone may be shallow). */
  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await this.exec(['merge-base', '--end-of-options', a, b], { allowExitCodes: [0, 1] })
    return result.exitCode === 0 ? result.stdout.trim() : undefined
  }

  async fetch(remote: string, refspecs: string[], flags: string[] = []): Promise<void> {
    await this.exec(['fetch', '--no-tags', '--no-recurse-submodules', ...flags, '--', remote, ...refspecs])
  }

  /**
   * What changed between two commits, renames detected, with each path's blob at `base`. Deleted paths
   * are left out: nothing is left of them to scan.
   */
  async changes(base: string, head: string): Promise<FileChange[]> {
    const args = [
      'diff',
      '--raw',
      '-z',
      '-M',
      '--no-abbrev',
      '--diff-filter=ACMR',
      '--no-ext-diff',
      '--no-textconv',
      '--end-of-options',
      base,
      head,
      '--'
    ]
    return parseRawDiff((await this.exec(args)).stdout)
  }

  /**
   * Contents of blobs by id: sizes from one `git cat-file --batch-check`, then the blobs of at most
   * `maxBytes` from one `git cat-file --batch` (a changed 2 GB asset must not be buffered in memory).
   * Larger blobs are left out of the map; a missing id or a non-blob is an error.
   */
  async readBlobs(ids: readonly string[], maxBytes = Number.MAX_SAFE_INTEGER): Promise<Map<string, Buffer>> {
    const blobs = new Map<string, Buffer>()
    if (ids.length === 0) return blobs
    for (const id of ids) if (!isObjectId(id)) throw new ConfigurationError(`'${id}' is not a blob id`)
    const check = await this.exec(['cat-file', '--batch-check'], { input: `${ids.join('\n')}\n` })
    const sizes = check.stdout.split('\n')
    const wanted = ids.filter((id, i) => {
      const [, type, size] = (sizes[i] ?? '').split(' ')
      if (type !== 'blob' || size === undefined)
        throw new Error(`git cat-file --batch-check: ${id} is not a blob in this repository`)
      return Number(size) <= maxBytes
    })
    if (wanted.length === 0) return blobs
    const { stdout } = await this.execRaw(['cat-file', '--batch'], { input: `${wanted.join('\n')}\n` })
    let offset = 0
    for (const id of wanted) {
      const headerEnd = stdout.indexOf(0x0a, offset)
      if (headerEnd === -1) throw new Error(`git cat-file --batch: output ends before blob ${id}`)
      const [, type, size] = stdout.subarray(offset, headerEnd).toString('utf8').split(' ')
      if (type !== 'blob' || size === undefined)
        throw new Error(`git cat-file --batch: ${id} is not a blob in this repository`)
      const start = headerEnd + 1
      const end = start + Number(size)
      blobs.set(id, stdout.subarray(start, end))
      offset = end + 1
    }
    return blobs
  }
}

/** `git diff --raw -z` records: `:srcmode dstmode srcblob dstblob status NUL path NUL [newpath NUL]`. */
export function parseRawDiff(output: string): FileChange[] {
  const fields = output.split('\0')
  const changes: FileChange[] = []
  for (let i = 0; i < fields.length;) {
    const header = fields[i++]
    if (!header) continue
    const [srcMode, , srcBlob, , statusField] = header.slice(1).split(' ')
    const status = statusField?.[0]
    const first = fields[i++]
    if (!first || !srcMode || !srcBlob || !status)
      throw new Error(`unexpected git diff --raw record '${header}'`)
    if (status === 'R' || status === 'C') {
      const path = fields[i++]
      if (!path) throw new Error(`git diff --raw: ${status} record without a new path`)
      // A copy's findings are new at its new path; only a rename carries its old content forward.
      changes.push(
        status === 'R'
          ? { path, status, previous: { path: first, blob: srcBlob, mode: srcMode } }
          : { path, status }
      )
    } else if (status === 'M') {
      changes.push({ path: first, status, previous: { path: first, blob: srcBlob, mode: srcMode } })
    } else if (status === 'A') {
      changes.push({ path: first, status })
    }
  }
  return changes
}
