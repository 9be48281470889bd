import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, parseFileCommands, type Evaluation } from '../support/run-composite.js'

/**
 * pipeline.yml's bump leg reads the push record its image leg uploaded, by the image's id. Two entries of
 * `images` with one id (a copy-paste) share one record: the leg of the second image must not pin the
 * first image's digest in the second image's manifests.
 */

type Step = { name?: string; run?: string; env?: Record<string, string> }
const workflow = parse(readFileSync(path.join(REPO_ROOT, '.github/workflows/pipeline.yml'), 'utf8')) as {
  jobs: Record<string, { steps: Step[] }>
}
const readIt = workflow.jobs.bump!.steps.find(step => step.name === 'Read it')!

const DIGEST = `sha256:${'a'.repeat(64)}`

/** Runs the step as the runner would on the leg of `image`, with `record` as the downloaded push record. */
function readRecord(image: { id: string; name: string }, record: object, key = 'c0ffee'.padEnd(32, '0')) {
  const temp = mkdtempSync(path.join(tmpdir(), 'bump-read-'))
  mkdirSync(path.join(temp, 'pushed'))
  writeFileSync(path.join(temp, 'pushed', `${image.id}.json`), JSON.stringify(record))
  writeFileSync(path.join(temp, 'output'), '')
  const evaluation: Evaluation = {
    contexts: { matrix: { image }, needs: { images: { outputs: { 'record-key': key } } } },
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
  return {
    status: run.status,
    stdout: run.stdout,
    outputs: parseFileCommands(readFileSync(path.join(temp, 'output'), 'utf8'))
  }
}

describe('pipeline.yml bump: the push record read for an image', () => {
  it('gives the tag and digest of the record pushed for this image', () => {
    const run = readRecord(
      { id: 'web', name: 'ghcr.io/octo-org/web' },
      { name: 'ghcr.io/octo-org/web', tag: 'sha-1', digest: DIGEST }
    )
    expect(run.status).toBe(0)
    expect(run.outputs).toEqual({ tag: 'sha-1', digest: DIGEST })
  })

  it('refuses the record of another image under the same id, with one error naming the input', () => {
    const run = readRecord(
      { id: 'web', name: 'ghcr.io/octo-org/admin' },
      { name: 'ghcr.io/octo-org/web', tag: 'sha-1', digest: DIGEST }
    )
    expect(run.status).not.toBe(0)
    expect(run.outputs).toEqual({})
    expect(run.stdout).toMatch(/^::error::images: .*own id\n$/)
  })
})

/**
 * The bump trusts the push record for the digest it pins, so that record must be the one this run's image
 * leg wrote after its gate passed. Any job of the run that holds the runtime token (a caller's test job
 * running the repository's code) can upload an artifact: under a name it can work out beforehand
 * (secure-pipeline-pushed-<id>) it got there first, the leg's own upload then failed on the name, and the
 * bump pinned the forged digest. A re-run of all jobs found the previous attempt's record under that name,
 * and pinned a digest the gate of the re-run had just failed. The name now holds a key only the run's
 * images job knows, made anew for each attempt of that job.
 */
describe('pipeline.yml: the push record the bump reads is its image leg’s of this attempt', () => {
  type AnyStep = Step & { id?: string; uses?: string; with?: Record<string, string> }
  const jobs = workflow.jobs as unknown as Record<
    string,
    { steps: AnyStep[]; outputs?: Record<string, string> }
  >
  const upload = jobs.image!.steps.find(
    s => /^actions\/upload-artifact@/.test(s.uses ?? '') && /pushed/.test(s.with?.name ?? '')
  )!
  const download = jobs.bump!.steps.find(s => s.id === 'download')!
  const KEY = 'c0ffee'.padEnd(32, '0')
  const nameOf = (step: AnyStep, key: string | undefined) =>
    interpolate(step.with!.name!, {
      contexts: {
        matrix: { image: { id: 'web', name: 'ghcr.io/octo-org/web' } },
        github: {
          run_id: '42',
          run_attempt: '1',
          workflow_ref: 'o/r/.github/workflows/x.yml@refs/heads/main'
        },
        needs: { images: { outputs: { 'record-key': key ?? '' } } }
      },
      failed: false
    })

  it('is uploaded and downloaded under one name, which a job that does not know the key cannot give', () => {
    expect(nameOf(download, KEY)).toBe(nameOf(upload, KEY))
    // Everything else a job of the run knows (the run, the attempt, the image) does not make the name.
    expect(nameOf(upload, KEY)).not.toBe(nameOf(upload, undefined))
    expect(nameOf(upload, KEY)).toContain(KEY)
  })

  it('the key is random, one per attempt of the images job, 128 bits as hex', () => {
    expect(jobs.images!.outputs?.['record-key']).toMatch(/^\$\{\{ steps\.[a-z-]+\.outputs\.record-key \}\}$/)
    const stepId = /steps\.([a-z-]+)\./.exec(jobs.images!.outputs!['record-key']!)![1]
    const step = jobs.images!.steps.find(s => s.id === stepId)!
    const keys = [1, 2].map(() => {
      const temp = mkdtempSync(path.join(tmpdir(), 'record-key-'))
      writeFileSync(path.join(temp, 'output'), '')
      const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
        cwd: temp,
        encoding: 'utf8',
        env: { PATH: '/usr/bin:/bin', GITHUB_OUTPUT: path.join(temp, 'output') }
      })
      expect(run.status).toBe(0)
      expect(run.stdout).toBe('')
      return parseFileCommands(readFileSync(path.join(temp, 'output'), 'utf8'))['record-key']
    })
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{32}$/)
    expect(keys[0]).not.toBe(keys[1])
  })

  it.each([
    ['no key', ''],
    ['a short key', 'abc'],
    ['a key with a newline', `${KEY}\n`]
  ])('pins nothing with %s (a name anyone could give)', (_label, key) => {
    const run = readRecord(
      { id: 'web', name: 'ghcr.io/octo-org/web' },
      { name: 'ghcr.io/octo-org/web', tag: 'sha-1', digest: DIGEST },
      key
    )
    expect(run.status).not.toBe(0)
    expect(run.outputs).toEqual({})
  })
})
