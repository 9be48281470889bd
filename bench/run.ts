// `npm run bench [-- p1 p2]`: runs every bench/p*.ts (or the named ones) and prints its report.
// BENCH_RUNS overrides the number of measured runs (default 15).
import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { BenchModule } from './measure.js'

const here = path.dirname(fileURLToPath(import.meta.url))

export function benchFiles(dir = here, only: readonly string[] = []): string[] {
  return readdirSync(dir)
    .filter(name => /^p\d+[\w-]*\.ts$/.test(name))
    .filter(
      name =>
        only.length === 0 || only.some(prefix => name.startsWith(`${prefix}-`) || name === `${prefix}.ts`)
    )
    .sort((a, b) => Number(/^p(\d+)/.exec(a)?.[1]) - Number(/^p(\d+)/.exec(b)?.[1]) || a.localeCompare(b))
}

export function parseRuns(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 15
  const runs = Number(raw)
  if (!Number.isInteger(runs) || runs < 1 || runs > 1000)
    throw new Error(`BENCH_RUNS must be 1-1000, got '${raw}'`)
  return runs
}

async function main(): Promise<void> {
  const runs = parseRuns(process.env.BENCH_RUNS)
  const files = benchFiles(here, process.argv.slice(2))
  if (files.length === 0) {
    console.log('No bench files matched.')
    return
  }
  let failed = false
  for (const file of files) {
    const module = (await import(pathToFileURL(path.join(here, file)).href)) as { default?: BenchModule }
    const bench = module.default
    if (!bench?.run) {
      console.error(`${file}: no default export with run(); skipped.`)
      failed = true
      continue
    }
    console.log(`\n## ${bench.title} (${file})\n`)
    const started = performance.now()
    try {
      const lines = await bench.run({ runs, log: line => console.log(`  ${line}`) })
      console.log(['', ...lines].join('\n'))
    } catch (error) {
      failed = true
      console.error(
        `${file} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
      )
    }
    console.log(`\n(${file}: ${((performance.now() - started) / 1000).toFixed(1)} s)`)
  }
  if (failed) process.exitCode = 1
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main()
