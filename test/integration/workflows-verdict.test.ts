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

type Step = { name?: string; id?: string; run?: string; env?: Record<string, string> }
type Job = { steps?: Step[]; outputs?: Record<string, string> }
const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/pull-request.yml'), 'utf8')) as {
  on: { workflow_call: { outputs: Record<string, { value: string }> } }
  jobs: Record<string, Job>
}
const record = workflow.jobs.image?.steps?.find(s => s.name === 'Record the verdict')
const verdictJob = workflow.jobs.verdict

type Result = 'success' | 'failure' | 'skipped' | 'cancelled'
interface Scenario {
  images: string
  checks: { passed: string; outcome: string }
  imagesResult?: Result
  /** Per image leg: the gate's outcome output ('' when the gate never ran), or null for a leg that never recorded. */
  legs: Record<string, string | null>
  imageResult: Result
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
  if (record && verdictJob && s.images !== '[]') {
    // Each leg records in its own RUNNER_TEMP; the artifacts meet in the verdict job's (merge-multiple).
    mkdirSync(path.join(temp, 'verdicts'))
    for (const image of images) {
      const outcome = s.legs[image.id]
      if (outcome === null || outcome === undefined) continue
      const leg = mkdtempSync(path.join(temp, 'leg-'))
      bash(record, { matrix: { image }, steps: { gate: { outputs: { outcome } } } }, leg)
      const file = path.join(leg, 'secure-pipeline-verdict', image.id)
      writeFileSync(path.join(temp, 'verdicts', image.id), readFileSync(file))
    }
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
      'the empty list written with spaces',
      { images: '[ ]', checks: PASS, legs: {}, imageResult: 'skipped' },
      PASS
    ]
  ])('%s', (_label, scenario, expected) => {
    expect(outputs(scenario)).toEqual(expected)
  })
})
