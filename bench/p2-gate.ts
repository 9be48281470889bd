// P2: the gate with the inputs a workflow gets by default (upload auto, comment auto, no token) on a
// 100,000-result SARIF (about 37 MB) against a bare node process that only JSON.parses the same file,
// side by side with the same environment. Goals: ≤ 2× the wall time, ≤ 1.5× the peak RSS.
import { mkdtempSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { parseCommandFile } from '../test/support/run-bundle.js'
import { formatMeasurements, measure, runOnce, type BenchModule, type CommandSpec } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
export const RESULTS = 100_000

/** Deterministic synthetic SARIF shaped like a large Semgrep/CodeQL run: 400 rules, spread over 20k files. */
export function syntheticSarif(results = RESULTS): string {
  const levels = ['error', 'warning', 'note'] as const
  const rules = Array.from({ length: 400 }, (_, i) => ({
    id: `bench.rule-${i}`,
    shortDescription: { text: `Synthetic rule ${i}` },
    defaultConfiguration: { level: levels[i % 3] },
    properties: { 'security-severity': ((i % 97) / 9.7).toFixed(1), tags: ['security', `CWE-${i % 900}`] }
  }))
  const out = Array.from({ length: results }, (_, i) => ({
    ruleId: `bench.rule-${i % 400}`,
    ruleIndex: i % 400,
    message: { text: `Synthetic finding ${i}: input reaches a sink unchecked.` },
    locations: [
      {
        physicalLocation: {
          artifactLocation: { uri: `src/module-${i % 20000}/file-${i % 7}.ts`, uriBaseId: '%SRCROOT%' },
          region: { startLine: 1 + (i % 500), startColumn: 5, endLine: 1 + (i % 500), endColumn: 42 }
        }
      }
    ],
    partialFingerprints: { primaryLocationLineHash: `${(i * 2654435761) % 4294967296}:1` }
  }))
  return JSON.stringify({
    version: '2.1.0',
    runs: [{ tool: { driver: { name: 'BenchScanner', version: '1.0.0', rules } }, results: out }]
  })
}

/**
 * The environment the runner gives the gate with its defaults: every action.yml input that has a default
 * (as INPUT_*), except those taken from the workflow's context (`${{ github.token }}`: no token here).
 */
export function defaultInputs(
  actionYml = path.join(ROOT, 'actions', 'gate', 'action.yml')
): Record<string, string> {
  const metadata = parse(readFileSync(actionYml, 'utf8')) as { inputs: Record<string, { default?: string }> }
  return Object.fromEntries(
    Object.entries(metadata.inputs)
      .filter(([, input]) => input.default !== undefined && !input.default.includes('${{'))
      .map(([name, input]) => [`INPUT_${name.replace(/ /g, '_').toUpperCase()}`, input.default!])
  )
}

/** What the gate must report on the synthetic SARIF before any figure is believed. */
export function checkGateRun(
  exitCode: number | null,
  outputs: Record<string, string>,
  results = RESULTS
): string[] {
  const problems: string[] = []
  if (exitCode !== 1) problems.push(`exit code ${exitCode}, expected 1 (fail-findings)`)
  if (outputs.outcome !== 'fail-findings') problems.push(`outcome ${outputs.outcome}, expected fail-findings`)
  const total = outputs.counts ? (JSON.parse(outputs.counts) as { total?: number }).total : undefined
  if (total !== results) problems.push(`counted ${total} findings, expected ${results}`)
  if (outputs['sarif-file'] !== 'secure-pipeline/gate/combined.sarif')
    problems.push(`no combined SARIF (sarif-file: ${outputs['sarif-file']}): upload=auto was not measured`)
  return problems
}

const p2: BenchModule = {
  title: 'P2: gate with its default inputs on a 100,000-result SARIF vs bare JSON.parse',
  async run({ runs, log }) {
    const bundle = path.join(ROOT, 'dist', 'gate', 'index.js')
    const ws = mkdtempSync(path.join(tmpdir(), 'sp-bench-p2-'))
    try {
      mkdirSync(path.join(ws, 'secure-pipeline'))
      const report = path.join(ws, 'secure-pipeline', 'big.sarif')
      writeFileSync(report, syntheticSarif())
      const mb = statSync(report).size / 1e6
      log(`generated ${RESULTS} results, ${mb.toFixed(1)} MB`)
      const outputFile = path.join(ws, 'out')
      // Both sides get this same environment; only the gate reads it.
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        GITHUB_WORKSPACE: ws,
        GITHUB_OUTPUT: outputFile,
        GITHUB_STEP_SUMMARY: path.join(ws, 'summary'),
        ...defaultInputs()
      }
      const reset = () => {
        writeFileSync(outputFile, '')
        writeFileSync(path.join(ws, 'summary'), '')
      }
      const specs: CommandSpec[] = [
        {
          label: 'node: JSON.parse only',
          command: process.execPath,
          args: ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(report)}, 'utf8'))`],
          env,
          cwd: ws
        },
        {
          label: 'gate bundle, default inputs',
          command: process.execPath,
          args: [bundle],
          env,
          cwd: ws,
          timeoutMs: 300_000,
          reset
        },
        {
          // For reference only (not the P2 figure): what the combined SARIF adds to the defaults.
          label: 'gate bundle, upload false',
          command: process.execPath,
          args: [bundle],
          env: { ...env, INPUT_UPLOAD: 'false' },
          cwd: ws,
          timeoutMs: 300_000,
          reset
        }
      ]
      // One checked run first: a gate that fails for another reason, or skips the upload step, measures nothing.
      reset()
      const check = runOnce(specs[1]!)
      const problems = checkGateRun(check.exitCode, parseCommandFile(readFileSync(outputFile, 'utf8')))
      if (problems.length > 0)
        throw new Error(
          `the gate did not do the measured work: ${problems.join('; ')}\n${check.stdout.slice(-2000)}`
        )
      const n = Math.min(runs, 5)
      const [parse, gate, noUpload] = measure(specs, n)
      if (!parse || !gate || !noUpload) return ['nothing measured']
      if (gate.exitCodes.some(code => code !== 1))
        throw new Error(`gate exit codes ${gate.exitCodes.join(',')}, expected 1`)
      const wall = gate.wallMs.median / parse.wallMs.median
      const rss = gate.peakRssKb && parse.peakRssKb ? gate.peakRssKb.median / parse.peakRssKb.median : NaN
      return [
        ...formatMeasurements([parse, gate, noUpload]),
        '',
        `P2 wall-time ratio (gate / JSON.parse): ${wall.toFixed(2)}x (goal ≤ 2x) ${wall <= 2 ? 'MET' : 'NOT MET'}`,
        `P2 peak-RSS ratio  (gate / JSON.parse): ${rss.toFixed(2)}x (goal ≤ 1.5x) ${rss <= 1.5 ? 'MET' : 'NOT MET'}`,
        `(for reference, upload false: ${(noUpload.wallMs.median / parse.wallMs.median).toFixed(2)}x the time)`,
        `${n} interleaved runs each on ${mb.toFixed(1)} MB, after one checked run: exit 1 (fail-findings), ${RESULTS} counted, combined SARIF written (upload auto, no token).`
      ]
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  }
}

export default p2
