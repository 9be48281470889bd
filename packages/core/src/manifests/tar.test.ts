import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { chmodSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { git, writeFiles } from '../../../../test/support/git-repo.js'
import { TARGET_NAMES } from '../../../../test/support/bump.js'
import { buildChange } from './change.js'
import { archiveManifests, gitBlobSha } from './sources.js'
import { parseBumpTarget } from './target.js'
import { MAX_MANIFEST_BYTES } from './yaml-source.js'
import { readTarball } from './tar.js'

describe('repository archives', () => {
  it("reads git archive's tar.gz as GitHub serves it: long paths, modes and links, the top directory removed", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tar-'))
    try {
      const long = `${'deep/'.repeat(30)}values.yaml`
      writeFiles(dir, { 'a.yaml': 'a: 1\n', [long]: 'b: 2\n', 'run.sh': '#!/bin/sh\n' })
      chmodSync(path.join(dir, 'run.sh'), 0o755)
      symlinkSync('/etc/passwd', path.join(dir, 'link.yaml'))
      git(dir, 'init', '-q', '-b', 'main')
      git(dir, 'add', '-A')
      git(dir, 'commit', '-qm', 'files')
      const archive = execFileSync(
        'git',
        ['archive', '--format=tar.gz', '--prefix=octo-org-manifests-abc1234/', 'HEAD'],
        { cwd: dir }
      )
      const entries = readTarball(archive, 'octo-org/manifests')
      expect(entries.map(e => [e.path, e.mode]).sort()).toEqual([
        ['a.yaml', '100644'],
        [long, '100644'],
        ['link.yaml', '120000'],
        ['run.sh', '100755']
      ])
      const blob = entries.find(e => e.path === long)!
      expect(gitBlobSha(blob.bytes)).toBe(git(dir, 'rev-parse', `HEAD:${long}`))
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('names a file over the size limit that mentions the image as not edited, and one that does not as only not read', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'tar-'))
    try {
      const padding = `# ${'x'.repeat(MAX_MANIFEST_BYTES)}\n`
      writeFiles(dir, {
        'install.yaml': `${padding}spec:\n  containers:\n  - image: ghcr.io/org/app:1.0\n`,
        'crds.yaml': padding,
        'deploy.yaml': 'spec:\n  containers:\n  - image: ghcr.io/org/app:1.0\n'
      })
      git(dir, 'init', '-q', '-b', 'main')
      git(dir, 'add', '-A')
      git(dir, 'commit', '-qm', 'files')
      const archive = execFileSync('git', ['archive', '--format=tar.gz', '--prefix=o-m-abc/', 'HEAD'], {
        cwd: dir
      })
      const change = buildChange(() => archiveManifests(archive, ['*.yaml'], 'paths', 'o/m'), {
        target: parseBumpTarget({ image: 'ghcr.io/org/app', tag: '1.1' }, TARGET_NAMES),
        strategy: 'auto',
        fluxPolicies: []
      })
      expect(change.plan.edits.map(e => e.file)).toEqual(['deploy.yaml'])
      const tooLarge = `over ${MAX_MANIFEST_BYTES} bytes; not read`
      expect(change.plan.unreadable).toEqual([
        { file: 'crds.yaml', reason: tooLarge },
        { file: 'install.yaml', reason: tooLarge, mentionsImage: true }
      ])
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('refuses what is not a gzipped tar', () => {
    expect(() => readTarball(Buffer.from('not gzip'), 'octo-org/manifests')).toThrow(
      /octo-org\/manifests: the archive cannot be unpacked/
    )
  })
})
