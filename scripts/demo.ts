// `npm run demo`: the whole pipeline on examples/, run the way a runner runs it (each committed
// bundle with INPUT_* variables and command files), writing SARIF, summaries and evidence to out/.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runBundle, runnerNode, type BundleRun } from '../test/support/run-bundle.js'
import { REPO_ROOT } from './action-metadata.js'
import { TOOLS_BIN, toolPath } from '../test/support/tools-path.js'
import { showAdmissionExport } from './demo/admission.js'
import { demoBump } from './demo/bump.js'
import { imageScanDemo, type DemoStep } from './demo/image-scan.js'
import { demoMetrics } from './demo/metrics.js'
import { demoOut } from './demo/out-dir.js'
import { demoScanSteps } from './demo/steps.js'
import { scaDemoStep } from './demo/sca.js'

const { dir: OUT, rel: OUT_REL } = demoOut()
const env = {
  PATH: `${TOOLS_BIN}:${process.env.PATH}`,
  SECURE_PIPELINE_SEMGREP_PATH: toolPath('semgrep'),
  SECURE_PIPELINE_KUSTOMIZE_PATH: toolPath('kustomize')
}

type Step = DemoStep

// The Node runners start the bundles with (`using: node24`), as fetched by `npm run tools`.
const NODE = runnerNode()
console.log(`bundles run on ${NODE.label}`)

const steps: Step[] = demoScanSteps(OUT_REL)

function show(step: Step, run: BundleRun): void {
  const outputs = Object.entries(run.outputs).map(
    ([k, v]) => `    ${k} = ${v.length > 120 ? `${v.slice(0, 117)}...` : v}`
  )
  console.log(`\n== ${step.name}: exit ${run.status}`)
  console.log(outputs.join('\n'))
  writeFileSync(path.join(OUT, `${step.id ?? step.action}.log`), run.stdout + run.stderr)
  writeFileSync(path.join(OUT, `${step.id ?? step.action}-summary.md`), run.summary)
}

rmSync(OUT, { recursive: true, force: true })
mkdirSync(path.join(OUT, 'secure-pipeline'), { recursive: true })
// Before the gate, which reads every SARIF in out/secure-pipeline; its offline database goes in out/.
steps.splice(steps.length - 1, 0, scaDemoStep(OUT, REPO_ROOT))
const image = await imageScanDemo(OUT, REPO_ROOT)
steps.splice(steps.length - 1, 0, ...image.steps)
const results: Record<string, BundleRun> = {}
// The scan chain is one job (the composite's steps): one RUNNER_TEMP for all of them, as on the runner.
const job = mkdtempSync(path.join(tmpdir(), 'sp-demo-job-'))
// A step that throws (a bundle missing) must not leave the loopback registry running or the job's temp behind.
try {
  for (const step of steps) {
    const run = await runBundle(step.action, {
      node: NODE.node,
      workspace: REPO_ROOT,
      inputs: step.inputs,
      env: { ...env, ...step.env },
      timeoutMs: 600_000,
      runnerTemp: job
    })
    results[step.id ?? step.action] = run
    show(step, run)
    if (step.action === 'k8s-policy') showAdmissionExport(OUT)
  }
} finally {
  rmSync(job, { recursive: true, force: true })
  await image.stop()
}
const bump = await demoBump({
  repoRoot: REPO_ROOT,
  out: OUT,
  env,
  gateOutcome: results.gate?.outputs.outcome,
  // The full pipeline pins the digest that was scanned: here, the pushed image's.
  digest: results['image-scan-registry']?.outputs.digest ?? ''
})
show({ name: 'GitOps bump, dry run on a clone', action: 'bump-dry-run', inputs: {} }, bump.dryRun)
show(
  { name: `GitOps bump, git push to ${OUT_REL}/gitops/manifests.git`, action: 'bump-push', inputs: {} },
  bump.push
)
// After the gate step: metrics reads out/gate/evidence.json.
const metrics = await demoMetrics(REPO_ROOT, OUT_REL, env)
show(
  { name: 'Metrics (offline: gate evidence and GitOps status files)', action: 'metrics', inputs: {} },
  metrics.run
)
const summary = [...steps.map(s => s.id ?? s.action), 'metrics']
  .map(name => readFileSync(path.join(OUT, `${name}-summary.md`), 'utf8'))
  .join('\n')
writeFileSync(path.join(OUT, 'summary.md'), summary)

const outcome = results.gate?.outputs.outcome
console.log(
  `\nWrote ${OUT_REL}/summary.md, ${OUT_REL}/secure-pipeline/*.sarif, ${OUT_REL}/gate/evidence.json, ${OUT_REL}/metrics/ and the step logs.`
)
for (const problem of metrics.problems) {
  console.error(`::error::metrics on examples/: ${problem}`)
  process.exitCode = 1
}
// examples/ holds deliberate flaws, so the gate is expected to fail on findings; anything else is a defect.
if (outcome === 'fail-findings')
  console.log('Gate verdict: fail-findings, as expected for the deliberately flawed examples/.')
else {
  console.error(`::error::Gate verdict '${outcome}' on examples/; expected fail-findings.`)
  process.exitCode = 1
}
