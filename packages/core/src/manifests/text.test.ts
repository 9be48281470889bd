import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { bumpBranch } from './branch.js'
import { unifiedDiff } from './diff.js'
import { plainKeepsString, renderScalar } from './scalar.js'
import { parseBumpTarget } from './target.js'
import { compareTags } from './versions.js'
import { verifyEdit } from './verify.js'
import { digestOf, TARGET_NAMES } from '../../../../test/support/bump.js'

describe('scalars', () => {
  it('keeps a plain value plain only when YAML 1.1 and 1.2 both read it back as that string', () => {
    for (const value of [
      '1.10',
      'on',
      'yes',
      'No',
      '017',
      '0o17',
      '2024-01-01',
      'null',
      '~',
      '1:20',
      '1_000',
      '.5',
      'true',
      '',
      'a #b',
      '- a',
      '*x',
      '&y',
      '!z',
      "'q'"
    ])
      expect([value, plainKeepsString(value, false)]).toEqual([value, false])
    for (const value of [
      '1.2.3',
      'v1',
      'sha256:abc',
      'ghcr.io/org/app:1.2@sha256:ab',
      'latest',
      '1.2.3-rc.1'
    ])
      expect([value, plainKeepsString(value, false)]).toEqual([value, true])
    expect(plainKeepsString('a,b', true)).toBe(false)
    expect(plainKeepsString('a,b', false)).toBe(true)
  })

  it('renders in the old quote style, double-quoting a plain value that would change type', () => {
    expect(renderScalar('1.10', 'PLAIN', false)).toBe('"1.10"')
    expect(renderScalar('v1.10', 'PLAIN', false)).toBe('v1.10')
    expect(renderScalar("it's", 'QUOTE_SINGLE', false)).toBe("'it''s'")
    expect(renderScalar('1.10', 'QUOTE_DOUBLE', false)).toBe('"1.10"')
  })
})

describe('verification after an edit', () => {
  it('passes an edit that changes only the expected value, under YAML 1.2 and 1.1', () => {
    expect(
      verifyEdit('a: 1\nb: yes\n', 'a: "2"\nb: yes\n', [{ document: 0, offset: 3, value: '2' }])
    ).toBeUndefined()
  })

  it('catches an edit that changes anything else, or breaks the YAML', () => {
    expect(verifyEdit('a: 1\nb: x\n', 'a: "2"\nb: y\n', [{ document: 0, offset: 3, value: '2' }])).toMatch(
      /reads back differently/
    )
    expect(verifyEdit('a: 1\n', 'a: "2\n', [{ document: 0, offset: 3, value: '2' }])).toMatch(
      /not valid YAML/
    )
    expect(verifyEdit('a: 1\n', 'a: 2\n', [{ document: 0, offset: 3, value: '2' }])).toMatch(
      /reads back differently/
    )
  })
})

describe('unified diff', () => {
  it('prints hunks with three lines of context, like git', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\ni\nj\nk\nl\n'
    const after = before.replace('b\n', 'B\n').replace('l\n', 'L\n')
    expect(unifiedDiff('x.yaml', before, after)).toBe(
      [
        '--- a/x.yaml',
        '+++ b/x.yaml',
        '@@ -1,5 +1,5 @@',
        ' a',
        '-b',
        '+B',
        ' c',
        ' d',
        ' e',
        '@@ -9,4 +9,4 @@',
        ' i',
        ' j',
        ' k',
        '-l',
        '+L',
        ''
      ].join('\n')
    )
  })

  it('marks a last line without a newline and agrees with git diff on inserted lines', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'diff-'))
    try {
      const before = 'images:\n- name: app\n  newTag: v1'
      const after = 'images:\n- name: app\n  newTag: v2\n  digest: sha256:x'
      writeFileSync(path.join(dir, 'a'), before)
      writeFileSync(path.join(dir, 'b'), after)
      let git = ''
      try {
        execFileSync('git', ['diff', '--no-index', '--no-color', 'a', 'b'], { cwd: dir, encoding: 'utf8' })
      } catch (error) {
        git = (error as { stdout: string }).stdout
      }
      const hunks = (text: string) => text.slice(text.indexOf('@@'))
      expect(hunks(unifiedDiff('f', before, after))).toBe(hunks(git))
      expect(unifiedDiff('f', before, after)).toContain('\\ No newline at end of file\n')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})

describe('versions', () => {
  it('orders version tags and refuses to order the others', () => {
    expect(compareTags('1.10.0', '1.9.9')).toBeGreaterThan(0)
    expect(compareTags('v2.0.0', '2.0.0')).toBe(0)
    // A capital V is a version too: 1.3.0 over V1.4.0 is a downgrade, not two tags that do not order.
    expect(compareTags('V1.4.0', '1.3.0')).toBeGreaterThan(0)
    expect(compareTags('1.2.3-rc.1', '1.2.3')).toBeLessThan(0)
    expect(compareTags('1.2.3-rc.2', '1.2.3-rc.10')).toBeLessThan(0)
    expect(compareTags('1.2', '1.2.1')).toBeLessThan(0)
    expect(compareTags('latest', '1.0.0')).toBeUndefined()
    expect(compareTags('sha-1a2b3c', 'sha-4d5e6f')).toBeUndefined()
  })
})

describe('bump branch', () => {
  const request = (image: string) => ({
    target: parseBumpTarget({ image, tag: '1.0.0' }, TARGET_NAMES),
    strategy: 'auto' as const,
    fluxPolicies: []
  })

  it('is one branch per target whatever the version, and another one for other paths or base', () => {
    const one = bumpBranch(request('GHCR.io/org/app'), { base: '', paths: ['apps/**'] })
    expect(one).toMatch(/^secure-pipeline\/bump\/ghcr\.io-org-app-[0-9a-f]{8}$/)
    const newer = {
      ...request('GHCR.io/org/app'),
      target: parseBumpTarget({ image: 'GHCR.io/org/app', digest: digestOf('1') }, TARGET_NAMES)
    }
    expect(bumpBranch(newer, { base: '', paths: ['apps/**'] })).toBe(one)
    expect(bumpBranch(request('GHCR.io/org/app'), { base: '', paths: ['prod/**'] })).not.toBe(one)
    expect(bumpBranch(request('GHCR.io/org/app'), { base: 'release', paths: ['apps/**'] })).not.toBe(one)
  })

  it('is another branch for another image, even when the two names give the same slug', () => {
    const scope = { base: '', paths: ['apps/**'] }
    const ecr = '123456789012.dkr.ecr.eu-central-1.amazonaws.com/platform/payments-reconciliation'
    // Both slugs are cut at 80 characters to the same text; `org/app` and `org-app` both slug to org-app.
    for (const [a, b] of [
      [`${ecr}-api`, `${ecr}-worker`],
      ['ghcr.io/org/app', 'ghcr.io/org-app']
    ] as const)
      expect(bumpBranch(request(a), scope)).not.toBe(bumpBranch(request(b), scope))
  })
})

describe('targets', () => {
  it('takes the tag and digest from the image, from tag@digest or from their own inputs, and refuses what disagrees or is malformed', () => {
    const D = digestOf('f')
    expect(parseBumpTarget({ image: `ghcr.io/org/app:1.2@${D}` }, TARGET_NAMES)).toEqual({
      image: 'ghcr.io/org/app',
      fullName: 'ghcr.io/org/app',
      tag: '1.2',
      digest: D
    })
    expect(parseBumpTarget({ image: 'nginx', tag: `1.27@${D}` }, TARGET_NAMES)).toEqual({
      image: 'nginx',
      fullName: 'docker.io/library/nginx',
      tag: '1.27',
      digest: D
    })
    expect(() => parseBumpTarget({ image: 'app:1', tag: '2' }, TARGET_NAMES)).toThrow(/disagree/)
    expect(() => parseBumpTarget({ image: 'App', tag: '1' }, TARGET_NAMES)).toThrow(/Input 'image'/)
    expect(() => parseBumpTarget({ image: 'app', tag: '1 #x' }, TARGET_NAMES)).toThrow(/Input 'tag'/)
    expect(() => parseBumpTarget({ image: 'app', digest: 'sha256:12' }, TARGET_NAMES)).toThrow(
      /Input 'digest'/
    )
    expect(() => parseBumpTarget({ image: 'app' }, TARGET_NAMES)).toThrow(/Give the new version/)
  })
})
