// P2: the gate on a 100,000-result SARIF (about 36 MB) against a bare node process that only
// JSON.parses the same file, side by side. Goals: ≤ 2× the wall time, ≤ 1.5× the peak RSS.
import { mkdtempSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { formatTable, measure, type BenchModule } from './measure.js'

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

const p2: BenchModule = {
  title: 'P2: gate on a 100,000-result SARIF vs bare JSON.parse',
  async run({ runs, log }) {
    const bundle = path.join(ROOT, 'dist', 'gate', 'index.js')
    const ws = mkdtempSync(path.join(tmpdir(), 'sp-bench-p2-'))
    try {
      mkdirSync(path.join(ws, 'secure-pipeline'))
      const report = path.join(ws, 'secure-pipeline', 'big.sarif')
      writeFileSync(report, syntheticSarif())
      const mb = statSync(report).size / 1e6
      log(`generated ${RESULTS} results, ${mb.toFixed(1)} MB`)
      writeFileSync(path.join(ws, 'out'), '')
      writeFileSync(path.join(ws, 'summary'), '')
      const gateEnv = {
        PATH: process.env.PATH,
        GITHUB_WORKSPACE: ws,
        GITHUB_OUTPUT: path.join(ws, 'out'),
        GITHUB_STEP_SUMMARY: path.join(ws, 'summary'),
        INPUT_REPORTS: 'secure-pipeline/big.sarif',
        INPUT_UPLOAD: 'false',
        INPUT_COMMENT: 'false',
        'INPUT_WARN-ONLY': 'true'
      }
      const n = Math.min(runs, 5)
      const [parse, gate] = measure(
        [
          {
            label: 'node: JSON.parse only',
            command: process.execPath,
            args: ['-e', `JSON.parse(require('fs').readFileSync(${JSON.stringify(report)}, 'utf8'))`],
            cwd: ws
          },
          {
            label: 'gate bundle',
            command: process.execPath,
            args: [bundle],
            env: gateEnv,
            cwd: ws,
            timeoutMs: 300_000
          }
        ],
        n
      )
      if (!parse || !gate) return ['nothing measured']
      const wall = gate.wallMs.median / parse.wallMs.median
      const rss = gate.peakRssKb && parse.peakRssKb ? gate.peakRssKb.median / parse.peakRssKb.median : NaN
      const rows = [parse, gate].map(m => [
        m.label,
        m.wallMs.median.toFixed(0),
        m.wallMs.p90.toFixed(0),
        m.peakRssKb ? (m.peakRssKb.median / 1024).toFixed(0) : 'n/a',
        m.exitCodes.join(',')
      ])
      return [
        ...formatTable(['command', 'median ms', 'p90 ms', 'peak RSS MB', 'exit'], rows),
        '',
        `P2 wall-time ratio (gate / JSON.parse): ${wall.toFixed(2)}x (goal ≤ 2x) ${wall <= 2 ? 'MET' : 'NOT MET'}`,
        `P2 peak-RSS ratio  (gate / JSON.parse): ${rss.toFixed(2)}x (goal ≤ 1.5x) ${rss <= 1.5 ? 'MET' : 'NOT MET'}`,
        `${n} interleaved runs each on ${mb.toFixed(1)} MB; warn-only so the exit code is 0 with the findings.`
      ]
    } finally {
      rmSync(ws, { recursive: true, force: true })
    }
  }
}

export default p2
