import { describe, expect, it } from '@jest/globals'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import * as path from 'node:path'
import { runComposite, stepOf } from '../support/run-composite.js'

/** The harness must behave like the runner, or the composite tests prove nothing: checked on small actions. */
function action(yaml: string): { actionPath: string; workspace: string } {
  const actionPath = mkdtempSync(path.join(tmpdir(), 'composite-action-'))
  writeFileSync(path.join(actionPath, 'action.yml'), yaml)
  return { actionPath, workspace: mkdtempSync(path.join(tmpdir(), 'composite-ws-')) }
}

describe('runComposite, the runner double for composite actions', () => {
  it('substitutes ${{ }} into run: as the runner does, so an input there is shell code', async () => {
    const marker = path.join(tmpdir(), `composite-marker-${process.pid}-${Date.now()}`)
    const { actionPath, workspace } = action(`
name: vulnerable
description: interpolates an input into its script
inputs:
  title: { description: t, default: '' }
runs:
  using: composite
  steps:
    - name: Echo
      shell: bash
      run: echo "\${{ inputs.title }}"
`)
    const run = await runComposite({ actionPath, workspace, with: { title: `x";touch ${marker};#` } })
    expect(stepOf(run, 'Echo').script).toBe(`echo "x";touch ${marker};#"`)
    expect(existsSync(marker)).toBe(true)
  })

  it('evaluates if, env, continue-on-error, steps outcomes and outputs like the runner', async () => {
    const { actionPath, workspace } = action(`
name: flow
description: step outcomes and conditions
inputs:
  skip: { description: s, default: '' }
  word: { description: w, default: 'from-default' }
outputs:
  said: { description: d, value: '\${{ steps.say.outputs.said }}' }
  crash: { description: c, value: '\${{ steps.crash.outcome }}/\${{ steps.crash.conclusion }}' }
runs:
  using: composite
  steps:
    - name: Crash
      id: crash
      shell: bash
      continue-on-error: true
      run: exit 3
    - name: Skipped
      id: skipped
      if: inputs.skip != ''
      shell: bash
      run: exit 9
    - name: Say
      id: say
      shell: bash
      run: echo "said=$WORD $SKIPPED $GITHUB_ACTION_PATH" >> "$GITHUB_OUTPUT"
      env:
        WORD: \${{ inputs.word }}
        SKIPPED: \${{ steps.skipped.outcome }}
    - name: Fail
      shell: bash
      run: false
    - name: After a failure
      shell: bash
      run: echo never
    - name: Always
      id: always
      if: \${{ always() }}
      shell: bash
      run: echo "ran=yes" >> "$GITHUB_OUTPUT"
`)
    const run = await runComposite({ actionPath, workspace })
    expect(run.steps.map(s => [s.name, s.outcome, s.conclusion, s.exitCode])).toEqual([
      ['Crash', 'failure', 'success', 3],
      ['Skipped', 'skipped', 'skipped', null],
      ['Say', 'success', 'success', 0],
      ['Fail', 'failure', 'failure', 1],
      ['After a failure', 'skipped', 'skipped', null],
      ['Always', 'success', 'success', 0]
    ])
    expect(run.outputs).toEqual({ said: `from-default skipped ${actionPath}`, crash: 'failure/success' })
    expect(stepOf(run, 'always').outputs).toEqual({ ran: 'yes' })
    expect(run.status).toBe('failure')
  })

  it('refuses an input the action does not declare, as a workflow would', async () => {
    const { actionPath, workspace } = action(`
name: strict
description: one input
inputs:
  known: { description: k }
runs:
  using: composite
  steps:
    - { name: Noop, shell: bash, run: 'true' }
`)
    await expect(runComposite({ actionPath, workspace, with: { unknown: 'x' } })).rejects.toThrow(
      "unexpected input 'unknown'"
    )
  })
})
