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
function readRecord(image: { id: string; name: string }, record: object) {
  const temp = mkdtempSync(path.join(tmpdir(), 'bump-read-'))
  mkdirSync(path.join(temp, 'pushed'))
  writeFileSync(path.join(temp, 'pushed', `${image.id}.json`), JSON.stringify(record))
  writeFileSync(path.join(temp, 'output'), '')
  const evaluation: Evaluation = { contexts: { matrix: { image } }, failed: false }
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
