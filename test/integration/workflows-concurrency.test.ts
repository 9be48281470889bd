import { describe, expect, it } from '@jest/globals'
import { parse } from 'yaml'
import { workflowFiles } from '../../scripts/workflow-files.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { interpolate, type Evaluation } from '../support/run-composite.js'

/**
 * The concurrency groups of the reusable workflows and templates, evaluated by GitHub's expression
 * library as the runner evaluates them. In a reusable workflow the github context is the caller's:
 * github.workflow is the caller's `name:`, which two caller files in one repository may share (two
 * "release" workflows of a monorepo, a copied template), and github.workflow_ref is the caller's file,
 * `owner/repo/.github/workflows/<file>@<ref>`. Two callers must never share a group (they would cancel,
 * or replace the pending job of, each other); one caller's runs on one pull request or branch must
 * share one, so that a newer push replaces a stale pull request check; and no run on a push may be
 * cancelled half-way (a push of an image, a bump, the default branch's code-scanning upload).
 */

type Concurrency = { group?: string; 'cancel-in-progress'?: unknown }
type Job = { concurrency?: Concurrency }
interface Group {
  where: string
  concurrency: Concurrency
}

const groups: Group[] = workflowFiles(REPO_ROOT).flatMap(file => {
  const doc = parse(file.text) as { concurrency?: Concurrency; jobs: Record<string, Job> }
  return [
    ...(doc.concurrency?.group ? [{ where: file.rel, concurrency: doc.concurrency }] : []),
    ...Object.entries(doc.jobs).flatMap(([job, spec]) =>
      spec.concurrency?.group ? [{ where: `${file.rel} ${job}`, concurrency: spec.concurrency }] : []
    )
  ]
})

interface Run {
  /** The caller workflow's file and name. */
  file: string
  name?: string
  event?: 'pull_request' | 'push' | 'merge_group'
  pr?: number
  runId?: number
  image?: { id: string; name: string }
}

function contexts(run: Run): Evaluation['contexts'] {
  const event = run.event ?? 'pull_request'
  const ref = event === 'pull_request' ? `refs/pull/${run.pr ?? 7}/merge` : 'refs/heads/main'
  return {
    github: {
      workflow: run.name ?? 'CI',
      workflow_ref: `octo-org/app/.github/workflows/${run.file}@${ref}`,
      repository: 'octo-org/app',
      ref,
      event_name: event,
      event: event === 'pull_request' ? { pull_request: { number: run.pr ?? 7 } } : {},
      run_id: run.runId ?? 1001,
      sha: 'a'.repeat(40)
    },
    inputs: { 'manifests-repository': 'octo-org/manifests', 'manifests-base': '' },
    matrix: { image: run.image ?? { id: 'app', name: 'ghcr.io/octo-org/app' } },
    strategy: { 'job-index': 0 },
    needs: {},
    vars: {}
  }
}

const evaluate = (text: unknown, run: Run): string =>
  interpolate(String(text), { contexts: contexts(run), failed: false })
const groupOf = (g: Group, run: Run) => evaluate(g.concurrency.group, run)
const cancels = (g: Group, run: Run) =>
  evaluate(g.concurrency['cancel-in-progress'] ?? 'false', run) === 'true'

/** The groups that serialise one caller's runs; the bump's serialises one target for every caller. */
const perCaller = groups.filter(g => g.where !== '.github/workflows/pipeline.yml bump')
const bump = groups.find(g => g.where === '.github/workflows/pipeline.yml bump')!

describe('concurrency groups', () => {
  it('covers the reusable workflows and every template that has one', () => {
    expect(groups.map(g => g.where)).toEqual(
      expect.arrayContaining([
        '.github/workflows/pipeline.yml checks',
        '.github/workflows/pipeline.yml image',
        '.github/workflows/pipeline.yml bump',
        '.github/workflows/pull-request.yml checks',
        '.github/workflows/pull-request.yml image',
        'workflows-templates/secure-pipeline-pr.yml secure-pipeline',
        'workflows-templates/secure-pipeline-k8s.yml k8s-policy',
        'workflows-templates/secure-pipeline-metrics.yml metrics'
      ])
    )
  })

  it.each(perCaller.map(g => [g.where, g] as const))(
    '%s: two caller workflows that share a name are two groups',
    (_where, g) => {
      for (const event of ['pull_request', 'push'] as const)
        expect(groupOf(g, { file: 'web.yml', name: 'release', event })).not.toBe(
          groupOf(g, { file: 'api.yml', name: 'release', event })
        )
    }
  )

  it.each(perCaller.filter(g => !/ names$/.test(g.where)).map(g => [g.where, g] as const))(
    '%s: one caller on one pull request or branch is one group, run after run',
    (_where, g) => {
      for (const event of ['pull_request', 'push'] as const)
        expect(groupOf(g, { file: 'ci.yml', event, runId: 1 })).toBe(
          groupOf(g, { file: 'ci.yml', event, runId: 2 })
        )
      expect(groupOf(g, { file: 'ci.yml', pr: 7 })).not.toBe(groupOf(g, { file: 'ci.yml', pr: 8 }))
    }
  )

  it.each(groups.map(g => [g.where, g] as const))('%s: a run on a push is never cancelled', (_where, g) => {
    expect(cancels(g, { file: 'ci.yml', event: 'push' })).toBe(false)
    expect(cancels(g, { file: 'ci.yml', event: 'merge_group' })).toBe(false)
  })

  it('a newer push to a pull request cancels its stale check (pull-request.yml, the PR and k8s templates)', () => {
    for (const where of [
      '.github/workflows/pull-request.yml checks',
      '.github/workflows/pull-request.yml image',
      'workflows-templates/secure-pipeline-pr.yml secure-pipeline',
      'workflows-templates/secure-pipeline-k8s.yml k8s-policy'
    ])
      expect([
        where,
        cancels(
          groups.find(g => g.where === where)!,
          { file: 'ci.yml' }
        )
      ]).toEqual([where, true])
  })

  it('pipeline.yml bump: one group per target image, whichever caller bumps it; two images are two groups', () => {
    const web = { id: 'app', name: 'ghcr.io/octo-org/web' }
    const api = { id: 'app', name: 'ghcr.io/octo-org/api' }
    // Two callers named alike, each with an image "app", pin two different images: neither waits for
    // nor replaces the other's pending bump.
    expect(groupOf(bump, { file: 'web.yml', name: 'release', event: 'push', image: web })).not.toBe(
      groupOf(bump, { file: 'api.yml', name: 'release', event: 'push', image: api })
    )
    // Two callers that pin one image write one branch: one at a time.
    expect(groupOf(bump, { file: 'a.yml', event: 'push', image: web })).toBe(
      groupOf(bump, { file: 'b.yml', event: 'push', image: { id: 'web', name: web.name } })
    )
  })
})
