import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
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
 *
 * Each leg's verdict once went to the verdict job as an artifact (secure-pipeline-verdict-<id>): any code
 * of the run holding its runtime token (a caller's job running the pull request's code) can delete one and
 * upload a replacement before the verdict job downloads it, and a failing image then read as pass. The
 * verdict now goes through the image job's outputs, which only the leg's own steps write: verdict-<slot>,
 * the slot being the image's place in the list the images job checked.
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
const imageJob = workflow.jobs.image
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

/**
 * The image job's outputs as a later job reads them: each leg's `outputs:` evaluated over its own steps'
 * outputs, combined over the legs (GitHub: a value a leg leaves empty never replaces another leg's).
 */
function imageOutputs(images: { id: string; slot: number }[], legs: Scenario['legs'], temp: string) {
  const combined: Record<string, string> = {}
  for (const image of images) {
    const outcome = legs[image.id]
    if (outcome === null || outcome === undefined) continue
    const leg = mkdtempSync(path.join(temp, 'leg-'))
    const contexts = { matrix: { image }, steps: { gate: { outputs: { outcome } } }, runner: { temp: leg } }
    const stepOutputs = bash(record!, contexts, leg)
    for (const [name, value] of Object.entries(imageJob!.outputs ?? {})) {
      const v = interpolate(value, {
        contexts: { ...contexts, steps: { [record!.id ?? '']: { outputs: stepOutputs } } },
        failed: false
      })
      if (v !== '') combined[name] = v
    }
  }
  return combined
}

/** The workflow's outputs, as the caller would read them. */
function outputs(s: Scenario): { passed: string; outcome: string } {
  const temp = mkdtempSync(path.join(tmpdir(), 'workflows-verdict-'))
  let verdict: Record<string, string> = {}
  if (record && verdictJob && s.images !== '[]') {
    // The images job's list, as the legs get it: each image with its slot.
    const images = (JSON.parse(s.images) as { id: string }[]).map((image, slot) => ({ ...image, slot }))
    const step = verdictJob.steps!.find(st => st.id === 'verdict')!
    const needs = {
      checks: { result: s.checks.outcome ? 'success' : 'failure', outputs: s.checks },
      images: { result: s.imagesResult ?? 'success', outputs: { images: JSON.stringify(images) } },
      image: { result: s.imageResult, outputs: imageOutputs(images, s.legs, temp) }
    }
    const stepOutputs = bash(step, { needs, inputs: { images: s.images }, runner: { temp } }, temp)
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

describe('pull-request.yml: the image verdicts go through job outputs, never an artifact', () => {
  it('no step uploads or downloads a verdict as an artifact', () => {
    for (const [id, job] of Object.entries(workflow.jobs))
      for (const step of job.steps ?? [])
        if (/^actions\/(upload|download)-artifact@/.test(step.uses ?? ''))
          expect([id, JSON.stringify(step.with)]).toEqual([id, expect.not.stringMatching(/verdict/)])
    expect(readFileSync(path.join(REPO_ROOT, '.github/workflows/pull-request.yml'), 'utf8')).not.toMatch(
      /secure-pipeline-verdict/
    )
  })

  it('the image job declares verdict-0 … verdict-31, each the record step’s output of that name', () => {
    expect(record?.id).toBeDefined()
    const expected = Object.fromEntries(
      Array.from({ length: 32 }, (_, i) => [
        `verdict-${i}`,
        `\${{ steps.${record!.id}.outputs.verdict-${i} }}`
      ])
    )
    expect(imageJob?.outputs).toEqual(expected)
  })

  it('the verdict job reads them through env:, never ${{ }} inside run:', () => {
    const step = verdictJob!.steps!.find(st => st.id === 'verdict')!
    expect(Object.values(step.env ?? {})).toContain('${{ toJSON(needs.image.outputs) }}')
    for (const st of [...verdictJob!.steps!, record!]) expect(st.run ?? '').not.toContain('${{')
  })

  it.each([['32'], [''], ['1x'], ['-1'], ['0\nverdict-1=pass']])(
    'a leg refuses a slot that is no slot of the image job (%j), recording nothing',
    slot => {
      const temp = mkdtempSync(path.join(tmpdir(), 'workflows-verdict-slot-'))
      const output = path.join(temp, 'output')
      writeFileSync(output, '')
      const contexts = {
        matrix: { image: { id: 'web', slot } },
        steps: { gate: { outputs: { outcome: 'pass' } } }
      }
      const env = Object.fromEntries(
        Object.entries(record!.env ?? {}).map(([k, v]) => [k, interpolate(v, { contexts, failed: false })])
      )
      const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', record!.run!], {
        cwd: temp,
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', RUNNER_TEMP: temp, GITHUB_OUTPUT: output, ...env }
      })
      expect(run.status).not.toBe(0)
      expect(run.stdout).toMatch(/^::error::[^\n]+\n$/)
      expect(readFileSync(output, 'utf8')).toBe('')
    }
  )

  it.each([['pass'], ['fail-findings'], ['fail-broken-input'], [''], ['pass\nverdict-1=pass'], ['PASS']])(
    'a leg records its gate outcome %j as one line of its own slot',
    outcome => {
      const temp = mkdtempSync(path.join(tmpdir(), 'workflows-verdict-leg-'))
      const out = bash(
        record!,
        { matrix: { image: { id: 'web', slot: 3 } }, steps: { gate: { outputs: { outcome } } } },
        temp
      )
      const known = ['pass', 'fail-findings', 'fail-broken-input'].includes(outcome)
      expect(out).toEqual({ 'verdict-3': known ? outcome : 'fail-broken-input' })
    }
  )
})
