import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, parseFileCommands, type Evaluation } from '../support/run-composite.js'

/**
 * The `images` input of pipeline.yml and pull-request.yml names each image leg's job and evidence
 * artifact (secure-pipeline-gate-<id>); each image's slot (its place in the list) names its leg's job
 * output (pushed-<slot> or verdict-<slot>), of which there are 32. An id
 * `checks` (the checks job's own secure-pipeline-gate-checks), one given twice, ids that differ only in
 * case, or an id with a character artifact names refuse made an upload fail half-way, with the
 * artifact service's 409 or "invalid name", after the image was built and scanned, or failed the
 * pull request's checks job when the image leg uploaded first. The list is checked before anything
 * runs, with one `::error::images:` line saying what to change; what it accepts gives every artifact of
 * the run its own name.
 */

type Step = {
  name?: string
  id?: string
  uses?: string
  run?: string
  env?: Record<string, string>
  with?: Record<string, string>
}
type Job = {
  needs?: string | string[]
  if?: string
  strategy?: { matrix?: Record<string, string> }
  steps?: Step[]
}
const WORKFLOWS = ['.github/workflows/pipeline.yml', '.github/workflows/pull-request.yml'] as const
const load = (rel: string) =>
  parse(readFileSync(path.join(REPO_ROOT, rel), 'utf8')) as { jobs: Record<string, Job> }
const UPLOAD = /^actions\/upload-artifact@[0-9a-f]{40}$/
const SELF_COMPOSITE = /^octo-org\/secure-pipeline@[0-9a-f]{40}$/

/** The job whose output feeds the image legs' matrix, and its step that checks the input. */
function checkStep(rel: string): Step | undefined {
  const jobs = load(rel).jobs
  const matrix = jobs.image?.strategy?.matrix?.image ?? ''
  const source = /needs\.([A-Za-z0-9_-]+)\.outputs\./.exec(matrix)?.[1]
  return source ? jobs[source]?.steps?.find(s => s.env?.IMAGES === '${{ inputs.images }}') : undefined
}

/** Runs the check as the runner would: exit status, stdout, and the list it hands to the legs. */
function check(rel: string, images: string) {
  const step = checkStep(rel)
  // Before the fix nothing checked the list up front: every list reached the legs as it was.
  if (!step) return { status: 0, stdout: '', images }
  const scratch = mkdtempSync(path.join(tmpdir(), 'workflows-images-'))
  const output = path.join(scratch, 'output')
  writeFileSync(output, '')
  const evaluation: Evaluation = { contexts: { inputs: { images } }, failed: false }
  const env = Object.fromEntries(
    Object.entries(step.env ?? {}).map(([k, v]) => [k, interpolate(v, evaluation)])
  )
  const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: scratch,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', GITHUB_OUTPUT: output, ...env }
  })
  return {
    status: run.status,
    stdout: run.stdout,
    images: parseFileCommands(readFileSync(output, 'utf8')).images
  }
}

/** Every artifact name the run uploads for these image legs: each job's uploads, each leg's once. */
function artifactNames(rel: string, images: { id: unknown; name?: unknown }[]): string[] {
  const names: string[] = []
  for (const job of Object.values(load(rel).jobs)) {
    const legs = job.strategy?.matrix?.image ? images : [undefined]
    for (const image of legs) {
      const evaluation: Evaluation = {
        contexts: {
          matrix: { image },
          runner: { temp: '/tmp' }
        },
        failed: false
      }
      for (const step of job.steps ?? []) {
        if (UPLOAD.test(step.uses ?? '')) names.push(interpolate(step.with!.name!, evaluation))
        if (SELF_COMPOSITE.test(step.uses ?? '') && step.with?.['evidence-artifact'])
          names.push(interpolate(step.with['evidence-artifact'], evaluation))
      }
    }
  }
  return names
}

const image = (id: unknown) => ({
  id,
  name: `ghcr.io/octo-org/${String(id).toLowerCase()}`,
  context: '.',
  dockerfile: 'Dockerfile'
})
const HOSTILE: [string, string][] = [
  ['the checks job’s id', JSON.stringify([image('checks')])],
  ['one id twice', JSON.stringify([image('web'), image('api'), image('web')])],
  ['ids that differ only in case', JSON.stringify([image('Web'), image('web')])],
  ['an upper-case id', JSON.stringify([image('Web')])],
  ['a slash', JSON.stringify([image('web/admin')])],
  ['a colon', JSON.stringify([image('web:1')])],
  ['a quote and a space', JSON.stringify([image('we"b x')])],
  ['a newline', JSON.stringify([image('web\n::warning::x')])],
  // jq's `$` also matches before a string's last newline: `^[a-z0-9-]+$` took "web\n" and "checks\n".
  ['a trailing newline', JSON.stringify([image('web\n')])],
  ['the checks job’s id and a newline', JSON.stringify([image('checks\n')])],
  ['one id twice, once with a newline', JSON.stringify([image('web'), image('web\n')])],
  ['an empty id', JSON.stringify([image('')])],
  ['no id', JSON.stringify([{ name: 'ghcr.io/octo-org/web' }])],
  ['a number', JSON.stringify([image(1)])],
  ['a string entry', JSON.stringify(['web'])],
  ['an object', JSON.stringify(image('web'))],
  ['not JSON', '[{"id": "web",]'],
  ['two lists', '[] []']
]

describe.each(WORKFLOWS)('%s images input', rel => {
  it.each(HOSTILE)('refuses %s up front, with one ::error::images: line', (_label, images) => {
    const run = check(rel, images)
    expect(run.status).not.toBe(0)
    expect(run.stdout).toMatch(/^::error::images: [^\n]+\n$/)
    expect(run.images).toBeUndefined()
  })

  it.each(HOSTILE)('never gives two artifacts of the run one name (%s)', (_label, images) => {
    const run = check(rel, images)
    if (run.status !== 0) return
    const names = artifactNames(rel, JSON.parse(run.images!) as { id: unknown }[])
    expect(new Set(names.map(n => n.toLowerCase())).size).toBe(names.length)
  })

  it.each([
    ['one image', JSON.stringify([image('web')])],
    ['three', JSON.stringify([image('web'), image('api'), image('worker-2')])],
    ['the empty list with spaces', ' [ ]\n']
  ])('passes %s on as one line of JSON, every artifact name its own and valid', (_label, images) => {
    const run = check(rel, images)
    expect(run.status).toBe(0)
    expect(run.stdout).toBe('')
    // Each image gets its slot, its place in the list: the name of its legs' job outputs.
    expect(JSON.parse(run.images!)).toEqual(
      (JSON.parse(images) as object[]).map((entry, slot) => ({ ...entry, slot }))
    )
    expect(run.images).not.toContain('\n')
    const names = artifactNames(rel, JSON.parse(run.images!) as { id: unknown }[])
    expect(new Set(names.map(n => n.toLowerCase())).size).toBe(names.length)
    for (const name of names) expect(name).toMatch(/^[a-z0-9-]+$/)
  })

  it('refuses more images than the image job has output slots (32), with one ::error::images: line', () => {
    const many = (n: number) => JSON.stringify(Array.from({ length: n }, (_, i) => image(`i${i}`)))
    const refused = check(rel, many(33))
    expect(refused.status).not.toBe(0)
    expect(refused.stdout).toMatch(/^::error::images: at most 32 images per call; [^\n]+\n$/)
    expect(refused.images).toBeUndefined()
    const accepted = check(rel, many(32))
    expect(accepted.status).toBe(0)
    expect((JSON.parse(accepted.images!) as { slot: number }[]).map(i => i.slot)).toEqual(
      Array.from({ length: 32 }, (_, i) => i)
    )
  })

  it.each([
    ['another image’s slot', JSON.stringify([image('web'), { ...image('api'), slot: 0 }])],
    ['its own slot', JSON.stringify([{ ...image('web'), slot: 0 }])],
    ['a null slot', JSON.stringify([{ ...image('web'), slot: null }])]
  ])('refuses an entry that sets %s (the workflow sets it), with one ::error::images: line', (_l, images) => {
    const run = check(rel, images)
    expect(run.status).not.toBe(0)
    expect(run.stdout).toMatch(/^::error::images: [^\n]*slot[^\n]*\n$/)
    expect(run.images).toBeUndefined()
  })

  it('the image legs (and bump legs) run only on the checked list, never on the input itself', () => {
    const jobs = load(rel).jobs
    for (const [name, job] of Object.entries(jobs).filter(([, j]) => j.strategy?.matrix?.image)) {
      expect([name, job.strategy!.matrix!.image]).toEqual([
        name,
        '${{ fromJSON(needs.images.outputs.images) }}'
      ])
      expect([name, [job.needs ?? []].flat()]).toEqual([name, expect.arrayContaining(['images'])])
      expect([name, job.if]).toEqual([name, expect.stringContaining("needs.images.result == 'success'")])
    }
  })
})

it('pipeline.yml and pull-request.yml check the images input with one and the same script', () => {
  const [a, b] = WORKFLOWS.map(checkStep)
  expect(a?.run).toBeDefined()
  expect(a?.run).toBe(b?.run)
})
