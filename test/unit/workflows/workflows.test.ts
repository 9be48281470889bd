import { describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import { workflowFiles } from '../../../scripts/workflow-files.js'
import { REPO_ROOT } from '../../support/repo-root.js'

/**
 * Properties of the reusable workflows and starter templates that a linter does not know about: each was
 * once broken (a hostile review), and each is checked on the files as committed.
 */

type Mapping = Record<string, unknown>
interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  with?: Record<string, string>
  env?: Record<string, string>
  run?: string
}
interface Job {
  name?: string
  if?: string
  uses?: string
  with?: Record<string, string>
  needs?: string | string[]
  concurrency?: { group?: string; 'cancel-in-progress'?: unknown }
  steps?: Step[]
}
interface Workflow {
  on?: Mapping
  concurrency?: { group?: string }
  jobs: Record<string, Job>
}

const files = workflowFiles(REPO_ROOT).map(f => ({ rel: f.rel, doc: parse(f.text) as Workflow }))
const doc = (rel: string): Workflow => files.find(f => f.rel === rel)!.doc
const SELF_GATE = /^octo-org\/secure-pipeline\/actions\/gate@/
const SELF_COMPOSITE = /^octo-org\/secure-pipeline@/
const UPLOAD = /^actions\/upload-artifact@[0-9a-f]{40}$/

describe('concurrency groups', () => {
  // In a reusable workflow github.workflow is the caller's `name:`, which two caller files may share;
  // github.workflow_ref (owner/repo/path@ref) is the caller's file. Behaviour: test/integration/workflows-concurrency.test.ts.
  it('every group names the caller workflow file (github.workflow_ref), never only its name; a bump names its target', () => {
    const groups = files.flatMap(({ rel, doc }) => [
      ...(doc.concurrency?.group ? [{ where: rel, group: doc.concurrency.group }] : []),
      ...Object.entries(doc.jobs).flatMap(([job, spec]) =>
        spec.concurrency?.group ? [{ where: `${rel} ${job}`, group: spec.concurrency.group }] : []
      )
    ])
    expect(groups.length).toBeGreaterThanOrEqual(10)
    expect(groups.filter(g => g.group.includes('github.workflow }}')).map(g => g.where)).toEqual([])
    expect(groups.filter(g => !g.group.includes('${{ github.workflow_ref }}')).map(g => g.where)).toEqual([
      '.github/workflows/pipeline.yml bump'
    ])
  })

  it('the k8s template cancels only pull request runs, and runs on every pull request (a required check)', () => {
    const k8s = doc('workflows-templates/secure-pipeline-k8s.yml')
    expect(k8s.jobs['k8s-policy']!.concurrency!['cancel-in-progress']).toBe(
      "${{ github.event_name == 'pull_request' }}"
    )
    expect(mapping(k8s.on!.pull_request).paths).toBeUndefined()
    expect(mapping(k8s.on!.pull_request)['paths-ignore']).toBeUndefined()
  })
})

const mapping = (value: unknown): Mapping =>
  typeof value === 'object' && value !== null ? (value as Mapping) : {}

describe('gate evidence for the metrics action (artifacts secure-pipeline-gate*)', () => {
  const gateJobs = files
    .filter(f => f.rel !== '.github/workflows/ci.yml')
    .flatMap(({ rel, doc }) =>
      Object.entries(doc.jobs)
        .filter(([, job]) =>
          (job.steps ?? []).some(s => SELF_GATE.test(s.uses ?? '') || SELF_COMPOSITE.test(s.uses ?? ''))
        )
        .map(([name, job]) => ({ where: `${rel} ${name}`, job }))
    )

  it('is uploaded by every job that runs a gate, under a name unique to the job and matrix leg', () => {
    expect(gateJobs.map(g => g.where)).toEqual(
      expect.arrayContaining([
        '.github/workflows/pipeline.yml checks',
        '.github/workflows/pipeline.yml image',
        '.github/workflows/pull-request.yml checks',
        '.github/workflows/pull-request.yml image',
        'workflows-templates/secure-pipeline-pr.yml secure-pipeline',
        'workflows-templates/secure-pipeline-k8s.yml k8s-policy'
      ])
    )
    const names: string[] = []
    for (const { where, job } of gateJobs) {
      const steps = job.steps!
      const composite = steps.find(s => SELF_COMPOSITE.test(s.uses ?? ''))
      const gateIndex = steps.findIndex(s => SELF_GATE.test(s.uses ?? ''))
      let name: string | undefined
      if (composite) name = composite.with?.['evidence-artifact']
      else {
        const outputDir = steps[gateIndex]!.with?.['output-dir'] ?? 'secure-pipeline/gate'
        const upload = steps.slice(gateIndex + 1).find(s => UPLOAD.test(s.uses ?? ''))
        expect([where, upload?.if]).toEqual([where, '${{ !cancelled() }}'])
        expect([where, upload?.with?.path?.split('\n')]).toEqual([where, expect.arrayContaining([outputDir])])
        name = upload?.with?.name
      }
      expect([where, name]).toEqual([where, expect.stringMatching(/^secure-pipeline-gate-/)])
      names.push(`${where.split(' ')[0]} ${name}`)
      if (Object.keys(mapping(mapping(job).strategy)).length > 0)
        expect([where, name]).toEqual([where, expect.stringContaining('${{ matrix.')])
    }
    expect(new Set(names).size).toBe(names.length)
  })
})

describe('org-required: the repository under check loosens nothing', () => {
  it('counts in-source suppressions (# nosemgrep) and reads the policy from the central repository', () => {
    const required = doc('.github/workflows/org-required.yml').jobs.required!
    expect(required.with!['in-source-suppressions']).toBe('report')
    expect(required.with!['policy-repository']).toBe('${{ inputs.policy-repository }}')
    const checks = doc('.github/workflows/pull-request.yml').jobs.checks!.steps!.find(s =>
      SELF_COMPOSITE.test(s.uses ?? '')
    )!
    expect(checks.with).toMatchObject({
      'in-source-suppressions': '${{ inputs.in-source-suppressions }}',
      'policy-repository': '${{ inputs.policy-repository }}',
      'policy-token': '${{ secrets.policy-token }}',
      token: '${{ github.token }}'
    })
  })
})

describe('pipeline.yml image push', () => {
  const push = doc('.github/workflows/pipeline.yml').jobs.image!.steps!.find(s => s.id === 'push')!

  it('gives the workflow token only to ghcr.io, and a registry password only from the secret', () => {
    const tokenUses = Object.entries(push.env!).filter(([, value]) => value.includes('github.token'))
    expect(tokenUses).toEqual([
      ['WORKFLOW_TOKEN', "${{ startsWith(matrix.image.name, 'ghcr.io/') && github.token || '' }}"]
    ])
    expect(push.env!.REGISTRY_PASSWORD).toBe('${{ secrets.registry-password }}')
    expect(push.env!.REGISTRY_USERNAME).toBe('${{ secrets.registry-username }}')
    expect(push.run).toMatch(/elif \[ "\$registry" = ghcr\.io \] && \[ -n "\$workflow_token" \]; then/)
  })

  it('bumps every image that was pushed, whatever happened to the others', () => {
    const bump = doc('.github/workflows/pipeline.yml').jobs.bump!
    expect(bump.if).toMatch(/^\$\{\{ !cancelled\(\) && needs\.checks\.result == 'success' && /)
    // A leg whose image was not pushed finds its slot of the image job's outputs empty: it warns and
    // pins nothing, without failing; the pin runs only on a record the read step accepted.
    const read = bump.steps!.find(s => s.id === 'pushed')!
    expect(read.if).toBeUndefined()
    expect(read.run).toMatch(/echo "::warning::no push record for image \$IMAGE_ID/)
    for (const step of bump.steps!.filter(s => s.id !== 'pushed'))
      expect(step.if).toBe("${{ steps.pushed.outputs.digest != '' }}")
  })
})

describe('the starter templates', () => {
  const templates = files.filter(f => f.rel.startsWith('workflows-templates/'))

  it('never build an image name from github.repository or repository_owner in an expression (upper case)', () => {
    for (const { rel } of templates) {
      const text = readFileSync(path.join(REPO_ROOT, rel), 'utf8')
      expect([rel, /"name": "[^"]*\$\{\{ github\.repository/.test(text)]).toEqual([rel, false])
    }
  })

  it('check Kubernetes manifests only where the template is offered for them (filePatterns) or once set', () => {
    for (const { rel, doc } of templates) {
      const props = JSON.parse(
        readFileSync(path.join(REPO_ROOT, rel.replace(/\.yml$/, '.properties.json')), 'utf8')
      ) as { filePatterns?: string[] }
      if (props.filePatterns?.some(p => /kustomization/.test(p))) continue
      const k8sPaths = Object.values(doc.jobs).flatMap(job => [
        job.with?.['k8s-paths'],
        ...(job.steps ?? []).map(s => s.with?.['k8s-paths'])
      ])
      expect([rel, k8sPaths.filter(p => p !== undefined && p !== '')]).toEqual([rel, []])
    }
  })
})
