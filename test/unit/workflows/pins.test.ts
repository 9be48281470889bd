import { describe, expect, it } from '@jest/globals'
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import * as path from 'node:path'
import { parse } from 'yaml'
import {
  actionFiles,
  pinProblems,
  propertiesProblems,
  selfPinInputProblems,
  selfPinProblems,
  selfPinReachProblems,
  type PinHistory,
  usesLines,
  workflowFiles,
  type YamlFile
} from '../../../scripts/workflow-files.js'
import { gitHistory, pinSelf } from '../../../scripts/pin-self.js'
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

describe('Dependabot (github-actions)', () => {
  it('covers every file with a uses: line, so its pull requests update every pin of an action together', () => {
    const config = parse(readFileSync(path.join(REPO_ROOT, '.github/dependabot.yml'), 'utf8')) as {
      updates: { 'package-ecosystem': string; directory?: string; directories?: string[] }[]
    }
    const updates = config.updates.filter(u => u['package-ecosystem'] === 'github-actions')
    expect(updates).toHaveLength(1)
    const dirs = new Set(updates.flatMap(u => u.directories ?? (u.directory ? [u.directory] : [])))
    // "/" is .github/workflows and the root action.yml; any other directory is named as itself.
    const dirOf = (rel: string) =>
      rel.startsWith('.github/workflows/') || !rel.includes('/') ? '/' : `/${path.posix.dirname(rel)}`
    const files = [...workflowFiles(REPO_ROOT), ...actionFiles(REPO_ROOT)].filter(
      f => usesLines(f).length > 0
    )
    expect(files.map(f => f.rel)).toContain('workflows-templates/secure-pipeline.yml')
    expect(files.map(f => dirOf(f.rel)).filter(dir => !dirs.has(dir))).toEqual([])
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

  it('lets the reusable workflows sit at another SHA than its actions, each kind at one SHA', () => {
    const a = 'a'.repeat(40)
    const b = 'b'.repeat(40)
    const c = 'c'.repeat(40)
    const action = (sha: string) => step(`octo-org/secure-pipeline/actions/gate@${sha} # v0.2.0`)
    const wf = (sha: string) =>
      `jobs:\n  a:\n    uses: octo-org/secure-pipeline/.github/workflows/pull-request.yml@${sha} # v0.2.0\n`
    expect(pinProblems([file(action(a)), file(wf(b), 'b.yml')])).toEqual([])
    expect(pinProblems([file(action(a)), file(wf(b), 'b.yml'), file(wf(c), 'c.yml')])).toEqual([
      expect.stringMatching(
        /^c\.yml:3: octo-org\/secure-pipeline \(reusable workflows\) is pinned to c{40} here but b{40}/
      )
    ])
    expect(pinProblems([file(action(a)), file(action(c), 'c.yml')])).toEqual([
      expect.stringMatching(/^c\.yml:4: octo-org\/secure-pipeline is pinned to c{40} here but a{40}/)
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

describe('selfPinReachProblems: every pin, followed through the reusable workflows, runs one release', () => {
  // A history in which C1 holds the new code, C2 pins the workflows' actions to C1, and OLD is the
  // previous release; sameCode compares the code of two commits.
  const [OLD, C1, C2, C3] = ['0', '1', '2', '3'].map(d => d.repeat(40)) as [string, string, string, string]
  const code: Record<string, string> = { [OLD]: 'old', [C1]: 'new', [C2]: 'new', [C3]: 'new' }
  const workflowAt = (actionsAt: string) =>
    [
      'jobs:',
      '  checks:',
      '    steps:',
      `      - uses: octo-org/secure-pipeline@${actionsAt} # v0.2.0`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${actionsAt} # v0.2.0`
    ].join('\n')
  const history = (workflows: Record<string, string>): PinHistory => ({
    readAt: (commit, rel) => workflows[`${commit}:${rel}`],
    sameCode: (a, b) => code[a] !== undefined && code[a] === code[b]
  })
  const PR = '.github/workflows/pull-request.yml'
  const REQUIRED = '.github/workflows/org-required.yml'
  const template = (workflowAt: string, actionAt: string) =>
    file(
      [
        'jobs:',
        '  pr:',
        `    uses: octo-org/secure-pipeline/${PR}@${workflowAt} # v0.2.0`,
        '  k8s:',
        '    steps:',
        `      - uses: octo-org/secure-pipeline/actions/k8s-policy@${actionAt} # v0.2.0`
      ].join('\n'),
      'workflows-templates/t.yml'
    )

  it('refuses the two-commit release: the workflow called at the pin commit runs the previous actions', () => {
    // The reusable workflow at C2 still pins OLD: a template calling it at C2 runs the old composite.
    const h = history({ [`${C2}:${PR}`]: workflowAt(OLD), [`${C3}:${PR}`]: workflowAt(C1) })
    const problems = selfPinReachProblems([template(C2, C1)], h)
    expect(problems).toEqual([
      expect.stringMatching(
        /^workflows-templates\/t\.yml:3 -> \.github\/workflows\/pull-request\.yml@2222222:4: runs octo-org\/secure-pipeline@0{40}, whose .* differ from 1{40}/
      ),
      expect.stringMatching(
        /:3 -> .*pull-request\.yml@2222222:5: runs octo-org\/secure-pipeline\/actions\/gate@0{40}/
      )
    ])
    // The release check names the tag as what every pin must reach.
    expect(selfPinReachProblems([template(C2, C1)], h, C3)).toHaveLength(2)
  })

  it('accepts the three-commit release, also through org-required -> pull-request, and refuses a stale action pin', () => {
    const workflows = {
      [`${C2}:${PR}`]: workflowAt(C1),
      [`${C3}:${PR}`]: workflowAt(C1),
      [`${C3}:${REQUIRED}`]: `jobs:\n  r:\n    uses: octo-org/secure-pipeline/${PR}@${C2} # v0.2.0\n`
    }
    const required = file(workflows[`${C3}:${REQUIRED}`]!, REQUIRED)
    expect(selfPinReachProblems([template(C2, C1), required], history(workflows))).toEqual([])
    expect(selfPinReachProblems([template(C2, C1), required], history(workflows), C3)).toEqual([])
    // A template whose own action pin is stale: the workflow it calls then runs other code than it.
    expect(selfPinReachProblems([template(C2, OLD)], history(workflows))).toEqual([
      expect.stringMatching(
        /t\.yml:3 -> .*pull-request\.yml@2222222:4: runs octo-org\/secure-pipeline@1{40}, whose .* differ from 0{40}/
      ),
      expect.stringMatching(/t\.yml:3 -> .*pull-request\.yml@2222222:5: /)
    ])
    expect(selfPinReachProblems([template(C2, OLD)], history(workflows), C3)).toEqual([
      expect.stringMatching(
        /^workflows-templates\/t\.yml:6: .*k8s-policy@0{40} holds other .* than 3{40} \(the release\)/
      )
    ])
  })

  it('reads a pin of this repository whatever the case of its owner and name (GitHub does)', () => {
    const workflows = { [`${C2}:${PR}`]: workflowAt(C1), [`${C3}:${PR}`]: workflowAt(C1) }
    const shouted = file(
      `jobs:\n  k8s:\n    steps:\n      - uses: Octo-Org/Secure-Pipeline/actions/k8s-policy@${OLD} # v0.2.0\n`,
      'workflows-templates/shouted.yml'
    )
    expect(selfPinReachProblems([template(C2, C1), shouted], history(workflows), C3)).toEqual([
      expect.stringMatching(
        /^workflows-templates\/shouted\.yml:4: .*k8s-policy@0{40} holds other .* than 3{40}/
      )
    ])
  })

  it('at a release, refuses a workflow pin whose workflow differs from the release (other than its pins)', () => {
    const workflows = {
      [`${C2}:${PR}`]: workflowAt(C1) + '\n# an older workflow',
      [`${C3}:${PR}`]: workflowAt(C1)
    }
    expect(selfPinReachProblems([template(C2, C1)], history(workflows), C3)).toEqual([
      expect.stringMatching(/pull-request\.yml at 2{40} is not the release's/)
    ])
  })

  it('finds the defect of the v0.1.0 pins in the own history of this repository (templates -> dac1301 -> 35a13a8)', () => {
    const dac = 'dac13013f34f7b88b5979889a4e640fb3174fc08'
    const text = `jobs:\n  a:\n    uses: octo-org/secure-pipeline/${PR}@${dac} # v0.1.0\n`
    const problems = selfPinReachProblems([file(text)], gitHistory(REPO_ROOT))
    expect(problems.length).toBeGreaterThan(0)
    expect(problems[0]).toMatch(/pull-request\.yml@dac1301:\d+: runs octo-org\/secure-pipeline@35a13a8/)
  })

  it('holds for every pin of the workflows and templates of this repository: all reach one code', () => {
    expect(selfPinReachProblems(workflowFiles(REPO_ROOT), gitHistory(REPO_ROOT))).toEqual([])
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

  it('moves only the pins of one kind: actions (and the composite), or reusable workflows', () => {
    const old = 'a'.repeat(40)
    const text = [
      `      - uses: octo-org/secure-pipeline@${old} # v0.1.0`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${old} # v0.1.0`,
      `    uses: octo-org/secure-pipeline/.github/workflows/pipeline.yml@${old} # v0.1.0`
    ].join('\n')
    expect(pinSelf(text, next, 'v1.2.3', 'actions').split('\n')).toEqual([
      `      - uses: octo-org/secure-pipeline@${next} # v1.2.3`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${next} # v1.2.3`,
      `    uses: octo-org/secure-pipeline/.github/workflows/pipeline.yml@${old} # v0.1.0`
    ])
    expect(pinSelf(text, next, 'v1.2.3', 'workflows').split('\n')).toEqual([
      `      - uses: octo-org/secure-pipeline@${old} # v0.1.0`,
      `      - uses: octo-org/secure-pipeline/actions/gate@${old} # v0.1.0`,
      `    uses: octo-org/secure-pipeline/.github/workflows/pipeline.yml@${next} # v1.2.3`
    ])
  })

  it('refuses a short SHA or a version that is not vX.Y.Z', () => {
    expect(() => pinSelf('', 'abc1234', 'v1.2.3')).toThrow(/not a full commit SHA/)
    expect(() => pinSelf('', next, '1.2')).toThrow(/not a release version/)
  })
})
