import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, parseFileCommands, type Evaluation } from '../support/run-composite.js'

/**
 * pull-request.yml's `passed` and `outcome` outputs, which a caller gates on: they were the checks job's
 * alone, so an image whose gate failed (or whose build died) still gave passed "true". Each scenario
 * runs the steps that decide them as the runner would (each image leg's "Record the verdict", then the
 * verdict job's script over those records) and evaluates the workflow's outputs over the jobs' outputs.
 */

type Step = {
  name?: string
  id?: string
  run?: string
  uses?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
type Job = { steps?: Step[]; outputs?: Record<string, string> }
const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/pull-request.yml'), 'utf8')) as {
  on: { workflow_call: { outputs: Record<string, { value: string }> } }
  jobs: Record<string, Job>
}
const record = workflow.jobs.image?.steps?.find(s => s.name === 'Record the verdict')
const keep = workflow.jobs.image?.steps?.find(s => s.name === 'Keep the verdict')
const verdictJob = workflow.jobs.verdict
const download = verdictJob?.steps?.find(s => /^actions\/download-artifact@/.test(s.uses ?? ''))

/** Artifacts of the run: name → file name → content. */
type Artifacts = Map<string, Record<string, string>>

/**
 * actions/download-artifact as its `with:` asks: every artifact whose name matches `pattern`, each into
 * `path/<artifact name>/`, or all into `path` itself with merge-multiple (a later artifact's file of the
 * same name replaces an earlier one's; the order is not the run's, so the worst one is taken: the
 * artifacts that no image leg uploaded come last).
 */
function downloadArtifacts(step: Step, artifacts: Artifacts, contexts: Evaluation['contexts']) {
  const w = Object.fromEntries(
    Object.entries(step.with ?? {}).map(([k, v]) => [k, interpolate(String(v), { contexts, failed: false })])
  )
  const re = new RegExp(
    `^${(w.pattern ?? '*')
      .split('*')
      .map(part => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`
  )
  for (const [name, files] of artifacts) {
    if (!re.test(name)) continue
    const dir = w['merge-multiple'] === 'true' ? w.path! : path.join(w.path!, name)
    mkdirSync(dir, { recursive: true })
    for (const [file, content] of Object.entries(files)) writeFileSync(path.join(dir, file), content)
  }
}

type Result = 'success' | 'failure' | 'skipped' | 'cancelled'
interface Scenario {
  images: string
  checks: { passed: string; outcome: string }
  imagesResult?: Result
  /** Per image leg: the gate's outcome output ('' when the gate never ran), or null for a leg that never recorded. */
  legs: Record<string, string | null>
  imageResult: Result
  /**
   * Artifacts no image leg uploaded, which any code of the run holding its runtime token can add (a job
   * of the caller that runs the pull request's code, say): name → file name → content.
   */
  stray?: Record<string, Record<string, string>>
}

function bash(step: Step, contexts: Evaluation['contexts'], temp: string): Record<string, string> {
  const output = path.join(temp, `output-${Math.random()}`)
  writeFileSync(output, '')
  const evaluation: Evaluation = { contexts, failed: false }
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, evaluation)])
  )
  const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', RUNNER_TEMP: temp, GITHUB_OUTPUT: output, ...env }
  })
  expect([step.name, run.status, run.stderr]).toEqual([step.name, 0, ''])
  for (const line of run.stdout.split('\n').filter(Boolean)) expect(line).not.toMatch(/^::error::/)
  return parseFileCommands(readFileSync(output, 'utf8'))
}

/** The workflow's outputs, as the caller would read them. */
function outputs(s: Scenario): { passed: string; outcome: string } {
  const temp = mkdtempSync(path.join(tmpdir(), 'workflows-verdict-'))
  const images = JSON.parse(s.images) as { id: string }[]
  let verdict: Record<string, string> = {}
  if (record && keep && download && verdictJob && s.images !== '[]') {
    // Each leg records in its own RUNNER_TEMP and uploads that file as its step says; the verdict job
    // downloads the run's artifacts as its step says.
    const artifacts: Artifacts = new Map()
    for (const image of images) {
      const outcome = s.legs[image.id]
      if (outcome === null || outcome === undefined) continue
      const leg = mkdtempSync(path.join(temp, 'leg-'))
      const contexts = { matrix: { image }, steps: { gate: { outputs: { outcome } } }, runner: { temp: leg } }
      bash(record, contexts, leg)
      const file = interpolate(keep.with!.path!, { contexts, failed: false })
      const name = interpolate(keep.with!.name!, { contexts, failed: false })
      artifacts.set(name, { [path.basename(file)]: readFileSync(file, 'utf8') })
    }
    for (const [name, files] of Object.entries(s.stray ?? {}))
      if (!artifacts.has(name)) artifacts.set(name, files)
    downloadArtifacts(download, artifacts, { runner: { temp } })
    const step = verdictJob.steps!.find(st => st.id === 'verdict')!
    const needs = {
      checks: { result: s.checks.outcome ? 'success' : 'failure', outputs: s.checks },
      images: { result: s.imagesResult ?? 'success', outputs: { images: s.images } },
      image: { result: s.imageResult, outputs: {} }
    }
    const stepOutputs = bash(step, { needs, inputs: { images: s.images } }, temp)
    verdict = Object.fromEntries(
      Object.entries(verdictJob.outputs!).map(([k, v]) => [
        k,
        interpolate(v, { contexts: { steps: { verdict: { outputs: stepOutputs } } }, failed: false })
      ])
    )
  }
  const contexts = {
    inputs: { images: s.images },
    jobs: { checks: { outputs: s.checks }, verdict: { outputs: verdict } }
  }
  const out = workflow.on.workflow_call.outputs
  return {
    passed: interpolate(out.passed!.value, { contexts, failed: false }),
    outcome: interpolate(out.outcome!.value, { contexts, failed: false })
  }
}

const PASS = { passed: 'true', outcome: 'pass' }
const FINDINGS = { passed: 'false', outcome: 'fail-findings' }
const TWO = JSON.stringify([{ id: 'web' }, { id: 'api' }])

describe('pull-request.yml passed and outcome: the whole run, not the checks job alone', () => {
  it.each<[string, Scenario, { passed: string; outcome: string }]>([
    ['no images: the checks', { images: '[]', checks: FINDINGS, legs: {}, imageResult: 'skipped' }, FINDINGS],
    ['no images, checks passed', { images: '[]', checks: PASS, legs: {}, imageResult: 'skipped' }, PASS],
    [
      'checks and every image passed',
      { images: TWO, checks: PASS, legs: { web: 'pass', api: 'pass' }, imageResult: 'success' },
      PASS
    ],
    [
      'an image gate found too much',
      { images: TWO, checks: PASS, legs: { web: 'pass', api: 'fail-findings' }, imageResult: 'failure' },
      FINDINGS
    ],
    [
      'an image build failed (its gate never ran)',
      { images: TWO, checks: PASS, legs: { web: 'pass', api: '' }, imageResult: 'failure' },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      'an image leg died before it recorded anything',
      { images: TWO, checks: PASS, legs: { web: 'pass', api: null }, imageResult: 'failure' },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      'every gate passed, but a leg failed after its gate (the evidence upload)',
      { images: TWO, checks: PASS, legs: { web: 'pass', api: 'pass' }, imageResult: 'failure' },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      'the worst wins: checks broken, an image with findings',
      {
        images: TWO,
        checks: { passed: 'false', outcome: 'fail-broken-input' },
        legs: { web: 'fail-findings', api: 'pass' },
        imageResult: 'failure'
      },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      'the checks found too much, the images passed',
      { images: TWO, checks: FINDINGS, legs: { web: 'pass', api: 'pass' }, imageResult: 'success' },
      FINDINGS
    ],
    [
      'the images input was refused',
      {
        images: '[{"id":"checks"}]',
        checks: PASS,
        imagesResult: 'failure',
        legs: {},
        imageResult: 'skipped'
      },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      // warn-only: the leg succeeds with its gate's fail-findings; a file "web" in another artifact of the
      // run matching the pattern replaced the leg's own record when they were merged into one directory.
      'another artifact of the run holds a record named like an image',
      {
        images: TWO,
        checks: PASS,
        legs: { web: 'fail-findings', api: 'pass' },
        imageResult: 'success',
        stray: { 'secure-pipeline-verdict-zz': { web: 'pass' } }
      },
      FINDINGS
    ],
    [
      'an artifact named like a leg record that no leg uploaded',
      {
        images: TWO,
        checks: PASS,
        legs: { web: 'pass', api: null },
        imageResult: 'failure',
        stray: { 'secure-pipeline-verdict-x': { api: 'pass' } }
      },
      { passed: 'false', outcome: 'fail-broken-input' }
    ],
    [
      'the empty list written with spaces',
      { images: '[ ]', checks: PASS, legs: {}, imageResult: 'skipped' },
      PASS
    ]
  ])('%s', (_label, scenario, expected) => {
    expect(outputs(scenario)).toEqual(expected)
  })
})

it('a leg never replaces a verdict artifact of its name (upload-artifact overwrite stays false)', () => {
  expect(keep?.with?.overwrite ?? false).toBe(false)
  expect(String(download?.with?.['merge-multiple'] ?? false)).toBe('false')
})
