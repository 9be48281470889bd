import { describe, expect, it } from '@jest/globals'
import {
  bumpFiles,
  defaultBumpOptions,
  digestOf,
  editedText,
  TARGET_NAMES
} from '../../../../test/support/bump.js'
import { checkPlan } from './change.js'
import { parseBumpTarget } from './target.js'

const D = digestOf('a')

describe('kustomize images entries', () => {
  const kustomization = [
    '# overlay for staging',
    'apiVersion: kustomize.config.k8s.io/v1beta1',
    'kind: Kustomization',
    'images:',
    '  - name: app   # the name the base uses',
    '    newName: ghcr.io/org/app',
    '    newTag: "1.2.0"  # set by CI',
    '  - name: other',
    '    newTag: 9.9.9',
    ''
  ].join('\n')

  it('sets newTag in its quotes, adds digest under the entry, and keeps newName, comments and the other entry', () => {
    const plan = bumpFiles(
      { 'overlays/staging/kustomization.yaml': kustomization },
      { image: 'ghcr.io/org/app', tag: '1.3.0', digest: D }
    )
    expect(editedText(plan, 'overlays/staging/kustomization.yaml')).toBe(
      [
        '# overlay for staging',
        'apiVersion: kustomize.config.k8s.io/v1beta1',
        'kind: Kustomization',
        'images:',
        '  - name: app   # the name the base uses',
        '    newName: ghcr.io/org/app',
        '    newTag: "1.3.0"  # set by CI',
        `    digest: ${D}`,
        '  - name: other',
        '    newTag: 9.9.9',
        ''
      ].join('\n')
    )
    expect(plan.strategies).toEqual(['kustomize'])
    expect(plan.edits[0]!.changes.map(c => [c.line, c.field, c.from, c.to])).toEqual([
      [7, 'images[0].newTag', '1.2.0', '1.3.0'],
      [8, 'images[0].digest', undefined, D]
    ])
  })

  it('matches an entry by name when it does not rename, and adds newTag to it', () => {
    const text = 'images:\n- name: ghcr.io/org/app\n'
    const plan = bumpFiles({ 'kustomization.yaml': text }, { image: 'ghcr.io/org/app', tag: '2.0.0' }, {})
    expect(editedText(plan, 'kustomization.yaml')).toBe('images:\n- name: ghcr.io/org/app\n  newTag: 2.0.0\n')
  })

  it('does not match an entry that renames the image to another one', () => {
    const text = 'images:\n- name: ghcr.io/org/app\n  newName: registry.example.com/mirror/app\n'
    expect(() =>
      bumpFiles({ 'kustomization.yaml': text }, { image: 'ghcr.io/org/app', tag: '2.0.0' })
    ).not.toThrow()
    expect(
      bumpFiles({ 'kustomization.yaml': text }, { image: 'ghcr.io/org/app', tag: '2.0.0' }).edits
    ).toEqual([])
  })

  it('quotes a tag that would read as a number, in a flow mapping too', () => {
    const text = 'images: [{name: ghcr.io/org/app, newTag: 1.9}]\n'
    const plan = bumpFiles(
      { 'kustomization.yml': text },
      { image: 'ghcr.io/org/app', tag: '1.10', digest: D }
    )
    expect(editedText(plan, 'kustomization.yml')).toBe(
      `images: [{name: ghcr.io/org/app, newTag: "1.10", digest: ${D}}]\n`
    )
  })

  it("adds lines with the file's CRLF and adds no final newline where there was none", () => {
    const text = 'images:\r\n  - name: ghcr.io/org/app\r\n    newTag: v1'
    const plan = bumpFiles({ Kustomization: text }, { image: 'ghcr.io/org/app', tag: 'v2', digest: D })
    expect(editedText(plan, 'Kustomization')).toBe(
      `images:\r\n  - name: ghcr.io/org/app\r\n    newTag: v2\r\n    digest: ${D}`
    )
  })

  it('refuses an entry pinned by digest when no new digest is given, rather than keep the old image', () => {
    const text = `images:\n- name: ghcr.io/org/app\n  newTag: v1\n  digest: ${digestOf('b')}\n`
    const plan = bumpFiles({ 'kustomization.yaml': text }, { image: 'ghcr.io/org/app', tag: 'v2' })
    expect(plan.edits).toEqual([])
    expect(plan.leftAlone).toEqual([
      expect.objectContaining({
        file: 'kustomization.yaml',
        line: 4,
        field: 'images[0].digest',
        reason: expect.stringMatching(/old digest would still run the old image/)
      })
    ])
  })

  it('leaves a Flux Kustomization (a cluster object) alone: it has no images entries of kustomize', () => {
    const text =
      'apiVersion: kustomize.toolkit.fluxcd.io/v1\nkind: Kustomization\nimages:\n- name: ghcr.io/org/app\n  newTag: v1\n'
    expect(
      bumpFiles(
        { 'kustomization.yaml': text },
        { image: 'ghcr.io/org/app', tag: 'v2' },
        { strategy: 'kustomize' }
      ).edits
    ).toEqual([])
  })

  it('with auto, sets kustomize entries and leaves the raw manifests below them to kustomize', () => {
    const files = {
      'base/deployment.yaml':
        'kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: app\n        image: ghcr.io/org/app:1.0.0\n',
      'overlays/prod/kustomization.yaml': 'images:\n- name: ghcr.io/org/app\n  newTag: 1.0.0\n'
    }
    const plan = bumpFiles(files, { image: 'ghcr.io/org/app', tag: '1.1.0' })
    expect(plan.edits.map(e => e.file)).toEqual(['overlays/prod/kustomization.yaml'])
    expect(plan.passedOver).toEqual({ raw: 1 })
    const forced = bumpFiles(files, { image: 'ghcr.io/org/app', tag: '1.1.0' }, { strategy: 'raw' })
    expect(editedText(forced, 'base/deployment.yaml')).toContain('image: ghcr.io/org/app:1.1.0\n')
  })

  it('a newer newTag written tag@digest is a downgrade to refuse, like a plain tag', () => {
    const target = { image: 'ghcr.io/octo-org/app', tag: '1.3.0', digest: D }
    for (const tag of [`1.4.0@${digestOf('b')}`, '1.4.0']) {
      const plan = bumpFiles(
        { 'kustomization.yaml': `images:\n- name: ghcr.io/octo-org/app\n  newTag: ${tag}\n` },
        target
      )
      expect(() =>
        checkPlan(plan, parseBumpTarget(target, TARGET_NAMES), defaultBumpOptions(target, '/nowhere'))
      ).toThrow(
        /^The manifests already hold a newer version than 1\.3\.0: kustomization\.yaml: 1\.4\.0 → 1\.3\.0\./
      )
      expect(() =>
        checkPlan(
          plan,
          parseBumpTarget(target, TARGET_NAMES),
          defaultBumpOptions(target, '/nowhere', { allowDowngrade: true })
        )
      ).not.toThrow()
    }
  })
})

describe('Argo CD Application kustomize images', () => {
  const application = [
    'apiVersion: argoproj.io/v1alpha1',
    'kind: Application',
    'spec:',
    '  sources:',
    '  - repoURL: https://example.com/repo.git',
    '    kustomize:',
    '      images:',
    '      - ghcr.io/org/app-worker:1.0',
    '      - app=ghcr.io/org/app:1.0 # renamed',
    "      - 'ghcr.io/org/app:1.0'",
    ''
  ].join('\n')

  it('sets the images that name the target, keeping a rename and quotes, and leaves a longer name alone', () => {
    const plan = bumpFiles({ 'app.yaml': application }, { image: 'ghcr.io/org/app', tag: '1.2', digest: D })
    expect(editedText(plan, 'app.yaml')).toBe(
      application
        .replace('app=ghcr.io/org/app:1.0', `app=ghcr.io/org/app:1.2@${D}`)
        .replace("'ghcr.io/org/app:1.0'", `'ghcr.io/org/app:1.2@${D}'`)
    )
    expect(plan.edits[0]!.changes.map(c => c.field)).toEqual([
      'spec.sources[0].kustomize.images[1]',
      'spec.sources[0].kustomize.images[2]'
    ])
  })

  it('leaves an image pinned by digest alone when only a tag is given', () => {
    const pinned = application.replace("'ghcr.io/org/app:1.0'", `ghcr.io/org/app:1.0@${digestOf('b')}`)
    const plan = bumpFiles({ 'app.yaml': pinned }, { image: 'ghcr.io/org/app', tag: '1.2' })
    expect(plan.leftAlone.map(l => l.field)).toEqual(['spec.sources[0].kustomize.images[2]'])
  })
})
