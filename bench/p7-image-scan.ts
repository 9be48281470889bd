// P7: the image-scan bundle with its default inputs (engine trivy, scanners vuln) on the demo image saved as
// a docker save archive, against bare Trivy scanning the same archive with the same DB, side by side in the
// same environment. Goal: ≤ 1.1× the bare tool's wall time (the tool's one-time install comes on top).
// The bundle runs on Node 24, as `runs.using: node24` makes runners run it. A third row, Node 24 doing
// nothing but spawning the same bare Trivy, is the floor any JavaScript action pays: what lies between
// that row and the action's is ours.
import { randomBytes } from 'node:crypto'
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { cpus, loadavg } from 'node:os'
import * as path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  DEMO_IMAGE_EXPECTED,
  demoImage,
  startImageRegistry,
  workspaceWithImage
} from '../test/support/image-scan.js'
import type { BuiltImage } from '../test/support/oci-image.js'
import { nodeRuntimes, parseCommandFile, runnerEnvironment } from '../test/support/run-bundle.js'
import { toolPath } from '../test/support/tools-path.js'
import { defaultInputs } from './p2-gate.js'
import { formatMeasurements, measure, runOnce, type BenchModule, type CommandSpec } from './measure.js'

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')

/** What the action must have done before any figure is believed. */
export function checkImageScanRun(
  exitCode: number | null,
  outputs: Record<string, string>,
  expectedDigest: string
): string[] {
  const problems: string[] = []
  if (exitCode !== 0) problems.push(`exit code ${exitCode}, expected 0`)
  if (outputs.digest !== expectedDigest) problems.push(`digest ${outputs.digest}, expected ${expectedDigest}`)
  if (outputs.findings !== '1')
    problems.push(`findings ${outputs.findings}, expected 1 (the test DB's advisory)`)
  if (outputs['db-stale'] !== 'false') problems.push(`db-stale ${outputs['db-stale']}`)
  return problems
}

/** One image: the action and bare Trivy side by side on its docker save archive, after a checked run. */
async function measureImage(
  label: string,
  image: BuiltImage,
  dbRepository: string,
  runs: number,
  log: (line: string) => void
): Promise<string[]> {
  const ws = workspaceWithImage(image)
  try {
    const temp = path.join(ws, '.runner-temp')
    mkdirSync(temp)
    const eventFile = path.join(temp, 'event.json')
    writeFileSync(eventFile, '{}')
    const runner = runnerEnvironment({ workspace: ws, eventFile, temp })
    const dbRoot = path.join(runner.RUNNER_TOOL_CACHE!, 'secure-pipeline', 'trivy-db')
    const outputFile = path.join(temp, 'output')
    const trivy = toolPath('trivy')
    // Both sides get this environment; only the action reads the INPUT_ and runner variables.
    const env: NodeJS.ProcessEnv = {
      ...runner,
      GITHUB_OUTPUT: outputFile,
      GITHUB_STEP_SUMMARY: path.join(temp, 'summary'),
      SECURE_PIPELINE_TRIVY_PATH: trivy,
      ...defaultInputs(path.join(ROOT, 'actions', 'image-scan', 'action.yml')),
      INPUT_INPUT: 'image.tar',
      // Used by the checked run only: the timed runs find today's DB in the tool cache, as later jobs do.
      'INPUT_DB-REPOSITORIES': dbRepository
    }
    const reset = () => {
      writeFileSync(outputFile, '')
      writeFileSync(path.join(temp, 'summary'), '')
    }
    const bareReport = path.join(temp, 'bare.json')
    const bareArgs = [
      'image',
      '--input',
      path.join(ws, 'image.tar'),
      '--scanners',
      'vuln',
      '--skip-db-update',
      '--cache-dir',
      dbRoot,
      '--format',
      'json',
      '--output',
      bareReport,
      '--quiet'
    ]
    // A job starts without Trivy's layer cache (the action keeps none): no side reuses one.
    const noLayerCache = () => rmSync(path.join(dbRoot, 'fanal'), { recursive: true, force: true })
    const node = actionRuntime()
    const specs: CommandSpec[] = [
      {
        label: 'bare trivy image --input',
        command: trivy,
        args: bareArgs,
        env,
        cwd: ws,
        timeoutMs: 300_000,
        reset: noLayerCache
      },
      {
        label: `image-scan bundle, default inputs (${node.label})`,
        command: node.node,
        args: [path.join(ROOT, 'dist', 'image-scan', 'index.js')],
        env,
        cwd: ws,
        timeoutMs: 300_000,
        reset
      },
      {
        label: `${node.label} only spawning the bare trivy (floor)`,
        command: node.node,
        args: [
          '-e',
          "const r = require('node:child_process').spawnSync(process.argv[1], process.argv.slice(2), { stdio: 'inherit' }); process.exitCode = r.status ?? 1",
          trivy,
          ...bareArgs
        ],
        env,
        cwd: ws,
        timeoutMs: 300_000,
        reset: noLayerCache
      }
    ]
    // One checked run first: it downloads the DB through the action's client into the tool cache.
    reset()
    const check = runOnce(specs[1]!)
    const problems = checkImageScanRun(
      check.exitCode,
      parseCommandFile(readFileSync(outputFile, 'utf8')),
      image.config.digest
    )
    const bare = runOnce(specs[0]!)
    if (
      bare.exitCode !== 0 ||
      !readFileSync(bareReport, 'utf8').includes(DEMO_IMAGE_EXPECTED.vulnerability.id)
    )
      problems.push(
        `bare trivy exit ${bare.exitCode} or no ${DEMO_IMAGE_EXPECTED.vulnerability.id}: ${bare.stderr}`
      )
    if (problems.length > 0)
      throw new Error(`not the measured work: ${problems.join('; ')}\n${check.stdout.slice(-2000)}`)
    reset()
    const again = runOnce(specs[1]!)
    log(
      `a run with today's DB: ${again.stdout
        .split('\n')
        .filter(l => /\d (ms|s)$/.test(l))
        .join(' / ')}`
    )
    log('checked: the action found the advisory on the archive, DB downloaded once; bare trivy found it too')
    const n = Math.min(runs, 7)
    const [tool, action, floor] = measure(specs, n)
    if (!tool || !action || !floor) throw new Error('nothing measured')
    for (const m of [tool, action, floor])
      if (m.exitCodes.some(code => code !== 0))
        throw new Error(`${m.label}: exit codes ${m.exitCodes.join(',')}`)
    const ratio = action.wallMs.median / tool.wallMs.median
    return [
      `### ${label}`,
      ...formatMeasurements([tool, action, floor]),
      '',
      `P7 wall-time ratio (action / bare trivy): ${ratio.toFixed(2)}x (goal ≤ 1.1x) ${ratio <= 1.1 ? 'MET' : 'NOT MET'}`,
      `Floor (${node.label} spawning bare trivy / bare trivy): ${(floor.wallMs.median / tool.wallMs.median).toFixed(2)}x; the action's own work: ${(action.wallMs.median - floor.wallMs.median).toFixed(0)} ms.`,
      `${n} interleaved runs each after one checked run, load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs.`,
      ''
    ]
  } finally {
    rmSync(ws, { recursive: true, force: true })
  }
}

/** Node 24 when provisioned (what `runs.using: node24` gives users), else this process's Node. */
function actionRuntime(): { label: string; node: string } {
  const runtimes = nodeRuntimes()
  return runtimes.find(r => r.label === 'node 24') ?? runtimes[0]!
}

/**
 * The demo image plus `count` installed package manifests and `megabytes` of incompressible files: an
 * image whose scan takes the engine seconds, as a real application image does.
 */
function largerImage(count: number, megabytes: number): BuiltImage {
  const extra: Record<string, string | Buffer> = {}
  for (let i = 0; i < count; i++)
    extra[`app/node_modules/bench-pkg-${i}/package.json`] = JSON.stringify({
      name: `bench-pkg-${i}`,
      version: '1.0.0'
    })
  for (let i = 0; i < megabytes; i++) extra[`app/assets/blob-${i}.bin`] = randomBytes(1024 * 1024)
  return demoImage({ extra })
}

const p7: BenchModule = {
  title:
    'P7: image-scan with its default inputs on a docker save archive vs bare trivy on the same archive and DB',
  async run({ runs, log }) {
    const setup = await startImageRegistry()
    try {
      return [
        ...(await measureImage('the demo image (a few kB)', setup.image, setup.dbRepository, runs, log)),
        ...(await measureImage(
          'the demo image with 2,000 package manifests and 64 MB of files',
          largerImage(2000, 64),
          setup.dbRepository,
          runs,
          log
        )),
        'The engine is the pre-provisioned build; the pinned download (once per runner, cached) is not measured here: no release host is reachable.'
      ]
    } finally {
      await setup.stop()
    }
  }
}

export default p7
