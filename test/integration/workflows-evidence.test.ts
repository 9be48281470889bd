import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, realpathSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import { actionFiles, workflowFiles } from '../../scripts/workflow-files.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { artifactFiles, evaluateExpression, type Evaluation } from '../support/run-composite.js'

/**
 * Every evidence upload (actions/upload-artifact of secure-pipeline/…) in the workflows, starter templates
 * and the composite, after a pull request committed links where the evidence is: the artifact client
 * reads through links, so `secure-pipeline/gate/env -> /proc/self/environ` or `x.sarif -> ~/.docker/config.json`
 * would put the runner's files in an artifact anyone who can read the repository downloads. The steps
 * before the upload run as the runner runs them after a failed step (the uploads run then too); the upload
 * must then read nothing outside the workspace.
 */

type Step = { name?: string; uses?: string; run?: string; if?: string; with?: Record<string, string> }
const UPLOAD = /^actions\/upload-artifact@/

interface Upload {
  where: string
  paths: string[]
  /** The steps before the upload, last first. */
  before: Step[]
}

function uploads(): Upload[] {
  return [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)].flatMap(file => {
    const doc = parse(file.text) as { jobs?: Record<string, { steps?: Step[] }>; runs?: { steps?: Step[] } }
    const groups: [string, Step[]][] = doc.jobs
      ? Object.entries(doc.jobs).map(([job, spec]) => [job, spec.steps ?? []])
      : [['runs', doc.runs?.steps ?? []]]
    return groups.flatMap(([job, steps]) =>
      steps.flatMap((step, index) => {
        const paths = String(step.with?.path ?? '')
          .split('\n')
          .map(line => line.trim())
          .filter(Boolean)
        if (!UPLOAD.test(step.uses ?? '') || !paths.some(p => p.startsWith('secure-pipeline/'))) return []
        return [
          {
            where: `${file.rel} ${job} ${step.name ?? index}`,
            paths,
            before: steps.slice(0, index).reverse()
          }
        ]
      })
    )
  })
}

/** Whether the runner runs a step with this `if:` after an earlier step failed (an evidence upload does). */
function runsAfterFailure(step: Step): boolean {
  if (step.if === undefined) return false
  const expression = step.if.replace(/^\s*\$\{\{([\s\S]*)\}\}\s*$/, '$1')
  const evaluation: Evaluation = {
    contexts: { inputs: { 'evidence-artifact': 'secure-pipeline-gate-checks' } },
    failed: true
  }
  return evaluateExpression(expression, evaluation).coerceString() === 'true'
}

/**
 * A workspace with, for each upload path, what the run wrote (a regular file) and what the pull request
 * committed (links to `secret`): a directory gets a real file and a file and a directory link, a `*` glob a
 * real match and a linked one, a file path a link in its place (its step died before replacing it).
 */
function plantedWorkspace(paths: string[], secret: string): { ws: string; written: string[] } {
  const ws = mkdtempSync(path.join(tmpdir(), 'evidence-ws-'))
  const written: string[] = []
  const file = (relative: string, target?: string) => {
    mkdirSync(path.join(ws, path.dirname(relative)), { recursive: true })
    if (target) return symlinkSync(target, path.join(ws, relative))
    writeFileSync(path.join(ws, relative), '{}\n')
    written.push(relative)
  }
  for (const entry of paths) {
    if (entry.includes('*')) {
      file(entry.replace('*', 'real'))
      file(entry.replace('*', 'leak'), path.join(secret, 'environ'))
    } else if (!path.extname(entry)) {
      file(`${entry}/evidence.json`)
      file(`${entry}/env`, path.join(secret, 'environ'))
      file(`${entry}/home`, secret)
    } else file(entry, path.join(secret, 'environ'))
  }
  return { ws, written }
}

/** The contiguous run: steps right before the upload that also run after a failure, in order. */
function guardSteps(upload: Upload): Step[] {
  const guards: Step[] = []
  for (const step of upload.before) {
    if (
      typeof step.run !== 'string' ||
      step.run.includes('node "$GITHUB_ACTION_PATH') ||
      !runsAfterFailure(step)
    )
      break
    guards.unshift(step)
  }
  return guards
}

function runStep(step: Step, workspace: string): { status: number | null; stdout: string } {
  const run = spawnSync('/bin/bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
    cwd: workspace,
    encoding: 'utf8',
    env: { PATH: '/usr/bin:/bin', HOME: workspace, GITHUB_WORKSPACE: workspace }
  })
  return { status: run.status, stdout: run.stdout }
}

const found = uploads()

describe('evidence uploads after a pull request committed links under secure-pipeline/', () => {
  it('covers the composite, both reusable workflows and the k8s and metrics templates', () => {
    expect(found.map(u => u.where)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^action\.yml runs /),
        expect.stringMatching(/^\.github\/workflows\/pull-request\.yml image /),
        expect.stringMatching(/^\.github\/workflows\/pipeline\.yml image /),
        expect.stringMatching(/^workflows-templates\/secure-pipeline-k8s\.yml k8s-policy /),
        expect.stringMatching(/^workflows-templates\/secure-pipeline-metrics\.yml metrics /)
      ])
    )
  })

  it('notices an upload that reads through a link: the check itself can fail', () => {
    const secret = realpathSync(mkdtempSync(path.join(tmpdir(), 'evidence-secret-')))
    writeFileSync(path.join(secret, 'environ'), 'ACTIONS_RUNTIME_TOKEN=x\n')
    const { ws } = plantedWorkspace(['secure-pipeline/gate', 'secure-pipeline/*.sarif'], secret)
    const read = artifactFiles(ws, 'secure-pipeline/gate\nsecure-pipeline/*.sarif').map(f => f.read)
    expect(read).toEqual(expect.arrayContaining([path.join(secret, 'environ')]))
  })

  it.each(found.map(u => [u.where, u] as const))(
    '%s reads nothing outside the workspace',
    (_where, upload) => {
      const secret = realpathSync(mkdtempSync(path.join(tmpdir(), 'evidence-secret-')))
      writeFileSync(path.join(secret, 'environ'), 'ACTIONS_RUNTIME_TOKEN=x\n')
      const { ws, written } = plantedWorkspace(upload.paths, secret)
      for (const step of guardSteps(upload)) {
        const { status, stdout } = runStep(step, ws)
        expect(status).toBe(0)
        // One warning line per link, named so that no name can start a workflow command of its own.
        for (const line of stdout.split('\n').filter(Boolean))
          expect(line).toMatch(/^::warning::secure-pipeline: /)
      }
      const files = artifactFiles(ws, upload.paths.join('\n'))
      const workspace = realpathSync(ws)
      expect(files.filter(f => !f.read.startsWith(`${workspace}/`))).toEqual([])
      expect(files.map(f => f.file).sort()).toEqual(written.sort())
    }
  )

  it('also when secure-pipeline itself is a link to a directory outside the workspace', () => {
    const secret = realpathSync(mkdtempSync(path.join(tmpdir(), 'evidence-secret-')))
    mkdirSync(path.join(secret, 'gate'))
    writeFileSync(path.join(secret, 'gate/environ'), 'ACTIONS_RUNTIME_TOKEN=x\n')
    const ws = mkdtempSync(path.join(tmpdir(), 'evidence-ws-'))
    symlinkSync(secret, path.join(ws, 'secure-pipeline'))
    const composite = found.find(u => u.where.startsWith('action.yml'))!
    for (const step of guardSteps(composite)) expect(runStep(step, ws).status).toBe(0)
    expect(artifactFiles(ws, composite.paths.join('\n'))).toEqual([])
  })
})
