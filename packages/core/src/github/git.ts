import { spawn } from 'node:child_process'
import { ConfigurationError } from '../runtime/errors.js'

export interface GitResult {
  exitCode: number
  stdout: string
  stderr: string
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

  exec(args: string[], options: { allowExitCodes?: number[] } = {}): Promise<GitResult> {
    const allowed = options.allowExitCodes ?? [0]
    return new Promise((resolve, reject) => {
      // Own process group, so a deadline kills git AND what it started (ssh, remote helpers, hooks):
      // a surviving grandchild would hold the pipes open and hang the step.
      const child = spawn(this.gitPath, args, {
        cwd: this.cwd,
        env: { ...this.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', LANG: 'C' },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32'
      })
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        killTree(child.pid)
      }, this.timeoutMs)
      const out: Buffer[] = []
      const err: Buffer[] = []
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk))
      child.stderr.on('data', (chunk: Buffer) => err.push(chunk))
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
          resolve({ exitCode: code, stdout: Buffer.concat(out).toString('utf8'), stderr })
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

  /** Paths (from the repository root) added, copied, modified or renamed between two commits. */
  async changedFiles(base: string, head: string): Promise<string[]> {
    const args = [
      'diff',
      '--name-only',
      '--diff-filter=ACMR',
      '-z',
      '--no-ext-diff',
      '--no-textconv',
      '--end-of-options',
      base,
      head,
      '--'
    ]
    const result = await this.exec(args)
    return result.stdout.split('\0').filter(path => path.length > 0)
  }
}
