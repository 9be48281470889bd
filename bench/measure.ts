// Shared by every bench file: run commands N times side by side, report wall time and peak RSS.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'

export interface CommandSpec {
  label: string
  command: string
  args: string[]
  env?: NodeJS.ProcessEnv
  cwd?: string
  timeoutMs?: number
  /** Runs before every timed run, untimed: e.g. to wipe what the previous run left in cwd. */
  reset?: () => void
}

export interface Sample {
  wallMs: number
  /** Peak resident set size of the measured process, in kB; undefined when it cannot be read. */
  peakRssKb?: number
  exitCode: number | null
  stdout: string
  stderr: string
}

export interface Stats {
  median: number
  p90: number
  min: number
  max: number
}

export interface Measurement {
  label: string
  samples: Sample[]
  wallMs: Stats
  peakRssKb?: Stats
  exitCodes: (number | null)[]
}

export interface BenchOptions {
  runs: number
  log: (line: string) => void
}

/** What every `bench/p*.ts` default-exports. */
export interface BenchModule {
  title: string
  run(options: BenchOptions): Promise<string[]>
}

const GNU_TIME = '/usr/bin/time'
const RSS_PROBE = path.join(path.dirname(fileURLToPath(import.meta.url)), 'rss-probe.mjs')

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  // Nearest-rank: the smallest value with at least p% of the samples at or below it.
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length))
  return sorted[rank - 1] as number
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const middle = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[middle] as number)
    : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2
}

export function stats(values: readonly number[]): Stats {
  return {
    median: median(values),
    p90: percentile(values, 90),
    min: Math.min(...values),
    max: Math.max(...values)
  }
}

/**
 * Runs once. Peak RSS comes from GNU time (`%M`, kB) when present; otherwise, for a node command
 * only, from a preloaded probe that writes `process.resourceUsage().maxRSS` at exit.
 */
export function runOnce(spec: CommandSpec, useGnuTime = existsSync(GNU_TIME)): Sample {
  const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-'))
  const rssFile = path.join(scratch, 'rss')
  let command = spec.command
  let args = spec.args
  let env = spec.env ?? process.env
  if (useGnuTime) {
    command = GNU_TIME
    args = ['-f', '%M', '-o', rssFile, spec.command, ...spec.args]
  } else if (isNode(spec.command)) {
    args = ['--import', RSS_PROBE, ...spec.args]
    env = { ...env, SP_BENCH_RSS_FILE: rssFile }
  }
  try {
    spec.reset?.()
    const started = performance.now()
    const result = spawnSync(command, args, {
      env,
      cwd: spec.cwd,
      encoding: 'utf8',
      timeout: spec.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024
    })
    const wallMs = performance.now() - started
    if (result.error) throw new Error(`${spec.label}: could not run ${spec.command}: ${result.error.message}`)
    return {
      wallMs,
      peakRssKb: readRss(rssFile),
      exitCode: result.status,
      stdout: result.stdout,
      stderr: result.stderr
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true })
  }
}

/** Interleaves the commands run by run (A B C, A B C, ...) so drift in machine load hits all alike. */
export function measure(specs: readonly CommandSpec[], runs: number, warmup = 1): Measurement[] {
  for (let i = 0; i < warmup; i++) for (const spec of specs) runOnce(spec)
  const samples = specs.map(() => [] as Sample[])
  for (let i = 0; i < runs; i++) specs.forEach((spec, index) => samples[index]?.push(runOnce(spec)))
  return specs.map((spec, index) => {
    const mine = samples[index] ?? []
    const rss = mine.map(s => s.peakRssKb).filter((v): v is number => v !== undefined)
    return {
      label: spec.label,
      samples: mine,
      wallMs: stats(mine.map(s => s.wallMs)),
      peakRssKb: rss.length === mine.length && rss.length > 0 ? stats(rss) : undefined,
      exitCodes: [...new Set(mine.map(s => s.exitCode))]
    }
  })
}

/** The one table of side-by-side measurements: label, median and p90 wall time, peak RSS, exit codes. */
export function formatMeasurements(measurements: readonly Measurement[]): string[] {
  const rows = measurements.map(m => [
    m.label,
    m.wallMs.median.toFixed(0),
    m.wallMs.p90.toFixed(0),
    m.peakRssKb ? (m.peakRssKb.median / 1024).toFixed(0) : 'n/a',
    m.exitCodes.join(',')
  ])
  return formatTable(['command', 'median ms', 'p90 ms', 'peak RSS MB', 'exit'], rows)
}

export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map(row => (row[i] ?? '').length))
  )
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`
  return [line(headers), `|${widths.map(w => '-'.repeat(w + 2)).join('|')}|`, ...rows.map(line)]
}

function readRss(file: string): number | undefined {
  if (!existsSync(file)) return undefined
  // GNU time writes "Command exited with non-zero status N" before the value when the command fails.
  const last = readFileSync(file, 'utf8').trim().split('\n').pop() ?? ''
  const kb = Number(last)
  return Number.isFinite(kb) && kb > 0 ? kb : undefined
}

function isNode(command: string): boolean {
  return command === process.execPath || /(^|[\\/])node(\.exe)?$/.test(command)
}
