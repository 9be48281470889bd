import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { discoverManifests, parsePatterns, type Discovery } from './discover.js'
import { isRemoteReference } from './kustomization.js'
import { itemBudget } from '../runtime/yaml-structure.js'

const POD =
  'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  hostPID: true\n  containers: [{name: c, image: x:1}]\n'
const DEPLOYMENT = 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: api}\nspec: {}\n'

let root: string
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'k8s-discover-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

function discover(
  files: Record<string, string>,
  over: Partial<Parameters<typeof discoverManifests>[0]> = {}
) {
  writeFiles(root, files)
  return discoverManifests({
    root,
    paths: ['**/*.yaml', '**/*.yml'],
    kustomize: true,
    allowRemoteResources: false,
    inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' },
    ...over
  })
}
const uncheckedOf = (d: Discovery) => Object.fromEntries(d.unchecked.map(u => [u.file, u.reason]))
const targetsOf = (d: Discovery) => d.renders.map(t => t.dir)

describe('a Helm chart', () => {
  it('hides only what Helm renders (templates/, charts/), not a manifest beside its Chart.yaml', () => {
    const found = discover({
      'deploy/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'deploy/pod.yaml': POD,
      'deploy/values.yaml': 'replicas: 1\n',
      'deploy/crds/crd.yaml': 'apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n',
      'deploy/templates/deployment.yaml': 'apiVersion: apps/v1\nkind: Deployment\n{{ .Values.x }}\n',
      'deploy/charts/sub/Chart.yaml': 'apiVersion: v2\nname: sub\nversion: 1.0.0\n',
      'deploy/charts/sub/templates/pod.yaml': POD,
      'other/templates/pod.yaml': POD
    })
    expect(found.rawFiles).toEqual([
      'deploy/Chart.yaml',
      'deploy/crds/crd.yaml',
      'deploy/pod.yaml',
      'deploy/values.yaml',
      'other/templates/pod.yaml'
    ])
    expect(uncheckedOf(found)).toEqual({
      'deploy/charts/sub/Chart.yaml': 'Helm template of chart deploy; charts are not rendered',
      'deploy/charts/sub/templates/pod.yaml':
        'Helm template of chart deploy/charts/sub; charts are not rendered',
      'deploy/templates/deployment.yaml': 'Helm template of chart deploy; charts are not rendered'
    })
  })

  it('takes a directory for a chart only when Helm loads its Chart.yaml: otherwise templates/ is checked', () => {
    // Helm refuses each of these charts and renders nothing, while kubectl apply -R applies templates/.
    const found = discover({
      'empty/Chart.yaml': '',
      'empty/templates/pod.yaml': POD,
      'noversion/Chart.yaml': 'apiVersion: v2\nname: c\n',
      'noversion/templates/pod.yaml': POD,
      'badversion/Chart.yaml': 'apiVersion: v2\nname: c\nversion: latest\n',
      'badversion/templates/pod.yaml': POD,
      'badtype/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\ntype: other\n',
      'badtype/templates/pod.yaml': POD,
      'yml/Chart.yml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'yml/templates/pod.yaml': POD,
      'lower/chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0.0\n',
      'lower/templates/pod.yaml': POD,
      // Go's encoding/json reads NAME and Version as the fields, and sigs.k8s.io/yaml the number 1.0
      // as the text "1": Helm loads these.
      'upper/Chart.yaml': 'apiVersion: v2\nNAME: c\nVersion: v1.2\n',
      'upper/templates/pod.yaml': POD,
      'number/Chart.yaml': 'apiVersion: v2\nname: c\nversion: 1.0\n',
      'number/templates/pod.yaml': POD
    })
    expect(found.rawFiles).toEqual(
      expect.arrayContaining([
        'badtype/templates/pod.yaml',
        'badversion/templates/pod.yaml',
        'empty/templates/pod.yaml',
        'lower/templates/pod.yaml',
        'noversion/templates/pod.yaml',
        'yml/templates/pod.yaml'
      ])
    )
    expect(uncheckedOf(found)).toEqual({
      'number/templates/pod.yaml': 'Helm template of chart number; charts are not rendered',
      'upper/templates/pod.yaml': 'Helm template of chart upper; charts are not rendered'
    })
  })

  it('is no chart when Helm refuses the rest of its Chart.yaml: a mistyped field, a null maintainer, a bad alias', () => {
    // Helm's json.Unmarshal, Maintainer.Validate and Dependency.Validate refuse each; kubectl apply -R
    // still applies templates/, so listing it as a Helm template would let it through unchecked.
    const base = 'apiVersion: v2\nname: c\nversion: 1.0.0\n'
    const found = discover({
      'desc/Chart.yaml': `${base}description: [x]\n`,
      'desc/templates/pod.yaml': POD,
      'maint/Chart.yaml': `${base}maintainers: [null]\n`,
      'maint/templates/pod.yaml': POD,
      'alias/Chart.yaml': `${base}dependencies: [{name: a, alias: 'b c'}]\n`,
      'alias/templates/pod.yaml': POD,
      'twice/Chart.yaml': `${base}dependencies: [{name: a}, {name: a}]\n`,
      'twice/templates/pod.yaml': POD,
      'deprecated/Chart.yaml': `${base}deprecated: maybe\n`,
      'deprecated/templates/pod.yaml': POD,
      'full/Chart.yaml':
        `${base}description: d\nkeywords: [a, 1]\ndeprecated: false\nannotations: {category: CMS}\n` +
        'maintainers: [{name: m, url: https://x}]\n' +
        'dependencies: [{name: common, version: 2.x.x, tags: [t]}, {name: common, alias: common2}]\n',
      'full/templates/pod.yaml': POD
    })
    expect(found.rawFiles).toEqual(
      expect.arrayContaining([
        'alias/templates/pod.yaml',
        'deprecated/templates/pod.yaml',
        'desc/templates/pod.yaml',
        'maint/templates/pod.yaml',
        'twice/templates/pod.yaml'
      ])
    )
    expect(uncheckedOf(found)).toEqual({
      'full/templates/pod.yaml': 'Helm template of chart full; charts are not rendered'
    })
  })
})

describe('kustomize Components and kustomizations', () => {
  it('an unreferenced Component hides nothing but itself', () => {
    const found = discover({
      'deploy/kustomization.yaml':
        'apiVersion: kustomize.config.k8s.io/v1alpha1\nkind: Component\nresources: [listed.yaml]\n',
      'deploy/pod.yaml': POD,
      'deploy/listed.yaml': POD
    })
    expect(found.rawFiles).toEqual(['deploy/listed.yaml', 'deploy/pod.yaml'])
    expect(found.renders).toEqual([])
    expect(uncheckedOf(found)).toEqual({
      'deploy/kustomization.yaml':
        'kustomize Component that no kustomization under paths uses; it is checked only through one that does'
    })
  })

  it('a kustomization named Kustomization is rendered where paths reach its directory', () => {
    const found = discover(
      {
        // No file of these directories matches **/*.yaml: kustomize (and a GitOps controller) still renders them.
        'json/Kustomization': 'resources: [pod.json]\n',
        'json/pod.json': JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' } }),
        'remote/Kustomization': 'resources: [https://example.com/pod.yaml]\n',
        'excluded/Kustomization': 'resources: [pod.json]\n'
      },
      { paths: ['**/*.yaml', '!excluded/**'] }
    )
    expect(targetsOf(found)).toEqual(['json', 'remote'])
    expect(found.problems.map(p => p.file)).toEqual(['remote/Kustomization'])
  })

  it('a used Component is rendered through the kustomization that includes it', () => {
    const found = discover({
      'app/kustomization.yaml': 'resources: [deployment.yaml]\ncomponents: [../debug]\n',
      'app/deployment.yaml': DEPLOYMENT,
      'debug/kustomization.yaml': 'kind: Component\npatches: [{path: patch.yaml}]\n',
      'debug/patch.yaml': DEPLOYMENT
    })
    expect(targetsOf(found)).toEqual(['app'])
    expect(found.rawFiles).toEqual([])
    expect(found.unchecked).toEqual([])
    expect(found.kustomizeSources).toEqual([
      'app/deployment.yaml',
      'app/kustomization.yaml',
      'debug/kustomization.yaml',
      'debug/patch.yaml'
    ])
  })

  it('a kustomization covers only what it reads: a manifest it does not list is checked as it is', () => {
    const found = discover({
      'deploy/kustomization.yaml': 'resources: []\n',
      'deploy/pod.yaml': POD,
      'deploy/sub/pod.yaml': POD
    })
    expect(targetsOf(found)).toEqual(['deploy'])
    expect(found.rawFiles).toEqual(['deploy/pod.yaml', 'deploy/sub/pod.yaml'])
  })

  it('a file it reads only as configuration is checked as it is; a generator input is consumed by the render', () => {
    const files = {
      'k/kustomization.yaml':
        'resources: [deployment.yaml]\ncrds: [pod.yaml]\nconfigMapGenerator: [{name: app, files: [app.properties]}]\n',
      'k/deployment.yaml': DEPLOYMENT,
      'k/pod.yaml': POD,
      'k/app.properties': 'a=1\n'
    }
    const found = discover(files, { paths: ['k/**'] })
    expect(found.rawFiles).toEqual(['k/pod.yaml'])
    expect(found.unchecked).toEqual([])
    const off = discoverManifests({
      root,
      paths: ['k/**'],
      kustomize: false,
      allowRemoteResources: false,
      inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' }
    })
    expect(off.rawFiles).toEqual(['k/pod.yaml'])
    expect(off.unchecked.map(u => u.file)).toEqual([
      'k/app.properties',
      'k/deployment.yaml',
      'k/kustomization.yaml'
    ])
  })

  it('renders an overlay once, through it its base, and both sides of a cycle', () => {
    const overlay = discover({
      'k/base/kustomization.yaml': 'resources: [deployment.yaml]\n',
      'k/base/deployment.yaml': DEPLOYMENT,
      'k/prod/kustomization.yaml': 'resources: [../base]\npatches: [{path: patch.yaml}]\n',
      'k/prod/patch.yaml': DEPLOYMENT,
      'c/a/kustomization.yaml': 'resources: [../b]\n',
      'c/b/kustomization.yaml': 'resources: [../a]\n'
    })
    expect(targetsOf(overlay)).toEqual(['c/a', 'c/b', 'k/prod'])
    expect(overlay.rawFiles).toEqual([])
  })

  it("lists what a kustomization reads as not checked when 'kustomize' is false", () => {
    const found = discover(
      {
        'k/kustomization.yaml': 'resources: [deployment.yaml]\n',
        'k/deployment.yaml': DEPLOYMENT,
        'k/unlisted.yaml': POD
      },
      { kustomize: false }
    )
    expect(found.renders).toEqual([])
    expect(found.rawFiles).toEqual(['k/unlisted.yaml'])
    const reason = "read by kustomization k, which is not rendered because 'kustomize' is false"
    expect(uncheckedOf(found)).toEqual({ 'k/deployment.yaml': reason, 'k/kustomization.yaml': reason })
  })
})

describe('remote kustomize resources', () => {
  const files = {
    'k/base/kustomization.yaml':
      'resources:\n  - deployment.yaml\n  - https://github.com/acme/infra//base?ref=v1\n',
    'k/base/deployment.yaml': DEPLOYMENT,
    'k/prod/kustomization.yaml': 'resources: [../base]\n'
  }

  it('are refused, naming the kustomization rendered, the one holding the URL, and the URL', () => {
    const found = discover(files)
    expect(found.problems).toEqual([
      {
        level: 'error',
        file: 'k/prod/kustomization.yaml',
        message:
          "k/prod/kustomization.yaml: remote resource 'https://github.com/acme/infra//base?ref=v1' (in k/base/kustomization.yaml) is refused: kustomize would fetch it from the network, and a pull request can point it anywhere. Vendor it into the repository, or set 'allow-remote-resources: true' to let kustomize fetch it."
      }
    ])
    expect(found.renders[0]?.refused).toBe(found.problems[0]?.message)
  })

  it('are fetched by kustomize when allowed, with a note', () => {
    const found = discover(files, { allowRemoteResources: true })
    expect(found.problems).toEqual([])
    expect(found.renders.map(t => [t.dir, t.refused])).toEqual([['k/prod', undefined]])
    expect(found.notes.map(n => n.message)).toEqual([
      'k/prod/kustomization.yaml fetches remote resource https://github.com/acme/infra//base?ref=v1 (in k/base/kustomization.yaml) at render time'
    ])
  })

  it('are recognised in every form kustomize fetches, and a local path is not one', () => {
    for (const entry of [
      'https://example.com/pod.yaml',
      'git::https://github.com/acme/x',
      'ssh://git@github.com/acme/x',
      'git@github.com:acme/x.git',
      'github.com/acme/x/base?ref=v1',
      'file:///etc/kubernetes'
    ])
      expect(isRemoteReference(entry, undefined)).toBe(true)
    // A directory of that name does not keep a repository spec local; a file does (kustomize reads it first).
    expect(isRemoteReference('github.com/acme/x', 'other')).toBe(true)
    expect(isRemoteReference('github.com/acme/x/pod.yaml', 'file')).toBe(false)
    expect(isRemoteReference('https://example.com/pod.yaml', 'file')).toBe(true)
    expect(isRemoteReference('gitlab.example/acme/x', 'other')).toBe(false)
    expect(isRemoteReference('../base', undefined)).toBe(false)
    expect(isRemoteReference('pod.yaml', undefined)).toBe(false)
  })

  it('are refused in every place kustomize fetches from, even where a local directory has the name', () => {
    const pod =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: c, image: x:1}]}\n'
    const found = discover({
      // kustomize parses github.com/org/repo as a git repository before it looks for the directory.
      'shadow/kustomization.yaml': 'resources: [GitHub.com/acme/x]\n',
      'shadow/GitHub.com/acme/x/kustomization.yaml': 'resources: [pod.yaml]\n',
      'shadow/GitHub.com/acme/x/pod.yaml': pod,
      // Any user@host:path is an scp-like git URL to kustomize, dotted host or not.
      'scp/kustomization.yaml': 'resources: [deploy@build-host:infra/base]\n',
      // Patches and generator inputs are read with the loader that fetches http(s) URLs.
      'patch/kustomization.yaml':
        'resources: [pod.yaml]\npatches: [{path: "http://169.254.169.254/latest/meta-data/"}]\n',
      'patch/pod.yaml': pod,
      'generated/kustomization.yaml':
        'configMapGenerator: [{name: c, files: ["key=https://internal.example/creds"]}]\n'
    })
    const refused = Object.fromEntries(found.renders.map(t => [t.dir, t.refused ?? '']))
    expect(refused).toEqual({
      shadow: expect.stringContaining("remote resource 'GitHub.com/acme/x' is refused"),
      // The local directory is not what shadow renders: it is rendered on its own.
      'shadow/GitHub.com/acme/x': '',
      scp: expect.stringContaining("remote resource 'deploy@build-host:infra/base' is refused"),
      patch: expect.stringContaining("remote resource 'http://169.254.169.254/latest/meta-data/' is refused"),
      generated: expect.stringContaining("remote resource 'https://internal.example/creds' is refused")
    })
  })

  it('are found however kustomize would read the file: any key case, merge keys; a file read otherwise is refused', () => {
    const found = discover({
      'upper/kustomization.yaml': 'Resources: [https://example.com/a.yaml]\n',
      'folded/kustomization.yaml': 're\u017fources: [https://example.com/b.yaml]\n',
      'merged/kustomization.yaml': 'x: &x {resources: [https://example.com/c.yaml]}\n<<: *x\n',
      'twice/kustomization.yaml': 'resources: [pod.yaml]\nRESOURCES: []\n',
      'dup/kustomization.yaml': 'resources: [pod.yaml]\nresources: [https://example.com/d.yaml]\n',
      'broken/kustomization.yaml': 'resources: [\n'
    })
    const why = Object.fromEntries(found.problems.map(p => [p.file, p.message.replace(/^[^:]*: /, '')]))
    expect(why['upper/kustomization.yaml']).toMatch(
      /^remote resource 'https:\/\/example\.com\/a\.yaml' is refused/
    )
    expect(why['folded/kustomization.yaml']).toMatch(
      /^remote resource 'https:\/\/example\.com\/b\.yaml' is refused/
    )
    expect(why['merged/kustomization.yaml']).toMatch(
      /^remote resource 'https:\/\/example\.com\/c\.yaml' is refused/
    )
    expect(why['twice/kustomization.yaml']).toMatch(
      /^'twice\/kustomization\.yaml' has keys that differ only in case \(RESOURCES\), which kustomize reads as one/
    )
    expect(why['dup/kustomization.yaml']).toMatch(
      /^'dup\/kustomization\.yaml' could not be parsed \(.*[Uu]nique/
    )
    expect(why['broken/kustomization.yaml']).toMatch(/^'broken\/kustomization\.yaml' could not be parsed/)
    expect(found.renders.filter(t => !t.refused)).toEqual([])
  })

  it('reads scalars as kustomize does: a date-like entry is a path followed, a !!binary one is refused', () => {
    const found = discover(
      {
        'dated/kustomization.yaml': 'resources:\n- 2024-01-01\n',
        'dated/2024-01-01/kustomization.yaml': 'resources: [https://example.com/a.yaml]\n',
        'binary/kustomization.yaml': 'resources:\n- !!binary aHR0cHM6Ly9leGFtcGxlLmNvbS9iLnlhbWw=\n'
      },
      { paths: ['dated/kustomization.yaml', 'binary/kustomization.yaml'] }
    )
    const why = Object.fromEntries(found.problems.map(p => [p.file, p.message.replace(/^[^:]*: /, '')]))
    expect(why['dated/kustomization.yaml']).toMatch(
      /^remote resource 'https:\/\/example\.com\/a\.yaml' \(in dated\/2024-01-01\/kustomization\.yaml\) is refused/
    )
    expect(why['binary/kustomization.yaml']).toMatch(
      /^'binary\/kustomization\.yaml' could not be parsed \(a !!binary scalar at line 2/
    )
    expect(found.renders.filter(t => !t.refused)).toEqual([])
  })

  it('are found in a UTF-16 kustomization, which kustomize decodes by its byte order mark', () => {
    writeFileSync(
      path.join(root, 'kustomization.yaml'),
      Buffer.concat([
        Buffer.from([0xff, 0xfe]),
        Buffer.from('resources:\n- https://example.com/wide.yaml\n', 'utf16le')
      ])
    )
    const found = discover({})
    expect(found.problems.map(p => p.message)).toEqual([
      expect.stringMatching(
        /^kustomization\.yaml: remote resource 'https:\/\/example\.com\/wide\.yaml' is refused/
      )
    ])
  })

  it('is refused unparsed when its structure would cost the parser more than any kustomization', () => {
    const found = discover({
      'deep/kustomization.yaml': `resources: ${'['.repeat(101)}${']'.repeat(101)}\n`,
      'wide/kustomization.yaml': `resources: [${'pod.yaml,'.repeat(100_000)}]\n`,
      'ok/kustomization.yaml': 'resources: [pod.yaml]\n',
      'ok/pod.yaml': POD
    })
    const why = Object.fromEntries(found.problems.map(p => [p.file, p.message.replace(/^[^:]*: /, '')]))
    expect(why).toEqual({
      'deep/kustomization.yaml': expect.stringMatching(
        /^'deep\/kustomization\.yaml' was not parsed: it nests over 100 collections deep:/
      ),
      // By hand: 100,000 commas, the `[`, the `: ` and the line break.
      'wide/kustomization.yaml': expect.stringMatching(
        /^'wide\/kustomization\.yaml' was not parsed: it has about 100003 YAML nodes, over the limit of 100000:/
      )
    })
    expect(found.renders.map(t => [t.dir, t.refused === undefined])).toEqual([
      ['deep', false],
      ['ok', true],
      ['wide', false]
    ])
  })

  it('takes its nodes from the run’s budget, and is refused once the budget is spent', () => {
    writeFiles(root, {
      'a/kustomization.yaml': 'resources: [pod.yaml]\n',
      'a/pod.yaml': POD,
      'b/kustomization.yaml': 'resources: [pod.yaml]\n',
      'b/pod.yaml': POD
    })
    // By hand: each kustomization is 3 nodes (the `: `, the `[`, the line break).
    const budget = itemBudget(5)
    const found = discoverManifests(
      {
        root,
        paths: ['**/*.yaml'],
        kustomize: true,
        allowRemoteResources: false,
        inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' }
      },
      budget
    )
    expect(budget.left).toBe(2)
    expect(found.renders.map(t => [t.dir, t.refused ?? 'rendered'])).toEqual([
      ['a', 'rendered'],
      [
        'b',
        expect.stringMatching(
          /^b\/kustomization\.yaml: 'b\/kustomization\.yaml' was not parsed: it would take this run over 5 YAML nodes with the files read before it:/
        )
      ]
    ])
  })

  it('a reference out of the workspace or through a link is refused too', () => {
    symlinkSync('/etc', path.join(root, 'etc-link'))
    const found = discover({
      'a/kustomization.yaml': 'resources: [../../outside]\n',
      'b/kustomization.yaml': 'resources: [../etc-link]\n'
    })
    expect(found.problems.map(p => p.message)).toEqual([
      "a/kustomization.yaml: '../../outside' is outside the workspace: kustomize would read it, but k8s-policy cannot check what it renders from it. Keep kustomize inputs as plain files in the repository.",
      "b/kustomization.yaml: '../etc-link' is a symbolic link: kustomize would read it, but k8s-policy cannot check what it renders from it. Keep kustomize inputs as plain files in the repository."
    ])
  })
  it('a file reached through a linked directory is refused: kustomize would read it there, and so would the line lookup', () => {
    const outside = mkdtempSync(path.join(tmpdir(), 'k8s-outside-'))
    try {
      writeFileSync(path.join(outside, 'pod.yaml'), POD)
      writeFiles(root, { 'app/kustomization.yaml': 'resources: [linked/pod.yaml]\n' })
      symlinkSync(outside, path.join(root, 'app', 'linked'))
      const found = discover({})
      expect(found.kustomizeSources).toEqual(['app/kustomization.yaml'])
      expect(found.problems.map(p => p.message)).toEqual([
        "app/kustomization.yaml: 'linked/pod.yaml' is reached through a symbolic link: kustomize would read it, but k8s-policy cannot check what it renders from it. Keep kustomize inputs as plain files in the repository."
      ])
    } finally {
      rmSync(outside, { recursive: true, force: true })
    }
  })
})

describe('every matching file that is not checked is listed', () => {
  it('links (to a file or a directory) and files that are not YAML', () => {
    writeFiles(root, { 'real/pod.yaml': POD, 'deploy/notes.txt': 'x\n' })
    symlinkSync(path.join(root, 'real', 'pod.yaml'), path.join(root, 'deploy-pod.yaml'))
    symlinkSync(path.join(root, 'real'), path.join(root, 'deploy', 'linked'))
    const found = discoverManifests({
      root,
      paths: ['deploy/**', '*.yaml'],
      kustomize: true,
      allowRemoteResources: false,
      inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' }
    })
    expect(found.rawFiles).toEqual([])
    expect(uncheckedOf(found)).toEqual({
      'deploy-pod.yaml': 'symbolic link, not followed',
      'deploy/linked': 'symbolic link, not followed',
      'deploy/notes.txt': 'not a YAML or JSON file'
    })
  })
  it('a node_modules directory the walk skips, where paths reach (kubectl apply -R and GitOps tools apply it)', () => {
    const found = discover(
      {
        'deploy/app.yaml': POD,
        'deploy/node_modules/pod.yaml': POD,
        'node_modules/pkg/x.yaml': 'a: 1\n',
        'other/node_modules/pod.yaml': POD,
        'skipped/node_modules/pod.yaml': POD
      },
      { paths: ['deploy/**', 'node_modules/**', 'other/**', '!other/node_modules/**'] }
    )
    // A node_modules that paths start in is walked like any other directory.
    expect(found.rawFiles).toEqual(['deploy/app.yaml', 'node_modules/pkg/x.yaml'])
    expect(uncheckedOf(found)).toEqual({
      'deploy/node_modules':
        "node_modules directory, not walked: a manifest in it is not checked; move manifests out of it, or exclude it (e.g. '!deploy/node_modules/**')"
    })
  })
})

describe('paths', () => {
  it('refuses, naming the input, a glob it would otherwise read some other way', () => {
    expect(() =>
      discover(
        { 'a.yaml': POD },
        {
          paths: ['+(a|b).yaml'],
          inputNames: { paths: 'manifests', allowRemoteResources: 'allow-remote-resources' }
        }
      )
    ).toThrow(/^Input 'manifests': Pattern '\+\(a\|b\)\.yaml' uses the extglob/)
  })

  it('turns a directory into its YAML files and refuses patterns that leave the workspace', () => {
    expect(parsePatterns(['apps', '!apps/x.yaml'], 'paths')).toEqual({
      include: ['apps/**/*.{yaml,yml}'],
      exclude: ['apps/x.yaml']
    })
    expect(() => parsePatterns(['../other/**'], 'manifests')).toThrow(
      /^Input 'manifests' entry '\.\.\/other\/\*\*' leaves the workspace/
    )
    expect(() => parsePatterns(['/etc/*.yaml'], 'paths')).toThrow(/leaves the workspace/)
  })

  it('excluded files are neither checked nor listed', () => {
    const found = discover(
      { 'apps/pod.yaml': POD, 'ignored/pod.yaml': POD },
      { paths: ['**/*.yaml', '!ignored/**'] }
    )
    expect(found.rawFiles).toEqual(['apps/pod.yaml'])
    expect(found.unchecked).toEqual([])
  })
})
