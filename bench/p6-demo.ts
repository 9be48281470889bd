// P6: the demo's orchestration overhead. The demo's scan-and-gate chain (sast, sca, k8s-policy, image-scan
// of the archive and of the pushed image, gate: each committed bundle run as the runner runs it, with the
// demo's own inputs) vs the same engines run bare from one shell script: semgrep with the same rule pack,
// osv-scanner on the same lockfiles and offline DB, kustomize on the same overlay, Trivy on the same
// archive and registry image with the same DB. The engines' command lines come from the same argv
// builders the actions use. Setup (registry, image, the SCA DB) is done once and not timed. The Trivy DB
// is fetched in every round on both sides, as in a fresh job: the action downloads it in its first scan
// (it trusts no DB its job did not fetch), bare Trivy in its first. A third side, the floor, starts Node
// for each step as the runner does and only spawns the bare command: the demo's distance from it is the
// actions' own work. All sides are warmed, then interleaved, each round led by the next side. The
// bundles run on the Node runners use (`using: node24`, provisioned by `npm run tools`).
// Goal: demo ≤ 1.10 × bare. Bump and metrics have no third-party engine and are left out of both sides.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import { trivyArgs } from '../packages/core/src/image-scan/trivy.js'
import { buildScanArgs } from '../packages/core/src/sast/engine-args.js'
import { DEFAULT_SEMGREPIGNORE } from '../packages/core/src/sast/ignore.js'
import { loadCompiledPack, packConfigJson } from '../packages/core/src/sast/pack.js'
import { osvScannerArgs } from '../packages/core/src/sca/engine-osv.js'
import { imageScanDemo } from '../scripts/demo/image-scan.js'
import { demoOut } from '../scripts/demo/out-dir.js'
import { scaDemoStep } from '../scripts/demo/sca.js'
import { demoScanSteps } from '../scripts/demo/steps.js'
import { runBundle, runnerNode, type BundleRun } from '../test/support/run-bundle.js'
import { sharedFixture } from '../test/support/shared-path.js'
import { TOOLS_BIN, toolPath } from '../test/support/tools-path.js'
import { formatTable, stats, type BenchModule } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const GOAL = 1.1
/** The Node runners start the bundles with (`using: node24`), not this process's. */
const NODE = runnerNode()
const DEPS = ['api/requirements.txt', 'java/pom.xml', 'service/go.mod', 'web/package-lock.json']

/** What examples/ documents (EXPECTED.md, deps/README.md, image/README.md): checked on both sides. */
const EXPECTED = { sast: 18, sca: 11, imageVulnerability: 'CVE-2021-23337' }

/** The Python CLI the sast action runs (it skips the `semgrep` wrapper), when the install has one. */
function semgrepBinary(): string {
  const pysemgrep = path.join(TOOLS_BIN, '..', 'venv', 'bin', 'pysemgrep')
  return existsSync(pysemgrep) ? pysemgrep : toolPath('semgrep')
}

/** Trivy's arguments with its own DB download from `repository` in place of the action's provisioning. */
function fetchingDb(args: string[], repository: string): string[] {
  if (!args.includes('--skip-db-update')) throw new Error('trivyArgs no longer skips the DB update')
  return [...args.filter(a => a !== '--skip-db-update'), '--db-repository', repository]
}

/** A floor step: Node started, then only the bare command spawned (none for the gate's step). */
const FLOOR_STEP = `const c = process.env.SP_FLOOR_COMMAND
if (c) process.exitCode = require('node:child_process').spawnSync('bash', ['-c', 'set -euo pipefail; ' + c], { stdio: 'inherit' }).status ?? 1`

const quote = (arg: string) => `'${arg.replace(/'/g, `'\\''`)}'`
const line = (argv: string[]) => argv.map(quote).join(' ')

const p6: BenchModule = {
  title: 'P6: the demo’s scan-and-gate chain through the bundles vs the same engines bare in a shell',
  async run({ runs, log }) {
    if (!existsSync(sharedFixture('advisories', 'osv')))
      throw new Error('P6 needs ../shared/fixtures/advisories/osv for the offline SCA database')
    const out = demoOut({ SECURE_PIPELINE_DEMO_OUT: 'out/bench-p6' })
    rmSync(out.dir, { recursive: true, force: true })
    mkdirSync(path.join(out.dir, 'secure-pipeline'), { recursive: true })
    const scratch = mkdtempSync(path.join(tmpdir(), 'sp-bench-p6-'))
    const image = await imageScanDemo(out.dir, ROOT)
    try {
      const [sast, k8s, gate] = demoScanSteps(out.rel)
      const steps = [sast!, scaDemoStep(out.dir, ROOT), k8s!, ...image.steps, gate!]
      const env = {
        PATH: `${TOOLS_BIN}:${process.env.PATH}`,
        SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
        SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize')
      }

      // Per step: wall time of the process, and the time the bundle itself reports (after Node loaded it).
      const profile: Record<string, { wall: number[]; own: number[] }> = {}
      const demoChain = async (): Promise<Record<string, BundleRun>> => {
        const results: Record<string, BundleRun> = {}
        // One job per chain, as the demo runs it: its steps share a fresh RUNNER_TEMP.
        const job = mkdtempSync(path.join(tmpdir(), 'sp-bench-p6-job-'))
        for (const step of steps) {
          const id = step.id ?? step.action
          const t0 = performance.now()
          results[id] = await runBundle(step.action, {
            node: NODE.node,
            workspace: ROOT,
            inputs: step.inputs,
            env: { ...env, ...step.env },
            timeoutMs: 600_000,
            runnerTemp: job
          })
          const own = /finished in (?:(\d+) min )?([\d.]+) (s|ms)\s*$/m.exec(results[id].stdout)
          const entry = (profile[id] ??= { wall: [], own: [] })
          entry.wall.push(performance.now() - t0)
          if (own) entry.own.push((Number(own[1] ?? 0) * 60 + Number(own[2])) * (own[3] === 'ms' ? 1 : 1000))
        }
        rmSync(job, { recursive: true, force: true })
        return results
      }
      const checkDemo = (results: Record<string, BundleRun>) => {
        const got = {
          sast: results.sast?.outputs.findings,
          sca: results.sca?.outputs.findings,
          gate: results.gate?.outputs.outcome,
          images: [results['image-scan-archive'], results['image-scan-registry']].map(r => r?.status)
        }
        const want = { sast: '18', sca: '11', gate: 'fail-findings', images: [0, 0] }
        if (JSON.stringify(got) !== JSON.stringify(want))
          throw new Error(`demo chain: ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`)
      }

      // The bare side: the engines' command lines, in one bash script.
      const pack = path.join(scratch, 'pack.json')
      writeFileSync(pack, packConfigJson(loadCompiledPack(path.join(ROOT, 'rules'))))
      const osvConfig = path.join(scratch, 'osv-scanner.toml')
      writeFileSync(osvConfig, '')
      const archiveStep = image.steps.find(s => s.id === 'image-scan-archive')!
      const registryStep = image.steps.find(s => s.id === 'image-scan-registry')!
      // Bare Trivy keeps its own cache, emptied each round: like the action in a fresh job, the first scan
      // fetches the DB from the same loopback repository and the second reuses it.
      const bareCache = path.join(scratch, 'trivy-cache')
      const trivy = (target: Parameters<typeof trivyArgs>[0]['target'], report: string) =>
        trivyArgs({
          target,
          scanners: ['vuln', 'secret', 'misconfig'],
          cacheRoot: bareCache,
          moduleDir: path.join(scratch, 'trivy-modules'),
          report: path.join(scratch, report),
          vexFiles: [],
          ignoreUnfixed: false,
          offline: false,
          javaDbRepositories: [],
          deadlineMs: 600_000
        })
      log('warm-up: one demo chain (downloads the Trivy DB into the demo folder)')
      const warm = await demoChain()
      checkDemo(warm)
      // Trivy gets what the action gives it: the pushed image pinned to the digest the tag resolved to.
      const registryReference = `${registryStep.inputs.image!.replace(/:[^:/]+$/, '')}@${warm['image-scan-registry']!.outputs.digest}`
      const timesFile = path.join(scratch, 'bare.times')
      const bareProfile: Record<string, number[]> = {}
      const floorProfile: Record<string, number[]> = {}
      // Each engine's command, stamped before and after, so the bare side is broken down like the demo's.
      const commands: [string, string][] = [
        [
          'semgrep',
          line([
            semgrepBinary(),
            ...buildScanArgs({
              engine: 'semgrep',
              configs: [pack],
              targets: ['examples/app'],
              report: path.join(scratch, 'semgrep.sarif'),
              // What the action excludes when the repository has no .semgrepignore.
              exclude: DEFAULT_SEMGREPIGNORE,
              ruleTimeoutSeconds: 30
            })
          ]) + ' > /dev/null 2>> "$ERR"'
        ],
        [
          'osv-scanner',
          `OSV_SCANNER_LOCAL_DB_CACHE_DIRECTORY=${quote(path.join(out.dir, 'osv-db'))} ` +
            line([
              toolPath('osv-scanner'),
              ...osvScannerArgs({
                configFile: osvConfig,
                offlineDb: path.join(out.dir, 'osv-db'),
                root: path.join(ROOT, 'examples/deps'),
                files: DEPS,
                licenses: false
              } as Parameters<typeof osvScannerArgs>[0])
            ]) +
            ` > ${quote(path.join(scratch, 'osv.json'))} 2>> "$ERR" || [ $? -eq 1 ]`
        ],
        [
          'kustomize',
          line([toolPath('kustomize'), 'build', 'examples/k8s/kustomize/overlays/prod']) +
            ' > /dev/null 2>> "$ERR"'
        ],
        [
          'trivy archive',
          `rm -rf ${quote(bareCache)}; ` +
            line([
              toolPath('trivy'),
              ...fetchingDb(
                trivy(
                  { kind: 'archive', path: path.resolve(ROOT, archiveStep.inputs.input!) },
                  'archive.json'
                ),
                archiveStep.inputs['db-repositories']!
              )
            ]) +
            ' 2>> "$ERR"'
        ],
        [
          'trivy registry',
          line([
            toolPath('trivy'),
            ...trivy({ kind: 'registry', reference: registryReference }, 'registry.json')
          ]) + ' 2>> "$ERR"'
        ]
      ]
      const script = [
        'set -euo pipefail',
        `ERR=${quote(path.join(scratch, 'bare.err'))}`,
        `: > ${quote(timesFile)}; : > "$ERR"`,
        'set -x',
        `cd ${quote(ROOT)}`,
        ...commands.map(
          ([name, command]) =>
            `T0=$EPOCHREALTIME; ${command}; echo "${name} $T0 $EPOCHREALTIME" >> ${quote(timesFile)}`
        )
      ].join('\n')
      const scriptFile = path.join(scratch, 'bare.sh')
      writeFileSync(scriptFile, `${script}\n`)
      // Both sides that run the bare commands are judged on what they wrote in this run only.
      const bareOutputs = ['semgrep.sarif', 'osv.json', 'archive.json', 'registry.json', 'bare.err']
      const clearBareOutputs = () => bareOutputs.forEach(f => rmSync(path.join(scratch, f), { force: true }))
      const bare = () => {
        clearBareOutputs()
        const run = spawnSync('bash', [scriptFile], { encoding: 'utf8', timeout: 600_000 })
        if (run.status !== 0)
          throw new Error(
            `bare script exited ${run.status}: ${run.stderr.slice(-1000)}\n${readFileSync(path.join(scratch, 'bare.err'), 'utf8').slice(-1500)}`
          )
        for (const stamp of readFileSync(timesFile, 'utf8').trim().split('\n')) {
          const [, name, start, end] = /^(.+) ([\d.]+) ([\d.]+)$/.exec(stamp)!
          ;(bareProfile[name!] ??= []).push((Number(end) - Number(start)) * 1000)
        }
        checkBareOutputs('bare')
      }
      // The floor any chain of JavaScript actions pays: per step, Node started as the runner starts a
      // bundle, doing nothing but spawning the bare command (the gate's step an empty Node). What lies
      // between this side and the demo is the actions' own work.
      const floorSteps = [...commands.map(([, command]) => command), '']
      const floor = () => {
        clearBareOutputs()
        for (const [i, command] of floorSteps.entries()) {
          const t0 = performance.now()
          const run = spawnSync(NODE.node, ['-e', FLOOR_STEP], {
            cwd: ROOT,
            encoding: 'utf8',
            // As runBundle starts the demo's bundles. A pipe here reaches `bash -c`, which then takes
            // ~120 ms longer per step when SHLVL is 0 or unset (a bench started as a background job).
            stdio: ['ignore', 'pipe', 'pipe'],
            timeout: 600_000,
            env: { ...process.env, SP_FLOOR_COMMAND: command, ERR: path.join(scratch, 'bare.err') }
          })
          if (run.status !== 0) throw new Error(`floor step exited ${run.status}: ${command}\n${run.stderr}`)
          ;(floorProfile[commands[i]?.[0] ?? 'gate (Node only)'] ??= []).push(performance.now() - t0)
        }
        checkBareOutputs('floor')
      }
      const checkBareOutputs = (side: string) => {
        const semgrep = JSON.parse(readFileSync(path.join(scratch, 'semgrep.sarif'), 'utf8')) as {
          runs: {
            results: {
              ruleId: string
              locations: { physicalLocation: { artifactLocation: { uri: string } } }[]
            }[]
          }[]
        }
        // Raw semgrep reports one flaw of web/orders.ts twice; EXPECTED.md counts (rule, file) pairs.
        const pairs = new Set(
          semgrep.runs[0]!.results.map(
            r => `${r.ruleId} ${r.locations[0]!.physicalLocation.artifactLocation.uri}`
          )
        )
        const osv = readFileSync(path.join(scratch, 'osv.json'), 'utf8')
        const osvIds = new Set(osv.match(/"id": ?"GHSA-[\w-]+"/g) ?? [])
        const images = ['archive.json', 'registry.json'].map(f =>
          readFileSync(path.join(scratch, f), 'utf8').includes(EXPECTED.imageVulnerability)
        )
        const fetchedDb = readFileSync(path.join(scratch, 'bare.err'), 'utf8').includes(
          'Downloading vulnerability DB'
        )
        if (!fetchedDb || !existsSync(path.join(bareCache, 'db', 'trivy.db')))
          throw new Error(`${side}: Trivy did not fetch its DB into its emptied cache`)
        if (pairs.size !== EXPECTED.sast || osvIds.size < EXPECTED.sca || images.includes(false))
          throw new Error(
            `${side}: semgrep ${pairs.size} (rule, file) pair(s), osv ${osvIds.size} advisory id(s), image vulnerability found ${images.join('/')}`
          )
      }
      const timed = async (fn: () => unknown) => {
        const t0 = performance.now()
        await fn()
        return performance.now() - t0
      }

      log('warm-up: one bare run, one floor run')
      bare()
      floor()
      // Trivy and Semgrep vary by ±150 ms run to run: enough rounds that the medians settle.
      const n = Math.min(runs, 9)
      const sides = { demo: async () => checkDemo(await demoChain()), bare, floor }
      const ms: Record<keyof typeof sides, number[]> = { demo: [], bare: [], floor: [] }
      const order = Object.keys(sides) as (keyof typeof sides)[]
      for (let i = 0; i < n; i++) {
        // Each round starts with the next side: no side always runs first (or after the same one).
        for (const side of [...order.slice(i % 3), ...order.slice(0, i % 3)])
          ms[side].push(await timed(sides[side]))
        log(
          `round ${i + 1}/${n}: demo ${(ms.demo[i]! / 1000).toFixed(2)} s, bare ${(ms.bare[i]! / 1000).toFixed(2)} s, floor ${(ms.floor[i]! / 1000).toFixed(2)} s`
        )
      }
      const { demo: demoMs, bare: bareMs, floor: floorMs } = ms
      const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
      const row = (label: string, ms: number[]) => {
        const st = stats(ms)
        return [label, String(ms.length), s(st.median), s(st.p90), s(st.min), s(st.max)]
      }
      const ratio = stats(demoMs).median / stats(bareMs).median
      // Each round's runs were back to back: their ratio is free of drift between rounds.
      const paired = stats(demoMs.map((ms, i) => ms / bareMs[i]!))
      const floorPaired = stats(floorMs.map((ms, i) => ms / bareMs[i]!))
      // The overhead is nearly fixed (Node and the bundles' own work per step): on a faster host the
      // engines shrink and the same overhead is a larger ratio, so it is printed in ms as well.
      const added = stats(demoMs.map((ms, i) => ms - bareMs[i]!))
      const own = stats(demoMs.map((ms, i) => ms - floorMs[i]!))
      return [
        ...formatTable(
          ['side', 'runs', 'median', 'p90', 'min', 'max'],
          [
            row('demo chain (6 bundles)', demoMs),
            row('bare engines (5 commands)', bareMs),
            row('floor (6 Node starts, spawning them)', floorMs)
          ]
        ),
        '',
        'where the demo chain’s time goes, per step (median wall time of the process / time the bundle reports itself):',
        ...Object.entries(profile).map(
          ([id, p]) => `  ${id}: ${stats(p.wall).median.toFixed(0)} ms / ${stats(p.own).median.toFixed(0)} ms`
        ),
        'the bare side, per command (median wall time):',
        ...Object.entries(bareProfile).map(([name, ms]) => `  ${name}: ${stats(ms).median.toFixed(0)} ms`),
        'the floor, per step (median wall time):',
        ...Object.entries(floorProfile).map(([name, ms]) => `  ${name}: ${stats(ms).median.toFixed(0)} ms`),
        `bundles on ${NODE.label}`,
        `checked in every run: SAST ${EXPECTED.sast} (rule, file) pairs, SCA ${EXPECTED.sca} advisories, ${EXPECTED.imageVulnerability} in both image scans; demo gate fail-findings`,
        `per round, demo / bare: median ${paired.median.toFixed(3)}×, min ${paired.min.toFixed(3)}×, max ${paired.max.toFixed(3)}×`,
        `per round, demo − bare: median ${added.median.toFixed(0)} ms, min ${added.min.toFixed(0)} ms, max ${added.max.toFixed(0)} ms`,
        `per round, floor / bare: median ${floorPaired.median.toFixed(3)}× (what starting Node for each step costs, with no work of the actions)`,
        `per round, demo − floor: median ${own.median.toFixed(0)} ms (the actions' own work, over all six steps)`,
        `demo / bare (medians of each side): ${ratio.toFixed(2)}×`,
        // The verdict takes the rounds' own ratios: the two sides' medians can come from different rounds,
        // and a slow spell on one side alone then moves their ratio by more than the overhead itself.
        `demo / bare (median of the rounds' ratios): ${paired.median.toFixed(2)}×, overhead ${((paired.median - 1) * 100).toFixed(0)}% (goal ≤ ${((GOAL - 1) * 100).toFixed(0)}%: ${paired.median <= GOAL ? 'met' : 'NOT met'})`
      ]
    } finally {
      await image.stop()
      rmSync(scratch, { recursive: true, force: true })
      rmSync(out.dir, { recursive: true, force: true })
    }
  }
}

export default p6
