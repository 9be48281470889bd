import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { parse } from 'yaml'
import {
  compositeProblems,
  listActionFolders,
  type ActionMetadata
} from '../../../scripts/action-metadata.js'
import { checkActionMetadata } from '../../../scripts/check-actions.js'
import { REPO_ROOT } from '../../support/repo-root.js'

const ROOT_ACTION = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')

/** The root composite with one edit, checked against this repository's actions. */
function problemsAfter(edit: (text: string) => string): string[] {
  const text = edit(ROOT_ACTION)
  expect(text).not.toBe(ROOT_ACTION)
  return compositeProblems('action.yml', parse(text) as ActionMetadata, listActionFolders(REPO_ROOT))
}

describe('check:actions', () => {
  it('passes this repository and says what it checked', () => {
    expect(checkActionMetadata(REPO_ROOT)).toEqual({
      problems: [],
      checked: [
        'actions/ (bump-manifest-pr, gate, image-scan, k8s-policy, metrics, sast, sca)',
        'root action.yml',
        '.github/workflows/',
        'workflows-templates/',
        'uses: pins'
      ]
    })
  })

  it('fails when the actions/ folder it checks is missing, instead of passing over nothing', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'check-actions-'))
    cpSync(path.join(REPO_ROOT, 'action.yml'), path.join(root, 'action.yml'))
    const { problems } = checkActionMetadata(root)
    expect(problems).toContain('actions/: missing; nothing would be checked')
    mkdirSync(path.join(root, 'actions'))
    expect(checkActionMetadata(root).problems).toContain('actions/: holds no action')
  })

  it('checks workflows-templates/ once it exists: empty or invalid fails', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'check-actions-'))
    cpSync(path.join(REPO_ROOT, 'action.yml'), path.join(root, 'action.yml'))
    const templates = path.join(root, 'workflows-templates')
    mkdirSync(templates)
    expect(checkActionMetadata(root).problems).toContain('workflows-templates/: holds no workflow')
    const valid = 'on: push\njobs:\n  scan:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ok\n'
    writeFileSync(path.join(templates, 'ci.yml'), valid)
    expect(checkActionMetadata(root).problems).toContain('workflows-templates/ci.properties.json: missing')
    const properties = { name: 'CI', description: 'Checks', iconName: 'ci', categories: ['Automation'] }
    writeFileSync(path.join(templates, 'ci.properties.json'), JSON.stringify(properties))
    expect(checkActionMetadata(root).problems).toContain(
      'workflows-templates/ci.properties.json: icon ci.svg is missing beside it'
    )
    writeFileSync(path.join(templates, 'ci.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>')
    const { problems, checked } = checkActionMetadata(root)
    expect(problems.filter(p => p.startsWith('workflows-templates/'))).toEqual([])
    writeFileSync(path.join(templates, 'ci.yml'), valid.replace('steps:', 'stepz:'))
    expect(
      checkActionMetadata(root).problems.filter(p => p.startsWith('workflows-templates/ci.yml'))
    ).not.toEqual([])
    expect(checked).toContain('workflows-templates/')
  })

  it.each([
    [
      'an input substituted into run:',
      (t: string) =>
        t.replace(
          'run: node "$GITHUB_ACTION_PATH/dist/sast/index.js"',
          'run: node "$GITHUB_ACTION_PATH/dist/sast/index.js" "${{ inputs.path }}"'
        ),
      /step 'SAST': \$\{\{ \}\} inside run: turns a value into shell code/
    ],
    [
      'an input name the bundle does not declare (underscores for dashes)',
      (t: string) => t.replace('INPUT_FAIL-ON-VIOLATIONS:', 'INPUT_FAIL_ON_VIOLATIONS:'),
      /step 'Kubernetes policy': sets INPUT_FAIL_ON_VIOLATIONS, which actions\/k8s-policy does not declare/
    ],
    [
      'an undeclared composite input',
      (t: string) => t.replace('${{ inputs.k8s-paths }}', '${{ inputs.k8s-path }}'),
      /refers to inputs\.k8s-path, which is not declared/
    ],
    [
      'a step id that does not exist',
      (t: string) => t.replace('${{ steps.sast.outcome }}', '${{ steps.semgrep.outcome }}'),
      /step 'Verdict': refers to steps\.semgrep, which is not an earlier step id/
    ],
    [
      'an output that reads a missing step',
      (t: string) => t.replace('${{ steps.verdict.outputs.passed }}', '${{ steps.final.outputs.passed }}'),
      /output 'passed': refers to steps\.final/
    ],
    [
      'a bundle that has no action folder',
      (t: string) => t.replace('dist/k8s-policy/index.js', 'dist/k8s/index.js'),
      /runs dist\/k8s, but there is no actions\/k8s/
    ],
    [
      'uses: of a local action',
      (t: string) =>
        t.replace('      run: node "$GITHUB_ACTION_PATH/dist/gate/index.js"', '      uses: ./actions/gate'),
      /step 'Gate': uses: \.\/… resolves against the caller's workspace/
    ]
  ])('finds %s in the root composite', (_label, edit, expected) => {
    expect(problemsAfter(edit)).toEqual(expect.arrayContaining([expect.stringMatching(expected)]))
  })
})
