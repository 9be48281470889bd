import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, parseFileCommands, type Evaluation } from '../support/run-composite.js'

/**
 * pipeline.yml's bump leg pins the digest its image leg pushed. That push record once went through a
 * workflow artifact (secure-pipeline-pushed-<id>, later with a random key in the name): any code of the run
 * holding the runtime token (a caller's job running the repository's code, which can read
 * ACTIONS_RUNTIME_TOKEN from a later action's environment) can list the run's artifacts, key and all,
 * delete one and upload another before the bump downloads it, and the bump then pinned a digest of its
 * choice with gate-outcome pass. The record now goes through the image job's outputs, which only that
 * job's own steps write: each leg sets pushed-<slot>, its image's place in the checked list.
 */

type Step = {
  name?: string
  id?: string
  if?: string
  run?: string
  uses?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
type Job = { steps: Step[]; outputs?: Record<string, string> }
const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/pipeline.yml'), 'utf8')) as {
  jobs: Record<string, Job>
}
const jobs = workflow.jobs
const readIt = jobs.bump!.steps.find(step => step.name === 'Read it')!

const DIGEST = `sha256:${'a'.repeat(64)}`
const WEB = { id: 'web', name: 'ghcr.io/octo-org/web', slot: 0 }
const API = { id: 'api', name: 'ghcr.io/octo-org/api', slot: 1 }

/** Runs the step as the runner would on the bump leg of `image`, the image job's outputs being `outputs`. */
function readRecord(image: { id: string; name: string; slot: number }, outputs: Record<string, string>) {
  const temp = mkdtempSync(path.join(tmpdir(), 'bump-read-'))
  writeFileSync(path.join(temp, 'output'), '')
  const evaluation: Evaluation = {
    contexts: { matrix: { image }, needs: { image: { result: 'failure', outputs } } },
    failed: false
  }
  const env = Object.fromEntries(
    Object.entries(readIt.env ?? {}).map(([k, v]) => [k, interpolate(v, evaluation)])
  )
  const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', readIt.run!], {
    cwd: temp,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', RUNNER_TEMP: temp, GITHUB_OUTPUT: path.join(temp, 'output'), ...env }
  })
  const stepOutputs = parseFileCommands(readFileSync(path.join(temp, 'output'), 'utf8'))
  // Whether the pin runs after it, as its `if:` says.
  const pin = jobs.bump!.steps.find(s => /\/bump-manifest-pr@/.test(s.uses ?? ''))!
  const pins =
    run.status === 0 &&
    interpolate(pin.if ?? '', {
      contexts: { steps: { pushed: { outcome: 'success', outputs: stepOutputs } } },
      failed: false
    }) === 'true'
  return { status: run.status, stdout: run.stdout, outputs: stepOutputs, pins }
}

const record = (r: object) => JSON.stringify(r)

describe('pipeline.yml bump: the push record read for an image', () => {
  it('gives the tag and digest its own slot holds, and the pin runs', () => {
    const run = readRecord(API, {
      'pushed-0': record({ name: WEB.name, tag: 'sha-0', digest: `sha256:${'b'.repeat(64)}` }),
      'pushed-1': record({ name: API.name, tag: 'sha-1', digest: DIGEST })
    })
    expect(run.status).toBe(0)
    expect(run.outputs).toEqual({ tag: 'sha-1', digest: DIGEST })
    expect(run.pins).toBe(true)
  })

  it('pins nothing, with a warning and no failure, when its slot is empty (the image was not pushed)', () => {
    const run = readRecord(WEB, { 'pushed-1': record({ name: API.name, tag: 'sha-1', digest: DIGEST }) })
    expect(run.status).toBe(0)
    expect(run.outputs).toEqual({})
    expect(run.pins).toBe(false)
    expect(run.stdout).toMatch(/^::warning::no push record for image web[^\n]*\n$/)
  })

  it('refuses the record of another image, with one error naming the input', () => {
    const run = readRecord(
      { ...WEB, name: 'ghcr.io/octo-org/admin' },
      { 'pushed-0': record({ name: WEB.name, tag: 'sha-1', digest: DIGEST }) }
    )
    expect(run.status).not.toBe(0)
    expect(run.outputs).toEqual({})
    expect(run.stdout).toMatch(/^::error::[^\n]*\n$/)
  })

  it.each([
    ['not JSON', '{"name": "ghcr.io/octo-org/web",'],
    ['a JSON string', '"sha256:aaaa"'],
    ['no digest', record({ name: WEB.name, tag: 'sha-1' })],
    ['a digest that is no sha256', record({ name: WEB.name, tag: 'sha-1', digest: 'sha256:abc' })],
    ['a digest with a newline', record({ name: WEB.name, tag: 'sha-1', digest: `${DIGEST}\nx=y` })],
    ['a tag with a newline', record({ name: WEB.name, tag: 'sha-1\ndigest=x', digest: DIGEST })],
    ['a tag that is no tag', record({ name: WEB.name, tag: '-x', digest: DIGEST })],
    ['a number for the tag', record({ name: WEB.name, tag: 1, digest: DIGEST })]
  ])('refuses a record that is %s, and pins nothing', (_label, value) => {
    const run = readRecord(WEB, { 'pushed-0': value })
    expect(run.status).not.toBe(0)
    expect(run.outputs).toEqual({})
    expect(run.pins).toBe(false)
  })
})

it.each([[32], [''], ['1x'], [null]])(
  'pipeline.yml bump: a leg without a slot from 0 to 31 (%j) pins nothing',
  slot => {
    const run = readRecord(
      { ...WEB, slot: slot as unknown as number },
      { 'pushed-0': record({ name: WEB.name, tag: 'sha-1', digest: DIGEST }) }
    )
    expect(run.status).not.toBe(0)
    expect(run.pins).toBe(false)
  }
)

describe('pipeline.yml: the push record goes through job outputs, never an artifact', () => {
  it('no step uploads or downloads a push record as an artifact, and no record key is left', () => {
    for (const [id, job] of Object.entries(jobs))
      for (const step of job.steps) {
        if (/^actions\/(upload|download)-artifact@/.test(step.uses ?? ''))
          expect([id, JSON.stringify(step.with)]).toEqual([id, expect.not.stringMatching(/pushed|record/)])
      }
    expect(jobs.images!.outputs).toEqual({ images: '${{ steps.check.outputs.images }}' })
    expect(readFileSync(path.join(REPO_ROOT, '.github/workflows/pipeline.yml'), 'utf8')).not.toMatch(
      /record-key|secure-pipeline-pushed/
    )
  })

  it('the image job declares pushed-0 … pushed-31, each the push step’s output of that name', () => {
    const expected = Object.fromEntries(
      Array.from({ length: 32 }, (_, i) => [`pushed-${i}`, `\${{ steps.push.outputs.pushed-${i} }}`])
    )
    expect(jobs.image!.outputs).toEqual(expected)
  })

  it('the bump reads its own slot through env:, never ${{ }} inside run:', () => {
    expect(readIt.env).toMatchObject({
      IMAGE_SLOT: '${{ matrix.image.slot }}',
      IMAGE_OUTPUTS: '${{ toJSON(needs.image.outputs) }}'
    })
    for (const step of jobs.bump!.steps)
      expect([step.name, step.run ?? '']).not.toEqual([step.name, expect.stringContaining('${{')])
  })

  it('each leg reads the slot its image leg set, when the legs’ outputs are combined', () => {
    // Only api was pushed: its leg set pushed-1; web's leg set nothing.
    const combined = { 'pushed-1': record({ name: API.name, tag: 'sha-1', digest: DIGEST }) }
    const evaluated = Object.fromEntries(
      Object.entries(jobs.image!.outputs!)
        .map(([k, v]) => [
          k,
          interpolate(v, {
            contexts: { steps: { push: { outputs: combined } } },
            failed: false
          })
        ])
        .filter(([, v]) => v !== '')
    )
    expect(evaluated).toEqual(combined)
    expect(readRecord(API, evaluated).pins).toBe(true)
    expect(readRecord(WEB, evaluated).pins).toBe(false)
  })
})
