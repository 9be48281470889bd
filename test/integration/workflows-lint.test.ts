import { describe, expect, it } from '@jest/globals'
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { actionFiles, workflowFiles } from '../../scripts/workflow-files.js'
import { REPO_ROOT } from '../support/repo-root.js'
import { toolPath } from '../support/tools-path.js'

/**
 * actionlint and zizmor, the real binaries from the tools cache, over every workflow, starter template
 * and action.yml: 0 findings. Each also runs on a copy with one planted flaw, so a linter that checks
 * nothing (wrong flags, files not found) cannot pass.
 */

const WORKFLOWS = workflowFiles(REPO_ROOT).map(f => f.rel)
const ACTIONS = actionFiles(REPO_ROOT).map(f => f.rel)
const DEPENDABOT = '.github/dependabot.yml'

interface Finding {
  ident: string
  file: string
}

/** zizmor, every audit, pedantic persona, offline; JSON findings (its exit code says only "found some"). */
function zizmor(cwd: string, files: string[]): Finding[] {
  const run = spawnSync(
    toolPath('zizmor'),
    ['--offline', '--persona', 'pedantic', '--format', 'json', '--no-progress', ...files],
    { cwd, encoding: 'utf8' }
  )
  if (run.status !== 0 && run.stdout.trim() === '') throw new Error(`zizmor failed: ${run.stderr}`)
  return (
    JSON.parse(run.stdout) as {
      ident: string
      locations: { symbolic: { key: { Local?: { given_path: string } } } }[]
    }[]
  ).map(finding => ({
    ident: finding.ident,
    file: finding.locations[0]?.symbolic.key.Local?.given_path ?? ''
  }))
}

/** actionlint (with its shellcheck pass when shellcheck is installed); one line per finding. */
function actionlint(cwd: string, files: string[]): string[] {
  const run = spawnSync(toolPath('actionlint'), ['-no-color', '-oneline', ...files], {
    cwd,
    encoding: 'utf8'
  })
  if (run.status !== 0 && run.status !== 1) throw new Error(`actionlint failed: ${run.stderr}${run.stdout}`)
  return run.stdout.split('\n').filter(line => line.trim() !== '')
}

/** A copy of the repository's workflow and action files in a fresh git repository. */
function copyOf(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'workflows-lint-'))
  spawnSync('git', ['init', '-q', dir])
  for (const file of [...WORKFLOWS, ...ACTIONS, DEPENDABOT]) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true })
    cpSync(path.join(REPO_ROOT, file), path.join(dir, file))
  }
  return dir
}

/** `copyOf`, with one file edited. */
function copyWith(rel: string, edit: (text: string) => string): string {
  const dir = copyOf()
  const text = readFileSync(path.join(dir, rel), 'utf8')
  const edited = edit(text)
  expect(edited).not.toBe(text)
  writeFileSync(path.join(dir, rel), edited)
  return dir
}

describe('actionlint', () => {
  it('reports nothing on every workflow and starter template', () => {
    expect(WORKFLOWS.length).toBeGreaterThanOrEqual(10)
    expect(actionlint(REPO_ROOT, WORKFLOWS)).toEqual([])
  })

  it('reports an undeclared input of a local action and a bad expression in a planted copy', () => {
    const dir = copyWith('.github/workflows/ci.yml', text =>
      text
        .replace('fail-on-violations:', 'fail-on-violation:')
        .replace('${{ steps.gate.outputs.outcome }}', '${{ steps.gate.outputs.outcome }')
    )
    const findings = actionlint(dir, ['.github/workflows/ci.yml'])
    expect(findings.some(line => /input "fail-on-violation" is not defined/.test(line))).toBe(true)
    expect(findings.length).toBeGreaterThanOrEqual(2)
  })
})

/** actionlint on a caller of a copy of `workflow` (by path, so actionlint reads what it declares). */
function callerFindings(workflow: string, secret: string): string[] {
  const dir = copyOf()
  const caller = `.github/workflows/caller-${workflow}`
  writeFileSync(
    path.join(dir, caller),
    `name: caller
on:
  push:
permissions: {}
jobs:
  secure-pipeline:
    uses: ./.github/workflows/${workflow}
    permissions:
      contents: read # check out
      packages: write # push
      pull-requests: write # comment
      security-events: write # upload
    with:
      policy-repository: octo-org/security-policy
    secrets:
      ${secret}: \${{ secrets.SECURE_PIPELINE_POLICY_TOKEN }}
`
  )
  return actionlint(dir, [caller])
}

describe('a caller of the reusable workflows', () => {
  it.each(['pipeline.yml', 'pull-request.yml'])(
    'may give %s the token that reads a private central policy (policy-token)',
    workflow => expect(callerFindings(workflow, 'policy-token')).toEqual([])
  )

  it('is told when it gives a reusable workflow a secret that workflow does not declare', () => {
    expect(callerFindings('pipeline.yml', 'policy-tokens')).toEqual([
      expect.stringMatching(/secret "policy-tokens" is not defined/)
    ])
  })
})

describe('zizmor (all audits, pedantic)', () => {
  it('reports nothing on every workflow, starter template, action.yml and the Dependabot config', () => {
    expect(zizmor(REPO_ROOT, [...WORKFLOWS, ...ACTIONS, DEPENDABOT])).toEqual([])
  })

  it.each([
    [
      'a PR title in run:',
      '.github/workflows/ci.yml',
      (t: string) =>
        t.replace('echo "gate outcome: $OUTCOME"', 'echo "${{ github.event.pull_request.title }}"'),
      'template-injection'
    ],
    [
      'checkout credentials left in .git (the default)',
      'workflows-templates/secure-pipeline-pr.yml',
      (t: string) => t.replace('          persist-credentials: false\n', ''),
      'artipacked'
    ],
    [
      'pull_request_target',
      'workflows-templates/secure-pipeline-pr.yml',
      (t: string) => t.replace('  pull_request:\n', '  pull_request_target:\n'),
      'dangerous-triggers'
    ],
    [
      'a tag-pinned action',
      'action.yml',
      (t: string) => t.replace(/actions\/cache@[0-9a-f]{40} # v5\.0\.5/, 'actions/cache@v5'),
      'unpinned-uses'
    ],
    [
      'Dependabot updates without a cooldown',
      DEPENDABOT,
      (t: string) => t.replace('\n    cooldown:\n      default-days: 7\n    groups:', '\n    groups:'),
      'dependabot-cooldown'
    ]
  ])('finds %s in a planted copy', (_label, rel, edit, audit) => {
    const dir = copyWith(rel, edit)
    expect(zizmor(dir, [rel]).map(f => f.ident)).toContain(audit)
  })
})
