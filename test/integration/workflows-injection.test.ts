import { afterEach, describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { actionFiles, workflowFiles, type YamlFile } from '../../scripts/workflow-files.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, type Evaluation } from '../support/run-composite.js'

/**
 * Script injection: a pull request title or branch name (and every input, matrix value and step output
 * they could flow into) of ``a";curl x|sh;#``, `$(id)` or a newline reaches every `run:` script of the
 * workflows, starter templates and the composite, run the way the runner runs them: `${{ }}` evaluated by
 * GitHub's expression library in `env:` and in the script, then `bash --noprofile --norc -eo pipefail`.
 * `curl`, `sh` and `id` are stubs that leave a mark when anything runs them; the tools the scripts call
 * (docker, skopeo, gh, node) are stubs that succeed.
 */

const HOSTILE = ['a";curl x|sh;#', '$(id)', 'main\nid', '`id`', "'; id; '"]

interface RunStep {
  where: string
  run: string
  env: Record<string, string>
  /** Expressions the script itself contains: none may reach bash unevaluated or evaluated into code. */
  shell?: string
}

type Steps = { name?: string; id?: string; run?: string; env?: Record<string, unknown>; shell?: string }[]
type Jobs = Record<string, { steps?: Steps; defaults?: { run?: { shell?: string } } }>

/** Every `run:` step of a workflow (jobs.*.steps) or composite action (runs.steps). */
function runSteps(file: YamlFile): RunStep[] {
  const doc = parse(file.text) as { jobs?: Jobs; runs?: { steps?: Steps } }
  const groups: [string, Steps][] = doc.jobs
    ? Object.entries(doc.jobs).map(([job, spec]) => [job, spec.steps ?? []])
    : [['runs', doc.runs?.steps ?? []]]
  return groups.flatMap(([job, steps]) =>
    steps
      .map((step, index) => ({ step, index }))
      .filter(({ step }) => typeof step.run === 'string')
      .map(({ step, index }) => ({
        where: `${file.rel} ${job} step ${step.name ?? step.id ?? index}`,
        run: step.run!,
        env: Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, String(v)])),
        shell: step.shell
      }))
  )
}

/** The contexts as the runner would give them on a pull request whose title and branch are `value`. */
function contexts(value: string, scratch: string, expressions: string): Evaluation['contexts'] {
  const named = (context: string) => [
    ...expressions.matchAll(
      new RegExp(`${context}\\.([A-Za-z0-9_-]+)(?:\\.outputs\\.([A-Za-z0-9_-]+))?`, 'g')
    )
  ]
  const withOutputs = (context: string) =>
    Object.fromEntries(
      named(context).map(([, id]) => [
        id!,
        { outcome: 'success', conclusion: 'success', result: 'success', outputs: outputsOf(context, id!) }
      ])
    )
  const outputsOf = (context: string, id: string) =>
    Object.fromEntries(
      named(context)
        .filter(([, i]) => i === id)
        .map(([, , out]) => [out ?? '', value])
    )
  const flat = (context: string) => Object.fromEntries(named(context).map(([, key]) => [key!, value]))
  return {
    github: {
      event_name: 'pull_request',
      event: { pull_request: { title: value, number: 7, head: { ref: value } } },
      head_ref: value,
      ref: `refs/heads/${value}`,
      ref_name: value,
      repository: 'octo-org/app',
      repository_owner: 'octo-org',
      actor: value,
      sha: 'a'.repeat(40),
      token: 'ghs_placeholder'
    },
    inputs: { ...flat('inputs'), push: true, 'timeout-minutes': 5 },
    matrix: { image: { id: value, name: value, context: value, dockerfile: value } },
    steps: withOutputs('steps'),
    needs: withOutputs('needs'),
    secrets: flat('secrets'),
    vars: flat('vars'),
    env: {},
    runner: { os: 'Linux', arch: 'X64', temp: scratch },
    job: {},
    strategy: { 'job-index': 0 }
  }
}

const marker = path.join(tmpdir(), `workflows-injected-${process.pid}`)
afterEach(() => rmSync(marker, { force: true }))

/** Stubs: the commands a payload would run leave the mark; the tools the scripts use succeed quietly. */
function stubBin(scratch: string): string {
  const bin = path.join(scratch, 'bin')
  mkdirSync(bin)
  for (const name of ['curl', 'sh', 'id', 'touch'])
    writeFileSync(path.join(bin, name), `#!/bin/bash\necho "$0 $*" >> '${marker}'\n`)
  for (const name of ['docker', 'skopeo', 'gh', 'node', 'tar'])
    writeFileSync(path.join(bin, name), '#!/bin/bash\nexit 0\n')
  for (const name of ['curl', 'sh', 'id', 'touch', 'docker', 'skopeo', 'gh', 'node', 'tar'])
    chmodSync(path.join(bin, name), 0o755)
  return bin
}

function runAsRunner(step: RunStep, value: string): { status: number | null; script: string } {
  const scratch = mkdtempSync(path.join(tmpdir(), 'workflows-injection-'))
  const workspace = path.join(scratch, 'workspace')
  mkdirSync(workspace)
  const expressions = [step.run, ...Object.values(step.env)].join('\n')
  const evaluation: Evaluation = { contexts: contexts(value, scratch, expressions), failed: false }
  const env = Object.fromEntries(Object.entries(step.env).map(([k, v]) => [k, interpolate(v, evaluation)]))
  const script = interpolate(step.run, evaluation)
  const file = path.join(scratch, 'step.sh')
  writeFileSync(file, script)
  for (const name of ['output', 'summary', 'env', 'path']) writeFileSync(path.join(scratch, name), '')
  const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', file], {
    cwd: workspace,
    encoding: 'utf8',
    timeout: 30_000,
    env: {
      PATH: `${stubBin(scratch)}:/usr/bin:/bin`,
      HOME: scratch,
      RUNNER_TEMP: scratch,
      GITHUB_WORKSPACE: workspace,
      GITHUB_ACTION_PATH: REPO_ROOT,
      GITHUB_SHA: 'a'.repeat(40),
      GITHUB_REPOSITORY: 'octo-org/app',
      GITHUB_REF_NAME: value,
      GITHUB_HEAD_REF: value,
      GITHUB_OUTPUT: path.join(scratch, 'output'),
      GITHUB_STEP_SUMMARY: path.join(scratch, 'summary'),
      GITHUB_ENV: path.join(scratch, 'env'),
      GITHUB_PATH: path.join(scratch, 'path'),
      ...env
    }
  })
  return { status: run.status, script }
}

const files = [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)]
const steps = files.flatMap(runSteps)

describe('script injection through the workflows, templates and composite', () => {
  it('covers the run: steps of the reusable workflows, release, CI and the composite', () => {
    const where = steps.map(s => s.where).join('\n')
    for (const expected of [
      /^\.github\/workflows\/pipeline\.yml image step Build to an OCI layout$/m,
      /^\.github\/workflows\/pipeline\.yml image step Push the scanned digest$/m,
      /^\.github\/workflows\/pipeline\.yml bump step Read it$/m,
      /^\.github\/workflows\/pull-request\.yml image step Build to an OCI layout$/m,
      /^\.github\/workflows\/release\.yml publish step Publish and move the major tag$/m,
      /^action\.yml runs step SAST$/m,
      /^action\.yml runs step SCA$/m,
      /^action\.yml runs step Image report names$/m,
      /^action\.yml runs step Image scan \(registry\)$/m,
      /^action\.yml runs step Image scan \(before push\)$/m,
      /^action\.yml runs step Verdict$/m
    ])
      expect(where).toMatch(expected)
  })

  it('finds no ${{ }} in any run: script (values reach scripts only through env:)', () => {
    expect(steps.filter(step => step.run.includes('${{')).map(step => step.where)).toEqual([])
  })

  it('notices a payload that does run: the check itself can fail', () => {
    const planted: RunStep = { where: 'planted', run: 'echo ${{ github.event.pull_request.title }}', env: {} }
    runAsRunner(planted, '$(id)')
    expect(existsSync(marker)).toBe(true)
  })

  describe.each(HOSTILE)('with %j as PR title, branch, inputs, matrix values and step outputs', value => {
    it.each(steps.map(step => [step.where, step] as const))('%s executes nothing', (_where, step) => {
      const { script } = runAsRunner(step, value)
      expect(script).toBe(step.run)
      expect(existsSync(marker)).toBe(false)
    })
  })
})
