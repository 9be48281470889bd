// P8: the metrics bundle with its default inputs (plus a token, the period's end and the evidence files)
// over 10,000 workflow runs and 1,000 gate evidence files, against the in-process GitHub API double, side
// by side with a bare node process that only reads and JSON.parses the same evidence files. Goals: ≤ 5 s
// outside the API (wall time minus the time with a request in flight), and API requests that grow with
// pages, not items: the half-size history is measured too, and its requests per operation are compared.
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { startGitHubApiDouble } from '../test/support/github-api-double.js'
import { metricsData } from '../test/support/github-api-metrics.js'
import {
  DAY,
  evidenceHistory,
  seedAlerts,
  seedChanges,
  seedWorkflowRuns,
  type ChangeKind
} from '../test/support/metrics-history.js'
import { runBundle } from '../test/support/run-bundle.js'
import { formatTable, median, type BenchModule } from './measure.js'
import { defaultInputs } from './p2-gate.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const END = Date.parse('2026-10-01T00:00:00Z')
const TOKEN = 'ghs_benchP8'
const CHANGES = 100
const KINDS: ChangeKind[] = ['approved', 'rebase', 'no-approval', 'merge-commit', 'direct-push']

interface Scale {
  runs: number
  evidence: number
  alerts: number
}

interface Sample {
  wallMs: number
  apiWaitMs: number
  requests: Map<string, number>
}

async function measureScale(scale: Scale, runs: number, log: (line: string) => void) {
  const double = await startGitHubApiDouble({ token: TOKEN })
  const ws = mkdtempSync(path.join(tmpdir(), 'sp-bench-p8-'))
  try {
    const repo = double.repo('octo-org', 'octo-repo')
    metricsData(repo).protection = { requiredApprovals: 1, contexts: ['secure-pipeline'], strict: true }
    const from = END - 89 * DAY
    seedChanges(repo, {
      seed: 1,
      start: from,
      end: END - DAY,
      kinds: Array.from({ length: CHANGES }, (_, i) => KINDS[i % KINDS.length]!)
    })
    seedWorkflowRuns(repo, { seed: 2, count: scale.runs, start: from, end: END - 1000 })
    seedAlerts(repo, { seed: 3, count: scale.alerts, start: from - 30 * DAY, end: END })
    const history = evidenceHistory({
      seed: 4,
      start: from,
      end: END - DAY,
      runs: scale.evidence,
      findings: 400,
      repository: 'octo-org/octo-repo'
    })
    mkdirSync(path.join(ws, 'evidence'))
    for (const r of history.runs)
      writeFileSync(path.join(ws, 'evidence', `${r.index}.json`), JSON.stringify(history.document(r.index)))
    const inputs = Object.fromEntries(
      Object.entries(defaultInputs(path.join(ROOT, 'actions', 'metrics', 'action.yml'))).map(([k, v]) => [
        k.slice('INPUT_'.length).toLowerCase(),
        v
      ])
    )
    const samples: Sample[] = []
    for (let i = 0; i < runs + 1; i++) {
      const before = double.requests.length
      const started = performance.now()
      const run = await runBundle('metrics', {
        node: process.execPath,
        workspace: ws,
        inputs: { ...inputs, token: TOKEN, end: '2026-10-01', evidence: 'evidence/*.json' },
        env: { GITHUB_API_URL: double.url },
        timeoutMs: 600_000
      })
      const wallMs = performance.now() - started
      const doc =
        run.status === 0
          ? JSON.parse(readFileSync(path.join(ws, run.outputs['metrics-file']!), 'utf8'))
          : undefined
      // The measured work, checked before any figure is believed.
      const problems = [
        run.status !== 0 && `exit ${run.status}: ${run.stdout.slice(-1500)}`,
        doc?.sources.evidence.branchRuns !== scale.evidence &&
          `read ${doc?.sources.evidence.branchRuns} evidence runs`,
        doc?.sources.workflowRuns.runs !== scale.runs &&
          `read ${doc?.sources.workflowRuns.runs} workflow runs`,
        doc?.changes?.population !== CHANGES && `built ${doc?.changes?.population} change records`,
        doc?.sources.codeScanning.alerts !== scale.alerts && `read ${doc?.sources.codeScanning.alerts} alerts`
      ].filter(Boolean)
      if (problems.length > 0) throw new Error(`metrics did not do the measured work: ${problems.join('; ')}`)
      double.assertNoSpecViolations()
      const requests = new Map<string, number>()
      for (const r of double.requests.slice(before))
        requests.set(r.operationId ?? r.path, (requests.get(r.operationId ?? r.path) ?? 0) + 1)
      // The first run warms the double's validators; it is checked, not measured.
      if (i > 0) samples.push({ wallMs, apiWaitMs: doc.sources.api.waitMs, requests })
      log(`  ${scale.runs} runs: run ${i} ${wallMs.toFixed(0)} ms, API ${doc.sources.api.waitMs} ms`)
    }
    const parse = Array.from({ length: runs }, () => {
      const started = performance.now()
      const r = spawnSync(
        process.execPath,
        [
          '-e',
          `const fs=require('fs'),p=require('path'),d=${JSON.stringify(path.join(ws, 'evidence'))};for(const f of fs.readdirSync(d))JSON.parse(fs.readFileSync(p.join(d,f),'utf8'))`
        ],
        { stdio: 'ignore' }
      )
      if (r.status !== 0) throw new Error('the JSON.parse baseline failed')
      return performance.now() - started
    })
    return { samples, parseMs: median(parse) }
  } finally {
    await double.close()
    rmSync(ws, { recursive: true, force: true })
  }
}

const p8: BenchModule = {
  title:
    'P8: metrics over 10,000 workflow runs and 1,000 evidence files (API double) vs reading the evidence',
  async run({ runs, log }) {
    const n = Math.min(runs, 3)
    const half = await measureScale({ runs: 5_000, evidence: 500, alerts: 500 }, n, log)
    const full = await measureScale({ runs: 10_000, evidence: 1_000, alerts: 1_000 }, n, log)
    const outside = (s: Sample) => s.wallMs - s.apiWaitMs
    const row = (label: string, m: typeof full) => [
      label,
      median(m.samples.map(s => s.wallMs)).toFixed(0),
      median(m.samples.map(s => s.apiWaitMs)).toFixed(0),
      median(m.samples.map(outside)).toFixed(0),
      m.parseMs.toFixed(0)
    ]
    const operations = [...full.samples[0]!.requests.keys()].sort()
    const requestRows = operations.map(op => [
      op,
      String(half.samples[0]!.requests.get(op) ?? 0),
      String(full.samples[0]!.requests.get(op) ?? 0)
    ])
    const outsideFull = median(full.samples.map(outside))
    const runPages = (count: number) => Math.ceil(count / 100)
    const listRuns = 'actions/list-workflow-runs-for-repo'
    const pagesOnly =
      full.samples[0]!.requests.get(listRuns) === runPages(10_000) &&
      half.samples[0]!.requests.get(listRuns) === runPages(5_000)
    return [
      ...formatTable(
        ['history', 'wall ms', 'API wait ms', 'outside API ms', 'JSON.parse evidence ms'],
        [row('5,000 runs, 500 evidence', half), row('10,000 runs, 1,000 evidence', full)]
      ),
      '',
      ...formatTable(['requests per operation', '5,000 runs', '10,000 runs'], requestRows),
      '',
      `P8 outside the API at 10,000 runs / 1,000 evidence files: ${(outsideFull / 1000).toFixed(2)} s (goal ≤ 5 s) ${outsideFull <= 5000 ? 'MET' : 'NOT MET'}`,
      `P8 workflow runs listed in pages of 100 (${runPages(10_000)} requests for 10,000 runs): ${pagesOnly ? 'MET' : 'NOT MET'}; per-change requests (reviews, checks, PR of a commit) follow the ${CHANGES} changes, the same at both sizes.`,
      `${n} runs per size after one checked run: exit 0, every run, evidence file, alert and change read; no request outside GitHub's REST description.`
    ]
  }
}

export default p8
