// P1: what a bundle costs before it gets to its tool: each dist/*/index.js runs as the runner runs it
// (every input at its action.yml default unless the case sets it, a workspace with something to
// judge, a stub in place of the scanner binary), timed against bare `node -e 0` in the same
// interleaved loop. Every run's exit code and the last run's outputs are checked before a figure is
// printed: a bundle that stops early on a missing input would look fast and measure nothing users get.
import { spawnSync } from 'node:child_process'
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { parseCommandFile } from '../test/support/run-bundle.js'
import { formatTable, measure, type BenchModule, type CommandSpec, type Measurement } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
/** Goal of issue 10: every bundle at most this much slower than `node -e 0`, on Node 20 and 24. */
export const GOAL_MS = 60

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

/** One realistic run of a bundle and what it must produce. */
export interface StartupCase {
  /** Workspace files. */
  files: Record<string, string>
  /** Inputs that differ from action.yml's defaults. */
  inputs?: Record<string, string>
  /** Extra environment, given the run's scratch directory (a stub scanner). */
  env?: (scratch: string) => Record<string, string>
  exitCode: number
  /** Outputs the run must set: an exact value, or a test. */
  outputs: Record<string, string | ((value: string) => boolean)>
}

const FLAW = 'import os\n\n\ndef run(arg):\n    os.system("lp " + arg)\n'

/** Semgrep stand-in: one finding in JSON, an empty SARIF beside it (the engine's own run costs seconds). */
const STUB_SEMGREP = `#!/bin/sh
if [ "$1" = "--version" ]; then echo 1.185.0; exit 0; fi
for a in "$@"; do
  case "$prev" in --output) printf '%s' '{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"Semgrep OSS","semanticVersion":"1.185.0","rules":[{"id":"py-command-injection","defaultConfiguration":{"level":"error"}}]}},"invocations":[{"executionSuccessful":true,"toolExecutionNotifications":[]}],"results":[{"ruleId":"py-command-injection","message":{"text":"m"},"locations":[{"physicalLocation":{"artifactLocation":{"uri":"src/app.py"},"region":{"startLine":5,"startColumn":5,"endLine":5,"endColumn":32}}}]}]}]}' > "$a" ;; esac
  prev=$a
done
`

const HIGH_SARIF = JSON.stringify({
  version: '2.1.0',
  runs: [
    {
      tool: { driver: { name: 'semgrep', rules: [{ id: 'r', properties: { 'security-severity': '8.0' } }] } },
      invocations: [{ executionSuccessful: true }],
      results: [
        {
          ruleId: 'r',
          level: 'error',
          message: { text: 'flaw' },
          locations: [
            { physicalLocation: { artifactLocation: { uri: 'src/app.py' }, region: { startLine: 5 } } }
          ]
        }
      ]
    }
  ]
})

const PRIVILEGED_POD = `apiVersion: v1
kind: Pod
metadata:
  name: debug
spec:
  hostPID: true
  containers:
    - name: shell
      image: busybox:1.36
      securityContext:
        privileged: true
`

export const CASES: Record<string, StartupCase> = {
  sast: {
    files: { 'src/app.py': FLAW },
    env: scratch => {
      const stub = path.join(scratch, 'semgrep')
      writeFileSync(stub, STUB_SEMGREP)
      chmodSync(stub, 0o755)
      return { SECURE_PIPELINE_SEMGREP_PATH: stub }
    },
    exitCode: 0,
    outputs: { findings: '1', mode: 'full', 'sarif-file': 'secure-pipeline/sast.sarif' }
  },
  gate: {
    files: { 'secure-pipeline/sast.sarif': HIGH_SARIF },
    exitCode: 1,
    outputs: { outcome: 'fail-findings', passed: 'false' }
  },
  'k8s-policy': {
    files: { 'deploy/pod.yaml': PRIVILEGED_POD },
    inputs: { paths: 'deploy/**' },
    exitCode: 1,
    outputs: { violations: value => Number(value) > 0 }
  }
}

/** What the runner passes a JavaScript action: INPUT_<NAME> for every input, at its default when unset. */
export function actionDefaults(action: string): Record<string, string> {
  const file = path.join(ROOT, 'actions', action, 'action.yml')
  if (!existsSync(file)) return {}
  const inputs =
    (parse(readFileSync(file, 'utf8')) as { inputs?: Record<string, { default?: unknown }> }).inputs ?? {}
  return Object.fromEntries(
    Object.entries(inputs).map(([name, input]) => {
      const value = String(input.default ?? '')
      // No token in the bench: `${{ github.token }}` evaluates to nothing, as on a fork without one.
      return [name, /\$\{\{/.test(value) ? '' : value]
    })
  )
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

/** A runner-like environment and a fresh workspace for every run. */
export function bundleSpec(node: string, bundle: Bundle, startup: StartupCase, scratch: string): CommandSpec {
  const workspace = path.join(scratch, 'workspace')
  const files = { output: path.join(scratch, 'github-output'), summary: path.join(scratch, 'summary.md') }
  mkdirSync(scratch, { recursive: true })
  const inputs = { ...actionDefaults(bundle.name), ...startup.inputs }
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: scratch,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_WORKSPACE: workspace,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_EVENT_NAME: 'push',
    GITHUB_REPOSITORY: 'octo-org/octo-repo',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9',
    RUNNER_TEMP: path.join(scratch, 'runner-temp'),
    RUNNER_TOOL_CACHE: path.join(scratch, 'tool-cache'),
    ...Object.fromEntries(
      Object.entries(inputs).map(([name, value]) => [`INPUT_${name.toUpperCase()}`, value])
    ),
    ...startup.env?.(scratch)
  }
  return {
    label: bundle.name,
    command: node,
    args: [bundle.file],
    env,
    cwd: workspace,
    reset() {
      rmSync(workspace, { recursive: true, force: true })
      rmSync(env.RUNNER_TEMP!, { recursive: true, force: true })
      for (const [name, text] of Object.entries(startup.files)) {
        mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
        writeFileSync(path.join(workspace, name), text)
      }
      mkdirSync(env.RUNNER_TEMP!, { recursive: true })
      writeFileSync(files.output, '')
      writeFileSync(files.summary, '')
    }
  }
}

/** Why a bundle's runs do not show what users get; undefined when every run did. */
export function wrongResult(
  measurement: Measurement,
  startup: StartupCase,
  outputFile: string
): string | undefined {
  const codes = measurement.exitCodes
  if (codes.length !== 1 || codes[0] !== startup.exitCode) {
    const last = measurement.samples[measurement.samples.length - 1]
    const said = `${last?.stdout ?? ''}${last?.stderr ?? ''}`.trim().split('\n').slice(-3).join(' | ')
    return `exit codes ${codes.join(',')}, expected ${startup.exitCode} (${said})`
  }
  const outputs = parseCommandFile(readFileSync(outputFile, 'utf8'))
  for (const [name, want] of Object.entries(startup.outputs)) {
    const value = outputs[name]
    const ok = value !== undefined && (typeof want === 'string' ? value === want : want(value))
    if (!ok)
      return `output ${name} is ${JSON.stringify(value)}, expected ${typeof want === 'string' ? JSON.stringify(want) : 'another value'}`
  }
  return undefined
}

const p1: BenchModule = {
  title: 'P1: bundle start-up vs bare node (a real run to the scanner, stubbed)',
  async run({ runs, log }) {
    const bundles = findBundles()
    if (bundles.length === 0)
      return ['No bundles in dist/*/index.js yet: run `npm run build` first. Nothing measured.']
    const measured = bundles.filter(bundle => CASES[bundle.name])
    const skipped = bundles.filter(bundle => !CASES[bundle.name]).map(bundle => bundle.name)
    const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-p1-'))
    try {
      const rows: string[][] = []
      const missed: string[] = []
      for (const node of nodeBinaries(log)) {
        const specs = measured.map(bundle =>
          bundleSpec(
            node.path,
            bundle,
            CASES[bundle.name]!,
            path.join(scratch, `${node.version}-${bundle.name}`)
          )
        )
        const all: CommandSpec[] = [
          { label: 'node -e 0', command: node.path, args: ['-e', '0'], env: {}, cwd: scratch },
          ...specs
        ]
        log(`${node.version}: ${runs} interleaved runs of ${all.length} commands…`)
        const [baseline, ...results] = measure(all, runs)
        if (!baseline) continue
        if (baseline.exitCodes.join() !== '0')
          throw new Error(`node -e 0 exited ${baseline.exitCodes.join(',')}`)
        rows.push(row(node.version, 'node -e 0', '-', baseline, baseline.wallMs.median))
        results.forEach((m, i) => {
          const bundle = measured[i]!
          const wrong = wrongResult(m, CASES[bundle.name]!, String(specs[i]!.env!.GITHUB_OUTPUT))
          if (wrong) throw new Error(`${bundle.name} on ${node.version} did not do what users get: ${wrong}`)
          const over = m.wallMs.median - baseline.wallMs.median
          if (over > GOAL_MS) missed.push(`${bundle.name} on ${node.version} (+${over.toFixed(1)} ms)`)
          rows.push(row(node.version, bundle.name, bundle.sizeKb.toFixed(0), m, baseline.wallMs.median))
        })
      }
      return [
        ...formatTable(
          ['node', 'bundle', 'size kB', 'median ms', 'p90 ms', 'ratio', '+ms vs node', 'peak RSS MB', 'exit'],
          rows
        ),
        '',
        `${runs} runs each, interleaved, 1 warm-up. Each run: inputs at their action.yml defaults, a workspace with one finding, the scanner stubbed; exit codes and outputs checked.`,
        `Goal: every bundle ≤ ${GOAL_MS} ms over node: ${missed.length === 0 ? 'met' : `NOT met by ${missed.join(', ')}`}.`,
        ...(skipped.length > 0
          ? [`Not measured (no start-up case in bench/p1-startup.ts): ${skipped.join(', ')}.`]
          : [])
      ]
    } finally {
      rmSync(scratch, { recursive: true, force: true })
    }
  }
}

function row(node: string, label: string, size: string, m: Measurement, baselineMedian: number): string[] {
  return [
    node,
    label,
    size,
    m.wallMs.median.toFixed(1),
    m.wallMs.p90.toFixed(1),
    `${(m.wallMs.median / baselineMedian).toFixed(2)}x`,
    (m.wallMs.median - baselineMedian).toFixed(1),
    m.peakRssKb ? (m.peakRssKb.median / 1024).toFixed(1) : 'n/a',
    m.exitCodes.join(',')
  ]
}

export default p1
