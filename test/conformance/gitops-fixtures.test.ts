import { afterAll, expect, it, jest } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { buildChange, checkPlan, type Change } from '../../packages/core/src/manifests/change.js'
import type { BumpRequest } from '../../packages/core/src/manifests/plan.js'
import { localManifests } from '../../packages/core/src/manifests/sources.js'
import { parseBumpTarget, type BumpTargetInput } from '../../packages/core/src/manifests/target.js'
import { childEnv, runProcess } from '../../packages/core/src/runtime/process.js'
import { TARGET_NAMES } from '../support/bump.js'
import { describeWithSharedFixtures, sharedFixture } from '../support/shared-fixtures.js'
import { toolPath } from '../support/tools-path.js'

/*
 * The bump engine over real GitOps repositories (../shared/fixtures/gitops, read in place): each diff is
 * exactly the lines written out below, read off the fixture by hand; the Flux setter pair must give the
 * upstream test's expected files byte for byte; and every kustomization an edit reaches is built by the
 * real kustomize before and after, which must render the new image.
 */

jest.setTimeout(120_000)

const DIGEST = 'sha256:6745aaad46d795c9836632e1fb62f24b7e7f4c843144da8e47a5465c411a14be'
const PATHS = ['**/*.yaml', '**/*.yml', '**/Kustomization']
const OPTIONS = {
  allowDowngrade: false,
  paths: PATHS,
  inputNames: { paths: 'paths', allowDowngrade: 'allow-downgrade' }
} as Parameters<typeof checkPlan>[2]

const scratch = mkdtempSync(path.join(tmpdir(), 'gitops-conformance-'))
afterAll(() => rmSync(scratch, { recursive: true, force: true }))

/** The engine the action runs on a checkout, on a fixture folder read in place. */
function bump(
  root: string,
  target: BumpTargetInput,
  request: Partial<Omit<BumpRequest, 'target'>> = {}
): Change {
  const full: BumpRequest = {
    strategy: 'auto',
    fluxPolicies: [],
    ...request,
    target: parseBumpTarget(target, TARGET_NAMES)
  }
  const change = buildChange(() => localManifests(root, PATHS, 'paths'), full)
  checkPlan(change.plan, full.target, OPTIONS)
  return change
}

/** The removed and added lines of a unified diff, per file: what a reviewer sees change. */
function changedLines(diff: string): Record<string, string[]> {
  const files: Record<string, string[]> = {}
  let current: string[] = []
  for (const line of diff.split('\n')) {
    if (line.startsWith('+++ b/')) files[line.slice(6)] = current = []
    else if (line.startsWith('--- a/') || line.startsWith('@@')) continue
    else if (line.startsWith('-') || line.startsWith('+')) current.push(line)
  }
  return files
}

/** A copy of the fixture folder (outside the repository) with the change's files written over it. */
function materialise(root: string, changes: readonly Change[], name: string): string {
  const copy = path.join(scratch, name)
  cpSync(root, copy, { recursive: true })
  for (const change of changes)
    for (const edit of change.plan.edits) writeFileSync(path.join(copy, edit.file), edit.after)
  return copy
}

async function kustomizeBuild(dir: string): Promise<{ ok: boolean; output: string }> {
  const outcome = await runProcess(toolPath('kustomize'), ['build', dir], {
    cwd: scratch,
    deadlineMs: 60_000,
    env: childEnv()
  })
  return { ok: outcome.exitCode === 0, output: outcome.exitCode === 0 ? outcome.stdout : outcome.stderr }
}

/** A kustomization that uses a Component (which cannot be built alone) on a Deployment running `image`. */
function wrapComponent(dir: string, component: string, image: string): string {
  const wrapper = path.join(dir, '.conformance-wrapper')
  mkdirSync(wrapper)
  writeFileSync(
    path.join(wrapper, 'deployment.yaml'),
    `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: probe\nspec:\n  selector:\n    matchLabels: {app: probe}\n  template:\n    metadata:\n      labels: {app: probe}\n    spec:\n      containers:\n      - name: probe\n        image: ${image}\n`
  )
  writeFileSync(
    path.join(wrapper, 'kustomization.yaml'),
    `apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n- deployment.yaml\ncomponents:\n- ${path.relative(wrapper, path.join(dir, component))}\n`
  )
  return wrapper
}

describeWithSharedFixtures('bump-manifest-pr on real GitOps repositories', () => {
  const fixtures = sharedFixture('gitops')

  it('microservices-demo: a kustomize Component entry gets the new tag and a digest line, nothing else moves, and kustomize renders tag@digest', async () => {
    const root = path.join(fixtures, 'microservices-demo')
    const image = 'us-central1-docker.pkg.dev/online-boutique-ci/microservices-demo/frontend'
    const change = bump(root, { image, tag: 'v0.10.4', digest: DIGEST })
    expect(changedLines(change.diff)).toEqual({
      'kustomize/components/container-images-tag/kustomization.yaml': [
        '-  newTag: CONTAINER_IMAGES_TAG',
        '+  newTag: v0.10.4',
        `+  digest: ${DIGEST}`
      ]
    })
    // The rename-only entry of the same image in the registry component keeps its one field.
    expect(change.plan.edits.map(e => e.file)).toEqual([
      'kustomize/components/container-images-tag/kustomization.yaml'
    ])

    const before = await kustomizeBuild(
      wrapComponent(
        materialise(root, [], 'md-before'),
        'kustomize/components/container-images-tag',
        `${image}:v0.1.0`
      )
    )
    const after = await kustomizeBuild(
      wrapComponent(
        materialise(root, [change], 'md-after'),
        'kustomize/components/container-images-tag',
        `${image}:v0.1.0`
      )
    )
    expect(before).toMatchObject({ ok: true })
    expect(before.output).toContain(`image: ${image}:CONTAINER_IMAGES_TAG\n`)
    expect(after).toMatchObject({ ok: true })
    expect(after.output).toContain(`image: ${image}:v0.10.4@${DIGEST}\n`)
  })

  it('microservices-demo: a raw Deployment image without a tag becomes name:tag@digest on that one line', () => {
    const change = bump(path.join(fixtures, 'microservices-demo'), {
      image: 'adservice',
      tag: 'v0.10.4',
      digest: DIGEST
    })
    expect(changedLines(change.diff)).toEqual({
      'kubernetes-manifests/adservice.yaml': [
        '-        image: adservice',
        `+        image: adservice:v0.10.4@${DIGEST}`
      ]
    })
    expect(change.plan.edits[0]!.changes.map(c => [c.line, c.strategy, c.field])).toEqual([
      [46, 'raw', 'spec.template.spec.containers[0].image']
    ])
  })

  it('flux2-kustomize-helm-example: the repository+tag pair inside a HelmRelease values block, and both kustomizations that include it still build', async () => {
    const root = path.join(fixtures, 'flux2-kustomize-helm-example')
    const change = bump(root, { image: 'public.ecr.aws/docker/library/redis', tag: '8.6.3' })
    expect(changedLines(change.diff)).toEqual({
      'apps/base/podinfo/release.yaml': ['-      tag: 8.6.2', '+      tag: 8.6.3']
    })
    expect(change.plan.edits[0]!.changes.map(c => [c.strategy, c.field])).toEqual([
      ['helm', 'spec.values.redis.tag']
    ])

    const edited = materialise(root, [change], 'flux2-after')
    for (const kustomization of ['apps/base/podinfo', 'apps/staging']) {
      expect(await kustomizeBuild(path.join(root, kustomization))).toMatchObject({ ok: true })
      const after = await kustomizeBuild(path.join(edited, kustomization))
      expect(after).toMatchObject({ ok: true })
      expect(after.output).toContain(
        '      repository: public.ecr.aws/docker/library/redis\n      tag: 8.6.3\n'
      )
    }
  })

  it('Flux setters: the upstream policies, applied one run per image, give expected/ byte for byte and leave the other files alone', async () => {
    const setters = path.join(fixtures, 'flux-image-automation-setters')
    const expectedMd = readFileSync(path.join(setters, 'EXPECTED.md'), 'utf8')
    // The policy table the upstream test states, read from EXPECTED.md so the two cannot drift apart.
    const policies = [...expectedMd.matchAll(/^\| (automation-ns:[\w-]+) +\| (\S+) +\|$/gm)].map(
      m => [m[1]!, m[2]!] as const
    )
    expect(policies.map(([policy]) => policy)).toEqual([
      'automation-ns:policy',
      'automation-ns:unchanged',
      'automation-ns:policy-with-digest'
    ])

    const first = bump(
      path.join(setters, 'original'),
      { image: 'index.repo.fake/updated', tag: 'v1.0.1' },
      {
        strategy: 'flux-setter',
        fluxPolicies: ['automation-ns:policy']
      }
    )
    const onceEdited = materialise(path.join(setters, 'original'), [first], 'setters-1')
    const second = bump(
      onceEdited,
      { image: 'image', tag: 'v1.0.0', digest: DIGEST },
      {
        strategy: 'flux-setter',
        fluxPolicies: ['automation-ns:policy-with-digest']
      }
    )
    // automation-ns:unchanged names image:v1.0.0, which marked.yaml already holds: nothing to write.
    const third = bump(
      materialise(onceEdited, [second], 'setters-2'),
      { image: 'image', tag: 'v1.0.0' },
      {
        strategy: 'flux-setter',
        fluxPolicies: ['automation-ns:unchanged']
      }
    )
    expect(third.plan.edits).toEqual([])
    expect(third.plan.current.map(c => [c.file, c.line])).toEqual([['marked.yaml', 16]])

    const final = new Map<string, Buffer>()
    for (const change of [first, second])
      for (const edit of change.plan.edits) final.set(edit.file, Buffer.from(edit.after))
    expect([...final.keys()].sort()).toEqual(['Kustomization', 'kustomization.yml', 'marked.yaml'])
    for (const [file, bytes] of final)
      expect(bytes.toString('utf8')).toBe(readFileSync(path.join(setters, 'expected', file), 'utf8'))
    expect(Buffer.concat([...final.values()])).toEqual(
      Buffer.concat([...final.keys()].map(file => readFileSync(path.join(setters, 'expected', file))))
    )

    // EXPECTED.md's change list, line for line, against what the two runs changed.
    const stated: string[] = []
    let file = ''
    for (const line of expectedMd.slice(expectedMd.indexOf('Changes the test expects')).split('\n')) {
      const heading = /^- (\S+) \(/.exec(line)
      const change = /^ {2}- (\S+) -> (\S+) {2}\(/.exec(line)
      if (heading) file = heading[1]!
      else if (change) stated.push(`${file}: ${change[1]} -> ${change[2]}`)
    }
    expect(stated).toHaveLength(7)
    const made = [first, second].flatMap(c =>
      c.plan.edits.flatMap(e => e.changes.map(v => `${e.file}: ${v.from} -> ${v.to}`))
    )
    expect(made.sort()).toEqual(stated.sort())

    // The setter fixtures name resources that are not there ("not intended to be a working kustomization").
    expect(await kustomizeBuild(path.join(setters, 'original'))).toMatchObject({ ok: false })
  })
})
