import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'
import * as path from 'node:path'
import {
  actionFiles,
  pinProblems,
  propertiesProblems,
  selfPinInputProblems,
  selfPinProblems,
  usesLines,
  workflowFiles,
  type YamlFile
} from '../../../scripts/workflow-files.js'
import { pinSelf } from '../../../scripts/pin-self.js'
import { REPO_ROOT } from '../../support/repo-root.js'

const CHECKOUT = 'actions/checkout@3d3c42e5aac5ba805825da76410c181273ba90b1'
const file = (text: string, rel = '.github/workflows/x.yml'): YamlFile => ({ rel, text })
const step = (uses: string) => `jobs:\n  a:\n    steps:\n      - uses: ${uses}\n`

describe('every uses: of the workflows, templates and actions', () => {
  const files = [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)]

  it('finds the files and their uses: lines (a check that saw nothing has not passed)', () => {
    const rels = files.map(f => f.rel)
    for (const expected of [
      '.github/workflows/pipeline.yml',
      '.github/workflows/pull-request.yml',
      '.github/workflows/org-required.yml',
      '.github/workflows/release.yml',
      '.github/workflows/ci.yml',
      'workflows-templates/secure-pipeline.yml',
      'action.yml'
    ])
      expect(rels).toContain(expected)
    expect(files.flatMap(usesLines).length).toBeGreaterThan(25)
  })

  it('is pinned by a 40-hex SHA with a matching version comment; ./ only in this repository CI', () => {
    expect(pinProblems(files, new Set(['.github/workflows/ci.yml']))).toEqual([])
  })
})

describe('pinProblems', () => {
  it.each([
    ['a tag', step('actions/checkout@v7'), /is not pinned by a full 40-hex commit SHA/],
    ['a short SHA', step('actions/checkout@3d3c42e'), /is not pinned by a full 40-hex commit SHA/],
    ['a branch', step('octo-org/secure-pipeline@main # v1'), /is not pinned by a full 40-hex commit SHA/],
    ['no comment', step(CHECKOUT), /has no version comment/],
    ['a comment that is no version', step(`${CHECKOUT} # pinned`), /has no version comment/],
    ['a local path outside CI', step('./actions/sast'), /resolves against the caller's checkout/]
  ])('refuses %s', (_label, text, problem) => {
    const problems = pinProblems([file(text)])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(problem)
    expect(problems[0]).toMatch(/^\.github\/workflows\/x\.yml:4: /)
  })

  it('refuses one SHA under two versions, and one action under two SHAs', () => {
    const other = 'actions/checkout@0000000000000000000000000000000000000001 # v7.0.1'
    expect(
      pinProblems([file(step(`${CHECKOUT} # v7.0.1`)), file(step(`${CHECKOUT} # v7.0.2`), 'b.yml')])
    ).toEqual([
      expect.stringMatching(/^b\.yml:4: .* is v7\.0\.2 here but v7\.0\.1 at \.github\/workflows\/x\.yml:4$/)
    ])
    expect(pinProblems([file(step(`${CHECKOUT} # v7.0.1`)), file(step(other), 'b.yml')])).toEqual([
      expect.stringMatching(/^b\.yml:4: actions\/checkout is pinned to 0{39}1 here but 3d3c42e5/)
    ])
  })

  it('accepts a pinned action, a quoted one, a reusable workflow, and ./ where allowed', () => {
    const text = [
      'jobs:',
      '  a:',
      `    uses: octo-org/secure-pipeline/.github/workflows/pull-request.yml@${'a'.repeat(40)} # v0.1.0`,
      '  b:',
      '    steps:',
      `      - uses: '${CHECKOUT}' # v7.0.1`,
      '      - uses: ./actions/sast # zizmor: ignore[self-repository]',
      '      # - uses: actions/checkout@v4 (a comment is no step)'
    ].join('\n')
    expect(pinProblems([file(text)], new Set(['.github/workflows/x.yml']))).toEqual([])
  })
})

describe('the starter templates', () => {
  const dir = path.join(REPO_ROOT, 'workflows-templates')
  const templates = readdirSync(dir).filter(name => name.endsWith('.yml'))

  it('are the five cases of the issue, each with valid properties and its icon', () => {
    expect(templates.sort()).toEqual([
      'secure-pipeline-image.yml',
      'secure-pipeline-k8s.yml',
      'secure-pipeline-metrics.yml',
      'secure-pipeline-pr.yml',
      'secure-pipeline.yml'
    ])
    for (const template of templates) expect(propertiesProblems(dir, template)).toEqual([])
  })

  it('each reference the reusable workflows or this suite by SHA', () => {
    for (const template of templates) {
      const refs = usesLines(workflowFiles(REPO_ROOT).find(f => f.rel === `workflows-templates/${template}`)!)
      expect(refs.some(use => /^octo-org\/secure-pipeline(\/[^@]+)?@[0-9a-f]{40}$/.test(use.ref))).toBe(true)
    }
  })
})

describe('pins of this repository', () => {
  const inHistory = (commit: string, file: string): boolean => {
    try {
      execFileSync('git', ['cat-file', '-e', `${commit}:${file}`], { cwd: REPO_ROOT, stdio: 'ignore' })
      return true
    } catch {
      return false
    }
  }

  it('name a commit of this repository that holds the action, its bundle or the workflow they run', () => {
    const files = [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)]
    expect(
      files.flatMap(usesLines).filter(use => use.ref.startsWith('octo-org/secure-pipeline')).length
    ).toBeGreaterThan(10)
    expect(selfPinProblems(files, inHistory)).toEqual([])
  })

  const readAt = (commit: string, file: string): string | undefined => {
    try {
      return execFileSync('git', ['show', `${commit}:${file}`], { cwd: REPO_ROOT, encoding: 'utf8' })
    } catch {
      return undefined
    }
  }

  it('are given only inputs and secrets that the pinned commit declares', () => {
    expect(selfPinInputProblems([...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)], readAt)).toEqual([])
  })

  it('refuses an input the pinned commit does not declare, for an action and a reusable workflow', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const text = [
      'jobs:',
      '  a:',
      `    uses: octo-org/secure-pipeline/.github/workflows/pull-request.yml@${head}`,
      '    with:',
      '      no-such-input: x',
      '  b:',
      '    steps:',
      `      - uses: octo-org/secure-pipeline/actions/gate@${head}`,
      '        with:',
      '          reports: a.sarif',
      '          fail-on-everything: true'
    ].join('\n')
    expect(selfPinInputProblems([file(text)], readAt)).toEqual([
      expect.stringMatching(
        /\(job a\): .*pull-request\.yml@.* does not declare no-such-input at that commit$/
      ),
      expect.stringMatching(
        /\(job b\): .*actions\/gate@.* does not declare fail-on-everything at that commit$/
      )
    ])
  })

  it('refuses a commit without the pinned action or its bundle, and an unknown commit', () => {
    const head = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: REPO_ROOT, encoding: 'utf8' }).trim()
    const text = [
      `      - uses: octo-org/secure-pipeline/actions/no-such-action@${head} # v0.1.0`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${'0'.repeat(40)} # v0.1.0`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${head} # v0.1.0`
    ].join('\n')
    expect(selfPinProblems([file(text)], inHistory)).toEqual([
      expect.stringMatching(
        /:1: .*no-such-action@.* without actions\/no-such-action\/action\.yml, dist\/no-such-action\/index\.js;/
      ),
      expect.stringMatching(
        /:2: .*gate@0{40} names a commit without actions\/gate\/action\.yml, dist\/gate\/index\.js;/
      )
    ])
  })
})

describe('pinSelf (the release commit that pins this repository to its own release)', () => {
  const next = 'b'.repeat(40)

  it('re-pins every reference to this repository, and only those', () => {
    const text = [
      `      - uses: octo-org/secure-pipeline@${'a'.repeat(40)} # v0.1.0`,
      `    uses: octo-org/secure-pipeline/.github/workflows/pipeline.yml@${'a'.repeat(40)} # v0.1.0`,
      `      - uses: ${CHECKOUT} # v7.0.1`
    ].join('\n')
    expect(pinSelf(text, next, 'v1.2.3').split('\n')).toEqual([
      `      - uses: octo-org/secure-pipeline@${next} # v1.2.3`,
      `    uses: octo-org/secure-pipeline/.github/workflows/pipeline.yml@${next} # v1.2.3`,
      `      - uses: ${CHECKOUT} # v7.0.1`
    ])
  })

  it('re-pins every self-reference of the workflows and templates, which then still pass the pin check', () => {
    const files = [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)]
    const pinned = files.map(f => ({ ...f, text: pinSelf(f.text, next, 'v1.2.3') }))
    const selfRefs = pinned.flatMap(usesLines).filter(use => use.ref.startsWith('octo-org/secure-pipeline'))
    expect(selfRefs.length).toBeGreaterThanOrEqual(10)
    expect(selfRefs.every(use => use.ref.endsWith(`@${next}`) && use.comment === 'v1.2.3')).toBe(true)
    expect(pinProblems(pinned, new Set(['.github/workflows/ci.yml']))).toEqual([])
  })

  it('refuses a short SHA or a version that is not vX.Y.Z', () => {
    expect(() => pinSelf('', 'abc1234', 'v1.2.3')).toThrow(/not a full commit SHA/)
    expect(() => pinSelf('', next, '1.2')).toThrow(/not a release version/)
  })
})
