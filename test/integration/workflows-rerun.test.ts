import { describe, expect, it } from '@jest/globals'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import { actionFiles, workflowFiles } from '../../scripts/workflow-files.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, type Evaluation } from '../support/run-composite.js'

/**
 * A re-run (of the failed jobs, or of all of them) is the same workflow run: the artifacts the previous
 * attempt uploaded are still there, and upload-artifact refuses a name the run already holds unless it may
 * overwrite (409 Conflict). An evidence upload under a fixed name with overwrite off therefore failed its
 * job on every re-run: re-running a required check after the central policy took an exception, or after a
 * flaky scanner download, could never turn it green. On a re-run the evidence replaces the previous
 * attempt's; on the first attempt two uploads of one name still fail loudly.
 */

type Step = { name?: string; uses?: string; with?: Record<string, string | boolean> }
type Job = { steps?: Step[]; strategy?: { matrix?: unknown } }
const UPLOAD = /^actions\/upload-artifact@[0-9a-f]{40}$/

/** Every upload-artifact step of the workflows, the templates and the composite, with where it is. */
function uploads(): { where: string; step: Step }[] {
  const found: { where: string; step: Step }[] = []
  for (const file of workflowFiles(REPO_ROOT)) {
    const doc = parse(file.text) as { jobs?: Record<string, Job> }
    for (const [id, job] of Object.entries(doc.jobs ?? {}))
      for (const step of job.steps ?? [])
        if (UPLOAD.test(step.uses ?? '')) found.push({ where: `${file.rel} ${id}: ${step.name ?? ''}`, step })
  }
  for (const file of actionFiles(REPO_ROOT)) {
    const doc = parse(file.text) as { runs?: { steps?: Step[] } }
    for (const step of doc.runs?.steps ?? [])
      if (UPLOAD.test(step.uses ?? '')) found.push({ where: `${file.rel}: ${step.name ?? ''}`, step })
  }
  return found
}

function evaluate(step: Step, attempt: string): { name: string; overwrite: string } {
  const evaluation: Evaluation = {
    contexts: {
      github: { run_attempt: attempt, run_id: '42' },
      matrix: { image: { id: 'web', name: 'ghcr.io/octo-org/web' } },
      runner: { temp: '/tmp/runner' },
      inputs: { 'evidence-artifact': 'secure-pipeline-gate-checks' }
    },
    failed: false
  }
  return {
    name: interpolate(String(step.with?.name ?? 'artifact'), evaluation),
    overwrite: interpolate(String(step.with?.overwrite ?? 'false'), evaluation)
  }
}

describe('artifact uploads on a re-run of the same workflow run', () => {
  const found = uploads()

  it('covers the composite, the reusable workflows and the templates', () => {
    const files = new Set(found.map(u => u.where.split(/[ :]/)[0]))
    for (const rel of [
      'action.yml',
      '.github/workflows/pipeline.yml',
      '.github/workflows/pull-request.yml',
      'workflows-templates/secure-pipeline-k8s.yml',
      'workflows-templates/secure-pipeline-metrics.yml'
    ])
      expect([rel, files.has(rel)]).toEqual([rel, true])
  })

  it.each(uploads().map(u => [u.where, u.step] as const))(
    '%s: a re-run replaces the previous attempt’s artifact instead of failing on its name',
    (where, step) => {
      const first = evaluate(step, '1')
      const again = evaluate(step, '2')
      // The first attempt never overwrites: two uploads of one name in one attempt are a mistake to report.
      expect([where, first.overwrite]).toEqual([where, 'false'])
      expect([where, again.name !== first.name || again.overwrite === 'true']).toEqual([where, true])
    }
  )
})

/**
 * pipeline.yml's push records and pull-request.yml's image verdicts are no artifacts: any code of the run
 * holding its runtime token can delete an artifact and upload another under its name, so they go through
 * the image job's outputs. Every upload left is evidence, which a re-run replaces.
 */
it('no upload of the reusable workflows carries a push record or a verdict', () => {
  for (const { where, step } of uploads().filter(u => u.where.startsWith('.github/workflows/')))
    expect([where, String(step.with?.name ?? '')]).toEqual([
      where,
      expect.stringMatching(/^secure-pipeline-gate-/)
    ])
})

/**
 * The READMEs' examples are what users copy: an evidence or bundle upload there without overwrite fails
 * its job on every re-run, as the workflows' own did.
 */
it('the upload-artifact examples in the documentation replace the previous attempt’s on a re-run', () => {
  const docs = [
    ...readdirSync(path.join(REPO_ROOT, 'actions')).map(name => path.join('actions', name, 'README.md')),
    ...readdirSync(path.join(REPO_ROOT, 'docs'))
      .filter(name => name.endsWith('.md'))
      .map(name => path.join('docs', name)),
    'README.md'
  ].filter(rel => existsSync(path.join(REPO_ROOT, rel)))
  const examples: { where: string; overwrite: string }[] = []
  for (const rel of docs) {
    const lines = readFileSync(path.join(REPO_ROOT, rel), 'utf8').split('\n')
    lines.forEach((line, at) => {
      const uses = /^(\s*)(?:- )?uses: actions\/upload-artifact@/.exec(line)
      if (!uses) return
      // The step's own lines: those indented deeper than its `uses:` key, up to the next step.
      const indent = line.indexOf('uses:')
      const own: string[] = []
      for (const next of lines.slice(at + 1)) {
        if (next.trim() === '' || next.startsWith('```') || next.search(/\S/) < indent) break
        if (next.search(/\S/) === indent && next.trim().startsWith('- ')) break
        own.push(next)
      }
      const overwrite = own.map(l => /^\s*overwrite:\s*(.*?)(?:\s+#.*)?$/.exec(l)?.[1]).find(Boolean) ?? ''
      examples.push({ where: `${rel}:${at + 1}`, overwrite })
    })
  }
  expect(examples.length).toBeGreaterThan(0)
  for (const { where, overwrite } of examples)
    expect([where, overwrite]).toEqual([where, "${{ github.run_attempt != '1' }}"])
})
