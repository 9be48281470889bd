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
import { fakeGoBinary, fakeTrivy } from '../test/support/go-binary.js'
import { git } from '../test/support/git-repo.js'
import { writeTrivyTestDb } from '../test/support/image-scan.js'
import { DAY, evidenceHistory } from '../test/support/metrics-history.js'
import { buildImage, dockerArchive } from '../test/support/oci-image.js'
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
  /**
   * What static files cannot give (a git history, an image archive, a seeded DB), given the run's
   * environment: run after `files` before every run, outside the timed part as they are.
   */
  prepare?: (workspace: string, env: NodeJS.ProcessEnv) => void
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

/** Where a stub's JSON report names what it was asked to scan. */
const ASKED = '@asked@'

/** sh: print `report` with shell variable `name` in place of ASKED (the report holds no single quote). */
function printReport(report: unknown, name: string): string {
  const [head, tail] = JSON.stringify(report).split(JSON.stringify(ASKED))
  return `printf '%s"%s"%s' '${head}' "$${name}" '${tail}'`
}

/** sh: the value following `flag` on the command line, in `name`. */
const argAfter = (flag: string, name: string) =>
  `for a in "$@"; do [ "$prev" = ${flag} ] && ${name}=$a; prev=$a; done`

/** One vulnerable dependency, the same for sca (from its lockfile) and image-scan (installed in the image). */
const LODASH = { name: 'lodash', version: '4.17.20' }

const PACKAGE_LOCK = JSON.stringify(
  {
    name: 'app',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: {
      '': { name: 'app', version: '1.0.0', dependencies: { lodash: LODASH.version } },
      'node_modules/lodash': {
        version: LODASH.version,
        resolved: `https://registry.npmjs.org/lodash/-/lodash-${LODASH.version}.tgz`,
        license: 'MIT'
      }
    }
  },
  null,
  2
)

/** The OSV record of CVE-2021-23337, cut to what osv-scanner's JSON carries that the action reads. */
const LODASH_ADVISORY = {
  id: 'GHSA-35jh-r3h4-6jhm',
  summary: 'Command Injection in lodash',
  aliases: ['CVE-2021-23337'],
  affected: [
    {
      package: { ecosystem: 'npm', name: 'lodash' },
      ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '4.17.21' }] }]
    }
  ],
  database_specific: { severity: 'HIGH', cwe_ids: ['CWE-77', 'CWE-94'] }
}

/**
 * osv-scanner stand-in (the real one asks the OSV API, offline-db being empty by default): the JSON
 * `scan source --format json` writes for the lockfile it is given, one vulnerable package, exit 1 as
 * osv-scanner exits on findings. Its Go build information is osv-scanner 2.6.0's, the pinned release.
 */
const STUB_OSV_SCANNER = [
  argAfter('--lockfile', 'lockfile'),
  // `--lockfile package-lock.json:/abs/path`: the path follows the parser's name.
  'lockfile=${lockfile#*:}',
  printReport(
    {
      results: [
        {
          source: { path: ASKED, type: 'lockfile' },
          packages: [
            {
              package: { ...LODASH, ecosystem: 'npm' },
              groups: [
                {
                  ids: [LODASH_ADVISORY.id],
                  aliases: [LODASH_ADVISORY.id, ...LODASH_ADVISORY.aliases],
                  max_severity: '7.2'
                }
              ],
              vulnerabilities: [LODASH_ADVISORY]
            }
          ]
        }
      ]
    },
    'lockfile'
  ),
  'exit 1'
].join('\n')

/** A one-layer image with lodash installed, as `docker save` writes it (deterministic: same image ID each time). */
const IMAGE = buildImage({
  layers: [{ 'app/node_modules/lodash/package.json': JSON.stringify({ ...LODASH, license: 'MIT' }) }]
})
const IMAGE_TAR = dockerArchive(IMAGE, 'demo/app:1')

/**
 * Trivy stand-in (the real one takes ~0.8 s on this image): the report `trivy image --format json
 * --list-all-pkgs` writes for the archive it is given, cut from a real Trivy 0.74.0 run on IMAGE with
 * trivy-test-db's advisory; the image ID must be the one the action pinned, or it refuses the report.
 */
const STUB_TRIVY = [
  argAfter('--input', 'input'),
  argAfter('--output', 'output'),
  `${printReport(
    {
      SchemaVersion: 2,
      Trivy: { Version: '0.74.0' },
      ArtifactName: ASKED,
      ArtifactType: 'container_image',
      Metadata: {
        ImageID: IMAGE.config.digest,
        DiffIDs: IMAGE.layers.map(l => l.diffId),
        RepoTags: ['demo/app:1']
      },
      Results: [
        {
          Target: 'Node.js',
          Class: 'lang-pkgs',
          Type: 'node-pkg',
          Packages: [
            {
              ID: `lodash@${LODASH.version}`,
              Name: 'lodash',
              Identifier: { PURL: `pkg:npm/lodash@${LODASH.version}` },
              Version: LODASH.version,
              Licenses: ['MIT'],
              FilePath: 'app/node_modules/lodash/package.json'
            }
          ],
          Vulnerabilities: [
            {
              VulnerabilityID: 'CVE-2021-23337',
              PkgID: `lodash@${LODASH.version}`,
              PkgName: 'lodash',
              PkgPath: 'app/node_modules/lodash/package.json',
              InstalledVersion: LODASH.version,
              FixedVersion: '4.17.21',
              Status: 'fixed',
              SeveritySource: 'ghsa',
              PrimaryURL: 'https://avd.aquasec.com/nvd/cve-2021-23337',
              Title: 'Command Injection in lodash',
              Severity: 'HIGH',
              CVSS: { ghsa: { V3Score: 7.2 } }
            }
          ]
        }
      ]
    },
    'input'
  )} > "$output"`
].join('\n')

/** Six gate runs over the last month on main, as the gate's evidence.json files (downloaded artifacts). */
const GATE_HISTORY = evidenceHistory({
  seed: 1,
  start: Date.now() - 30 * DAY,
  end: Date.now() - DAY,
  runs: 6,
  findings: 12,
  repository: 'octo-org/octo-repo'
})
const LAST_GATE_RUN = GATE_HISTORY.document(GATE_HISTORY.runs.length - 1)

const BASE_DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: demo-app
spec:
  selector:
    matchLabels: { app: demo-app }
  template:
    metadata:
      labels: { app: demo-app }
    spec:
      containers:
        - name: app
          image: ghcr.io/octo-org/demo-app:1.0.0
`

const PRODUCTION_KUSTOMIZATION = `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../base
images:
  - name: ghcr.io/octo-org/demo-app
    newTag: "1.2.0"
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
  },
  sca: {
    files: { 'package-lock.json': PACKAGE_LOCK },
    env: scratch => ({
      SECURE_PIPELINE_OSV_SCANNER_PATH: fakeGoBinary(
        path.join(scratch, 'osv-scanner'),
        STUB_OSV_SCANNER,
        'github.com/google/osv-scanner/v2',
        'v2.6.0'
      )
    }),
    exitCode: 0,
    outputs: { findings: '1', mode: 'full', 'sbom-file': 'secure-pipeline/sca.cdx.json' }
  },
  'image-scan': {
    files: {},
    // An air-gapped runner: the DB pre-seeded where db-dir defaults to (no registry is reachable here).
    inputs: { input: 'image.tar', offline: 'true' },
    prepare(workspace, env) {
      writeFileSync(path.join(workspace, 'image.tar'), IMAGE_TAR)
      const db = path.join(env.RUNNER_TOOL_CACHE!, 'secure-pipeline', 'trivy-db', 'db')
      if (!existsSync(db)) writeTrivyTestDb(db)
    },
    env: scratch => ({ SECURE_PIPELINE_TRIVY_PATH: fakeTrivy(scratch, STUB_TRIVY) }),
    exitCode: 0,
    outputs: { findings: '1', digest: IMAGE.config.digest, 'db-stale': 'false' }
  },
  // No token (the default evaluates to none here): local evidence only, as the demo runs it.
  metrics: {
    files: Object.fromEntries(
      GATE_HISTORY.runs.map(run => [
        `evidence/gate-${run.index}.json`,
        JSON.stringify(GATE_HISTORY.document(run.index))
      ])
    ),
    inputs: { evidence: 'evidence/*.json' },
    exitCode: 0,
    outputs: {
      'open-findings': JSON.stringify(LAST_GATE_RUN.counts.counted.bySeverity),
      'metrics-file': 'secure-pipeline/metrics/metrics.json'
    }
  },
  // A dry run on a checkout of the manifests repository, the digest given as a build step reports it.
  'bump-manifest-pr': {
    files: {
      'apps/demo-app/base/deployment.yaml': BASE_DEPLOYMENT,
      'apps/demo-app/base/kustomization.yaml': 'resources:\n  - deployment.yaml\n',
      'apps/demo-app/production/kustomization.yaml': PRODUCTION_KUSTOMIZATION
    },
    prepare(workspace) {
      git(workspace, 'init', '-q', '-b', 'main')
      git(workspace, 'add', '.')
      git(workspace, 'commit', '-qm', 'manifests')
    },
    inputs: {
      image: 'ghcr.io/octo-org/demo-app',
      tag: '1.3.0',
      digest: `sha256:${'5e'.repeat(32)}`,
      'dry-run': 'true'
    },
    exitCode: 0,
    outputs: {
      operation: 'dry-run',
      // newTag and digest of the one kustomize images entry.
      changes: '2',
      'changed-files': '["apps/demo-app/production/kustomization.yaml"]'
    }
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
      mkdirSync(workspace, { recursive: true })
      for (const [name, text] of Object.entries(startup.files)) {
        mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true })
        writeFileSync(path.join(workspace, name), text)
      }
      startup.prepare?.(workspace, env)
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
        `${runs} runs each, interleaved, 1 warm-up. Each run: inputs at their action.yml defaults unless the case sets them, a workspace with work to do (one finding where a scanner runs, the scanner stubbed); exit codes and outputs checked.`,
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
