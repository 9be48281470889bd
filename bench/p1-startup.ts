// P1: what a bundle costs before it does anything. Each dist/*/index.js runs with an empty
// environment (only temp GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files), so it stops at its first
// missing input, and is timed against bare `node -e 0` in the same interleaved loop.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatTable, measure, type BenchModule, type CommandSpec } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

export interface Bundle {
  name: string
  file: string
  sizeKb: number
}

/** BENCH_DIST points at another build output (tests, comparing two builds). */
export function findBundles(distDir = process.env.BENCH_DIST ?? path.join(ROOT, 'dist')): Bundle[] {
  if (!existsSync(distDir)) return []
  return readdirSync(distDir, { withFileTypes: true })
    .filter(entry => entry.isDirectory() && existsSync(path.join(distDir, entry.name, 'index.js')))
    .map(entry => {
      const file = path.join(distDir, entry.name, 'index.js')
      return { name: entry.name, file, sizeKb: statSync(file).size / 1024 }
    })
    .sort((a, b) => a.name.localeCompare(b.name))
}

interface NodeBinary {
  path: string
  version: string
}

function nodeBinaries(log: (line: string) => void): NodeBinary[] {
  const binaries: NodeBinary[] = [{ path: process.execPath, version: process.version }]
  const node24 = process.env.SECURE_PIPELINE_NODE24
  if (node24) {
    const probe = spawnSync(node24, ['--version'], { encoding: 'utf8' })
    const version = probe.stdout?.trim() ?? ''
    if (probe.status === 0 && version.startsWith('v24.')) binaries.push({ path: node24, version })
    else
      log(
        `SECURE_PIPELINE_NODE24=${node24} is not a Node 24 binary (${version || probe.error?.message}); skipped.`
      )
  }
  return binaries
}

const p1: BenchModule = {
  title: 'P1: bundle start-up vs bare node',
  async run({ runs, log }) {
    const bundles = findBundles()
    if (bundles.length === 0)
      return ['No bundles in dist/*/index.js yet: run `npm run build` first. Nothing measured.']
    const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-p1-'))
    try {
      const rows: string[][] = []
      for (const node of nodeBinaries(log)) {
        const specs: CommandSpec[] = [
          { label: 'node -e 0', command: node.path, args: ['-e', '0'], env: {}, cwd: scratch },
          ...bundles.map(bundle => bundleSpec(node.path, bundle, path.join(scratch, bundle.name)))
        ]
        log(`${node.version}: ${runs} interleaved runs of ${specs.length} commands…`)
        const [baseline, ...measured] = measure(specs, runs)
        if (!baseline) continue
        rows.push(row(node.version, 'node -e 0', '-', baseline.wallMs, baseline.wallMs.median, baseline))
        measured.forEach((m, i) => {
          const bundle = bundles[i] as Bundle
          rows.push(
            row(node.version, bundle.name, bundle.sizeKb.toFixed(0), m.wallMs, baseline.wallMs.median, m)
          )
        })
      }
      return [
        ...formatTable(
          ['node', 'bundle', 'size kB', 'median ms', 'p90 ms', 'ratio', '+ms vs node', 'peak RSS MB', 'exit'],
          rows
        ),
        '',
        `${runs} runs each, interleaved, 1 warm-up; exit = exit codes seen (a bundle should fail fast on its missing input).`
      ]
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
}

/**
 * Each run starts in an empty directory of its own: a bundle's leftovers (a SARIF it wrote, say)
 * must not turn the next bundle's or the next run's early exit into real work.
 */
function bundleSpec(node: string, bundle: Bundle, cwd: string): CommandSpec {
  const env = {
    GITHUB_OUTPUT: path.join(cwd, 'github-output'),
    GITHUB_STEP_SUMMARY: path.join(cwd, 'summary.md')
  }
  return {
    label: bundle.name,
    command: node,
    args: [bundle.file],
    env,
    cwd,
    reset() {
      rmSync(cwd, { recursive: true, force: true })
      mkdirSync(cwd, { recursive: true })
      writeFileSync(env.GITHUB_OUTPUT, '')
      writeFileSync(env.GITHUB_STEP_SUMMARY, '')
    }
  }
}

function row(
  node: string,
  label: string,
  size: string,
  wall: { median: number; p90: number },
  baselineMedian: number,
  m: { peakRssKb?: { median: number }; exitCodes: (number | null)[] }
): string[] {
  return [
    node,
    label,
    size,
    wall.median.toFixed(1),
    wall.p90.toFixed(1),
    `${(wall.median / baselineMedian).toFixed(2)}x`,
    (wall.median - baselineMedian).toFixed(1),
    m.peakRssKb ? (m.peakRssKb.median / 1024).toFixed(1) : 'n/a',
    m.exitCodes.join(',')
  ]
}

export default p1
