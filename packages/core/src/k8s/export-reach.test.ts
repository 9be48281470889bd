import { afterEach, beforeEach, describe, expect, it } from '@jest/globals'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { writeFiles } from '../../../../test/support/git-repo.js'
import { discoverManifests } from './discover.js'
import { exportReachesCheck } from './export-reach.js'

let root: string
beforeEach(() => {
  root = mkdtempSync(path.join(tmpdir(), 'k8s-export-reach-'))
})
afterEach(() => rmSync(root, { recursive: true, force: true }))

const POD = 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: x:1}]\n'

function discover(paths: string[], files: Record<string, string>) {
  writeFiles(root, { 'deploy/pod.yaml': POD, ...files })
  return discoverManifests({
    root,
    paths,
    kustomize: true,
    allowRemoteResources: false,
    inputNames: { paths: 'paths', allowRemoteResources: 'allow-remote-resources' }
  })
}

function reaches(exportDir: string, paths: string[], files: Record<string, string> = {}): boolean {
  return exportReachesCheck(exportDir, paths, 'paths', discover(paths, files))
}

describe('whether the admission export could change what the check reads', () => {
  it('does not when neither paths nor a kustomization reach its folder', () => {
    expect(reaches('out/admission', ['deploy'])).toBe(false)
    expect(reaches('deploy-admission', ['deploy/**/*.yaml', 'k8s/*.yml'])).toBe(false)
  })

  it.each([
    ['the default paths (the whole repository)', 'out/admission', ['**/*.yaml', '**/*.yml']],
    ['a folder paths reach', 'deploy/admission', ['deploy']],
    ['a folder above what paths reach', 'deploy', ['deploy/app/*.yaml']],
    ['the repository root', '.', ['deploy']],
    ['the repository root, written empty', '', ['deploy']],
    ['a glob before any folder name', 'out/admission', ['{deploy,out}/**/*.yaml']],
    ['a folder differing only in case (one folder on macOS and Windows)', 'Deploy/Admission', ['deploy']],
    ['a folder whose name folds to one paths reach (long s)', 'deploy/admiſſion', ['deploy/admission']]
  ])('does for %s', (_, exportDir, paths) => {
    expect(reaches(exportDir, paths)).toBe(true)
  })

  it('does when a kustomization names something in it, even a file the export has yet to write', () => {
    const kustomization = {
      'deploy/kustomization.yaml': 'resources: [pod.yaml, ../platform/admission]\n',
      'platform/admission/kustomization.yaml': 'resources: [validating-admission-policy/policies.yaml]\n'
    }
    expect(reaches('platform/admission', ['deploy'], kustomization)).toBe(true)
    expect(reaches('platform/admission/validating-admission-policy', ['deploy'], kustomization)).toBe(true)
    expect(reaches('platform/other', ['deploy'], kustomization)).toBe(false)
    // Named though missing: the export will write it, and kustomize will read it.
    expect(discover(['deploy'], kustomization).renders[0]?.references).toEqual([
      'deploy/kustomization.yaml',
      'deploy/pod.yaml',
      'platform/admission',
      'platform/admission/kustomization.yaml',
      'platform/admission/validating-admission-policy/policies.yaml'
    ])
  })

  it('does when a kustomization names a folder above it', () => {
    const files = {
      'deploy/kustomization.yaml': 'resources: [pod.yaml, ../platform]\n',
      'platform/kustomization.yaml': 'resources: []\n'
    }
    expect(reaches('platform/admission', ['deploy'], files)).toBe(true)
  })
})
